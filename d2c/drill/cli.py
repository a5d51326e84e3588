"""The ``drill`` and ``report`` commands, ready to be registered on the main typer app.

    app.command()(drill)
    app.command()(report)

Bad input (a wrong field in a drill or decisions file, a missing file, an
unreadable result) prints one line and exits with status 2, as ``d2c run`` does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from d2c.cli_common import check_output, console, fail, plain
from d2c.config.errors import ConfigError
from d2c.drill.decisions import DecisionError, load_decisions
from d2c.drill.prompt import Session
from d2c.drill.result import document
from d2c.drill.runner import Drill
from d2c.drill.spec import load_drill
from d2c.report import aar
from d2c.report.files import write_atomic, write_json

def drill(
    scenario_or_drill_file: Path = typer.Argument(
        ..., help="Drill file (or a scenario file: no injects, the default decision catalogue)."),
    decisions: Optional[Path] = typer.Option(
        None, "--decisions", help="Scripted decisions or a recorded log: each is taken when the clock reaches it."),
    auto: bool = typer.Option(False, "--auto", help="Play without a person: the scripted decisions only."),
    log_out: Optional[Path] = typer.Option(
        None, "--log", help="Write the decision log here (the --decisions format), after every decision."),
    json_out: Optional[Path] = typer.Option(
        None, "--json", help="Write the result here, with the same drill without the players' decisions."),
) -> None:
    """Run a tabletop drill: a clock, injects, the players' decisions, then the after-action report."""
    check_output(log_out, json_out)
    try:
        spec = load_drill(scenario_or_drill_file)
        scripted = load_decisions(decisions, spec) if decisions is not None else []
    except ConfigError as exc:
        fail(str(exc))
    if auto:
        try:
            session = Drill(spec, scripted=scripted, strict=True, traffic=True)
            session.run_to_end()
        except DecisionError as exc:
            fail(f"{decisions}: {exc}")
    else:
        session = Drill(spec, scripted=scripted, traffic=True)
        Session(session, console, log_out).loop()
    if log_out is not None:
        write_atomic(log_out, session.log_yaml())
    with console.status(f"measuring the effect of {len(session.taken)} decision(s) against the same drill without them"):
        doc = document(session)
    if json_out is not None:
        write_json(json_out, doc)
    for part in aar.renderables(doc, detail=False, width=console.width):
        console.print(part)
    for path, what in ((log_out, "decision log"), (json_out, "result JSON")):
        if path is not None:
            console.print(f"[dim]{what} written to {plain(path)}[/]", highlight=False)


def report(
    result_json: Path = typer.Argument(..., help="Result JSON from d2c drill --json (or d2c run --json)."),
    format: Optional[str] = typer.Option(  # noqa: A002 - the option is --format
        None, "--format", "-f", help="md, html, svg or txt (default: from --out's suffix; the terminal without --out)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write the report to this file (atomically)."),
) -> None:
    """The after-action report of a drill: overview, timelines, failures, decisions' effect, D2C, lessons."""
    fmt = format or (out.suffix.lstrip(".").lower() if out is not None else None)
    if fmt == "markdown":
        fmt = "md"
    if out is not None and fmt not in aar.FORMATS:
        fail(f"--format: expected one of {', '.join(aar.FORMATS)}, got {fmt or out.suffix or 'nothing'!r}")
    if fmt is not None and fmt not in aar.FORMATS:
        fail(f"--format: expected one of {', '.join(aar.FORMATS)}, got {fmt!r}")
    check_output(out)
    try:
        doc = aar.load_result(result_json)
    except aar.ResultFileError as exc:
        fail(str(exc))
    try:
        if out is None and fmt is None:
            parts = aar.renderables(doc, width=console.width)
            for part in parts:
                console.print(part)
            return
        text = aar.render(doc, fmt)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError, ArithmeticError, RecursionError) as exc:
        fail(f"{result_json}: expected a d2c result JSON, it lacks or mangles {str(exc)[:80] or type(exc).__name__}")
    if out is None:
        console.file.write(text)
        return
    write_atomic(out, text)
    console.print(f"[dim]{fmt} report written to {plain(out)}[/]", highlight=False)
