"""The ``d2c`` command. Thin: parse arguments, call the library, render.

Bad input (a wrong YAML field, a missing file) prints one line naming the
file, line and field, and exits with status 2; never a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from d2c.config.errors import ConfigError
from d2c.config.scenario import load_scenario
from d2c.config.topology import load_topology
from d2c.engine import Simulation
from d2c.report import terminal
from d2c.report.files import write_json

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="d2c: how much emergency service survives an incident, with and without direct-to-cell satellites.")
console = Console()
errors = Console(stderr=True)

EXIT_BAD_INPUT = 2


def _fail(message: str) -> None:
    errors.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(EXIT_BAD_INPUT)


@app.command()
def run(
    scenario: Path = typer.Argument(..., help="Scenario YAML file."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Also write the result as JSON to this file."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar and no report (use with --json)."),
) -> None:
    """Run a scenario and report how much emergency service survived, step by step."""
    try:
        sc = load_scenario(scenario)
    except ConfigError as exc:
        _fail(str(exc))
    sim = Simulation(sc)
    if quiet:
        result = sim.run()
    else:
        with Progress(TextColumn("[bold]{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total} steps"),
                      TimeElapsedColumn(), TimeRemainingColumn(), console=console, transient=True) as progress:
            task = progress.add_task(sc.name, total=sim.steps)
            result = sim.run(on_step=lambda state: progress.advance(task))
    if json_out is not None:
        write_json(json_out, result.to_dict())
    if not quiet:
        terminal.render(result, console)
        if json_out is not None:
            console.print(f"[dim]JSON written to {json_out}[/]")


@app.command()
def validate(files: List[Path] = typer.Argument(..., help="Scenario or topology YAML files.")) -> None:
    """Check files without running them: every field, unit and reference."""
    failed = 0
    for path in files:
        try:
            kind = _kind_of(path)
            if kind == "scenario":
                sc = load_scenario(path)
                detail = f"scenario, {len(sc.incidents)} incident(s), {sc.steps} steps on {sc.topology.name}"
            else:
                topo = load_topology(path)
                detail = f"topology, {len(topo.areas)} areas, {len(topo.sites)} sites, {len(topo.links)} links"
            console.print(f"[green]ok[/] {path}: {detail}", highlight=False)
        except ConfigError as exc:
            errors.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
            failed += 1
    if failed:
        raise typer.Exit(EXIT_BAD_INPUT)


def _kind_of(path: Path) -> str:
    """A scenario names a topology; anything else is read as a topology."""
    from d2c.config import reader as r

    root = r.compose_file(path)
    return "scenario" if r.Fields(root, r.Ctx(str(path))).has("topology") else "topology"


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
