"""Packets in a run: the traffic stage driven by the engine, its summary, and the capture."""

import json
import subprocess
import sys

import pytest

from conftest import SMALL_TOPOLOGY, scenario_text, tshark_path, write
from rich.console import Console

from d2c.config.scenario import load_scenario
from d2c.report import traffic as traffic_report
from d2c.engine import Simulation
from d2c.traffic.stage import MIN_CALL_ATTEMPTS, EngineTraffic, auto_sample, budget_sample
from d2c.world import World

BUSY = "demand: {emergency_calls_per_person_hour: 1.0, emergency_sms_per_person_hour: 0.1}"
WARN = """
warnings:
  - {at: T+30m, area: {circle: {lat: 42.0, lon: 13.0, radius_km: 2}}, text: "IT-Alert test", message_id: 4381}
"""


def run_with_traffic(path, sample=None):
    sc = load_scenario(path)
    world = World(sc.topology)
    sim = Simulation(sc, world=world, traffic=EngineTraffic(sc, world, sample=sample))
    return sim, sim.run()


def test_summary_has_the_traffic_figures(small):
    # every flow (the default sample of this tiny busy hour draws about 20 calls and hardly any SMS)
    _, result = run_with_traffic(small(extra=BUSY + WARN, duration="1h"), sample=1.0)
    s = result.summary
    for key in ("call_setup_success", "voice_mos_median", "sms_delivery_ratio", "warning_reach"):
        assert 0.0 <= s[key] <= (1.0 if key != "voice_mos_median" else 4.5), key
    assert s["warning_reach"] == 1.0  # every handset in the circle is under a working site
    assert result.traffic.warnings.issued[0].message_id == 4381


def test_calls_beyond_capacity_get_503_and_count_as_failed(small):
    # Alpha offers 25 Erlang of 112 calls to a site that carries 10.
    _, result = run_with_traffic(small(extra=BUSY, duration="1h"), sample=1.0)
    calls = result.traffic.calls.terrestrial
    assert calls.blocked_503_ratio > 0.2
    assert result.summary["call_setup_success"] == pytest.approx(1.0 - calls.blocked_503_ratio
                                                                 - calls.timeout_ratio - calls.no_service_ratio, abs=1e-9)
    assert result.summary["call_setup_success"] < 0.8


def test_no_bearer_no_call(small):
    destroyed = "[{kind: attack, actions: [{at: 0, destroy: [S1, S2, S3]}]}]"
    _, result = run_with_traffic(small(destroyed, extra=BUSY, duration="30m"), sample=1.0)
    assert result.summary["call_setup_success"] == 0.0
    assert result.traffic.calls.none.no_service_ratio == 1.0


def test_same_seed_same_traffic(small):
    path = small(extra=BUSY, duration="30m")
    _, a = run_with_traffic(path, sample=0.5)
    _, b = run_with_traffic(path, sample=0.5)
    assert json.dumps(a.traffic.to_dict()) == json.dumps(b.traffic.to_dict())
    assert a.traffic.sample == 0.5


def test_auto_sample_shrinks_with_the_territory(small):
    sc = load_scenario(small(duration="72h"))
    assert auto_sample(sc) == 1.0  # 1,500 people: every flow
    assert auto_sample(sc, target_calls=10) < 1.0


def test_default_sample_fits_the_budget_but_keeps_enough_calls(small):
    quiet = load_scenario(small(duration="72h"))
    assert budget_sample(quiet, World(quiet.topology)) == 1.0  # 1,500 people at normal rates: every flow
    busy = load_scenario(small(extra=BUSY, duration="1h"))
    sample = budget_sample(busy, World(busy.topology))
    # 1,500 people x 1 call per person-hour x 20 surge x 90 s x 2 ways x 50 pkt/s = 2.7e8 packets in full,
    # far beyond the 60 steps' budget: the floor of 20 calls at the normal rate (1,500 a hour) decides
    assert sample == pytest.approx(MIN_CALL_ATTEMPTS / 1500.0)
    sim, _ = run_with_traffic(small(extra=BUSY, duration="1h"))
    assert sim.traffic.sample == sample  # the run's default
    assert sim.traffic.finish().calls.size >= 5  # Poisson around 20 attempts, never an empty replay


def test_each_traffic_figure_carries_its_sampling_interval(small):
    path = small(extra=BUSY + WARN, duration="1h")
    intervals, caveat = {}, {}
    for sample in (1.0, 0.1):
        _, result = run_with_traffic(path, sample=sample)
        console = Console(record=True, width=400)
        traffic_report.render(result, console)
        caveat[sample] = "few channels block more" in " ".join(console.export_text().split())
        s = result.summary
        for key, ci in (("call_setup_success", "call_setup_success_ci95"), ("voice_mos_median", "voice_mos_median_ci95"),
                        ("sms_delivery_ratio", "sms_delivery_ci95")):
            lo, hi = s[ci]
            assert lo <= s[key] <= hi, key
        intervals[sample] = s["call_setup_success_ci95"]
        by_bearer = result.traffic.calls.terrestrial
        assert by_bearer.setup_success_ci95[0] <= by_bearer.setup_success_ratio <= by_bearer.setup_success_ci95[1]
    # ten times fewer flows: a wider interval (about sqrt(10) wider)
    assert intervals[0.1][1] - intervals[0.1][0] > 2 * (intervals[1.0][1] - intervals[1.0][0])
    # a sample also thins each area's channels, which biases set-up success low: the report says so
    assert caveat == {1.0: False, 0.1: True}
    # the report prints it beside the figure, and names the method
    console = Console(record=True, width=160)
    traffic_report.render(result, console)
    text = console.export_text()
    lo, hi = result.traffic.calls.all.setup_success_ci95
    assert f"[{100 * lo:.1f}%–{100 * hi:.1f}%]" in text and "Wilson" in text and "bootstrap" in text


def test_cli_traffic_writes_a_capture_tshark_dissects(small, tmp_path):
    path = small(extra=BUSY + WARN, duration="40m")
    pcap = tmp_path / "out.pcap"
    # a sample of 0.05: about 50 of the 1,000 calls, with the sites' capacity sampled alike (still 503s)
    proc = subprocess.run([sys.executable, "-m", "d2c", "traffic", str(path), "--pcap", str(pcap), "--sample", "0.05",
                           "--kinds", "calls,warnings", "--quiet"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    # one pass of tshark over the capture: every SIP packet and every warning-group packet
    rows = [line.split("\t") for line in subprocess.run(
        [tshark_path(), "-r", str(pcap), "-Y", "sip || ip.dst == 239.192.0.0/14", "-T", "fields", "-e", "ip.dst",
         "-e", "sip.Method", "-e", "sip.r-uri", "-e", "sip.Status-Code"],
        capture_output=True, text=True, check=True).stdout.splitlines()]
    # --kinds calls,warnings: the emergency calls' INVITEs, no talk group and no SMS;
    # the line printed gives the file's size.
    invites = [r[2] for r in rows if r[1] == "INVITE"]
    assert invites and set(invites) == {"urn:service:sos"}
    assert [r for r in rows if r[1] == "MESSAGE" or r[0].startswith("239.")] == []
    megabytes = float(proc.stdout.split(" packets (")[1].split(" MB")[0])
    assert megabytes == pytest.approx(pcap.stat().st_size / 1e6, abs=0.05)
    codes = {r[3] for r in rows if r[3]}
    assert "200" in codes and "503" in codes  # answered calls and blocked ones


def test_a_drill_replays_its_traffic_and_its_warning_decisions(tmp_path):
    from conftest import ROOT
    from d2c.drill import Drill, load_decisions, load_drill

    spec = load_drill(ROOT / "scenarios" / "drills" / "amatrice-2016-drill.yaml")
    scripted = load_decisions(ROOT / "scenarios" / "drills" / "amatrice-2016-decisions.yaml", spec)
    drill = Drill(spec, scripted=scripted, strict=True, traffic=True)
    drill.run_to_end()
    doc = drill.sim.result().to_dict()
    assert doc["traffic"]["calls"]["all"]["attempts"] > 0
    issued = [w["text"] for w in doc["traffic"]["warnings"]["issued"]]
    warned = [d for d in scripted if d.name == "warning"]
    assert len(issued) >= len(warned) > 0  # the players' IT-Alerts went out as cell-broadcast messages
    assert 0.0 <= doc["summary"]["warning_reach"] <= 1.0
