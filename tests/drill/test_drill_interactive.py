"""The interactive drill in a real terminal: tmux runs it, the test types and reads the screen."""

from __future__ import annotations

from typer.testing import CliRunner

from _drill_helpers import cli_app, drill_file
from _terminal import drill_command, tmux  # noqa: F401 - the fixture


def map_rows(screen: str) -> list[str]:
    """The rows of the map: inside the territory panel, above its legend."""
    lines = screen.splitlines()
    top = next(i for i, line in enumerate(lines) if "territory" in line)
    rows = []
    for line in lines[top + 1:]:
        inner = line.split("│")[1] if line.count("│") >= 2 else ""
        if "terrestrial" in inner:
            break
        rows.append(inner)
    return rows


def test_interactive_drill_steps_decides_and_finishes(tmp_path, small, tmux, monkeypatch):
    injects = "[{at: T+30m, text: The batteries are draining, effect: grid lost everywhere}]"
    path = drill_file(tmp_path, small, injects=injects, duration="8h")
    term = tmux(tmp_path, drill_command(path.name, "--log", "log.yaml", "--json", "result.json"))

    screen = term.wait_for("drill>", "step 0/480", "d2c drill: small-drill")
    assert "no step run yet" in screen and "catalogue" in screen
    term.type("n")
    screen = term.wait_for("step 1/480", "T+00:01")
    assert "terrestrial 1,500 (100.0%)" in screen  # the headline: everyone still on their cells
    term.type("i")
    screen = term.wait_for("step 30/480", "DUE NOW", "The batteries are draining")
    assert "model: grid lost everywhere" in screen
    term.type("d genrator S1")
    term.wait_for("error: no decision 'genrator' in the catalogue", "did you mean generator?")
    term.type("d generator S9 6")
    term.wait_for("error: generator: no site, node, core, PSAP or gateway 'S9' in the topology")
    term.type("d generator S1 6")
    screen = term.wait_for("decided: generator S1 6: taken at T+00:30, acts at T+02:30")
    assert "decisions 1, 1,500 EUR" in screen
    term.type("r 300")  # to T+5h30: S1 would have run dry at T+4h
    screen = term.wait_for("step 330/480", "T+05:30")
    assert "acting" in screen and "generator S1 6" in screen
    assert "P" in "".join(map_rows(screen))  # S3 (4 h battery, no generator) down by power on the map
    assert "░" in "".join(map_rows(screen))  # the villages still served
    term.type("q")
    screen = term.wait_for("DRILL-EXIT=0", "result JSON written to result.json", timeout_s=60)
    assert "Areas for improvement" in screen or "Assumptions" in screen  # the after-action report closes the drill

    log = (tmp_path / "log.yaml").read_text()
    assert "decision: generator" in log and "target: S1" in log and "fuel_hours: 6.0" in log and "S9" not in log
    first = (tmp_path / "result.json").read_bytes()
    replay = tmp_path / "replayed.json"
    monkeypatch.chdir(tmp_path)  # the drill file named as in the room: the result records the path given
    run = CliRunner().invoke(cli_app(), ["drill", path.name, "--decisions", "log.yaml", "--auto",
                                         "--json", str(replay)])
    assert run.exit_code == 0, run.output
    assert replay.read_bytes() == first


def test_ctrl_c_in_a_real_terminal_goes_on_or_quits_without_writing(tmp_path, small, tmux):
    path = drill_file(tmp_path, small, duration="2h")
    term = tmux(tmp_path, drill_command(path.name, "--json", "result.json"))
    term.wait_for("drill>", "step 0/120")
    term.keys("C-c")
    term.wait_for("Ctrl-C: s save the log and finish", "x quit without writing")
    term.keys("Enter")  # go on
    term.wait_for("going on", "drill>")
    term.type("n")
    term.wait_for("step 1/120")
    term.keys("C-c")
    term.wait_for("x quit without writing")
    term.type("x")
    screen = term.wait_for("DRILL-EXIT=130", "no result or report written")
    assert "Traceback" not in screen
    assert not (tmp_path / "result.json").exists()
