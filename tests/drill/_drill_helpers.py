"""Shared by the drill tests: a drill on the small topology, a shortened copy of the shipped scenario."""

from __future__ import annotations

import textwrap
from pathlib import Path

import typer

from conftest import ROOT

HOUR = 3600.0

CATALOGUE = """
decisions:
  generator: {action: generator, delay: 2h, cost_eur: 1500, available: 2, fuel_hours: 6}
  late-generator: {action: generator, delay: 5h, cost_eur: 1500, fuel_hours: 6}
  cow: {action: cell-on-wheels, delay: 1h, cost_eur: 8000, capacity_calls: 20, fuel_hours: 12,
        backhaul: satellite-operator}
  warning: {action: warning, delay: 10m, text: Stay away from damaged buildings}
  roaming: {action: national-roaming, delay: 1h}
  priority: {action: priority}
  d2c-on: {action: d2c-on}
  fibre: {action: repair-link, delay: 1h, cost_eur: 5000}
  fix: {action: repair-equipment, delay: 1h}
"""

BLACKOUT = "[{kind: blackout, area: everywhere, at: 0, duration: 24h}]"


def drill_file(tmp_path: Path, small, incidents: str = BLACKOUT, duration: str = "8h", injects: str = "[]",
               catalogue: str = CATALOGUE, extra: str = "") -> Path:
    """A drill on the small topology (scenario written by the ``small`` fixture).

    Restoration is off so that a decision acts exactly at its effective time: these
    tests are about the drill's clock (decisions through the crews: tests/restoration/).
    """
    small(incidents, duration=duration, extra="restoration: off")
    text = f"""
name: small-drill
description: A blackout over two villages.
scenario: scenario.yaml
objectives:
  - {{text: Keep 112 up, measure: emergency_service_survival, at_least: 0.99}}
  - Talk to the operators early
injects: {injects}
{extra}
""" + textwrap.dedent(catalogue)
    path = tmp_path / "drill.yaml"
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def amatrice_copy(tmp_path: Path, hours: int = 8, d2c: bool = True) -> Path:
    """The shipped scenario, shortened to ``hours``, beside a drill-ready folder in ``tmp_path``."""
    text = (ROOT / "scenarios" / "amatrice-2016.yaml").read_text(encoding="utf-8")
    topology = (ROOT / "topologies" / "centro-italia.yaml").as_posix()
    text = text.replace("topology: ../topologies/centro-italia.yaml", f"topology: {topology}")
    assert "duration: 24h" in text
    text = text.replace("duration: 24h", f"duration: {hours}h")
    if not d2c:
        text = text.split("\nd2c:")[0] + "\n"
    text += "restoration: off  # decisions act at their effective time (crews: tests/restoration/)\n"
    path = tmp_path / "amatrice.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def states_to_end(drill) -> list:
    """Advance step by step (decisions and injects handled as the drill does), keeping each state."""
    states = []
    while not drill.done:
        drill.next_step()
        states.append(drill.last)
    return states


def cli_app() -> typer.Typer:
    """The main app, where ``drill`` and ``report`` are registered."""
    from d2c.cli import app

    return app


def scripted_reader(*answers):
    """A read() for Session.loop: each answer is a line, or an exception to raise (Ctrl-C)."""
    queue = list(answers)

    def read(prompt):
        answer = queue.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        return answer
    return read
