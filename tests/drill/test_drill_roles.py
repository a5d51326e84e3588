"""Roles: each decision of the catalogue belongs to a role, a player plays one, and the report rates each role."""

from __future__ import annotations

import json

from rich.console import Console
from typer.testing import CliRunner

from _drill_helpers import cli_app, drill_file
from d2c.drill import Drill, load_drill
from d2c.drill.prompt import Session

CATALOGUE = """
decisions:
  generator: {action: generator, delay: 10m, fuel_hours: 6, role: civil-protection}
  warning: {action: warning, delay: 10m, text: Stay away from damaged buildings, role: civil-protection}
  fix: {action: repair-equipment, delay: 10m, role: operators}
  priority: {action: priority}
"""
OBJECTIVES = """
objectives:
  - {text: Keep 112 up, measure: emergency_service_survival, at_least: 0.5, role: 112-centre}
  - {text: Warn everyone, measure: warning_reach_fraction, at_least: 0.99, role: civil-protection}
  - {text: Spend little, measure: cost_eur, at_most: 0, role: civil-protection}
  - {text: Talk to the operators early, role: operators}
"""


def _drill_path(tmp_path, small):
    path = drill_file(tmp_path, small, duration="1h", catalogue=CATALOGUE)
    text = path.read_text().split("objectives:")[0] + OBJECTIVES.lstrip("\n") + "injects: []\n" + CATALOGUE
    path.write_text(text)
    return path


def test_a_role_takes_its_own_decisions_only_and_bad_roles_are_refused_in_one_line(tmp_path, small):
    spec = load_drill(_drill_path(tmp_path, small))
    assert spec.roles == ["civil-protection", "operators", "112-centre"]
    session = Session(Drill(spec), Console(width=160, height=50, record=True, force_terminal=True, color_system=None))
    session.handle("role operators")
    assert session.messages == ["role: operators"]
    session.handle("d generator S1")
    assert session.messages == ["error: generator is a decision of civil-protection, not of operators "
                                "(role civil-protection to take it)"]
    session.handle("d fix S2")
    assert session.messages[0].startswith("decided: fix S2")
    session.handle("d priority")  # a decision with no role: anyone's
    assert session.messages[0].startswith("decided: priority")
    for line, expected in (("role mayor", "error: no role 'mayor' in this drill (roles: civil-protection, operators, "
                                          "112-centre; all for every decision)"),
                           ("role a b", "error: role takes one name")):
        session.handle(line)
        assert len(session.messages) == 1 and session.messages[0].startswith(expected), session.messages
    assert session.drill.role == "operators"  # a refused change keeps the role
    session.draw()
    screen = session.console.export_text()
    assert "role operators" in screen and "fix " in screen and "generator " not in screen.split("catalogue")[-1]
    session.handle("role all")
    session.handle("d generator S1")
    assert session.messages[0].startswith("decided: generator S1")
    assert "112-centre" in session.complete("role 11")


def test_role_at_the_command_line_and_in_the_file_refused_in_one_line(tmp_path, small, monkeypatch):
    path = _drill_path(tmp_path, small)
    monkeypatch.chdir(tmp_path)
    run = CliRunner().invoke(cli_app(), ["drill", path.name, "--role", "mayor"], input="q\n")
    assert run.exit_code == 2 and run.output.strip().splitlines() == [
        "error: --role: no role 'mayor' in this drill (roles: civil-protection, operators, 112-centre; all for every "
        "decision)"]
    path.write_text(path.read_text().replace("role: operators}", "role: mobile operators}"))
    run = CliRunner().invoke(cli_app(), ["drill", path.name, "--auto"])
    assert run.exit_code == 2 and len(run.output.strip().splitlines()) == 1
    assert "objectives[3].role: expected a role name of letters, digits" in run.output and "got 'mobile operators'" in run.output


def test_the_after_action_report_rates_each_roles_objectives(tmp_path, small, monkeypatch):
    path = _drill_path(tmp_path, small)
    monkeypatch.chdir(tmp_path)
    run = CliRunner().invoke(cli_app(), ["drill", path.name, "--role", "civil-protection", "--json", "r.json"],
                             input="d generator S1\nd warning everywhere\nq\n")
    assert run.exit_code == 0, run.output
    doc = json.loads((tmp_path / "r.json").read_text())
    objectives = {o["text"]: o for o in doc["drill"]["objectives"]}
    assert objectives["Spend little"]["role"] == "civil-protection" and objectives["Spend little"]["met"] is True
    assert {c["name"]: c.get("role") for c in doc["drill"]["catalogue"]}["fix"] == "operators"
    report = CliRunner().invoke(cli_app(), ["report", "r.json", "--format", "md", "--out", "-"]).output
    section = report.split("Objectives by role")[1]
    rows = {line.split("|")[1].strip(): [c.strip() for c in line.split("|")[2:-1]]
            for line in section.splitlines() if line.startswith("| ") and "role" not in line}
    # civil protection: two measured objectives; 112 centre one; the operators' one is for the players to assess
    assert rows["civil-protection"][:4] == ["2", str(sum(o["met"] is True for o in doc["drill"]["objectives"]
                                                          if o.get("role") == "civil-protection")),
                                            str(sum(o["met"] is False for o in doc["drill"]["objectives"]
                                                    if o.get("role") == "civil-protection")), "0"]
    assert rows["operators"][:4] == ["1", "0", "0", "1"]
    assert rows["112-centre"][0] == "1"
