"""The sky worked out a block of instants at a time is the sky of each instant alone, to the bit."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest

from d2c.space.provider import Provider, load_provider
from d2c.space.segment import SpaceSegment, assign_beams
from d2c.state_tree import diff

EPOCH = dt.datetime(2024, 9, 28, 3, 36)
RNG = np.random.default_rng(11)
LAT, LON = RNG.uniform(36.5, 47.1, 300), RNG.uniform(6.6, 18.5, 300)
GW_LAT, GW_LON = [41.98, 45.0, 38.2], [13.60, 9.0, 15.5]


def weak_ring() -> Provider:
    """A 600 km equatorial ring whose downlink gives out before the elevation mask does."""
    base = Provider.from_walker("0:24/1/0", 600.0, name="ring")
    radio = dataclasses.replace(base.radio, sat_eirp_density_dbw_per_mhz=base.radio.sat_eirp_density_dbw_per_mhz - 12)
    return dataclasses.replace(base, beams_per_satellite=2, inter_satellite_links=False, radio=radio)


def same_state(a, b) -> None:
    for name in ("satellites_visible", "elevation_deg", "delay_ms", "feeder_ok", "serving_sat", "slant_range_km",
                 "service"):
        x, y = getattr(a, name), getattr(b, name)
        assert x.dtype == y.dtype and x.tobytes() == y.tobytes(), name
    assert a.t_utc == b.t_utc
    assert a._candidates.tobytes() == b._candidates.tobytes()
    for name in ("sin_elevation", "slant_range_km", "eligible"):
        x, y = getattr(a._beam_sky, name), getattr(b._beam_sky, name)
        assert x.shape == y.shape and np.ascontiguousarray(x).tobytes() == np.ascontiguousarray(y).tobytes(), name


def same_plan(a, b) -> None:
    for f in dataclasses.fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        assert x.dtype == y.dtype and x.tobytes() == y.tobytes(), f.name


@pytest.mark.parametrize("provider, lat, lon, gw_lat, gw_lon", [
    # laser links, beam cells small enough to be the geometry cells
    (load_provider("starlink-dtc"), LAT, LON, GW_LAT, GW_LON),
    # wide beams: geometry cells finer than beam cells
    (load_provider("iris2"), LAT, LON, GW_LAT, GW_LON),
    # no laser links, the downlink's reach below the mask's: the range limit applies
    (weak_ring(), np.zeros(40), np.linspace(-20, 20, 40), [0.0, 0.0], [-15.0, 15.0]),
], ids=["starlink-dtc", "iris2", "weak-ring"])
def test_a_block_gives_each_instant_what_it_gives_alone(provider, lat, lon, gw_lat, gw_lon):
    block = SpaceSegment(provider, lat, lon, gw_lat, gw_lon, EPOCH, step_s=60.0)
    alone = SpaceSegment(provider, lat, lon, gw_lat, gw_lon, EPOCH)
    need = np.arange(len(lat)) % 3 != 0
    weight = 1.0 + (np.arange(len(lat)) % 7)
    masks = ([True] * len(gw_lat), [False] + [True] * (len(gw_lat) - 1), [False] * len(gw_lat))
    served = 0
    for minute in range(0, 40, 3):  # crosses blocks' ends (16 instants)
        t = EPOCH + dt.timedelta(minutes=minute)
        for gw in masks:
            a, b = block.state(t, gw), alone.state(t, gw)
            same_state(a, b)
            plan_a, plan_b = block.plan_beams(a, need, weight), alone.plan_beams(b, need, weight)
            same_plan(plan_a, plan_b)
            served += plan_a.n_beams
    assert served > 0
    if provider.name == "ring":
        assert block._sky.block.range_limited.any()  # the case this provider is here for


def test_an_instant_off_the_steps_starts_a_new_block():
    p = load_provider("starlink-dtc")
    seg = SpaceSegment(p, LAT, LON, GW_LAT, GW_LON, EPOCH, step_s=60.0)
    fresh = SpaceSegment(p, LAT, LON, GW_LAT, GW_LON, EPOCH)
    for seconds in (0, 60, 90, 150, 3600 * 5, 120):  # off the minute, a jump ahead, back in time
        t = EPOCH + dt.timedelta(seconds=seconds)
        same_state(seg.state(t), fresh.state(t))


def test_the_precomputed_sky_is_not_saved_in_a_checkpoint():
    p = load_provider("starlink-dtc")
    live = SpaceSegment(p, LAT, LON, GW_LAT, GW_LON, EPOCH, step_s=60.0)
    pristine = SpaceSegment(p, LAT, LON, GW_LAT, GW_LON, EPOCH, step_s=60.0)
    for minute in range(5):
        live.state(EPOCH + dt.timedelta(minutes=minute))
    tree, arrays = diff(live, pristine)
    assert tree == {"root": None} and arrays == {}  # derived from constants: rebuilt when next asked


def test_lanes_planned_together_get_what_each_gets_alone():
    p = load_provider("starlink-dtc")
    seg = SpaceSegment(p, LAT, LON, GW_LAT, GW_LON, EPOCH, step_s=60.0)
    state = seg.state(EPOCH + dt.timedelta(minutes=7))
    rng = np.random.default_rng(2)
    needs = rng.random((3, LAT.size)) < np.array([[0.9], [0.3], [0.0]])
    weights = rng.integers(1, 4, (3, LAT.size)).astype(float)  # ties happen
    lanes = seg.plan_lanes(state, needs, weights)
    assert lanes.n_beams[2] == 0 and lanes.n_beams[0] > 0
    for i in range(3):
        alone = seg.plan_beams(state, needs[i], weights[i])
        beams = slice(lanes.beam_start[i], lanes.beam_start[i] + lanes.n_beams[i])
        assert lanes.beam_id[i].tolist() == alone.beam_id.tolist()
        assert lanes.beam_sat[beams].tolist() == alone.beam_sat.tolist()
        assert lanes.beam_slant_range_km[beams].tobytes() == alone.beam_slant_range_km.tobytes()
        assert lanes.capacity.voice_calls[beams].tolist() == alone.beam_voice_calls.tolist()
    assert seg.plan_lanes(state, needs, weights, max_entries=10) is None


def test_cells_fall_to_their_next_satellite_as_beams_run_out():
    # Every cell ranks satellites 0, 1, 2; the neediest take them first, a satellite's beams at a time.
    score = np.array([[0.9, 0.5, 0.1]] * 4)
    eligible = np.ones((4, 3), dtype=bool)
    demand = np.array([4.0, 3.0, 2.0, 1.0])
    assert assign_beams(score, eligible, demand, 2).tolist() == [0, 0, 1, 1]
    assert assign_beams(score, eligible, demand, 1).tolist() == [0, 1, 2, -1]
