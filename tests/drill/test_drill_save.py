"""Save and resume: a drill saved at the prompt goes on later from the same state to the same future."""

from __future__ import annotations

import json
import re

from rich.console import Console
from typer.testing import CliRunner

from _drill_helpers import cli_app, drill_file
from d2c.drill import Drill, load_drill
from d2c.drill.prompt import Session

INJECTS = "[{at: T+1h, text: Batteries low at S3}, {at: T+5h, text: The grid is back soon}]"
# Before the save: a decision acting after it (late-generator, 5 h delay), one undone, one stopped inject.
BEFORE = ["d generator S1 6", "r 2h", "d late-generator S3 6", "d cow Alpha", "undo", "r 2h"]
AFTER = ["d warning everywhere", "r 90m", "d fix S2", "e", "e"]


def _run(tmp_path, args, lines):
    return CliRunner().invoke(cli_app(), ["drill", "drill.yaml", *args], input="".join(f"{x}\n" for x in lines))


def test_saved_at_three_hours_then_resumed_ends_byte_identical_to_straight_through(tmp_path, small, monkeypatch):
    drill_file(tmp_path, small, duration="8h", injects=INJECTS)
    monkeypatch.chdir(tmp_path)
    straight = _run(tmp_path, ["--json", "straight.json", "--log", "straight-log.yaml"], BEFORE + AFTER + ["q"])
    assert straight.exit_code == 0, straight.output
    # the same room saves at T+3h (the inject at T+1h stopped the clock once) and plays on
    saving = _run(tmp_path, ["--json", "saving.json", "--log", "saving-log.yaml"],
                  BEFORE + ["save lunch.yaml"] + AFTER + ["q"])
    assert saving.exit_code == 0, saving.output
    assert "saved at T+03:00 to lunch.yaml" in saving.output
    resumed = _run(tmp_path, ["--resume", "lunch.yaml", "--json", "resumed.json", "--log", "resumed-log.yaml"],
                   AFTER + ["q"])
    assert resumed.exit_code == 0, resumed.output
    assert "resumed at T+03:00 from lunch.yaml" in resumed.output
    first = (tmp_path / "straight.json").read_bytes()
    assert (tmp_path / "saving.json").read_bytes() == first
    assert (tmp_path / "resumed.json").read_bytes() == first

    save = (tmp_path / "lunch.yaml").read_text()
    assert "at: T+180m" in save and "target: S3" in save  # the clock, and the decision still to act
    assert re.search(r"scenario: [0-9a-f]{64}", save) and re.search(r"topology: [0-9a-f]{64}", save)
    log = (tmp_path / "resumed-log.yaml").read_text()
    # both go into the log: the save (kept from the save file) and the resumption
    assert "saved:\n- at: T+180m\n  file: lunch.yaml" in log and "resumed:\n- at: T+180m\n  file: lunch.yaml" in log
    assert "withdrawn:" in log and "decision: cow" in log  # the undone decision kept as a record
    # the resumed log replays to the same result, as any log does
    replay = CliRunner().invoke(cli_app(), ["drill", "drill.yaml", "--decisions", "resumed-log.yaml", "--auto",
                                            "--json", "replayed.json"])
    assert replay.exit_code == 0, replay.output
    assert (tmp_path / "replayed.json").read_bytes() == first


def test_resume_refuses_a_changed_drill_a_non_save_and_a_second_source_in_one_line(tmp_path, small, monkeypatch):
    path = drill_file(tmp_path, small, duration="4h")
    monkeypatch.chdir(tmp_path)
    assert _run(tmp_path, [], ["r 1h", "save s.yaml", "q"]).exit_code == 0
    (tmp_path / "log.yaml").write_text("decisions: []\n")
    for args, expected in (
            (["--resume", "log.yaml"], "log.yaml:1: save: expected a save written by the drill's save command"),
            (["--resume", "s.yaml", "--decisions", "log.yaml"], "give --decisions or --resume, not both"),
            (["--resume", "nope.yaml"], "nope.yaml")):
        run = _run(tmp_path, args, ["q"])
        assert run.exit_code == 2 and expected in run.output, run.output
        assert len(run.output.strip().splitlines()) == 1 and "Traceback" not in run.output
    (tmp_path / "scenario.yaml").write_text((tmp_path / "scenario.yaml").read_text() + "\n# edited\n")
    run = _run(tmp_path, ["--resume", "s.yaml"], ["q"])
    assert run.exit_code == 2 and len(run.output.strip().splitlines()) == 1, run.output
    assert re.search(r"s\.yaml:\d+: save\.files\.scenario: expected the scenario file as saved", run.output)
    assert path.exists()


def test_save_refuses_bad_file_names_in_one_line_and_the_drill_goes_on(tmp_path, small):
    drill = Drill(load_drill(drill_file(tmp_path, small, duration="2h")))
    session = Session(drill, Console(width=160, height=50, record=True, force_terminal=True, color_system=None))
    session.save_default = tmp_path / "default.yaml"
    for line, expected in (("save a b", "error: save takes one file name"),
                           ("save notes.txt", "error: save FILE: expected a .yaml file name, got 'notes.txt'"),
                           (f"save {tmp_path}/missing/x.yaml", "error: save FILE: expected a file in an existing folder")):
        session.handle(line)
        assert len(session.messages) == 1 and session.messages[0].startswith(expected), session.messages
    assert not drill.records.saved  # nothing recorded for a refused save
    session.handle("save")
    assert session.messages[0].startswith(f"saved at T+00:00 to {tmp_path / 'default.yaml'}")
    assert (tmp_path / "default.yaml").exists()


def test_an_ad_hoc_inject_is_shown_logged_replayed_saved_and_in_the_report(tmp_path, small, monkeypatch):
    drill_file(tmp_path, small, duration="2h", injects="[{at: T+1h, text: Scripted news}]")
    monkeypatch.chdir(tmp_path)
    lines = ["r 30", "inject The mayor of Beta asks   whether the school can shelter 200 people",
             "save mid.yaml", "r 10", "q"]
    run = _run(tmp_path, ["--log", "log.yaml", "--json", "room.json"], lines)
    assert run.exit_code == 0, run.output
    assert "inject added at T+00:30: in the log and the after-action report" in run.output
    assert "(facilitator) The mayor of Beta asks whether the school" in run.output  # shown as due, in full
    log = (tmp_path / "log.yaml").read_text()
    assert "injects:\n- at: T+30m\n  text: The mayor of Beta asks whether the school can shelter 200 people" in log
    doc = json.loads((tmp_path / "room.json").read_text())
    injects = doc["drill"]["injects"]
    assert [(i["t_s"], i.get("ad_hoc", False)) for i in injects] == [(1800.0, True), (3600.0, False)]
    report = CliRunner().invoke(cli_app(), ["report", "room.json", "--format", "md", "--out", "-"])
    assert "INJECT (ad hoc, by the facilitator): The mayor of Beta asks" in report.output
    # the log replays it (same bytes), and a save resumes with it
    replay = CliRunner().invoke(cli_app(), ["drill", "drill.yaml", "--decisions", "log.yaml", "--auto",
                                            "--json", "replayed.json"])
    assert replay.exit_code == 0, replay.output
    assert (tmp_path / "replayed.json").read_bytes() == (tmp_path / "room.json").read_bytes()
    resumed = _run(tmp_path, ["--resume", "mid.yaml", "--json", "resumed.json"], ["r 10", "q"])
    assert resumed.exit_code == 0, resumed.output
    assert (tmp_path / "resumed.json").read_bytes() == (tmp_path / "room.json").read_bytes()


def test_a_bad_ad_hoc_inject_is_refused_in_one_line(tmp_path, small):
    drill = Drill(load_drill(drill_file(tmp_path, small, duration="1h")))
    session = Session(drill, Console(width=160, height=50, record=True, force_terminal=True, color_system=None))
    for line, expected in (("inject", "error: inject needs its text: inject TEXT"),
                           ("inject    ", "error: inject needs its text"),
                           ("inject " + "x" * 501, "error: inject: at most 500 characters, got 501")):
        session.handle(line)
        assert len(session.messages) == 1 and session.messages[0].startswith(expected), session.messages
    assert drill.adhoc == []
    session.handle("e")
    session.handle("inject Too late")
    assert session.messages == ["error: the scenario has ended: no more injects"]
