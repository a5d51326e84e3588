"""The D2C fallback in the engine: priorities, warnings, gateways, and never worse than without."""

import json
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SMALL_TOPOLOGY, WITH_GATEWAY, scenario_text, write
from d2c.base.errors import ConfigError
from d2c.config.scenario import load_scenario
from d2c.config.topology import load_topology
from d2c.demand import StepDemand
from d2c.engine import Simulation
from d2c.fallback import D2CCapacity, Fallback, allocate_by_priority
from d2c.world import World

HOUR = 3600
D2C = "d2c: {provider: starlink-dtc}"


def run(path):
    sim = Simulation(load_scenario(path))
    states = []
    sim.run(on_step=states.append)
    return sim, states


def test_priority_order_under_scarcity():
    # 3 calls of capacity: 112 calls (2 Erlang) first, responders (5 Erlang) get the last one.
    calls, responders = allocate_by_priority(np.array([3.0]), [np.array([2.0]), np.array([5.0])])
    assert calls[0] == 2.0 and responders[0] == 1.0
    # No capacity left: lower classes get nothing.
    calls, responders = allocate_by_priority(np.array([1.0]), [np.array([2.0]), np.array([5.0])])
    assert calls[0] == 1.0 and responders[0] == 0.0


def _fallback_with_nothing_terrestrial(tmp_path):
    world = World(load_topology(write(tmp_path, "small.yaml", SMALL_TOPOLOGY)))
    fallback = Fallback(world)
    fallback.terrestrial(np.zeros(world.n_sites, bool), np.zeros(world.n_sites, bool), np.zeros(world.n_sites, bool))
    return world, fallback


def _demand(n, calls_erl, responders_erl, sms, public_sms):
    full = lambda v: np.full(n, float(v))  # noqa: E731
    return StepDemand(calls=full(calls_erl), call_erlangs=full(calls_erl), sms=full(sms), public_sms=full(public_sms),
                      responder_erlangs=full(responders_erl), data_mbps=full(1.0))


def test_beam_capacity_goes_to_112_first_then_responders_then_public(tmp_path):
    world, fallback = _fallback_with_nothing_terrestrial(tmp_path)
    n = len(world.area_ids)
    # One beam over both villages: 4 concurrent calls, 3 SMS per step, no data.
    d2c = D2CCapacity(area_beam=np.zeros(n, int), beam_calls=np.array([4.0]), beam_sms=np.array([3.0]),
                      beam_mbps=np.array([0.0]), satellites_visible=np.ones(n, int), delay_ms=np.ones(n),
                      elevation_deg=np.full(n, 60.0))
    s = fallback.step(_demand(n, calls_erl=1.5, responders_erl=1.0, sms=1.0, public_sms=5.0), d2c)
    assert s.d2c.all()
    assert s.calls_served_d2c.sum() == pytest.approx(3.0)  # all 112 calls (2 x 1.5 Erlang)
    assert s.responders_served_d2c.sum() == pytest.approx(1.0)  # what is left of 4
    assert s.sms_served_d2c.sum() == pytest.approx(2.0)  # all 112 SMS first
    assert s.public_sms_served_d2c.sum() == pytest.approx(1.0)  # the one SMS slot left
    assert s.data_served_d2c_mbps.sum() == 0.0
    assert s.d2c_blocked.sum() == pytest.approx(0.0)


def test_112_demand_beyond_the_beam_is_blocked_and_counted(tmp_path):
    world, fallback = _fallback_with_nothing_terrestrial(tmp_path)
    n = len(world.area_ids)
    d2c = D2CCapacity(np.zeros(n, int), np.array([1.0]), np.array([0.0]), np.array([0.0]), np.ones(n, int), np.ones(n),
                      np.full(n, 60.0))
    s = fallback.step(_demand(n, calls_erl=2.0, responders_erl=1.0, sms=0.0, public_sms=0.0), d2c)
    assert s.calls_served_d2c.sum() == pytest.approx(1.0)
    assert s.responders_served_d2c.sum() == 0.0
    assert s.d2c_blocked.sum() == pytest.approx(3.0)


def test_warnings_reach_handsets_under_a_beam_without_capacity(tmp_path):
    world, fallback = _fallback_with_nothing_terrestrial(tmp_path)
    n = len(world.area_ids)
    d2c = D2CCapacity(np.array([0] + [-1] * (n - 1)), np.array([0.0]), np.array([0.0]), np.array([0.0]),
                      np.ones(n, int), np.ones(n), np.full(n, 60.0))
    s = fallback.step(_demand(n, 1.0, 0.0, 0.0, 0.0), d2c)
    assert s.warning_reach[0] and not s.warning_reach[1:].any()
    assert not s.d2c[0]  # a beam with no capacity carries no calls...
    assert s.calls_served_d2c[0] == 0.0


def test_d2c_serves_a_village_that_lost_its_only_site(gw):
    sim, states = run(gw("[{kind: attack, actions: [{at: 0, destroy: [S1]}]}]"))
    alpha = sim.world.area_ids.index("Alpha")
    assert not states[0].service.terrestrial[alpha]
    assert all(s.service.d2c[alpha] for s in states)  # a ~650-satellite shell never leaves Italy uncovered
    summary = sim.result().summary
    assert summary["emergency_service_survival"] > summary["emergency_service_survival_without_d2c"]
    assert summary["d2c_population_peak"] == 1000


def test_at_night_indoor_handsets_lose_the_satellite(gw):
    # 01:00 local: ~97 % indoors; ITU-R P.2109 entry loss (15-35 dB at 2 GHz) exceeds most margins.
    attack = "[{kind: attack, actions: [{at: 0, destroy: [S1]}]}]"
    _, outdoors = run(gw(attack, extra=D2C + "\npopulation: {indoors: false}", duration="30m"))
    sim, indoors = run(gw(attack, duration="30m"))
    evacuated = D2C + "\npopulation: {evacuation: {outdoors_share: 0.9}}"
    _, camps = run(gw(attack, extra=evacuated, duration="30m"))
    alpha = sim.world.area_ids.index("Alpha")
    share = np.array([s.service.people_share_d2c[alpha] for s in indoors])
    assert np.all(share < 0.6) and np.all(share > 0.0)
    assert sum(s.service.calls_served_d2c[alpha] for s in indoors) < 0.6 * sum(
        s.service.calls_served_d2c[alpha] for s in outdoors)
    assert all(c.service.people_share_d2c[alpha] > i.service.people_share_d2c[alpha] for c, i in zip(camps, indoors))


def test_a_gateway_inside_the_incident_fails(gw):
    sim, states = run(gw("[{kind: attack, actions: [{at: 0, destroy: [S1]}, {at: T+1h, destroy: [GW]}]}]"))
    alpha = sim.world.area_ids.index("Alpha")
    assert states[59].service.d2c[alpha]
    assert not states[60].service.d2c[alpha]  # no feeder link, no D2C


def test_d2c_through_the_operator_core_dies_with_it(gw):
    outage = "[{kind: attack, actions: [{at: 0, destroy: [S1]}, {at: 0, cyber: {core: CORE, functions: [voice, sms]}}]}]"
    _, via_operator = run(gw(outage, extra="d2c: {provider: starlink-dtc, core: operator}", duration="10m"))
    sim, via_satellite = run(gw(outage, extra="d2c: {provider: starlink-dtc, core: satellite}", duration="10m"))
    alpha = sim.world.area_ids.index("Alpha")
    assert not via_operator[0].service.d2c[alpha]
    assert via_satellite[0].service.d2c[alpha]


@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 10_000), magnitude=st.floats(5.0, 7.0))
def test_d2c_never_lowers_service(tmp_path_factory, seed, magnitude):
    tmp = tmp_path_factory.mktemp("never")
    write(tmp, "small.yaml", WITH_GATEWAY)
    quake = f"[{{kind: earthquake, at: T+10m, lat: 42.05, lon: 13.0, magnitude: {magnitude}}}]"
    text = scenario_text(quake, D2C, "3h").replace("seed: 7", f"seed: {seed}")
    sim, _ = run(write(tmp, "s.yaml", text))
    tl = sim.result().timeline
    assert np.all(np.asarray(tl["emergency_served"]) >= np.asarray(tl["emergency_served_without_d2c"]) - 1e-9)


def test_bad_provider_is_a_config_error(gw):
    with pytest.raises(ConfigError, match=r"scenario\.yaml:\d+: d2c\.provider: expected unknown provider 'nope'"):
        load_scenario(gw(extra="d2c: {provider: nope}"))
    with pytest.raises(ConfigError, match=r"d2c\.walker: expected .*"):
        load_scenario(gw(extra='d2c: {walker: "53:600/7/1", altitude_km: 550}'))


def d2c_cli(*args):
    """``d2c ARGS`` through the command line in this process: status, stdout, stderr. (A whole process's
    bad input, one line and status 2 without a traceback, is tested in tests/test_config.py and tests/robust/.)"""
    from typer.testing import CliRunner

    from d2c.cli import app

    run = CliRunner().invoke(app, [str(a) for a in args])
    return SimpleNamespace(returncode=run.exit_code, stdout=run.stdout, stderr=run.stderr)


def test_cli_sky_lists_satellites_with_geometry(tmp_path):
    out = tmp_path / "sky.json"
    proc = d2c_cli("sky", "--lat", 42.63, "--lon", 13.29, "--at", "2016-08-24T01:40:00Z", "--walker", "53:600/20/1",
                   "--altitude-km", 550, "--json", out)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(out.read_text())
    assert doc["satellites"], "a 600-satellite shell always has something overhead at 42 N"
    for sat in doc["satellites"]:
        assert sat["elevation_deg"] >= doc["elevation_mask_deg"]
        # slant range from the textbook formula d = sqrt((R+h)^2 - (R cos e)^2) - R sin e (REFERENCE.md),
        # with R the WGS84 geocentric radius at this latitude and R+h the shell's orbit radius (6378.137 + 550 km)
        lat = np.radians(42.63)
        a, b = 6378.137, 6356.752
        R = np.sqrt(((a * a * np.cos(lat)) ** 2 + (b * b * np.sin(lat)) ** 2) / ((a * np.cos(lat)) ** 2 + (b * np.sin(lat)) ** 2))
        h, e = 6378.137 + 550.0 - R, np.radians(sat["elevation_deg"])
        expected = np.sqrt((R + h) ** 2 - (R * np.cos(e)) ** 2) - R * np.sin(e)
        assert sat["slant_range_km"] == pytest.approx(expected, rel=0.01)
        assert sat["delay_ms"] == pytest.approx(sat["slant_range_km"] / 299_792.458 * 1000, rel=1e-3)


def test_cli_linkbudget_line_by_line(tmp_path):
    out = tmp_path / "lb.json"
    proc = d2c_cli("linkbudget", "--provider", "starlink-dtc", "--elevation-deg", 90, "--json", out)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(out.read_text())
    assert doc["slant_range_km"] == pytest.approx(doc["altitude_km"])  # zenith
    fspl = next(l for l in doc["downlink"] if l["name"] == "free-space path loss")["value"]
    freq = next(l for l in doc["downlink"] if l["name"] == "frequency")["value"]
    assert fspl == pytest.approx(20 * np.log10(doc["altitude_km"]) + 20 * np.log10(freq) + 32.44, abs=0.01)
    assert doc["service"] in ("sms", "voice", "data")
    bad = d2c_cli("linkbudget", "--provider", "nope", "--elevation-deg", 30)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_cli_linkbudget_indoor_adds_the_p2109_and_body_loss_lines(tmp_path):
    out, out_in = tmp_path / "out.json", tmp_path / "in.json"
    assert d2c_cli("linkbudget", "--provider", "ast-spacemobile", "--elevation-deg", 45, "--json", out).returncode == 0
    proc = d2c_cli("linkbudget", "--provider", "ast-spacemobile", "--elevation-deg", 45, "--indoor", "--json", out_in)
    assert proc.returncode == 0, proc.stderr
    assert "2185 MHz" in proc.stdout and "P.2109" in proc.stdout  # says which frequency the preset uses
    outdoor, indoor = json.loads(out.read_text()), json.loads(out_in.read_text())
    line = lambda doc, name: next(l["value"] for l in doc["downlink"] if l["name"] == name)  # noqa: E731
    assert line(outdoor, "handset body loss") == line(indoor, "handset body loss") == 3.0
    assert line(outdoor, "building-entry loss") == 0.0
    # ITU-R P.2109 reference workbook: traditional building, 2 GHz, 45 deg, median ~23.5 dB (2.185 GHz: a little more)
    assert 23.0 < line(indoor, "building-entry loss") < 25.0
    assert line(outdoor, "C/N") - line(indoor, "C/N") == pytest.approx(line(indoor, "building-entry loss"), abs=0.01)
    bad = d2c_cli("linkbudget", "--provider", "iris2", "--elevation-deg", 45, "--indoor", "--building", "igloo")
    assert bad.returncode == 2 and "--building" in bad.stderr and "Traceback" not in bad.stderr
