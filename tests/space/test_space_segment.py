"""The space stage: visibility vs brute force, feeder paths, delay, beam planning."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from d2c.space.geometry import ecef_to_geodetic
from d2c.space.linkbudget import SERVICE_NONE
from d2c.space.provider import Provider, load_provider
from d2c.bench.space import bench_space
from d2c.space.segment import SpaceSegment, assign_beams

EPOCH = dt.datetime(2024, 9, 28, 3, 36)
C_KM_S = 299792.458  # SI definition of the metre


# --- brute force reference: plain loops with math only ---------------------------------------


def brute_force_sky(sats_ecef, lat_deg, lon_deg, mask_deg):
    """(count above mask, best elevation) for one ground point, WGS 84, scalar math."""
    a, f = 6378.137, 1 / 298.257223563  # NIMA TR8350.2
    e2 = f * (2 - f)
    phi, lam = math.radians(lat_deg), math.radians(lon_deg)
    n = a / math.sqrt(1 - e2 * math.sin(phi) ** 2)
    gx = n * math.cos(phi) * math.cos(lam)
    gy = n * math.cos(phi) * math.sin(lam)
    gz = n * (1 - e2) * math.sin(phi)
    ux, uy, uz = math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi)
    count, best = 0, -90.0
    for sx, sy, sz in sats_ecef:
        rx, ry, rz = sx - gx, sy - gy, sz - gz
        rng = math.sqrt(rx * rx + ry * ry + rz * rz)
        el = math.degrees(math.asin((rx * ux + ry * uy + rz * uz) / rng))
        if el >= mask_deg:
            count += 1
            best = max(best, el)
    return count, best


ITALY = [(41.90, 12.50), (45.46, 9.19), (38.12, 13.36), (42.63, 13.29), (40.85, 14.27), (46.50, 11.35)]
WORLD = [(59.91, 10.75), (-0.18, -78.47), (-33.87, 151.21), (61.22, -149.90), (35.68, 139.69), (0.0, 0.0)]
TIMES = [EPOCH + dt.timedelta(minutes=m) for m in (0, 37, 191, 1745)]


@pytest.mark.parametrize("places", [ITALY, WORLD], ids=["italy", "world"])
def test_visible_counts_match_brute_force(places):
    provider = load_provider("starlink-dtc")
    lat = [p[0] for p in places]
    lon = [p[1] for p in places]
    # A gateway at every place: every satellite an area sees has a feeder path.
    seg = SpaceSegment(provider, lat, lon, lat, lon, EPOCH)
    checked = 0
    for t in TIMES:
        state = seg.state(t)
        sats = seg.constellation.ecef_km(t)
        for i, (la, lo) in enumerate(places):
            count, best = brute_force_sky(sats, la, lo, provider.elevation_mask_deg)
            assert state.satellites_visible[i] == count
            if count:
                assert state.elevation_deg[i] == pytest.approx(best, abs=1e-6)
                assert state.serving_sat[i] >= 0
                checked += 1
            else:
                assert state.serving_sat[i] == -1 and math.isnan(state.elevation_deg[i])
    assert checked > 0


# --- a controlled sky: satellites on the equator ----------------------------------------------


def equatorial(n_sats: int, beams: int = 3, isl: bool = False, **radio_changes) -> tuple[Provider, float]:
    """A 600 km equatorial ring of n satellites, and the longitude under satellite 0 at EPOCH."""
    base = Provider.from_walker(f"0:{n_sats}/1/0", 600.0, name="ring")
    radio = dataclasses.replace(base.radio, **radio_changes) if radio_changes else base.radio
    p = dataclasses.replace(base, beams_per_satellite=beams, inter_satellite_links=isl, radio=radio)
    lon0 = float(ecef_to_geodetic(p.constellation(EPOCH).ecef_km(EPOCH)[0])[1])
    return p, lon0


def test_delay_is_up_and_down_at_light_speed():
    p, lon0 = equatorial(1)
    seg = SpaceSegment(p, [0.0], [lon0], [0.0], [lon0], EPOCH)
    s = seg.state(EPOCH, [True])
    assert s.slant_range_km[0] == pytest.approx(600.0, abs=1e-6)
    assert s.elevation_deg[0] == pytest.approx(90.0, abs=1e-4)  # asin is ill-conditioned at 90
    assert s.delay_ms[0] == pytest.approx(2 * 600.0 / C_KM_S * 1000.0, rel=1e-9)


def test_no_feeder_no_service():
    # A satellite with no working gateway and no laser links serves nothing.
    p, lon0 = equatorial(1)
    seg = SpaceSegment(p, [0.0, 0.5], [lon0, lon0 + 0.5], [0.0], [lon0], EPOCH)
    down = seg.state(EPOCH, [False])
    assert not down.feeder_ok.any()
    assert np.all(down.serving_sat == -1) and np.all(down.service == SERVICE_NONE)
    assert np.all(down.satellites_visible == 1)  # still in the sky, just useless
    plan = seg.plan_beams(down, [True, True], [1.0, 1.0])
    assert plan.n_beams == 0 and not plan.under_beam.any()
    up = seg.state(EPOCH, [True])
    assert up.feeder_ok.all() and np.all(up.serving_sat == 0) and np.all(up.service > 0)
    assert seg.plan_beams(up, [True, True], [1.0, 1.0]).under_beam.all()


@pytest.mark.parametrize("isl", [False, True])
def test_gateway_under_another_satellite_needs_laser_links(isl):
    # Ring of 12 (30 deg apart): the area sees satellite 0 only, the gateway sees satellite 1 only.
    p, lon0 = equatorial(12, isl=isl)
    cons = p.constellation(EPOCH)
    gw_lon = float(ecef_to_geodetic(cons.ecef_km(EPOCH)[1])[1])
    seg = SpaceSegment(p, [0.0], [lon0], [0.0], [gw_lon], EPOCH)
    s = seg.state(EPOCH, [True])
    assert s.satellites_visible[0] == 1
    if not isl:
        assert s.serving_sat[0] == -1 and s.service[0] == SERVICE_NONE
        assert seg.plan_beams(s, [True]).n_beams == 0
    else:
        sats = cons.ecef_km(EPOCH)
        hop = float(np.linalg.norm(sats[0] - sats[1]))
        assert s.serving_sat[0] == 0 and s.feeder_ok[0] and s.feeder_ok[1]
        assert s.delay_ms[0] == pytest.approx((600.0 + hop + 600.0) / C_KM_S * 1000.0, rel=1e-6)
        assert seg.plan_beams(s, [True]).beam_sat.tolist() == [0]


def test_beams_go_to_the_neediest_cells_first():
    # One satellite, 3 beams, 9 needy cells ~67 km apart: the 3 neediest get the beams.
    p, lon0 = equatorial(1, beams=3)
    lon = lon0 + 0.6 * np.arange(-4, 5)
    lat = np.zeros(9)
    demand = np.array([5.0, 1.0, 9.0, 3.0, 7.0, 2.0, 8.0, 4.0, 6.0])
    seg = SpaceSegment(p, lat, lon, [0.0], [lon0], EPOCH)
    assert seg.n_cells == 9
    plan = seg.plan_beams(seg.state(EPOCH), np.ones(9, bool), demand)
    assert plan.n_beams == 3
    assert set(np.flatnonzero(plan.under_beam)) == {2, 6, 4}  # demands 9, 8, 7
    assert list(plan.beam_demand) == [9.0, 8.0, 7.0]
    # Not needy means no beam, whatever the weight.
    need = demand < 8.5
    plan2 = seg.plan_beams(seg.state(EPOCH), need, demand)
    assert set(np.flatnonzero(plan2.under_beam)) == {6, 4, 8}  # 8, 7, 6


def test_under_beam_even_when_the_beam_carries_nothing():
    # Handset so weak its uplink never closes: the service class is none, calls are 0,
    # but the downlink (cell broadcast) reaches everyone in the cell, needy or not.
    p, lon0 = equatorial(1, beams=2, ue_eirp_dbm=-40.0)
    lat = [0.0, 0.05, 0.0]
    lon = [lon0, lon0 + 0.05, lon0 + 1.0]
    seg = SpaceSegment(p, lat, lon, [0.0], [lon0], EPOCH)
    s = seg.state(EPOCH)
    assert np.all(s.service == SERVICE_NONE)
    plan = seg.plan_beams(s, [True, False, True], [1.0, 1.0, 1.0])
    assert plan.n_beams == 2
    assert plan.under_beam.tolist() == [True, True, True]
    assert plan.beam_id[0] == plan.beam_id[1]  # same cell, same beam
    assert np.all(plan.beam_voice_calls == 0) and np.all(plan.beam_sms_per_s == 0)


def test_messaging_beams_carry_sms_but_no_calls():
    p = load_provider("messaging")
    rng = np.random.default_rng(1)
    lat, lon = rng.uniform(36.5, 47.1, 200), rng.uniform(6.6, 18.5, 200)
    seg = SpaceSegment(p, lat, lon, [41.98], [13.60], EPOCH)
    for m in range(0, 120, 20):
        s = seg.state(EPOCH + dt.timedelta(minutes=m))
        plan = seg.plan_beams(s, np.arange(200) < 5, 1.0)
        assert np.all(plan.beam_voice_calls == 0) and np.all(plan.beam_mbps == 0)
        assert np.all(plan.beam_sms_per_s[plan.beam_service > 0] > 0)
        assert np.all(s.service <= 1)
        # A beam pointed for the 5 needy areas covers every area of their cells.
        covered = np.isin(seg.area_cell, seg.area_cell[plan.under_beam])
        assert np.array_equal(covered, plan.under_beam)


def test_national_plan_respects_beam_counts_and_feeder():
    p = load_provider("starlink-dtc")
    rng = np.random.default_rng(7)
    n = 3000
    lat, lon = rng.uniform(36.5, 47.1, n), rng.uniform(6.6, 18.5, n)
    demand = 1.0 + rng.pareto(1.2, n)
    need = rng.random(n) < 0.6
    seg = SpaceSegment(p, lat, lon, [41.98, 45.81], [13.60, 9.30], EPOCH)
    for m in (0, 13, 77):
        s = seg.state(EPOCH + dt.timedelta(minutes=m), [True, False])
        plan = seg.plan_beams(s, need, demand)
        assert plan.n_beams > 0
        assert np.bincount(plan.beam_sat).max() <= p.beams_per_satellite
        assert np.all(s.feeder_ok[plan.beam_sat])
        beamed_cells = seg.area_cell[plan.under_beam]
        assert np.unique(beamed_cells).size == plan.n_beams  # one beam per cell
        # Every beam is pointed at a cell with need.
        assert np.all(np.isin(np.unique(beamed_cells), seg.area_cell[need]))
        assert np.all(plan.beam_elevation_deg >= p.elevation_mask_deg - 1e-9)
        assert np.all((plan.beam_voice_calls > 0) == (plan.beam_service >= 2))


def test_deterministic():
    p = load_provider("starlink-dtc")
    rng = np.random.default_rng(3)
    lat, lon = rng.uniform(36.5, 47.1, 500), rng.uniform(6.6, 18.5, 500)
    w = rng.random(500)
    runs = []
    for _ in range(2):
        seg = SpaceSegment(p, lat, lon, [41.98], [13.60], EPOCH)
        s = seg.state(EPOCH + dt.timedelta(minutes=5))
        runs.append((s, seg.plan_beams(s, w > 0.3, w)))
    (s1, p1), (s2, p2) = runs
    for f in ("satellites_visible", "serving_sat", "service", "delay_ms"):
        assert np.array_equal(getattr(s1, f), getattr(s2, f), equal_nan=True)
    assert np.array_equal(p1.beam_id, p2.beam_id) and np.array_equal(p1.beam_sat, p2.beam_sat)


# --- the assignment against a plain serial-dictatorship reference ------------------------------


def serial_dictatorship(score, eligible, demand, beams):
    """Cells, neediest first (ties: lower index), take their best free satellite."""
    n, k = eligible.shape
    free = [beams] * k
    out = [-1] * n
    for c in sorted(range(n), key=lambda i: (-demand[i], i)):
        options = sorted((j for j in range(k) if eligible[c][j]), key=lambda j: (-score[c][j], j))
        for j in options:
            if free[j] > 0:
                free[j] -= 1
                out[c] = j
                break
    return out


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 25), st.integers(1, 6), st.integers(1, 4), st.integers(0, 2**32 - 1),
)
def test_assignment_is_neediest_first(n, k, beams, seed):
    rng = np.random.default_rng(seed)
    eligible = rng.random((n, k)) < 0.6
    score = np.round(rng.random((n, k)), 2)  # ties happen
    demand = rng.integers(1, 6, n).astype(float)  # ties happen
    got = assign_beams(score, eligible, demand, beams)
    assert got.tolist() == serial_dictatorship(score, eligible, demand, beams)


def test_bench_runs():
    r = bench_space(n_areas=300, steps=3)
    assert r["seconds"] > 0 and r["cells"] > 0 and r["mean_beams"] > 0
