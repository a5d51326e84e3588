"""The command line behaves like the good ones: --version, -h, choices, `-` for
stdout, one-line errors with exit status 2, every file kind recognised, and
piped output that keeps every line whole."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from typer.testing import CliRunner

from d2c.cli import app
from conftest import ROOT, SMALL_TOPOLOGY, WITH_GATEWAY, scenario_text, write

QUAKE = "[{kind: earthquake, at: T+10m, lat: 42.05, lon: 13.0, depth_km: 8, magnitude: 6.2}]"
COMMANDS = ("run", "traffic", "validate", "sky", "linkbudget", "topology", "sweep", "drill", "report")


def piped(*args, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The real command, its stdout a pipe, as when piped into another program.

    COLUMNS is set narrow on purpose: piped output must not follow it.
    """
    env = {**os.environ, "COLUMNS": "40"}
    env.pop("TERM", None)
    return subprocess.run([sys.executable, "-m", "d2c", *map(str, args)], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=300)


def d2c(*args, cwd: Path | None = None):
    """The command in this process (faster), its output captured: not a terminal, as in a pipe."""
    old = Path.cwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        result = CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "40"})
    finally:
        os.chdir(old)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return subprocess.CompletedProcess(args, result.exit_code, result.stdout, result.stderr)


@pytest.fixture(scope="module")
def quake(tmp_path_factory):
    """A two-hour earthquake on the small topology with a D2C gateway, run once, and its result JSON."""
    folder = tmp_path_factory.mktemp("cli")
    write(folder, "small.yaml", WITH_GATEWAY)
    scenario = write(folder, "scenario.yaml", scenario_text(QUAKE, "d2c: {provider: starlink-dtc}", "2h"))
    result = folder / "result.json"
    proc = piped("run", scenario, "--json", result)
    assert proc.returncode == 0, proc.stderr
    return scenario, result, proc.stdout


def test_version_and_short_help():
    proc = d2c("--version")
    assert proc.returncode == 0 and proc.stdout.strip() == f"d2c {version('d2c')}"
    for command in COMMANDS:
        proc = d2c(command, "-h")
        assert proc.returncode == 0 and "Usage:" in proc.stdout, (command, proc.stderr)


def test_shell_completion_is_offered():
    assert "--install-completion" in CliRunner().invoke(app, ["-h"], env={"COLUMNS": "200"}).stdout


@pytest.mark.parametrize("args, message", [
    (["traffic", "x.yaml", "--pcap", "x.pcap", "--only", "some"], "--only: expected one of survivors, all, got 'some'"),
    (["traffic", "x.yaml", "--pcap", "x.pcap", "--kinds", "calls,voice"],
     "--kinds: expected some of calls, sms, ptt, warnings, bulk separated by commas, got 'voice'"),
    (["report", "x.json", "--format", "pdf"], "--format: expected one of md, html, svg, txt, got 'pdf'"),
    (["linkbudget", "--provider", "starlink", "--elevation-deg", "45"], "unknown provider 'starlink': not a preset"),
    (["run"], "Missing argument"),
    (["run", "x.yaml", "--bogus"], "No such option: --bogus"),
    (["validate", "no-such-file.yaml"], "no-such-file.yaml: expected an existing file"),
])
def test_bad_usage_is_one_line_and_exit_2(args, message):
    proc = d2c(*args)
    lines = [line for line in (proc.stdout + proc.stderr).splitlines() if line.strip()]
    assert proc.returncode == 2
    assert len(lines) == 1 and message in lines[0], lines


def test_provider_error_lists_the_presets():
    proc = d2c("linkbudget", "--provider", "nope", "--elevation-deg", "45")
    for preset in ("starlink-dtc", "ast-spacemobile", "iris2"):
        assert preset in proc.stderr


def test_json_dash_goes_to_stdout_and_the_report_to_stderr(quake, tmp_path):
    scenario, result, _ = quake
    proc = d2c("run", scenario, "--json", "-", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc == json.loads(result.read_text()), "same seed, same result, whichever the output"
    assert "No 112 path, worst instant" in proc.stderr
    assert not (tmp_path / "-").exists()


def test_report_out_dash_writes_the_document_to_stdout(quake, tmp_path):
    _, result, _ = quake
    proc = d2c("report", result, "--format", "md", "--out", "-", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("# After-action report")
    assert not (tmp_path / "-").exists()


def test_validate_recognises_every_kind(quake):
    _, result, _ = quake
    files = {
        "topology": ROOT / "topologies/centro-italia.yaml",
        "scenario": ROOT / "scenarios/amatrice-2016.yaml",
        "drill": ROOT / "scenarios/drills/amatrice-2016-drill.yaml",
        "decisions": ROOT / "scenarios/drills/amatrice-2016-decisions.yaml",
        "provider preset": ROOT / "d2c/space/presets/iris2.yaml",
        "decision catalogue": ROOT / "d2c/drill/catalogue.yaml",
        "run result": result,
    }
    proc = d2c("validate", *files.values())
    assert proc.returncode == 0, proc.stderr
    for kind, path in files.items():
        line = next(line for line in proc.stdout.splitlines() if f" {path}:" in line)
        assert line.startswith("ok ") and f": {kind}" in line, line


def test_validate_reads_a_bad_drill_as_a_drill(tmp_path):
    drill = (ROOT / "scenarios/drills/amatrice-2016-drill.yaml").read_text(encoding="utf-8")
    bad = write(tmp_path, "drill.yaml", drill.replace("scenario: ../amatrice-2016.yaml",
                                                      f"scenario: {ROOT}/scenarios/amatrice-2016.yaml")
                .replace("objectives:", "objectivs:", 1))
    proc = d2c("validate", bad)
    assert proc.returncode == 2
    assert "objectivs: expected a known field (did you mean 'objectives'?), got an unknown field" in proc.stderr
    assert "topology" not in proc.stderr


def test_a_typo_is_an_unknown_field_with_the_closest_name(tmp_path):
    write(tmp_path, "small.yaml", SMALL_TOPOLOGY)
    path = write(tmp_path, "s.yaml", scenario_text(QUAKE.replace("magnitude", "magnitud")))
    proc = d2c("validate", path)
    assert proc.returncode == 2
    assert proc.stderr.strip().endswith(
        "incidents[0].magnitud: expected a known field (did you mean 'magnitude'?), got an unknown field")


def test_a_missing_generated_topology_says_how_to_build_it(tmp_path):
    scenarios = tmp_path / "scenarios"
    scenarios.mkdir()
    (scenarios / "campi-flegrei.yaml").write_text((ROOT / "scenarios/campi-flegrei.yaml").read_text())
    proc = d2c("run", scenarios / "campi-flegrei.yaml")
    assert proc.returncode == 2
    assert "'../topologies/campania.yaml', which does not exist (it is generated: run `make topologies`" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def _whole(text: str, expected: str) -> bool:
    return any(expected in line for line in text.splitlines())


def test_piped_output_keeps_every_line_whole(quake, tmp_path):
    scenario, result, run_out = quake
    doc = json.loads(result.read_text())
    outputs = {"run": run_out}
    outputs["report"] = d2c("report", result).stdout
    outputs["report md"] = d2c("report", result, "--format", "md", "--out", "-").stdout
    outputs["report txt"] = d2c("report", result, "--format", "txt", "--out", "-").stdout
    for name, text in outputs.items():
        assert text.strip(), name
        for line in doc["assumptions"]:  # the longest lines a report prints
            assert _whole(text, line), (name, line)
        for area in doc["worst_areas"]:
            assert _whole(text, area["name"]), (name, area["name"])
    for header in ("post-dial p50 ms", "Worst-hit areas (hours; share of 112 demand served)"):
        assert _whole(run_out, header)
    assert "\x1b[" not in run_out, "no colour codes in piped output"

    sky_json = tmp_path / "sky.json"
    sky = d2c("sky", "--lat", 42.63, "--lon", 13.29, "--at", "2016-08-24T01:40:00Z", "--provider", "starlink-dtc",
              "--json", sky_json)
    assert sky.returncode == 0, sky.stderr
    satellites = json.loads(sky_json.read_text())["satellites"]
    assert satellites
    for sat in satellites:
        row = next((line for line in sky.stdout.splitlines() if sat["name"] in line), "")
        assert f"{sat['slant_range_km']:.2f}" in row, (sat["name"], row)
    title = sky.stdout.splitlines()[0].strip()
    assert title.startswith("starlink-dtc from 42.6300, 13.2900 at") and title.endswith("(mask 25 deg)")

    budget = d2c("linkbudget", "--provider", "starlink-dtc", "--elevation-deg", 45).stdout
    assert _whole(budget, "A handset here gets:") and "(the weaker direction decides)" in budget

    checked = d2c("validate", ROOT / "scenarios/drills/amatrice-2016-drill.yaml").stdout
    assert len(checked.strip().splitlines()) == 1, "one file, one line"

    exported = d2c("export", result, "--format", "csv").stdout
    assert exported.splitlines()[0] == "kind,id,name,operator,population,lon,lat,hour,utc,status,cause"
    assert all(line.count(",") == 10 for line in exported.splitlines()), "one CSV row per line"
    explained = d2c("explain", result, "Alpha").stdout
    assert _whole(explained, "Alpha (1,000 people) in test, hour by hour from the start:")
    assert all(line.startswith(("Alpha", "- ", "    ", "It is", "Incidents")) for line in explained.splitlines())

    pcap = tmp_path / "x.pcap"
    traffic = d2c("traffic", scenario, "--pcap", pcap, "--only", "all").stdout
    assert _whole(traffic, f") written to {pcap} (all, sample")


def test_validate_reads_a_comparison_as_a_comparison(tmp_path):
    from test_compare import COMPARISON, QUAKE as COMPARE_QUAKE, SCENARIO, TOPOLOGY

    write(tmp_path, "small.yaml", TOPOLOGY)
    write(tmp_path, "cut-off.yaml", SCENARIO)
    write(tmp_path, "quake.yaml", COMPARE_QUAKE)
    good = write(tmp_path, "comparison.yaml", COMPARISON)
    proc = d2c("validate", good)
    assert proc.returncode == 0 and proc.stdout.startswith(f"ok {good}: comparison "), proc.stderr
    bad = write(tmp_path, "bad.yaml", COMPARISON.replace("reduced_seeds", "reduced_sedes"))
    proc = d2c("validate", bad)
    assert proc.returncode == 2 and "did you mean 'reduced_seeds'?" in proc.stderr, proc.stderr
