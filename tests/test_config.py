"""Bad input gives one clear line: file, line, field, what was expected; exit code 2."""

import re
import subprocess
import sys

import pytest

from conftest import SMALL_TOPOLOGY, write
from d2c.base.errors import ConfigError
from d2c.config.scenario import load_scenario
from d2c.config.topology import load_topology


def topo_error(tmp_path, text) -> ConfigError:
    path = write(tmp_path, "bad.yaml", text)
    with pytest.raises(ConfigError) as info:
        load_topology(path)
    return info.value


def test_small_topology_loads(tmp_path):
    topo = load_topology(write(tmp_path, "small.yaml", SMALL_TOPOLOGY))
    assert [s.id for s in topo.sites] == ["S1", "S2", "S3"]
    assert topo.population == 1500
    assert topo.sites[1].power.generator_hours == 2
    assert topo.nodes[0].power.battery_hours == 8


def test_malformed_yaml_names_the_line(tmp_path):
    err = topo_error(tmp_path, "name: x\nareas: [\n  {name: a\nsites: ]\n")
    assert err.file.endswith("bad.yaml") and err.line is not None
    assert "valid YAML" in str(err)


def test_unknown_field_is_rejected_at_its_line(tmp_path):
    text = SMALL_TOPOLOGY.replace("battery_hours: 4}", "battery_hours: 4, batery_hours: 3}", 1)
    err = topo_error(tmp_path, text)
    assert err.field == "sites[0].batery_hours"
    assert err.line == text.lstrip("\n").splitlines().index(
        next(l for l in text.lstrip("\n").splitlines() if "batery" in l)) + 1
    assert "known field" in err.expected


def test_missing_backhaul_parent(tmp_path):
    err = topo_error(tmp_path, SMALL_TOPOLOGY.replace("backhaul: S2", "backhaul: S9"))
    assert err.field == "sites[2].backhaul"
    assert "S9" in str(err) and "does not exist" in str(err)
    assert re.match(r".*bad\.yaml:\d+: sites\[2\]\.backhaul: expected the id of a transport node or core or site", str(err))


def test_backhaul_loop_is_rejected(tmp_path):
    text = SMALL_TOPOLOGY.replace("backhaul: AGG1, substation: SUB, battery_hours: 4, generator_hours: 2",
                                  "backhaul: S3, substation: SUB, battery_hours: 4, generator_hours: 2")
    err = topo_error(tmp_path, text)
    assert "loop" in str(err)


def test_negative_battery_hours(tmp_path):
    err = topo_error(tmp_path, SMALL_TOPOLOGY.replace("battery_hours: 4}", "battery_hours: -2}", 1))
    assert err.field == "sites[0].battery_hours"
    assert "expected a number >= 0 and <= 8760, got -2" in str(err)


def test_latitude_out_of_range(tmp_path):
    err = topo_error(tmp_path, SMALL_TOPOLOGY.replace("lat: 42.00, lon: 13.00, population", "lat: 200, lon: 13.00, population"))
    assert err.field == "areas[0].lat"
    assert err.line == 3
    assert "<= 90" in str(err)


def test_duplicate_ids(tmp_path):
    err = topo_error(tmp_path, SMALL_TOPOLOGY.replace("{id: S2,", "{id: S1,"))
    assert err.field == "sites[1].id" and "unique" in str(err)


def test_missing_required_field(tmp_path):
    err = topo_error(tmp_path, SMALL_TOPOLOGY.replace("radius_km: 3, capacity_calls: 10, capacity_mbps: 50,\n     backhaul: AGG1, substation: SUB, battery_hours: 4}",
                                                      "capacity_calls: 10, capacity_mbps: 50,\n     backhaul: AGG1, substation: SUB, battery_hours: 4}", 1))
    assert err.field == "sites[0].radius_km" and "required" in str(err)


def test_scenario_errors(small, tmp_path):
    bad_kind = small("[{kind: tornado, at: 0}]")
    with pytest.raises(ConfigError, match=r"incidents\[0\]\.kind: expected one of earthquake, blackout, flood, attack"):
        load_scenario(bad_kind)
    bad_ref = small("[{kind: attack, actions: [{at: 0, destroy: [NOPE]}]}]")
    with pytest.raises(ConfigError, match=r"destroy\[0\]: expected the id of a site .*'NOPE', which does not exist"):
        load_scenario(bad_ref)
    bad_time = small("[{kind: blackout, area: everywhere, at: yesterday, duration: 1h}]")
    with pytest.raises(ConfigError, match=r"incidents\[0\]\.at: expected a time"):
        load_scenario(bad_time)
    missing_topology = write(tmp_path, "m.yaml", "name: m\ntopology: nowhere.yaml\nstart: 2024-01-01T00:00:00Z\nduration: 1h\nseed: 1\n")
    with pytest.raises(ConfigError, match=r"m\.yaml:2: topology: expected the path of a topology file"):
        load_scenario(missing_topology)
    naive_start = write(tmp_path, "n.yaml", "name: n\ntopology: small.yaml\nstart: 2024-01-01T00:00:00\nduration: 1h\nseed: 1\n")
    with pytest.raises(ConfigError, match=r"n\.yaml:3: start: expected an ISO 8601 time with a zone"):
        load_scenario(naive_start)


def _d2c(args: list[str], whole_process: bool) -> tuple[int, str, str]:
    """Exit status, stdout and stderr of ``d2c ARGS``: as its own process, or in this one (typer's runner)."""
    if whole_process:
        proc = subprocess.run([sys.executable, "-m", "d2c", *args], capture_output=True, text=True)
        return proc.returncode, proc.stdout, proc.stderr
    from typer.testing import CliRunner

    from d2c.cli import app

    run = CliRunner().invoke(app, args)
    return run.exit_code, run.stdout, run.stderr


# Each kind of mistake goes through the command line in this process; the first also as a whole
# process, as a user runs it (what the interpreter itself prints at exit does not depend on the mistake).
@pytest.mark.parametrize("edit, whole_process", [
    (lambda t: t.replace("population: 1000", "population: -5"), True),
    (lambda t: t.replace("lat: 42.00, lon: 13.00, population", "lat: 200, lon: 13.00, population"), False),
    (lambda t: t + "\nbogus: 1\n", False),
    (lambda t: t.replace("sites:", "sites: [\n"), False),
])
def test_cli_bad_input_exits_2_with_one_line_and_no_traceback(tmp_path, edit, whole_process):
    write(tmp_path, "small.yaml", edit(SMALL_TOPOLOGY))
    scenario = write(tmp_path, "s.yaml", "name: s\ntopology: small.yaml\nstart: 2024-01-01T00:00:00Z\nduration: 1h\nseed: 1\n")
    for args in (["run", str(scenario)], ["validate", str(tmp_path / "small.yaml")]):
        status, stdout, stderr = _d2c(args, whole_process)
        assert status == 2, stderr
        assert "Traceback" not in stderr + stdout
        lines = [l for l in stderr.splitlines() if l.strip()]
        assert len(lines) == 1, stderr
        assert re.search(r"small\.yaml:\d+: ", lines[0])
