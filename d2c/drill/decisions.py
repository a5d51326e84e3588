"""Decisions: checking one against the catalogue and the topology, and the decisions file.

The scripted decisions file and the log a drill writes share one format, so a
recorded session replays as a script::

    decisions:
      - {at: T+90m, decision: generator, target: TIM-3179980-1, fuel_hours: 12}
      - {at: T+2h, decision: warning, target: Amatrice, text: Stay out of damaged buildings.}

``at`` is when the decision is taken; its catalogue delay comes on top.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from d2c.base import reader as r
from d2c.drill.kinds import NONE, choice_arg, number_arg
from d2c.drill.spec import DrillSpec, Inject, within_scenario, param_parser


class DecisionError(Exception):
    """A decision the drill cannot take; the message is one line for the players."""


@dataclass(frozen=True)
class Decision:
    at_s: float
    name: str
    target: str | None
    args: dict = field(default_factory=dict)


def check(spec: DrillSpec, name: str, target: str | None, given: dict) -> tuple[str | None, dict]:
    """The decision's target and full arguments (defaults filled in), or DecisionError."""
    if name not in spec.catalogue:
        close = difflib.get_close_matches(name, list(spec.catalogue), n=1)
        hint = f"; did you mean {close[0]}?" if close else ""
        raise DecisionError(f"no decision {name!r} in the catalogue (one of: {', '.join(spec.catalogue)}){hint}")
    dtype = spec.catalogue[name]
    kind = dtype.kind
    problem = spec.targets.problem(kind.target, target)
    if problem:
        raise DecisionError(f"{name}: {problem}")
    known = {p.name for p in kind.params}
    unknown = sorted(set(given) - known)
    if unknown:
        raise DecisionError(f"{name}: unknown argument {unknown[0]!r} (known: {', '.join(sorted(known)) or 'none'})")
    args = {p.name: given.get(p.name, dtype.defaults.get(p.name, p.default)) for p in kind.params}
    missing = [p for p in kind.params if args[p.name] is None]
    if missing:
        raise DecisionError(f"{name}: needs {missing[0].name} ({missing[0].meaning})")
    if args.get("backhaul") == "gateway" and not spec.targets.gateways:
        raise DecisionError(f"{name}: backhaul gateway needs a satellite gateway in the topology; "
                            "use backhaul=satellite-operator")
    return (None if kind.target == NONE else target), args


def from_words(spec: DrillSpec, words: list[str]) -> tuple[str, str | None, dict]:
    """``NAME [TARGET] [ARG ...]`` as typed at the prompt: positional args in order, or ``key=value``."""
    if not words:
        raise DecisionError("which decision? d NAME TARGET [ARGS], e.g. d generator SITE-ID 12")
    name, rest = words[0], list(words[1:])
    if name not in spec.catalogue:
        check(spec, name, None, {})  # raises the helpful message
    kind = spec.catalogue[name].kind
    target = None
    if kind.target != NONE or (rest and (rest[0] == "everywhere" or not kind.params)):
        target = rest.pop(0) if rest else None
    given: dict = {}
    positional = list(kind.params)
    names = {p.name for p in kind.params}
    while rest:
        word = rest.pop(0)
        key, eq, value = word.partition("=")
        if eq and key in names:
            param = _param(kind, key)
        elif eq and key.isidentifier() and not (positional and positional[0].kind == "text"):
            raise DecisionError(f"{name}: unknown argument {key!r} (known: {', '.join(sorted(names)) or 'none'})")
        elif positional:
            param, value = positional[0], word
        else:
            raise DecisionError(f"{name}: too many arguments from {word!r}")
        if param in positional:
            positional.remove(param)
        if param.kind == "text":
            value = " ".join([value, *rest]).strip()
            rest = []
            if not value:
                raise DecisionError(f"{name}: {param.name} must not be empty")
            given[param.name] = value
            continue
        try:
            given[param.name] = number_arg(param, value) if param.kind == "number" else choice_arg(param, value)
        except ValueError as exc:
            raise DecisionError(f"{name}: {exc}") from None
    return name, target, given


# Blocks of a log that are records for the debrief, read past when it is replayed: the saves of the
# drill and its resumptions (d2c/drill/save.py). ``withdrawn:`` is read by ``read_log``.
RECORDS = ("saved", "resumed")


@dataclass(frozen=True)
class LogMark:
    """One record of a drill's log: the clock when the drill was saved or resumed (as written), and the file."""

    at: str  # T+90m
    file: str


@dataclass
class LogRecords:
    """The records a drill's log keeps for the debrief (``RECORDS``): every save and every resumption."""

    saved: list[LogMark] = field(default_factory=list)
    resumed: list[LogMark] = field(default_factory=list)

    def blocks(self) -> dict[str, list[dict]]:
        """The log's blocks, in ``RECORDS`` order, each only when it has a record.

        >>> LogRecords(saved=[LogMark("T+90m", "room.yaml")]).blocks()
        {'saved': [{'at': 'T+90m', 'file': 'room.yaml'}]}
        """
        return {key: [{"at": m.at, "file": m.file} for m in getattr(self, key)] for key in RECORDS
                if getattr(self, key)}

    def copy(self) -> "LogRecords":
        return LogRecords(list(self.saved), list(self.resumed))


@dataclass(frozen=True)
class Log:
    """A decisions file read in full: the decisions to take, and the withdrawn ones (when undone, the decision)."""

    decisions: list[Decision]
    withdrawn: list[tuple[float, Decision]] = field(default_factory=list)
    records: LogRecords = field(default_factory=LogRecords)
    injects: list[Inject] = field(default_factory=list)  # the facilitator's ad-hoc injects


def load_log(path: str | Path, spec: DrillSpec) -> Log:
    """A decisions file or log checked in full, with its ad-hoc injects and records."""
    f = r.Fields(r.compose_file(path), r.Ctx(str(path)))
    log = read_log(f, spec)
    f.opt("save", lambda node, ctx: None, None)  # a save replays as a log: its clock is the replay's to reach
    f.done()
    return log


def load_decisions(path: str | Path, spec: DrillSpec) -> list[Decision]:
    """A decisions file checked in full: a bad entry is a ConfigError at its line."""
    return load_log(path, spec).decisions


def read_log(f: r.Fields, spec: DrillSpec) -> Log:
    """The decisions, withdrawn decisions and records of a decisions file or a save, checked in full;
    ``f.done()`` is left to the caller (a save has a block of its own)."""
    f.opt("drill", r.text, "")
    at = within_scenario(r.moment_s(spec.scenario.start), spec.scenario, decision=True)
    decisions = []
    used: dict[str, int] = {}
    for node, ctx in r.each(f, "decisions"):
        decision = _decision(node, ctx, spec, at)[0]
        dtype = spec.catalogue[decision.name]
        used[decision.name] = used.get(decision.name, 0) + 1
        if dtype.available is not None and used[decision.name] > dtype.available:
            raise ctx.child("decision").error(r.Fields(node, ctx).node_of("decision"),
                                              f"at most {dtype.available} {decision.name!r} decision(s), "
                                              "the number available", f"decision number {used[decision.name]}")
        decisions.append(decision)
    withdrawn = []
    for node, ctx in r.each(f, "withdrawn"):
        decision, undone_s = _decision(node, ctx, spec, at, undone=True)
        withdrawn.append((undone_s, decision))
    injects = []
    for node, ctx in r.each(f, "injects"):
        e = r.Fields(node, ctx)
        injects.append(Inject(e.req("at", at), " ".join(e.req("text", r.string).split()), ad_hoc=True))
        e.done()
    records = LogRecords(**{key: f.opt(key, r.list_of(_mark), []) for key in RECORDS})
    return Log(sorted(decisions, key=lambda d: d.at_s), withdrawn, records, sorted(injects, key=lambda i: i.at_s))


def _mark(node, ctx) -> LogMark:
    """One entry of a record block: when (as written) and which file."""
    if not isinstance(node, yaml.MappingNode):
        raise ctx.error(node, "a mapping (a record of a save or a resumption)")
    e = r.Fields(node, ctx)
    return LogMark(e.req("at", r.string), e.req("file", r.string))


def _decision(node, ctx, spec: DrillSpec, at, undone: bool = False) -> tuple[Decision, float | None]:
    e = r.Fields(node, ctx)
    undone_s = e.req("undone_at", r.moment_s(spec.scenario.start)) if undone else None
    at_s = e.req("at", at)
    decision = e.req("decision", r.one_of(*spec.catalogue))
    dtype = spec.catalogue[decision]
    target = e.opt("target", r.string, None)
    given = {p.name: e.opt(p.name, param_parser(p), None) for p in dtype.kind.params}
    if spec.targets.problem(dtype.kind.target, target):
        expected, got = spec.targets.expected(dtype.kind.target, target)
        raise ctx.child("target").error(e.node_of("target") or node, expected, got)
    for p in dtype.kind.params:
        if given[p.name] is None and dtype.defaults.get(p.name, p.default) is None:
            raise ctx.child(p.name).error(node, f"this field ({p.meaning}): the catalogue gives no default")
    try:
        target, args = check(spec, decision, target, {k: v for k, v in given.items() if v is not None})
    except DecisionError as exc:
        raise ctx.error(node, str(exc).split(": ", 1)[-1]) from None
    e.done()
    return Decision(at_s, decision, target, args), undone_s


def decisions_yaml(decisions: list[Decision], drill_name: str,
                   withdrawn: list[tuple[float, Decision]] = (), records: LogRecords | None = None,
                   save: dict | None = None, header: str = "", injects: list[Inject] = ()) -> str:
    """The decisions file for ``decisions``: replaying it gives the same result. ``withdrawn`` (when
    undone, the decision) goes under ``withdrawn:`` and ``records`` (saves, resumptions) under their
    own keys, records the replay reads past; ``injects`` (the facilitator's ad-hoc ones) under ``injects:``,
    which the replay shows again; ``save`` is a save's own block (d2c/drill/save.py)."""
    entries = [_entry(d) for d in decisions]
    body: dict = {"drill": drill_name}
    if save is not None:
        body["save"] = save
    body["decisions"] = entries
    if injects:
        body["injects"] = [{"at": at_text(i.at_s), "text": i.text} for i in injects]
    if withdrawn:
        body["withdrawn"] = [{"undone_at": at_text(at_s), **_entry(d)} for at_s, d in withdrawn]
    body.update(records.blocks() if records is not None else {})
    header = header or (f"# Decisions taken in the drill {drill_name}. Replay: "
                        "d2c drill DRILL_FILE --decisions THIS_FILE --auto\n")
    return header + yaml.safe_dump(body, sort_keys=False, allow_unicode=True, width=1000)


def _entry(d: Decision) -> dict:
    entry: dict = {"at": at_text(d.at_s), "decision": d.name}
    if d.target is not None:
        entry["target"] = d.target
    entry.update(d.args)
    return entry


def at_text(t_s: float) -> str:
    """A time as an exact offset the reader parses back to the same seconds."""
    if t_s % 60 == 0:
        return f"T+{int(t_s // 60)}m"
    return f"T+{int(t_s)}s" if float(t_s).is_integer() else f"T+{t_s!r}s"


def _param(kind, name):
    return next(p for p in kind.params if p.name == name)
