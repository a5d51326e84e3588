"""Ground motion and fragility against published values."""

import numpy as np
import pytest

from d2c.hazards.fragility import COMMUNICATION_FACILITY, SUBSTATION_LOW_VOLTAGE, normal_cdf
from d2c.hazards.earthquake import ita10_pga_g, rupture_half_length_km


# Reference medians of Bindi et al. (2011) ITA10 for PGA (g), from the GEM
# OpenQuake hazardlib verification table BINDI2011_MEAN.csv (rake 0 =
# strike-slip, Vs30 800 m/s = EC8 class A), which reproduces the paper's model.
@pytest.mark.parametrize(
    "magnitude, rjb_km, expected_g",
    [
        (6.0, 10.0, 0.1031595907),
        (6.0, 0.0, 0.171214431),
        (5.0, 0.0, 0.0794530242),
        (6.5, 30.0, 0.0501672844),
        (4.0, 100.0, 0.0001222252),
        (6.9, 60.0, 0.03601138),
    ],
)
def test_ita10_pga_matches_published_verification_table(magnitude, rjb_km, expected_g):
    got = ita10_pga_g(magnitude, np.array([rjb_km]), "A", "strike-slip")[0]
    assert got == pytest.approx(expected_g, rel=2e-3)


def test_ita10_site_amplification_follows_ec8_classes():
    # Table 5 of Bindi et al. (2011): sB = 0.162, sC = 0.240 (log10 units) over class A.
    a, b, c = (ita10_pga_g(6.0, np.array([20.0]), k, "normal")[0] for k in "ABC")
    assert b / a == pytest.approx(10 ** 0.162, rel=1e-9)
    assert c / a == pytest.approx(10 ** 0.240, rel=1e-9)


def test_ground_motion_decays_with_distance():
    pga = ita10_pga_g(6.0, np.array([0.0, 5.0, 20.0, 50.0, 150.0]), "B", "normal")
    assert np.all(np.diff(pga) < 0)


def test_wells_coppersmith_rupture_length():
    # Wells & Coppersmith (1994) Table 2A, all slip types: log10 RLD = -2.44 + 0.59 M.
    # Mw 6.0 gives a subsurface rupture of 10**1.10 = 12.6 km.
    assert 2 * rupture_half_length_km(6.0) == pytest.approx(12.59, abs=0.01)


def test_fragility_is_the_lognormal_cdf_of_the_hazus_parameters():
    f = COMMUNICATION_FACILITY
    median, beta = f.median_g[1], f.beta[1]
    # At the median the chance is one half; one beta above, Phi(1) = 0.8413.
    assert f.exceedance(np.array([median]), "moderate")[0] == pytest.approx(0.5)
    assert f.exceedance(np.array([median * np.exp(beta)]), "moderate")[0] == pytest.approx(0.841345, abs=1e-6)
    # Across the shaking that matters (the medians), worse states are less likely than milder ones.
    pga = np.array(f.median_g)
    states = [f.exceedance(pga, s) for s in ("slight", "moderate", "extensive", "complete")]
    for milder, worse in zip(states, states[1:]):
        assert np.all(worse < milder)


def test_substation_fragility_parameters():
    # Hazus low-voltage substation, anchored components: moderate damage median 0.29 g, beta 0.55.
    assert SUBSTATION_LOW_VOLTAGE.exceedance(np.array([0.29]), "moderate")[0] == pytest.approx(0.5)


def test_normal_cdf_reference_values():
    # Abramowitz & Stegun, Table 26.1: Phi(1.96) = 0.9750, Phi(-1) = 0.1587.
    assert normal_cdf(np.array([1.96, -1.0])) == pytest.approx([0.97500, 0.158655], abs=1e-5)
