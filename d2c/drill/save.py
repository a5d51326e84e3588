"""Save a drill at the prompt and resume it later: the same state and the same future.

A drill is deterministic: its log replays to the same bytes. So a save is the
log up to now (the decisions taken, the scripted ones still to come, the
withdrawn ones) with a ``save:`` block: the clock when it was saved and a
SHA-256 of each file the drill is made of (drill, scenario, topology). Resuming
checks the files are unchanged, replays the decisions through the same
``Drill`` to the saved clock, and hands the room the prompt again::

    drill: amatrice-2016-drill
    save:
      at: T+3h
      files: {drill: 9f2c..., scenario: 41ab..., topology: 07de...}
    decisions:
      - {at: T+20m, decision: warning, target: everywhere, text: ...}
    saved:
      - {at: T+3h, file: lunch.yaml}

The log of the drill records every save (``saved:``) and every resumption
(``resumed:``); both are read past when a log is replayed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from d2c.base import reader as r
from d2c.drill.decisions import Decision, LogMark, LogRecords, at_text, decisions_yaml, read_log
from d2c.drill.runner import Drill
from d2c.drill.spec import DrillSpec

__all__ = ["Saved", "fingerprint", "save_yaml", "load_save", "resume"]


@dataclass(frozen=True)
class Saved:
    """A save read back: the clock, the decisions (taken and still to come), and the log's records."""

    at_s: float
    decisions: list[Decision]
    withdrawn: list[tuple[float, Decision]]
    records: LogRecords
    injects: list = field(default_factory=list)  # the facilitator's ad-hoc injects


def fingerprint(spec: DrillSpec) -> dict[str, str]:
    """SHA-256 of the files the drill is made of, by role (a scenario standing in for a drill: drill is it)."""
    files = {"drill": spec.path, "scenario": spec.scenario.path, "topology": spec.scenario.topology.path}
    return {role: hashlib.sha256(Path(path).read_bytes()).hexdigest() for role, path in files.items() if path}


def save_yaml(drill: Drill, file: str) -> str:
    """The save of ``drill`` now, to be written to ``file``; the save is also recorded in the drill's log."""
    drill.records.saved.append(LogMark(at_text(drill.t_s), str(file)))
    save = {"at": at_text(drill.t_s), "files": fingerprint(drill.spec)}
    header = (f"# Drill {drill.spec.name} saved at {at_text(drill.t_s)}. Resume: "
              "d2c drill DRILL_FILE --resume THIS_FILE\n")
    return decisions_yaml(drill.decisions + list(drill.pending), drill.spec.name, drill.withdrawn, drill.records,
                          save=save, header=header, injects=drill.adhoc)


def load_save(path: str | Path, spec: DrillSpec) -> Saved:
    """A save checked in full against ``spec``: a changed drill, scenario or topology file, or a bad
    entry, is a ConfigError at its line."""
    f = r.Fields(r.compose_file(path), r.Ctx(str(path)))
    if not f.has("save"):
        raise f.ctx.child("save").error(f.node, "a save written by the drill's save command (a save: block)", None)
    log = read_log(f, spec)
    block = r.Fields(f.node_of("save"), f.ctx.child("save"))
    at_s = block.req("at", r.moment_s(spec.scenario.start))
    if not 0 <= at_s <= spec.scenario.duration_s:
        raise block.ctx.child("at").error(block.node_of("at"), "a time within the scenario", at_text(at_s))
    files = r.Fields(block.node_of("files"), block.ctx.child("files")) if block.has("files") else None
    if files is None:
        raise block.ctx.child("files").error(block.node, "the SHA-256 of the drill's files", None)
    now = fingerprint(spec)
    for role, digest in now.items():
        saved = files.req(role, r.string)
        if saved != digest:
            raise files.ctx.child(role).error(files.node_of(role), f"the {role} file as saved (sha256 {saved[:12]}...)",
                                              f"a changed file (sha256 {digest[:12]}...)")
    files.done()
    block.req("files", lambda n, c: None)
    block.done()
    f.req("save", lambda n, c: None)
    f.done()
    return Saved(at_s, log.decisions, log.withdrawn, log.records, log.injects)


def resume(spec: DrillSpec, saved: Saved, source: str, traffic: bool = True) -> Drill:
    """The drill as it was saved: its decisions replayed to the saved clock (the later ones still to come),
    its withdrawn decisions and records kept for the log, and the resumption recorded."""
    drill = Drill(spec, scripted=saved.decisions, traffic=traffic, adhoc=saved.injects)
    drill.advance(saved.at_s)
    drill.withdrawn = list(saved.withdrawn)
    drill.records = saved.records.copy()
    drill.records.resumed.append(LogMark(at_text(drill.t_s), str(source)))
    drill.just_due = [i for i in (*spec.injects, *drill.adhoc) if drill.t_s - spec.scenario.step_s < i.at_s <= drill.t_s]
    return drill
