"""A drill's block of a result, typed: objectives, injects, catalogue, decisions and their effect, warnings.

``d2c drill --json`` writes a result with a ``drill`` block (and a
``counterfactual``, ``d2c.result.Counterfactual``); ``DrillRecord`` is that
block, read by the one loader (``d2c.result.load_result``) and written back to
the same JSON: the fields below are its keys, in their order (docs/FORMATS.md,
"The result JSON: `drill`"). A field marked optional (``_optional``) may be
absent: it is None then, and left out when written; no optional field is ever
``null`` in a file. ``Effect`` keeps a warning's ``Reach`` and a measured
decision's ``Deltas`` flat in the JSON, as the drill writes them.

>>> record = DrillRecord.from_dict({"name": "d", "objectives": [{"text": "keep 112 up",
...     "measure": "emergency_service_survival", "at_least": 0.97, "at_most": None, "value": 0.99, "met": True}]},
...     "r.json")
>>> record.objectives[0].met, record.objectives[0].role, record.to_dict()["objectives"][0]["value"]
(True, None, 0.99)
>>> DrillRecord.from_dict({"totals": {"decisions": "two"}}, "r.json")
Traceback (most recent call last):
...
d2c.result_fields.ResultFileError: r.json: expected a d2c result JSON: drill.totals.decisions: expected an integer, got 'two'
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from d2c.network import CAUSES
from d2c.result_fields import KINDS, bad, check, number, shape

__all__ = ["ARGS_SHAPE", "CatalogueEntry", "DecisionRecord", "Deltas", "DrillRecord", "Effect", "InjectRecord",
           "ObjectiveRecord", "Reach", "TargetHours", "Totals", "WarningRecord"]

ARGS_SHAPE = {"?text": "str", "?capacity_calls": "float", "?fuel_hours": "float", "?backhaul": "str"}  # drill/kinds.py


def _optional(kind: str):
    """A field that may be absent from the JSON (None here, left out when written); present, it is of ``kind``."""
    return field(default=None, metadata={"kind": kind, "optional": True})


def _key(f) -> str:
    return f.metadata.get("key", f.name)


class _Record:
    """Read (``from_dict``, each field checked) and written (``to_dict``, the same keys in the same order)."""

    @classmethod
    def from_dict(cls, node: Any, where: str, file: str | Path = ""):
        return cls(**_read(cls, node, where, file))

    def to_dict(self) -> dict:
        doc: dict = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if value is None and (f.metadata.get("optional") or f.metadata.get("flat")):
                continue
            if f.metadata.get("flat"):
                doc.update(value.to_dict())
            else:
                doc[_key(f)] = _json(value)
        return doc


def _json(value: Any) -> Any:
    if isinstance(value, _Record):
        return value.to_dict()
    if isinstance(value, list):
        return [_json(v) for v in value]
    return value


def _read(cls: type, node: Any, where: str, file: str | Path) -> dict:
    """The fields of record ``cls`` from the JSON object ``node``: plain ones checked by their kind, records by
    their own ``from_dict``, lists of records item by item; flat ones are left to the class."""
    if not isinstance(node, dict):
        bad(file, where, "an object", node)
    out: dict = {}
    for f in dataclasses.fields(cls):
        meta = f.metadata
        if meta.get("flat"):
            continue
        key, record = _key(f), meta.get("record")
        at = f"{where}.{key}"
        if key not in node:
            if not meta.get("optional"):
                bad(file, at, "a list" if meta.get("many") else "an object" if record else KINDS[f.type][1], None,
                    missing=True)
            out[f.name] = None
            continue
        value = node[key]
        if record is not None and meta.get("many"):
            if not isinstance(value, list):
                bad(file, at, "a list", value)
            out[f.name] = [record.from_dict(item, f"{at}[{k}]", file) for k, item in enumerate(value)]
        elif record is not None:
            out[f.name] = record.from_dict(value, at, file)
        else:
            check(value, meta.get("kind", f.type), key, at, file)
            out[f.name] = value
    return out


def _records(cls: type, optional: bool = False):
    """A field holding a list of ``cls`` records."""
    return field(default=None, metadata={"record": cls, "many": True, "optional": optional})


def _nested(cls: type, optional: bool = False):
    return field(default=None, metadata={"record": cls, "optional": optional})


def _flat(cls: type):
    """A record whose keys sit in its parent's object (read by the parent's ``from_dict``)."""
    return field(default=None, metadata={"flat": cls})


@dataclass(frozen=True)
class ObjectiveRecord(_Record):
    """A drill objective: a measured figure against one target, or left to the players (``measure`` None)."""

    text: str
    measure: str | None  # a figure of the summary, or cost_eur / warning_reach_fraction (d2c.drill.spec.MEASURES)
    at_least: float | None
    at_most: float | None
    value: float | None  # measured (None: not measured)
    met: bool | None
    role: str | None = _optional("str")  # the role it belongs to; absent: every role's
    meaning: str | None = _optional("str")  # what the measure means; absent when nothing is measured

    @classmethod
    def from_dict(cls, node: Any, where: str, file: str | Path = "") -> "ObjectiveRecord":
        o = cls(**_read(cls, node, where, file))
        if o.met is not None and (o.value is None or (o.at_least is None) == (o.at_most is None)):
            bad(file, where, "a value and one target (at_least or at_most) when met is set", node)
        return o


@dataclass(frozen=True)
class InjectRecord(_Record):
    """An inject read out to the room: from the drill file, or ad hoc by the facilitator."""

    t_s: float
    text: str
    effect: str | None = _optional("str")  # the model's note for the facilitator
    destroy: list[str] | None = _optional("list[str]")
    cut: list[str] | None = _optional("list[str]")
    ad_hoc: bool | None = _optional("bool")  # written (true) for the facilitator's own only


@dataclass(frozen=True)
class CatalogueEntry(_Record):
    """A decision the players may take: what it does, its delay, cost and how many are available."""

    name: str
    action: str  # the kind of action (d2c.drill.kinds)
    delay_s: float
    cost_eur: float
    available: int | None  # None: unlimited
    description: str
    defaults: dict  # the default value of each argument
    role: str | None = _optional("str")


@dataclass(frozen=True)
class Reach(_Record):
    """Whom a warning reached: people in the areas it targeted, people it reached, and when."""

    people_targeted: float
    people_reached: float
    first_reached_s: float | None  # None: it reached nobody
    all_reached_s: float | None  # None: not everyone targeted within the run


@dataclass(frozen=True)
class Deltas(_Record):
    """What a run has over another: the same drill without a decision (or without all of them)."""

    no_112_person_hours_delta: float
    no_112_person_hours_without_d2c_delta: float
    emergency_service_survival_delta: float
    emergency_service_survival_without_d2c_delta: float
    emergency_served_delta: float
    person_hours_terrestrial_delta: float
    person_hours_unserved_delta: float


@dataclass(frozen=True)
class TargetHours(_Record):
    """Hours a decision's target was in service from the decision's effect to the end, with and without it."""

    with_: float = field(metadata={"key": "with"})
    without: float
    from_s: float


@dataclass(frozen=True)
class Effect(_Record):
    """A decision's measured effect. A warning's is whom it reached (``reach``); a decision that changes the
    network has ``deltas`` against the same drill without it; a recorded-only one has neither."""

    measured: bool
    method: str | None = _optional("str")
    reach: Reach | None = _flat(Reach)
    deltas: Deltas | None = _flat(Deltas)
    target_hours_in_service: TargetHours | None = _nested(TargetHours, optional=True)
    target_hours_down_by_cause: dict[str, float] | None = _optional("dict")  # hours still down, by cause

    @classmethod
    def from_dict(cls, node: Any, where: str, file: str | Path = "") -> "Effect":
        fields = _read(cls, node, where, file)
        for name, part in (("reach", Reach), ("deltas", Deltas)):
            keys = [f.name for f in dataclasses.fields(part)]
            if any(k in node for k in keys):
                fields[name] = part(**_read(part, node, where, file))
        down = fields["target_hours_down_by_cause"]
        for cause, hours in (down or {}).items():
            if cause not in CAUSES or not number(hours):
                bad(file, f"{where}.target_hours_down_by_cause.{cause}", f"hours by cause ({', '.join(CAUSES)})",
                    hours)
        return cls(**fields)


@dataclass(frozen=True)
class DecisionRecord(_Record):
    """A decision the players took: when, what, on what, at what cost, and its measured ``effect``."""

    taken_s: float
    effective_s: float
    decision: str  # its name in the catalogue
    action: str  # its kind (d2c.drill.kinds)
    target: str | None  # None: everywhere
    args: dict  # its arguments by name (ARGS_SHAPE)
    delay_s: float | None = _optional("float")
    cost_eur: float = 0.0
    modelled: bool = False
    note: str | None = _optional("str")
    description: str | None = _optional("str")
    effect: Effect = _nested(Effect)

    @classmethod
    def from_dict(cls, node: Any, where: str, file: str | Path = "") -> "DecisionRecord":
        d = cls(**_read(cls, node, where, file))
        shape(d.args, ARGS_SHAPE, f"{where}.args", file)
        e, at = d.effect, f"{where}.effect"
        if d.action == "warning":
            if e.reach is None:
                bad(file, f"{at}.people_targeted", "a number", None, True)
            if e.reach.people_reached and e.reach.first_reached_s is None:
                bad(file, f"{at}.first_reached_s", "a time, as the warning reached people", None)
        elif e.measured and e.deltas is None:
            bad(file, f"{at}.no_112_person_hours_delta", "a number", None, True)
        elif not e.measured and e.method is None:
            bad(file, f"{at}.method", "text", None, True)
        return d


@dataclass(frozen=True)
class WarningRecord(_Record):
    """A warning broadcast: the decision that sent it (its index), where, what, from when, whom it reached."""

    decision: int
    target: str
    text: str
    from_s: float
    reach: Reach = _flat(Reach)

    @classmethod
    def from_dict(cls, node: Any, where: str, file: str | Path = "") -> "WarningRecord":
        return cls(**_read(cls, node, where, file), reach=Reach.from_dict(node, where, file))


@dataclass(frozen=True)
class Totals(_Record):
    """The drill's totals: decisions, their cost, the people warned."""

    decisions: int
    cost_eur: float
    people_warned: float
    people_in_warned_areas: float
    warning_reach_fraction: float | None  # None: no warning sent


@dataclass(frozen=True)
class DrillRecord(_Record):
    """A drill's block of its result. Every field may be absent (None): a report reads what is there."""

    name: str | None = _optional("str")
    description: str | None = _optional("str")
    d2c_standby: bool | None = _optional("bool")
    hazards: list[str] | None = _optional("list[str]")
    objectives: list[ObjectiveRecord] | None = _records(ObjectiveRecord, optional=True)
    injects: list[InjectRecord] | None = _records(InjectRecord, optional=True)
    catalogue: list[CatalogueEntry] | None = _records(CatalogueEntry, optional=True)
    decisions: list[DecisionRecord] | None = _records(DecisionRecord, optional=True)
    warnings: list[WarningRecord] | None = _records(WarningRecord, optional=True)
    totals: Totals | None = _nested(Totals, optional=True)
    effect_of_all_decisions: Deltas | None = _nested(Deltas, optional=True)

    @classmethod
    def from_dict(cls, node: Any, file: str | Path = "", counterfactual: bool = False,
                  where: str = "drill") -> "DrillRecord":
        """The block read and checked; with a ``counterfactual`` the report sets each decision's effect against
        it, so the decisions and their sum must be there."""
        record = cls(**_read(cls, node, where, file))
        if counterfactual and node:
            for name in ("decisions", "effect_of_all_decisions"):
                if getattr(record, name) is None:
                    bad(file, f"{where}.{name}", "a list" if name == "decisions" else "an object", None, True)
        return record
