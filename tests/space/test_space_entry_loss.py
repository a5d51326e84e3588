"""Building-entry loss against the ITU-R reference values of Recommendation P.2109-1."""

import csv
from pathlib import Path

import numpy as np
import pytest

from d2c.space.entry_loss import building_entry_loss_db, entry_loss_cdf

DATA = Path(__file__).resolve().parent.parent / "data" / "p2109_validation.csv"


def _rows():
    with DATA.open() as fh:
        lines = [line for line in fh if not line.startswith("#")]
    return list(csv.DictReader(lines))


@pytest.mark.parametrize("row", _rows(), ids=lambda r: f"{r['frequency_ghz']}GHz-{r['elevation_deg']}deg-{r['building']}-{r['probability_percent']}%")
def test_loss_matches_the_itu_reference_workbook(row):
    got = building_entry_loss_db(float(row["frequency_ghz"]), float(row["elevation_deg"]),
                                 float(row["probability_percent"]) / 100.0, row["building"])
    assert float(got) == pytest.approx(float(row["loss_db"]), abs=0.01)


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
            assert float(entry_loss_cdf(float(row["loss_db"]), f, el, b)) == pytest.approx(p, abs=0.003)


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
