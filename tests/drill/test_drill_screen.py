"""The facilitator's screen: the map, the prompt's commands, and bad input at the command line."""

from __future__ import annotations

from rich.console import Console
from typer.testing import CliRunner

from _drill_helpers import cli_app, drill_file
from d2c.drill import Decision, Drill, load_drill
from d2c.drill.mapview import TerritoryMap
from d2c.drill.prompt import QUIT, Session


def _rows(text) -> list[str]:
    return text.plain.split("\n")


def test_the_map_is_scaled_to_the_territory_north_up(tmp_path, small):
    drill = Drill(load_drill(drill_file(tmp_path, small, incidents="[{kind: attack, actions: [{at: 0, destroy: [S1]}]}]",
                                        duration="1h")))
    view = TerritoryMap(drill.world, width=40, height=12)
    # the villages are 10 km apart north-south and share a longitude: a tall, narrow map
    assert view.rows == 12 and view.cols < view.rows
    alpha, beta = (int(c) // view.cols for c in view.area_cell)
    assert beta < alpha  # Beta lies north of Alpha: higher up
    before = _rows(view.render(None))
    assert set("".join(before)) <= {" ", "·"}
    drill.next_step()
    after = view.render(drill.last)
    rows = _rows(after)
    alpha_row, beta_row = rows[alpha], rows[beta]
    assert "D" in alpha_row  # S1, destroyed, marked by its cause
    assert "█" in alpha_row  # Alpha has no service left
    assert "░" in beta_row and "█" not in beta_row  # Beta still on its cells


def _session(tmp_path, small, scripted=()):
    drill = Drill(load_drill(drill_file(tmp_path, small, duration="2h")), scripted=list(scripted))
    console = Console(width=160, height=50, record=True, force_terminal=True, color_system=None)
    return Session(drill, console)


def test_prompt_commands_and_their_errors(tmp_path, small):
    session = _session(tmp_path, small)
    assert session.handle("r") is None and session.messages == ["error: r needs a number of minutes > 0, e.g. r 30"]
    session.handle("fly")
    assert session.messages == ["error: unknown command 'fly'; h for help"]
    session.handle('d warning "Beta')
    assert session.messages[0].startswith("error: No closing quotation")
    session.handle("h")
    assert any("d NAME TARGET [ARGS]" in line for line in session.messages)
    session.handle("")  # Enter: one step
    assert session.drill.sim.index == 1
    session.handle('d warning Beta "Boil water"')
    assert session.messages[0] == "decided: warning Beta Boil water: taken at T+00:01, acts at T+00:11"
    session.handle("e")
    assert session.drill.done and session.messages == ["end of the scenario: q writes the outputs"]
    session.handle("d priority")
    assert session.messages == ["error: the scenario has ended: no more decisions"]
    assert session.handle("q") is QUIT
    session.draw()
    screen = session.console.export_text()
    assert "(ended)" in screen and "warnings delivered 1/1, 500 people" in screen


def test_scripted_decisions_that_cannot_be_taken_are_reported_not_fatal(tmp_path, small):
    scripted = [Decision(600.0, "generator", "S1", {"fuel_hours": 1.0}),
                Decision(600.0, "generator", "S2", {"fuel_hours": 1.0}),
                Decision(600.0, "generator", "S3", {"fuel_hours": 1.0})]  # only two available
    session = _session(tmp_path, small, scripted)
    session.handle("r 15")
    assert len(session.drill.taken) == 2
    assert session.messages == ["scripted decision skipped: no generator left: 2 available, all taken"]


def test_a_bad_drill_file_at_the_command_line_is_one_line_and_exit_2(tmp_path, small):
    path = drill_file(tmp_path, small, injects="[{at: T+99h, text: too late}]")
    run = CliRunner().invoke(cli_app(), ["drill", str(path), "--auto"])
    assert run.exit_code == 2
    lines = [line for line in run.output.splitlines() if line.strip()]
    assert lines == [f"error: {path}:7: injects[0].at: expected a time within the scenario (T+0 to T+08:00), got 'T+99h'"]
