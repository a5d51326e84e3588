"""The result's traffic and restoration blocks and its actions applied, typed: read from a file, written back
byte for byte, refused in one line when a value is bad."""

from __future__ import annotations

import copy
import json

import pytest
from typer.testing import CliRunner

from conftest import SMALL_TOPOLOGY, scenario_text, write
from d2c.cli import app
from d2c.config.scenario import load_scenario
from d2c.engine import Simulation
from d2c.report.files import write_json
from d2c.result import load_result
from d2c.result_blocks import RestorationBlock, TrafficBlock
from d2c.traffic.stage import EngineTraffic
from d2c.world import World

# S1 destroyed at the start and not repaired within the 2 h, one unit of the operators' own cells on wheels after 1 h,
# 112 calls and SMS, and a warning: every block and sub-block of traffic and restoration has something in it
SCENARIO = """
demand: {emergency_calls_per_person_hour: 0.05, emergency_sms_per_person_hour: 0.05}
warnings:
  - {at: T+30m, area: {circle: {lat: 42.0, lon: 13.0, radius_km: 2}}, text: "IT-Alert test", message_id: 4381}
restoration:
  crews: {shift_hours: 24, speed_kmh: 60, detour_factor: 1.0}
  repair_hours: {slight: 1, moderate: 1, extensive: 1, complete: 3, beta: 0}
  restart_lag: {median_minutes: 0, beta: 0}
  temporary_sites: {per_operator_region: 1, mobilise: 1h}
"""


@pytest.fixture(scope="module")
def result_file(tmp_path_factory):
    folder = tmp_path_factory.mktemp("blocks")
    write(folder, "small.yaml", SMALL_TOPOLOGY)
    sc = load_scenario(write(folder, "s.yaml", scenario_text(
        "[{kind: attack, actions: [{at: 0, destroy: [S1]}]}]", SCENARIO, duration="2h")))
    world = World(sc.topology)
    result = Simulation(sc, world=world, traffic=EngineTraffic(sc, world, sample=1.0)).run()
    return write_json(folder / "r.json", result.to_dict())


def test_a_result_with_every_block_is_read_typed_and_written_back_byte_for_byte(result_file):
    text = result_file.read_text()
    result = load_result(result_file)
    assert isinstance(result.traffic, TrafficBlock) and isinstance(result.restoration, RestorationBlock)
    # each block is there, with what it counts: the run's calls, the warning, the unit put on air, the repair still to do
    assert result.traffic.calls.all.attempts > 0
    assert result.traffic.warnings.issued[0].message_id == 4381
    assert result.restoration.temporary_sites.deployed == 1
    assert result.restoration.jobs_pending.equipment == 1
    assert json.dumps(result.to_dict(), indent=1) + "\n" == text


def _report(tmp_path, doc):
    (tmp_path / "r.json").write_text(json.dumps(doc))
    return CliRunner().invoke(app, ["report", str(tmp_path / "r.json"), "-f", "md", "-o", str(tmp_path / "r.md")])


@pytest.mark.parametrize("block, spoil, message", [
    ("traffic", lambda t: t["calls"]["terrestrial"].update(post_dial_delay_ms={"p50": "slow"}),
     "traffic.calls.terrestrial.post_dial_delay_ms.p50: expected a number, got 'slow'"),
    ("restoration", lambda r: r["temporary_sites"].update(deployed=1.5),
     "restoration.temporary_sites.deployed: expected an integer, got 1.5"),
    ("decisions", lambda d: d.append({"t_s": 60.0, "action": 7}), "decisions[0].action: expected text, got 7"),
    # a field of another name would be lost when the block is written again: refused too
    ("traffic", lambda t: t["calls"].update(satellite=t["calls"]["d2c"]),
     "traffic.calls.satellite: expected one of all, terrestrial, d2c, none, got 'satellite'"),
])
def test_a_bad_value_in_a_block_is_refused_in_one_line(result_file, tmp_path, block, spoil, message):
    doc = json.loads(result_file.read_text())
    assert _report(tmp_path, doc).exit_code == 0  # the file as written is a report
    spoilt = copy.deepcopy(doc)
    spoil(spoilt[block])
    run = _report(tmp_path, spoilt)
    assert run.exit_code == 2, run.output
    assert len(run.stderr.strip().splitlines()) == 1 and "Traceback" not in run.output
    assert run.stderr.strip().endswith(f"{tmp_path / 'r.json'}: expected a d2c result JSON: {message}")
