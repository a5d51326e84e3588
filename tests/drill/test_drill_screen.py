"""The facilitator's screen: the map, the prompt's commands, and bad input at the command line."""

from __future__ import annotations

from rich.console import Console
from typer.testing import CliRunner

from _drill_helpers import cli_app, drill_file, scripted_reader
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


def _session(tmp_path, small, scripted=(), injects="[]"):
    drill = Drill(load_drill(drill_file(tmp_path, small, duration="2h", injects=injects)), scripted=list(scripted))
    console = Console(width=160, height=50, record=True, force_terminal=True, color_system=None)
    return Session(drill, console)


def test_prompt_commands_and_their_errors(tmp_path, small):
    session = _session(tmp_path, small)
    assert session.handle("r") is None
    assert session.messages == ["error: r needs a time > 0: minutes or 90s, 30m, 2h, e.g. r 30"]
    for bad in ("run -5", "run 2x", "r 30 40", "run inf"):
        session.handle(bad)
        assert len(session.messages) == 1 and session.messages[0].startswith("error: r"), bad
    assert session.drill.sim.index == 0
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


def test_running_forward_stops_at_each_inject_and_shows_it_in_full(tmp_path, small):
    long_text = "The mayor of Beta calls: the school gym shelters 200 people and has no phone line " * 2
    injects = (f"[{{at: T+20m, text: First aftershock}}, {{at: T+40m, text: '{long_text.strip()}', "
               "effect: grid lost everywhere}, {at: T+40m, text: Roads closed}]")
    session = _session(tmp_path, small, injects=injects)
    session.handle("run 2h")
    assert session.drill.t_s == 20 * 60  # stopped at the first inject, not at T+2h
    assert [i.text for i in session.drill.just_due] == ["First aftershock"]
    assert session.messages == ["clock stopped at the inject: discuss, decide, then r or e to run on (1h40 of the run left)"]
    session.handle("e")  # to the end, but two injects come due together at T+40m: both shown, in full
    assert session.drill.t_s == 40 * 60 and not session.drill.done
    session.draw()
    screen = " ".join(session.console.export_text().split())
    assert "earlier" not in screen
    assert screen.count("school gym") == 2 and screen.count("phone line") == 2  # the long inject in full
    assert "Roads closed" in screen and "model: grid lost everywhere" in screen
    session.handle("r 10")  # no inject in the way: runs the full 10 minutes
    assert session.drill.t_s == 50 * 60 and session.messages == [] and session.drill.just_due == []
    session.handle("e")
    assert session.drill.done and session.messages == ["end of the scenario: q writes the outputs"]


def test_list_finds_things_by_name_and_a_place_names_its_site(tmp_path, small):
    session = _session(tmp_path, small)
    session.handle("list areas")
    assert session.listing[1] == ["Alpha  1,000 people  not run yet", "Beta  500 people  not run yet"]
    session.handle("r 10")
    session.handle("list sites vodafone")  # any case; S3 is Vodafone's, 1 km east of Beta's centre
    title, rows = session.listing
    assert rows == ["S3  Vodafone  up  serves Beta"] and title == "sites matching 'vodafone' (1)"
    session.handle("list areas")
    assert session.listing[1] == ["Alpha  1,000 people  terrestrial", "Beta  500 people  terrestrial"]
    session.handle("list links L2")
    assert session.listing[1] == ["L2  AGG1 - REG  fibre"]
    session.handle("list resources gen")
    assert session.listing[1][0].startswith("generator  generator  2 of 2 left  1,500 EUR")
    session.draw()
    assert "list resources matching 'gen'" in session.console.export_text()
    for bad, message in (("list", "error: list what? list sites|areas|links|resources [FILTER], got 'nothing'"),
                         ("list towers", "error: list what? list sites|areas|links|resources [FILTER], got 'towers'"),
                         ("list sites Gamma", "no sites match 'Gamma'")):
        session.handle(bad)
        assert session.messages == [message], bad
    # Beta is served by S2 (at its centre) and S3 (1 km away): the place picks the nearest, S2
    session.handle("d generator beta 6")
    assert session.messages == ["decided: generator S2 6 (the site serving beta nearest its centre): "
                                "taken at T+00:10, acts at T+02:10 (after the end of the scenario: no effect)"]
    assert session.drill.decisions[-1].target == "S2"  # the log names the site: a replay takes the same one
    session.handle("d generator Gamma 6")
    assert session.messages[0].startswith("error: generator: no site, node, core, PSAP or gateway 'Gamma'")
    session.handle("list resources generator")
    assert session.listing[1][0].startswith("generator  generator  1 of 2 left")


def test_ctrl_c_at_the_prompt_asks_before_anything_is_written(tmp_path, small):
    session = _session(tmp_path, small)
    # Ctrl-C, then Enter: back to the prompt with nothing done; then a bad answer, then x: quit, no outputs
    kept = session.loop(scripted_reader("n", KeyboardInterrupt(), "", KeyboardInterrupt(), "maybe", "x"))
    assert kept is False and session.drill.sim.index == 1 and not session.drill.done
    assert "error: s, p, x or Enter, got 'maybe'" in session.console.export_text()
    session = _session(tmp_path, small)
    assert session.loop(scripted_reader(KeyboardInterrupt(), KeyboardInterrupt())) is False  # twice: out, nothing written
    session = _session(tmp_path, small)
    assert session.loop(scripted_reader(KeyboardInterrupt(), "s")) is True and session.drill.done  # save: finish as q does


def test_undo_withdraws_the_last_decision_before_it_acts_and_the_log_keeps_it(tmp_path, small):
    from d2c.drill.decisions import load_decisions

    session = _session(tmp_path, small)
    session.log_out = tmp_path / "log.yaml"
    session.handle("undo")
    assert session.messages == ["error: nothing to undo: no decision taken"]
    session.handle("r 10")
    session.handle("d generator S1 6")
    session.handle("undo now")
    assert session.messages == ["error: undo takes nothing: it withdraws the last decision, got 'now'"]
    session.handle("r 10")
    session.handle("undo")  # taken at T+10m, acts at T+2h10: withdrawn at T+20m
    assert session.messages == ["withdrawn: generator S1 6: taken at T+00:10, acts at T+02:10 "
                                "(after the end of the scenario: no effect)"]
    assert session.drill.taken == []
    session.handle("list resources generator")
    assert session.listing[1][0].startswith("generator  generator  2 of 2 left")  # the generator is back
    session.handle('d warning Beta "Boil water"')  # acts after 10 min
    session.handle("r 15")
    session.handle("undo")
    assert session.messages == ["error: cannot undo warning Beta Boil water: it acted from T+00:30"]
    log = session.log_out.read_text()
    assert "withdrawn:\n- undone_at: T+20m\n  at: T+10m\n  decision: generator\n  target: S1" in log
    replayed = load_decisions(session.log_out, session.drill.spec)
    assert [(d.name, d.target) for d in replayed] == [("warning", "Beta")]  # the withdrawn one is not replayed
