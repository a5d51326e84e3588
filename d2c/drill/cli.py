"""The ``drill`` and ``report`` commands, ready to be registered on the main typer app.

    app.command()(drill)
    app.command()(report)

Bad input (a wrong field in a drill or decisions file, a missing file, an
unreadable result) prints one line and exits with status 2, as ``d2c run`` does.
``--json -`` and ``--out -`` write to standard output; on a pipe the report is
Markdown, whole lines.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from d2c.cli_common import EXIT_INTERRUPTED, check_output, console, errors, fail, plain
from d2c.base.errors import ConfigError
from d2c.timetext import offset_text
from d2c.drill.attach import attach
from d2c.drill.decisions import DecisionError, Log, load_log
from d2c.drill.lineinput import line_reader
from d2c.drill.prompt import Session
from d2c.drill.result import drill_result
from d2c.drill.runner import Drill
from d2c.drill.save import load_save, resume
from d2c.drill.serve import RoomServer
from d2c.drill.spec import load_drill
from d2c.drill.wire import AddressError, parse_address
from d2c.report import aar
from d2c.report.console import print_parts
from d2c.report.document import FORMATS, render
from d2c.report.lang import LANGUAGES
from d2c.report.files import is_stdout, write_json, write_output
from d2c.result import Result, ResultFileError, load_result

ReportFormat = Enum("ReportFormat", {f: f for f in FORMATS}, type=str)
Language = Enum("Language", {code: code for code in LANGUAGES}, type=str)


def drill(
    scenario_or_drill_file: Optional[Path] = typer.Argument(
        None, help="Drill file (or a scenario file: no injects, the default decision catalogue); "
                   "none with --attach."),
    decisions: Optional[Path] = typer.Option(
        None, "--decisions", help="Scripted decisions or a recorded log: each is taken when the clock reaches it."),
    auto: bool = typer.Option(False, "--auto", help="Play without a person: the scripted decisions only."),
    log_out: Optional[Path] = typer.Option(
        None, "--log", help="Write the decision log here (the --decisions format), after every decision."),
    json_out: Optional[Path] = typer.Option(
        None, "--json", help="Write the result here, with the same drill without the players' decisions (- for stdout)."),
    role: Optional[str] = typer.Option(
        None, "--role", help="Play as this role: its decisions only (the catalogue's role:); role at the prompt changes it."),
    resume_from: Optional[Path] = typer.Option(
        None, "--resume", help="Go on from a save (the prompt's save command): same state, same future."),
    serve: Optional[str] = typer.Option(
        None, "--serve", metavar="ADDR", help="Serve the players' view at ADDR (a socket path, or 127.0.0.1:PORT) "
        "for terminals that attach; this terminal stays the facilitator's."),
    attach_to: Optional[str] = typer.Option(
        None, "--attach", metavar="ADDR", help="Attach to a drill served at ADDR as a player (with --role: "
        "that role's view and decisions)."),
) -> None:
    """Run a tabletop drill: a clock, injects, the players' decisions, then the after-action report."""
    if attach_to is not None:
        given = [flag for flag, value in (("a drill file", scenario_or_drill_file), ("--decisions", decisions),
                                          ("--auto", auto or None), ("--log", log_out), ("--json", json_out),
                                          ("--resume", resume_from), ("--serve", serve)) if value is not None]
        if given:
            fail(f"--attach: the drill is the facilitator's; a player gives only --role, got {given[0]}")
        _attach(attach_to, role)
        return
    if scenario_or_drill_file is None:
        fail("drill: expected a drill file (or --attach ADDR to join a served drill), got none")
    address = None
    if serve is not None:
        if auto:
            fail("--serve: players attach to the interactive drill; give --serve or --auto, not both")
        try:
            address = parse_address(serve)
        except AddressError as exc:
            fail(f"--serve: {exc}")
    check_output(log_out, json_out)
    try:
        spec = load_drill(scenario_or_drill_file)
        if resume_from is not None and decisions is not None:
            fail(f"--resume {plain(resume_from)}: the save holds the decisions; give --decisions or --resume, not both")
        log = load_log(decisions, spec) if decisions is not None else Log([])
        saved = load_save(resume_from, spec) if resume_from is not None else None
    except ConfigError as exc:
        fail(str(exc))
    if saved is not None:
        with console.status(f"replaying the save to {offset_text(saved.at_s)}"):
            session = resume(spec, saved, str(resume_from))
    if auto:
        try:
            if saved is None:
                session = Drill(spec, scripted=log.decisions, strict=True, traffic=True, adhoc=log.injects)
            session.run_to_end()
        except DecisionError as exc:
            fail(f"{decisions}: {exc}")
    else:
        if saved is None:
            session = Drill(spec, scripted=log.decisions, traffic=True, adhoc=log.injects)
        try:
            session.set_role(role)
        except DecisionError as exc:
            fail(f"--role: {exc}")
        room = Session(session, console, log_out)
        server = RoomServer(room, address) if address is not None else None
        if server is not None:
            try:
                server.open()
            except AddressError as exc:
                fail(f"--serve: {exc}")
            room.facilitator = True
            room.on_change = server.publish
            room.messages.append(f"serving the players' view at {address}: d2c drill --attach {address} "
                                 "[--role ROLE]")
        try:
            finished = room.loop()
        finally:
            if server is not None:
                server.close("the facilitator ended the drill" if session.done else "the facilitator stopped the drill")
        if not finished:
            kept = f"; the decision log so far is in {plain(log_out)}" if log_out is not None and session.taken else ""
            if room.saved_to is not None:
                kept = (f"; saved at {offset_text(session.t_s)} to {plain(room.saved_to)}: resume with "
                        f"d2c drill {plain(scenario_or_drill_file)} --resume {plain(room.saved_to)}")
            errors.print(f"drill stopped after Ctrl-C: no result or report written{kept}", highlight=False)
            raise typer.Exit(EXIT_INTERRUPTED)
    out = errors if is_stdout(json_out) else console
    if log_out is not None:
        write_output(log_out, session.log_yaml())
    with out.status(f"measuring the effect of {len(session.taken)} decision(s) against the same drill without them"):
        result = drill_result(session)
    if json_out is not None:
        write_json(json_out, result.to_dict())
    _show(out, result, detail=False)
    for path, what in ((log_out, "decision log"), (json_out, "result JSON")):
        if path is not None and not is_stdout(path):
            out.print(f"[dim]{what} written to {plain(path)}[/]", highlight=False)


def _attach(address_text: str, role: str | None) -> None:
    """A player's terminal on a served drill; one line and status 2 for a bad address or role."""
    try:
        address = parse_address(address_text)
    except AddressError as exc:
        fail(f"--attach: {exc}")
    try:
        last = attach(address, role, console, line_reader(console, lambda text: []))
    except AddressError as exc:
        fail(f"--attach: {exc}" if not str(exc).startswith("--") else str(exc))
    console.print(last, highlight=False, markup=False)


def _show(out: Console, result: Result, detail: bool, lang: str = "en") -> None:
    """The report on a terminal in colour; on a pipe as Markdown, whole lines that other tools can read."""
    if out.is_terminal:
        print_parts(out, aar.renderables(result, detail=detail, width=out.width, lang=lang))
    else:
        out.file.write(aar.markdown(result, detail=detail, lang=lang))
        out.file.flush()


def report(
    result_json: Path = typer.Argument(..., help="Result JSON from d2c drill --json (or d2c run --json)."),
    format: Optional[ReportFormat] = typer.Option(  # noqa: A002 - the option is --format
        None, "--format", "-f", help="The document's format (default: from --out's suffix; the terminal without --out)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write the report to this file (atomically; - for stdout)."),
    lang: Language = typer.Option("en", "--lang", help="Language of the report's headings, labels and ratings "
                                  "(it: Italian)."),
) -> None:
    """The after-action report of a drill: overview, timelines, failures, decisions' effect, D2C, lessons."""
    fmt = format.value if format is not None else None
    if fmt is None and out is not None and not is_stdout(out):
        suffix = out.suffix.lstrip(".").lower()
        fmt = {"markdown": "md", "htm": "html", "text": "txt"}.get(suffix, suffix)
        if fmt not in FORMATS:
            fail(f"--format: expected one of {', '.join(FORMATS)}, got {out.suffix.lstrip('.') or 'no suffix'!r}")
    check_output(out)
    try:
        result = load_result(result_json)
    except ResultFileError as exc:
        fail(str(exc))
    if fmt is None:  # the loader checked every field the report reads: rendering needs no guard of its own
        _show(console, result, detail=True, lang=lang.value)
        return
    text = render(result, fmt, lang.value)
    write_output(out if out is not None else "-", text)
    if out is not None and not is_stdout(out):
        console.print(f"[dim]{fmt} report written to {plain(out)}[/]", highlight=False)
