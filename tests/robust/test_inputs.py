"""Hostile and careless inputs: each refused on one line with its line, or run; never a traceback or a hang.

Minimal inputs are in tests/data/ or built here from the small topology.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from d2c.base.errors import ConfigError
from d2c.config.scenario import load_scenario
from d2c.config.topology import load_topology
from d2c.engine import Simulation

from .conftest import SMALL_TOPOLOGY, d2c, refused, scenario_text, write

DATA = Path(__file__).resolve().parent.parent / "data"


def _scenario(tmp_path, old: str, new: str, topology: str = SMALL_TOPOLOGY, **kw) -> Path:
    write(tmp_path, "small.yaml", topology)
    text = scenario_text(**kw)
    assert old in text
    return write(tmp_path, "s.yaml", text.replace(old, new))


# ------------------------------------------------------------ crashes after validate said ok

@pytest.mark.parametrize("name", ["on-no-substations.yaml", "on-no-coverage.yaml"])
def test_topologies_that_validate_also_run(name):
    assert d2c("validate", DATA / name).exit_code == 0
    result = Simulation(load_scenario(DATA / name)).run()
    assert len(result.timeline["t_s"]) == 120


# ------------------------------------------------------------ typed numbers and times

@pytest.mark.parametrize("written, value", [("0b101", 5), ("0x10", 16), ("0o17", 15), ("1_000", 1000), ("1e5", 100000)])
def test_whole_numbers_in_every_yaml_form(tmp_path, written, value):
    assert load_scenario(_scenario(tmp_path, "seed: 7", f"seed: {written}")).seed == value


@pytest.mark.parametrize("written, got", [("-0x10", "got -16"), ("1:30", "got '1:30'"), ("!!int abc", "got 'abc'"),
                                          ("'12'", "got '12'"), ("1.5", "got '1.5'"), ("9" * 5000, "whole number")])
def test_bad_whole_numbers_are_refused_on_their_line(tmp_path, written, got):
    refused(d2c("validate", _scenario(tmp_path, "seed: 7", f"seed: {written}")), "s.yaml:6: seed: expected", got)


@pytest.mark.parametrize("start", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:30Z", "1800-01-01T00:00:00Z"])
def test_times_out_of_range_are_refused(tmp_path, start):
    path = _scenario(tmp_path, "start: 2024-01-01T00:00:00Z", f"start: {start}")
    refused(d2c("run", path, "-q"), "s.yaml:3: start: expected a time between 1900-01-01 and 2199-12-31")


def test_a_scenario_may_not_run_past_2200(tmp_path):
    path = _scenario(tmp_path, "start: 2024-01-01T00:00:00Z", "start: 2199-12-31T23:30:00Z")
    refused(d2c("validate", path), "s.yaml:4: duration: expected a scenario that ends before 2200")


def test_sky_at_out_of_range_is_one_line():
    refused(d2c("sky", "--lat", "42", "--lon", "13", "--at", "0001-01-01T00:00:00+14:00", "--provider",
                "starlink-dtc"), "--at: expected a time between 1900")


def test_a_400_digit_duration_is_refused(tmp_path):
    refused(d2c("validate", _scenario(tmp_path, "duration: 12h", "duration: " + "9" * 400)),
            "s.yaml:4: duration:")


def test_scientific_notation_is_a_number(tmp_path):
    topo = SMALL_TOPOLOGY.replace("population: 1000}", "population: 1e5}").replace("capacity_calls: 10,",
                                                                                  "capacity_calls: 1.5e1,", 1)
    t = load_topology(write(tmp_path, "t.yaml", topo))
    assert t.areas[0].population == 100_000 and t.sites[0].capacity_calls == 15.0


@pytest.mark.parametrize("old, new, fragment", [
    ("population: 1000}", "population: 1e18}", "areas[0].population: expected a whole number >= 0 and <= 100000000"),
    ("capacity_calls: 10,", "capacity_calls: 2**63,", "sites[0].capacity_calls: expected a number, got '2**63'"),
    ("capacity_calls: 10,", "capacity_calls: 9223372036854775808,", "expected a number >= 0 and <= 100000"),
    ("radius_km: 3,", "radius_km: 30000,", "sites[0].radius_km: expected a number > 0 and <= 200"),
])
def test_plausibility_limits_of_a_topology(tmp_path, old, new, fragment):
    refused(d2c("validate", write(tmp_path, "t.yaml", SMALL_TOPOLOGY.replace(old, new, 1))), "t.yaml:", fragment)


def test_a_walker_shell_larger_than_any_constellation_is_refused(tmp_path):
    path = _scenario(tmp_path, "incidents: []", 'incidents: []\nd2c: {walker: "53:20000000/1/0", altitude_km: 550}')
    refused(d2c("validate", path), "s.yaml:8: d2c.walker:", "<= 50,000")


# ------------------------------------------------------------ steps and budget

def test_a_step_that_does_not_divide_the_duration_is_refused(tmp_path):
    path = _scenario(tmp_path, "step: 60s", "step: 7m", duration="1h")
    refused(d2c("run", path, "-q"), "s.yaml:5: step: expected a step that divides the duration")


def test_a_sub_second_step_is_refused(tmp_path):
    refused(d2c("validate", _scenario(tmp_path, "step: 60s", "step: 0.001s")), "step: expected a step of at least 1 s")


def test_a_year_of_one_second_steps_is_refused_with_its_budget_unless_forced(tmp_path):
    path = _scenario(tmp_path, "step: 60s", "step: 1s", duration="365d")
    refused(d2c("validate", path), "s.yaml:5: step:", "about 31,536,000 steps and 16 GB", "d2c --force")
    assert d2c("--force", "validate", path).exit_code == 0


# ------------------------------------------------------------ times outside the scenario window

@pytest.mark.parametrize("extra, fragment", [
    ("incidents: [{kind: blackout, area: everywhere, at: 2061-01-01T00:00:00Z, duration: 1h}]",
     "s.yaml:7: incidents[0].at: expected a time within the scenario (T+0 up to, not including, T+12h)"),
    ("warnings: [{at: T+13h, area: everywhere, text: hi}]", "warnings[0].at: expected a time within the scenario"),
    ("responses: [{at: T+12h, repair: S1}]", "responses[0].at: expected a time within the scenario"),
])
def test_times_outside_the_window_are_refused(tmp_path, extra, fragment):
    path = _scenario(tmp_path, "incidents: []", extra) if extra.startswith("incidents") else \
        _scenario(tmp_path, "incidents: []", "incidents: []\n" + extra)
    refused(d2c("validate", path), fragment)


# ------------------------------------------------------------ kinds and sizes of input files

def test_a_fifo_as_input_is_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "pipe.yaml")
    refused(d2c("validate", tmp_path / "pipe.yaml"), "pipe.yaml: expected a regular file, got a FIFO")


def test_dev_zero_as_topology_is_refused_at_the_naming_line(tmp_path):
    path = _scenario(tmp_path, "topology: small.yaml", "topology: /dev/zero")
    refused(d2c("validate", path), "/dev/zero: expected a regular file, got a character device")


def test_a_referenced_file_that_is_not_yaml_is_not_echoed(tmp_path):
    path = _scenario(tmp_path, "topology: small.yaml", f"topology: {DATA / 'passwd-like.txt'}")
    line = refused(d2c("validate", path), "passwd-like.txt:1: expected a YAML mapping of fields")
    assert "root" not in line and "daemon" not in line


def test_an_input_over_the_size_limit_is_refused_and_the_limit_can_be_raised(tmp_path):
    topo = write(tmp_path, "t.yaml", SMALL_TOPOLOGY)
    refused(d2c("--max-input-mb", "0.001", "validate", topo), "t.yaml: expected a file of at most 0.001 MB",
            "--max-input-mb")
    assert d2c("--max-input-mb", "1", "validate", topo).exit_code == 0


@pytest.mark.parametrize("char, name", [("\x00", "U+0000"), ("\x1b", "U+001B"), ("\x7f", "U+007F")])
def test_control_characters_are_reported_with_their_line(tmp_path, char, name):
    topo = SMALL_TOPOLOGY.lstrip("\n").replace("name: Beta", f"name: Be{char}ta")
    (tmp_path / "t.yaml").write_text(topo, encoding="utf-8")
    refused(d2c("validate", tmp_path / "t.yaml"), "t.yaml:4: expected text without control characters", name)


def test_bytes_that_are_not_utf8_are_reported_with_their_line(tmp_path):
    (tmp_path / "t.yaml").write_bytes(b"name: x\nareas:\n  - {name: \xff}\n")
    refused(d2c("validate", tmp_path / "t.yaml"), "t.yaml:3: expected UTF-8 text, got the byte 0xff")


# ------------------------------------------------------------ result JSON for report

@pytest.mark.parametrize("text, fragment", [
    ("[" * 100_000 + "]" * 100_000, "expected a d2c result JSON"),
    ('{"scenario": ' + "1" * 5000 + "}", "expected a d2c result JSON"),
    ('{"scenario": "x", "summary": {}, "timeline": {}}', "scenario: expected an object"),
    ('"just a string"', "expected a d2c result (a JSON object), got a JSON str"),
])
def test_report_refuses_mangled_result_json(tmp_path, text, fragment):
    (tmp_path / "r.json").write_text(text)
    refused(d2c("report", tmp_path / "r.json"), fragment)


def test_report_on_a_result_with_wrong_types_inside_is_one_line(tmp_path):
    doc = {"scenario": {"name": "x", "start": "2024-01-01T00:00:00Z"}, "summary": {"emergency_service_survival": "a"},
           "timeline": {"t_s": "not a list"}}
    (tmp_path / "r.json").write_text(json.dumps(doc))
    refused(d2c("report", tmp_path / "r.json"), "r.json: expected a d2c result JSON")


def test_library_errors_are_config_errors(tmp_path):
    with pytest.raises(ConfigError):
        load_scenario(_scenario(tmp_path, "seed: 7", "seed: 1:30"))


def test_a_nul_in_a_referenced_path_is_refused_at_its_line(tmp_path):
    path = _scenario(tmp_path, "topology: small.yaml", 'topology: "small\\u0000.yaml"')
    refused(d2c("validate", path), "s.yaml:2: topology: expected a file path without control characters")


def test_an_import_interrupted_by_ctrl_c_counts_as_ctrl_c():
    from d2c.entry import _interrupt

    try:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as exc:
            raise ImportError("initialization failed") from exc
    except ImportError as wrapped:
        assert _interrupt(wrapped)
    assert not _interrupt(ImportError("no module named x"))
