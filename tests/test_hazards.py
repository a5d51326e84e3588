"""Ground motion and fragility against published values."""

import numpy as np
import pytest

import reftable
from d2c.hazards.fragility import COMMUNICATION_FACILITY, SUBSTATION_LOW_VOLTAGE, normal_cdf
from d2c.hazards.earthquake import ita10_pga_g, rupture_half_length_km
from d2c.hazards.rupture import rupture_length_km, rupture_width_km


BINDI = "bindi2011_pga.csv"  # OpenQuake's BINDI2011 verification table, PGA column (source in the file)


@pytest.mark.parametrize("row", reftable.rows(BINDI), ids=lambda r: f"M{r['magnitude']}-{r['rjb_km']}km-{r['ec8_class']}")
def test_ita10_pga_matches_published_verification_table(row):
    got = ita10_pga_g(float(row["magnitude"]), np.array([float(row["rjb_km"])]), row["ec8_class"], "strike-slip")[0]
    assert got == pytest.approx(float(row["pga_g"]), **reftable.tolerance(BINDI))


def test_ita10_site_amplification_follows_ec8_classes():
    # Table 5 of Bindi et al. (2011): sB = 0.162, sC = 0.240 (log10 units) over class A.
    a, b, c = (ita10_pga_g(6.0, np.array([20.0]), k, "normal")[0] for k in "ABC")
    assert b / a == pytest.approx(10 ** 0.162, rel=1e-9)
    assert c / a == pytest.approx(10 ** 0.240, rel=1e-9)


def test_ground_motion_decays_with_distance():
    pga = ita10_pga_g(6.0, np.array([0.0, 5.0, 20.0, 50.0, 150.0]), "B", "normal")
    assert np.all(np.diff(pga) < 0)


WC1994 = "wells_coppersmith_1994.csv"  # Table 2A, all slip types (source in the file)


def test_wells_coppersmith_rupture_length():
    # log10 RLD = -2.44 + 0.59 M: Mw 6.0 gives a subsurface rupture of 10**1.10 = 12.6 km.
    assert 2 * rupture_half_length_km(6.0) == pytest.approx(12.59, abs=0.01)


@pytest.mark.parametrize("magnitude", [5.0, 5.5, 6.0, 6.5, 7.0, 7.5])
def test_rupture_size_follows_wells_coppersmith_table_2a(magnitude):
    size = {"RLD": rupture_length_km, "RW": rupture_width_km}
    for row in reftable.rows(WC1994):
        published = 10 ** (float(row["a"]) + float(row["b"]) * magnitude)
        assert size[row["relation"]](magnitude) == pytest.approx(published, **reftable.tolerance(WC1994))


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
