"""The fragility coefficient table (d2c/hazards/fragility.py) against its cited values (tests/data/hazus_fragility.csv)."""

from __future__ import annotations

import numpy as np
import pytest

import reftable
from conftest import sites_broken_by_a_quake
from d2c.hazards.fragility import DAMAGE_STATES, FRAGILITY_TABLE, RANGES, exceedance_by_class

ROWS = {row["row"]: row for row in reftable.rows("hazus_fragility.csv")}


def test_every_table_row_has_its_cited_values():
    assert set(ROWS) == set(FRAGILITY_TABLE)
    for name, row in ROWS.items():
        curve = FRAGILITY_TABLE[name]
        tol = reftable.tolerance("hazus_fragility.csv")
        assert curve.median_g == pytest.approx([float(row[f"median_{s}_g"]) for s in DAMAGE_STATES], **tol)
        assert curve.beta == pytest.approx([float(row[f"beta_{s}"]) for s in DAMAGE_STATES], **tol)
        # a row says whether it was read from a table or assumed, the same way in code and data
        assert curve.source.startswith(row["status"] + ":")


@pytest.mark.parametrize("name", sorted(ROWS))
def test_curve_at_the_tables_median_is_one_half_and_one_beta_above_is_phi_of_one(name):
    row = ROWS[name]
    curve = FRAGILITY_TABLE[name]
    for state in DAMAGE_STATES:
        median, beta = float(row[f"median_{state}_g"]), float(row[f"beta_{state}"])
        assert curve.exceedance(np.array([median]), state)[0] == pytest.approx(0.5, abs=1e-12)
        # Phi(1) = 0.841345, Phi(-1) = 0.158655 (Abramowitz & Stegun, Table 26.1)
        assert curve.exceedance(np.array([median * np.exp(beta)]), state)[0] == pytest.approx(0.841345, abs=1e-6)
        assert curve.exceedance(np.array([median / np.exp(beta)]), state)[0] == pytest.approx(0.158655, abs=1e-6)


def test_unanchored_equipment_breaks_sooner_than_anchored():
    for kind in ("communication_facility", "substation_low_voltage"):
        a, u = FRAGILITY_TABLE[f"{kind}_anchored"], FRAGILITY_TABLE[f"{kind}_unanchored"]
        pga = np.linspace(0.1, 1.5, 30)  # the shaking that matters; the tails cross where betas differ
        assert np.all(u.exceedance(pga, "moderate") > a.exceedance(pga, "moderate"))


def test_every_assumed_value_has_a_range_around_it_and_cited_ones_have_none():
    for name, row in ROWS.items():
        curve = FRAGILITY_TABLE[name]
        for state, median, beta in zip(DAMAGE_STATES, curve.median_g, curve.beta):
            keys = (f"{name}.median_g.{state}", f"{name}.beta.{state}")
            if row["status"] == "assumed":
                for key, value in zip(keys, (median, beta)):
                    low, high = RANGES[key]
                    assert low < value < high
            else:
                assert not any(k in RANGES for k in keys)


def test_each_piece_of_equipment_follows_its_own_curve():
    a, u = FRAGILITY_TABLE["communication_facility_anchored"], FRAGILITY_TABLE["communication_facility_unanchored"]
    pga = np.array([0.2, 0.2, 0.6, 0.6])
    klass = np.array([0, 1, 0, 1])
    got = exceedance_by_class(pga, "extensive", (a, u), klass)
    want = np.r_[a.exceedance(pga[[0]], "extensive"), u.exceedance(pga[[1]], "extensive"),
                 a.exceedance(pga[[2]], "extensive"), u.exceedance(pga[[3]], "extensive")]
    assert got == pytest.approx(want)


TOWER = """
name: tower
areas:
  - {name: Town, lat: 42.0, lon: 13.0, population: 1000}
sites:
  - {id: BOLTED, lat: 42.01, lon: 13.01, operator: TIM, radius_km: 5, capacity_calls: 10, capacity_mbps: 50, backhaul: CORE}
  - {id: LOOSE, lat: 42.01, lon: 13.01, operator: Iliad, radius_km: 5, capacity_calls: 10, capacity_mbps: 50, backhaul: CORE, anchored: false}
cores:
  - {id: CORE, lat: 43.50, lon: 13.00}
psaps:
  - {id: PSAP, lat: 43.51, lon: 13.00, cores: [CORE]}
"""


def test_an_unanchored_tenant_goes_down_whenever_its_anchored_neighbour_does_and_more_often(tmp_path):
    bolted, loose = sites_broken_by_a_quake(tmp_path, TOWER, range(30), 5.8).T
    assert np.all(loose[bolted])          # one draw per tower: the weaker tenant fails whenever the stronger one does
    assert loose.sum() > bolted.sum()     # and in some draws alone
