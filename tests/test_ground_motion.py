"""Ground shaking that holds together in space: one between-event residual per shock, a
correlated within-event field, finite ruptures, ShakeMap grids, towers that fall together."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import reftable
from conftest import sites_broken_by_a_quake, write
from d2c.base.errors import ConfigError
from d2c.config.scenario import load_scenario
from d2c.hazards.fragility import COMMUNICATION_FACILITY
from d2c.engine import Simulation
from d2c.hazards.correlation import RANGE_CLUSTERED_KM, RANGE_UNCLUSTERED_KM, correlated_standard_normal
from d2c.hazards.earthquake import Earthquake, Fault, Shock, ita10_log10_pga_cm_s2
from d2c.hazards.shakemap import ShakeMapGrid, grid_xml, read_grid

DATA = Path(__file__).parent / "data"
KM_PER_DEG = 111.19508  # IUGG mean radius, one degree of latitude


def _quake(range_km: float = 40.7, strike=None, dip=None, **kw) -> Earthquake:
    shock = Shock(at_s=0.0, lat=42.0, lon=13.0, depth_km=8.0, magnitude=kw.pop("magnitude", 6.0))
    return Earthquake((shock,), kw.pop("mechanism", "normal"), "random", COMMUNICATION_FACILITY,
                      fault=Fault(strike, dip), correlation_range_km=range_km)


def test_two_pieces_of_equipment_at_one_spot_shake_the_same():
    q = _quake()
    lat = np.array([42.10, 42.10, 42.10, 42.30])
    lon = np.array([13.10, 13.10, 13.10, 13.20])
    pga = q.pga_g(q.shocks[0], lat, lon, "B", np.random.default_rng(5))
    assert pga[0] == pga[1] == pga[2] != pga[3]


JB2009 = "jayaram_baker_2009.csv"  # the two published correlation ranges at T = 0 (source in the file)


def test_the_correlation_ranges_are_jayaram_baker_2009s():
    assert [RANGE_CLUSTERED_KM, RANGE_UNCLUSTERED_KM] == reftable.column(JB2009, "range_km")


@pytest.mark.parametrize("range_km", reftable.column(JB2009, "range_km"))
def test_within_event_correlation_falls_with_separation_as_jayaram_baker_2009(range_km):
    # rho(h) = exp(-3h/b) (Jayaram & Baker 2009, eq. 17): at h = b/3, 2b/3 and b, e^-1, e^-2, e^-3.
    rng = np.random.default_rng(11)
    h = np.array([0.0, range_km / 3, 2 * range_km / 3, range_km])
    x, y = np.concatenate([[0.0], h[1:]]), np.zeros(4)
    draws = np.array([correlated_standard_normal(x, y, range_km, rng) for _ in range(1500)])
    rho = np.corrcoef(draws.T)[0, 1:]
    expected = np.exp(-np.array([1.0, 2.0, 3.0]))
    standard_error = (1 - expected ** 2) / np.sqrt(1500)
    assert np.all(np.abs(rho - expected) < 4 * standard_error + 0.02)  # grid snapping: <= range/20
    assert draws.std(axis=0) == pytest.approx(np.ones(4), abs=0.06)


def test_the_between_event_residual_is_one_number_per_shock():
    # 225 places 10 km apart with a 0.85 km correlation range: within-event residuals independent.
    # ITA10: tau = 0.172, phi = 0.290 (log10 units). The mean residual of a draw is then the
    # between-event term (std 0.172) plus phi / 15; if each place had its own between-event
    # draw, the mean would scatter by only 0.337 / 15 = 0.022.
    q = _quake(range_km=0.85)
    g = np.arange(15) * 10.0 / KM_PER_DEG
    lat, lon = (a.ravel() + b for a, b in zip(np.meshgrid(g, g), (42.5, 13.5)))
    median = ita10_log10_pga_cm_s2(6.0, q.rjb_km(q.shocks[0], lat, lon), "B", "normal")
    rng = np.random.default_rng(3)
    residuals = np.array([np.log10(q.pga_g(q.shocks[0], lat, lon, "B", rng) * 980.665) - median
                          for _ in range(300)])
    assert residuals.mean(axis=1).std() == pytest.approx(np.hypot(0.172, 0.290 / 15), rel=0.15)
    assert (residuals - residuals.mean(axis=1, keepdims=True)).std() == pytest.approx(0.290, rel=0.05)


@pytest.mark.parametrize("magnitude, ratio", [(6.0, 1.7), (7.0, 1.95)])
def test_a_line_source_shakes_less_ground_than_the_disc_of_the_same_length(magnitude, ratio):
    # Area above 0.2 g (median ITA10, ground type B, normal faulting): the disc of radius
    # L/2 + r against the stadium around a vertical rupture of the Wells & Coppersmith length L.
    xs = np.linspace(-150.0, 150.0, 1201)
    east, north = np.meshgrid(xs, xs)
    lat, lon = 42.0 + north / KM_PER_DEG, 13.0 + east / (KM_PER_DEG * np.cos(np.radians(42.0)))
    areas = []
    for fault in (Fault(), Fault(strike_deg=0.0, dip_deg=90.0)):
        q = _quake(strike=fault.strike_deg, dip=fault.dip_deg, magnitude=magnitude)
        log_pga = ita10_log10_pga_cm_s2(magnitude, q.rjb_km(q.shocks[0], lat, lon), "B", "normal")
        areas.append((10 ** log_pga / 980.665 >= 0.2).sum())
    assert areas[0] / areas[1] == pytest.approx(ratio, abs=0.1)


def test_the_footprint_lies_along_the_strike():
    q = _quake(strike=150.0, dip=55.0, magnitude=6.5)
    along = 12.0 / KM_PER_DEG  # 12 km along strike 150 (SSE) and 12 km across it
    lat = np.array([42.0 + along * np.cos(np.radians(150)), 42.0 + along * np.cos(np.radians(60))])
    lon = np.array([13.0 + along * np.sin(np.radians(150)) / np.cos(np.radians(42)),
                    13.0 + along * np.sin(np.radians(60)) / np.cos(np.radians(42))])
    rjb = q.rjb_km(q.shocks[0], lat, lon)
    # the rupture is 25 km long (W&C, Mw 6.5): 12 km along strike lies above it; across, beyond
    assert rjb[0] == 0.0 and rjb[1] > 5.0


def test_a_shakemap_grid_round_trips(tmp_path):
    shipped = read_grid(DATA / "shakemap-grid.xml")
    copy = tmp_path / "grid.xml"
    copy.write_text(grid_xml(shipped), encoding="utf-8")
    again = read_grid(copy)
    assert np.array_equal(again.lon_deg, shipped.lon_deg) and np.array_equal(again.lat_deg, shipped.lat_deg)
    assert np.array_equal(again.pga_pctg, shipped.pga_pctg)
    assert again.event["magnitude"] == shipped.event["magnitude"] == "6.0"


def test_shakemap_values_are_interpolated_bilinearly():
    # PGA (%g) = 10 + 100 (lat - 42.4) + 50 (lon - 13.0) on the nodes: exact between them.
    lon, lat = np.linspace(13.0, 13.5, 6), np.linspace(42.4, 42.9, 6)
    grid = ShakeMapGrid(lon, lat, 10 + 100 * (lat[:, None] - 42.4) + 50 * (lon[None, :] - 13.0))
    q_lat, q_lon = np.array([42.43, 42.777, 42.9, 43.2]), np.array([13.01, 13.333, 13.5, 13.2])
    expected = (10 + 100 * (q_lat - 42.4) + 50 * (q_lon - 13.0)) / 100
    assert grid.pga_g(q_lat, q_lon)[:3] == pytest.approx(expected[:3])
    assert grid.pga_g(q_lat, q_lon)[3] == 0.0  # outside the grid: no shaking


def _shakemap_scenario(small, tmp_path, pga_pctg: float) -> Path:
    lon, lat = np.linspace(12.8, 13.2, 5), np.linspace(41.8, 42.3, 6)
    write(tmp_path, "grid.xml", grid_xml(ShakeMapGrid(lon, lat, np.full((6, 5), pga_pctg),
                                                      {"magnitude": "6.0", "lat": "42.0", "lon": "13.0"})))
    return small("[{kind: earthquake, at: T+10m, lat: 42.0, lon: 13.0, magnitude: 6.0, shakemap: grid.xml}]",
                 duration="1h")


def test_a_scenario_replays_a_shakemap_instead_of_the_gmpe(small, tmp_path):
    violent = Simulation(load_scenario(_shakemap_scenario(small, tmp_path, 400.0)))  # 4 g: beyond every median
    assert np.isfinite(violent.effects.equipment_damage_s[violent.world.slices["site"]]).all()
    calm = Simulation(load_scenario(_shakemap_scenario(small, tmp_path, 0.5)))  # 0.005 g: nothing breaks
    assert not np.isfinite(calm.effects.equipment_damage_s).any()


def test_a_broken_shakemap_is_refused_with_its_line(small, tmp_path):
    write(tmp_path, "grid.xml", "<shakemap_grid><grid_data>1 2</grid_data></shakemap_grid>")
    path = small("[{kind: earthquake, at: T+10m, lat: 42.0, lon: 13.0, magnitude: 6.0, shakemap: grid.xml}]")
    with pytest.raises(ConfigError, match=r"scenario\.yaml:\d+: incidents\[0\]\.shakemap: expected a ShakeMap"):
        load_scenario(path)


SHARED_TOWER = """
name: tower
areas:
  - {name: Alpha, lat: 42.00, lon: 13.00, population: 1000}
sites:
  - {id: T1, lat: 42.01, lon: 13.01, operator: TIM, radius_km: 5, capacity_calls: 10, capacity_mbps: 50, backhaul: CORE}
  - {id: T2, lat: 42.01, lon: 13.01, operator: Vodafone, radius_km: 5, capacity_calls: 10, capacity_mbps: 50, backhaul: CORE}
  - {id: T3, lat: 42.01, lon: 13.01, operator: WindTre, radius_km: 5, capacity_calls: 10, capacity_mbps: 50, backhaul: CORE}
  - {id: T4, lat: 42.01, lon: 13.01, operator: Iliad, radius_km: 5, capacity_calls: 10, capacity_mbps: 50, backhaul: CORE}
cores:
  - {id: CORE, lat: 43.50, lon: 13.00}
psaps:
  - {id: PSAP, lat: 43.51, lon: 13.00, cores: [CORE]}
"""


def test_tenants_of_a_shared_tower_fall_together(tmp_path):
    outcomes = {tuple(row) for row in sites_broken_by_a_quake(tmp_path, SHARED_TOWER, range(40), 6.0)}
    assert outcomes == {(True,) * 4, (False,) * 4}  # some draws break the tower, some do not; never one tenant
