"""Building-entry loss against the ITU-R reference values of Recommendation P.2109-1."""

from statistics import NormalDist

import numpy as np
import pytest

from d2c.space.entry_loss import building_entry_loss_db, entry_loss_cdf

import reftable

P2109 = "p2109_validation.csv"  # ITU-R SG3 reference workbook values (source in the file)


def _rows():
    return reftable.rows(P2109)


@pytest.mark.parametrize("row", _rows(), ids=lambda r: f"{r['frequency_ghz']}GHz-{r['elevation_deg']}deg-{r['building']}-{r['probability_percent']}%")
def test_loss_matches_the_itu_reference_workbook(row):
    got = building_entry_loss_db(float(row["frequency_ghz"]), float(row["elevation_deg"]),
                                 float(row["probability_percent"]) / 100.0, row["building"])
    assert float(got) == pytest.approx(float(row["loss_db"]), **reftable.tolerance(P2109, "loss_db"))


def test_median_is_higher_for_thermally_efficient_buildings_and_steeper_paths():
    # the property the D2C model relies on: a satellite high in the sky loses more at the façade
    trad_low, trad_high = building_entry_loss_db(2.0, [10.0, 60.0], 0.5, "traditional")
    te = building_entry_loss_db(2.0, 10.0, 0.5, "thermally-efficient")
    assert trad_high > trad_low + 9.0  # 0.212 dB per degree, partly masked by the second term
    assert te > trad_low + 10.0


def test_cdf_inverts_the_recommendation():
    for row in _rows():
        f, el, b = float(row["frequency_ghz"]), float(row["elevation_deg"]), row["building"]
        p = float(row["probability_percent"]) / 100.0
        if 0.01 <= p <= 0.99:
            assert float(entry_loss_cdf(float(row["loss_db"]), f, el, b)) == pytest.approx(
                p, **reftable.tolerance(P2109, "probability"))


def test_cdf_is_vectorised_over_margins_and_elevations():
    got = entry_loss_cdf(np.array([[0.0, 20.0, 200.0]]), 2.0, np.array([[30.0], [80.0]]))
    assert got.shape == (2, 3)
    assert np.all(np.diff(got, axis=1) >= 0) and got[0, 2] == 1.0 and got[0, 0] < 0.05
    assert got[1, 1] < got[0, 1]  # steeper path, fewer positions within a 20 dB margin


def test_probability_outside_0_1_is_refused():
    with pytest.raises(ValueError, match="probability"):
        building_entry_loss_db(2.0, 30.0, 1.0)
    with pytest.raises(ValueError, match="building"):
        building_entry_loss_db(2.0, 30.0, 0.5, "igloo")


def test_unknown_building_names_the_types_there_are():
    with pytest.raises(ValueError, match=r"building: expected one of traditional, thermally-efficient, got 'igloo'"):
        building_entry_loss_db(2.0, 30.0, 0.5, "igloo")


@pytest.mark.parametrize("p", [0.0, -0.1, 1.0, 1.2])
def test_probability_must_be_strictly_inside_0_1(p):
    # P.2109-1 sec. 3: 0 < P < 1 (F^-1 of 0 or 1 is infinite)
    with pytest.raises(ValueError, match="probability: expected values strictly between 0 and 1"):
        building_entry_loss_db(2.0, 30.0, p)


def test_defaults_are_the_median_of_a_traditional_building():
    # P = 0.5 gives F^-1(P) = 0, so A = mu_1 and B = mu_2 (P.2109-1 Annex 1 sec. 3, Table 1, traditional):
    # log10 2 = 0.30103; A = 12.64 + 3.72 x 0.30103 + 0.96 x 0.30103^2 + 0.212 x 45 = 23.387
    # B = 9.1 - 3.0 x 0.30103 = 8.197; L = 10 log10(10^2.3387 + 10^0.8197 + 10^-0.3) = 23.526 dB
    assert float(building_entry_loss_db(2.0, 45.0)) == pytest.approx(23.526, abs=0.001)


def test_no_position_loses_less_than_the_constant_term():
    # L(P) = 10 log10(10^0.1A + 10^0.1B + 10^0.1C) > C = -3 dB for every P: a margin of -3 dB or less
    # fits no indoor position at all, and one far above every position fits them all.
    got = entry_loss_cdf(np.array([-10.0, -3.0, 500.0]), 2.0, 30.0)
    assert got.tolist() == [0.0, 0.0, 1.0]


@pytest.mark.parametrize("z", [-4.99, -4.9, -2.0, 0.3, 2.0, 4.9, 4.99])
def test_cdf_inverts_the_recommendation_into_both_tails(z):
    # the loss not exceeded at P = Phi(z), read back through the CDF, gives P again, in the tails as
    # well: within 1% of P below the median and of 1 - P above it (the table is 0.025 sigma apart)
    p = NormalDist().cdf(z)
    loss = float(building_entry_loss_db(2.0, 40.0, p, "thermally-efficient"))
    got = float(entry_loss_cdf(loss, 2.0, 40.0, "thermally-efficient"))
    if z < 0:
        assert got == pytest.approx(p, rel=0.01)
    else:
        assert 1.0 - got == pytest.approx(1.0 - p, rel=0.01)
