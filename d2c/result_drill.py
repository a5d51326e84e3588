"""A drill's block of a result, typed: objectives, injects, catalogue, decisions and their effect, warnings.

``d2c drill --json`` writes a result with a ``drill`` block (and a
``counterfactual``, ``d2c.result.Counterfactual``); ``DrillRecord`` is that
block, read by the one loader (``d2c.result.load_result``) and written back to
the same JSON: the fields below are its keys, in their order (docs/FORMATS.md,
"The result JSON: `drill`"). A field marked ``optional`` may be
absent: it is None then, and left out when written; no optional field is ever
``null`` in a file (``d2c.records``). ``Effect`` keeps a warning's ``Reach`` and a measured
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
from d2c.records import Record, flat, nested, optional, read, records
from d2c.result_fields import bad, number, shape

__all__ = ["ARGS_SHAPE", "CatalogueEntry", "DecisionRecord", "Deltas", "DrillRecord", "Effect", "InjectRecord",
           "ObjectiveRecord", "Reach", "TargetHours", "Totals", "WarningRecord"]

ARGS_SHAPE = {"?text": "str", "?capacity_calls": "float", "?fuel_hours": "float", "?backhaul": "str"}  # drill/kinds.py


@dataclass(frozen=True)
class ObjectiveRecord(Record):
    """A drill objective: a measured figure against one target, or left to the players (``measure`` None)."""

    text: str
    measure: str | None  # a figure of the summary, or cost_eur / warning_reach_fraction (d2c.drill.spec.MEASURES)
    at_least: float | None
    at_most: float | None
    value: float | None  # measured (None: not measured)
    met: bool | None
    role: str | None = optional("str")  # the role it belongs to; absent: every role's
    meaning: str | None = optional("str")  # what the measure means; absent when nothing is measured

    @classmethod
    def from_dict(cls, node: Any, where: str, file: str | Path = "") -> "ObjectiveRecord":
        o = cls(**read(cls, node, where, file))
        if o.met is not None and (o.value is None or (o.at_least is None) == (o.at_most is None)):
            bad(file, where, "a value and one target (at_least or at_most) when met is set", node)
        return o


@dataclass(frozen=True)
class InjectRecord(Record):
    """An inject read out to the room: from the drill file, or ad hoc by the facilitator."""

    t_s: float
    text: str
    effect: str | None = optional("str")  # the model's note for the facilitator
    destroy: list[str] | None = optional("list[str]")
    cut: list[str] | None = optional("list[str]")
    ad_hoc: bool | None = optional("bool")  # written (true) for the facilitator's own only


@dataclass(frozen=True)
class CatalogueEntry(Record):
    """A decision the players may take: what it does, its delay, cost and how many are available."""

    name: str
    action: str  # the kind of action (d2c.drill.kinds)
    delay_s: float
    cost_eur: float
    available: int | None  # None: unlimited
    description: str
    defaults: dict  # the default value of each argument
    role: str | None = optional("str")


@dataclass(frozen=True)
class Reach(Record):
    """Whom a warning reached: people in the areas it targeted, people it reached, and when."""

    people_targeted: float
    people_reached: float
    first_reached_s: float | None  # None: it reached nobody
    all_reached_s: float | None  # None: not everyone targeted within the run


@dataclass(frozen=True)
class Deltas(Record):
    """What a run has over another: the same drill without a decision (or without all of them)."""

    no_112_person_hours_delta: float
    no_112_person_hours_without_d2c_delta: float
    emergency_service_survival_delta: float
    emergency_service_survival_without_d2c_delta: float
    emergency_served_delta: float
    person_hours_terrestrial_delta: float
    person_hours_unserved_delta: float


@dataclass(frozen=True)
class TargetHours(Record):
    """Hours a decision's target was in service from the decision's effect to the end, with and without it."""

    with_: float = field(metadata={"key": "with"})
    without: float
    from_s: float


@dataclass(frozen=True)
class Effect(Record):
    """A decision's measured effect. A warning's is whom it reached (``reach``); a decision that changes the
    network has ``deltas`` against the same drill without it; a recorded-only one has neither."""

    measured: bool
    method: str | None = optional("str")
    reach: Reach | None = flat(Reach)
    deltas: Deltas | None = flat(Deltas)
    target_hours_in_service: TargetHours | None = nested(TargetHours, optional=True)
    target_hours_down_by_cause: dict[str, float] | None = optional("dict")  # hours still down, by cause

    @classmethod
    def from_dict(cls, node: Any, where: str, file: str | Path = "") -> "Effect":
        fields = read(cls, node, where, file)
        for name, part in (("reach", Reach), ("deltas", Deltas)):
            keys = [f.name for f in dataclasses.fields(part)]
            if any(k in node for k in keys):
                fields[name] = part(**read(part, node, where, file))
        down = fields["target_hours_down_by_cause"]
        for cause, hours in (down or {}).items():
            if cause not in CAUSES or not number(hours):
                bad(file, f"{where}.target_hours_down_by_cause.{cause}", f"hours by cause ({', '.join(CAUSES)})",
                    hours)
        return cls(**fields)


@dataclass(frozen=True)
class DecisionRecord(Record):
    """A decision the players took: when, what, on what, at what cost, and its measured ``effect``."""

    taken_s: float
    effective_s: float
    decision: str  # its name in the catalogue
    action: str  # its kind (d2c.drill.kinds)
    target: str | None  # None: everywhere
    args: dict  # its arguments by name (ARGS_SHAPE)
    delay_s: float | None = optional("float")
    cost_eur: float = 0.0
    modelled: bool = False
    note: str | None = optional("str")
    description: str | None = optional("str")
    effect: Effect = nested(Effect)

    @classmethod
    def from_dict(cls, node: Any, where: str, file: str | Path = "") -> "DecisionRecord":
        d = cls(**read(cls, node, where, file))
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
class WarningRecord(Record):
    """A warning broadcast: the decision that sent it (its index), where, what, from when, whom it reached."""

    decision: int
    target: str
    text: str
    from_s: float
    reach: Reach = flat(Reach)

    @classmethod
    def from_dict(cls, node: Any, where: str, file: str | Path = "") -> "WarningRecord":
        return cls(**read(cls, node, where, file), reach=Reach.from_dict(node, where, file))


@dataclass(frozen=True)
class Totals(Record):
    """The drill's totals: decisions, their cost, the people warned."""

    decisions: int
    cost_eur: float
    people_warned: float
    people_in_warned_areas: float
    warning_reach_fraction: float | None  # None: no warning sent


@dataclass(frozen=True)
class DrillRecord(Record):
    """A drill's block of its result. Every field may be absent (None): a report reads what is there."""

    name: str | None = optional("str")
    description: str | None = optional("str")
    d2c_standby: bool | None = optional("bool")
    hazards: list[str] | None = optional("list[str]")
    objectives: list[ObjectiveRecord] | None = records(ObjectiveRecord, optional=True)
    injects: list[InjectRecord] | None = records(InjectRecord, optional=True)
    catalogue: list[CatalogueEntry] | None = records(CatalogueEntry, optional=True)
    decisions: list[DecisionRecord] | None = records(DecisionRecord, optional=True)
    warnings: list[WarningRecord] | None = records(WarningRecord, optional=True)
    totals: Totals | None = nested(Totals, optional=True)
    effect_of_all_decisions: Deltas | None = nested(Deltas, optional=True)

    @classmethod
    def from_dict(cls, node: Any, file: str | Path = "", counterfactual: bool = False,
                  where: str = "drill") -> "DrillRecord":
        """The block read and checked; with a ``counterfactual`` the report sets each decision's effect against
        it, so the decisions and their sum must be there."""
        record = cls(**read(cls, node, where, file))
        if counterfactual and node:
            for name in ("decisions", "effect_of_all_decisions"):
                if getattr(record, name) is None:
                    bad(file, f"{where}.{name}", "a list" if name == "decisions" else "an object", None, True)
        return record
