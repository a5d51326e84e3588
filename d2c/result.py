"""The result of a run, typed, and the one loader of a result file.

``Result`` is what ``Simulation.result()`` returns and what ``d2c run --json``
writes (``to_dict``); ``load_result`` reads such a file back, checks its shape
and says what is wrong as one line (``file: field: expected ..., got ...``),
which the CLI prints with exit status 2. The format is in docs/FORMATS.md
("Result JSON"); ``RESULT_VERSION`` is written first and goes up when a field
changes meaning or goes away. A file without ``version`` was written before the
field existed (same layout as version 1). A drill's document is a result with
more top-level blocks (``drill``, ...), kept as they are in ``extra``.

>>> r = Result.from_dict({"scenario": {"name": "x", "seed": 1, "start": "2024-01-01T00:00:00Z", "step_s": 60,
...     "steps": 1, "duration_s": 60, "topology": "t", "description": "", "path": ""},
...     "summary": {"emergency_service_survival": 1.0}, "timeline": {"t_s": [0.0]}}, "r.json")
>>> r.scenario.step_s, r.summary["emergency_service_survival"], list(r.to_dict())[:3]
(60, 1.0, ['version', 'scenario', 'summary'])
"""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from d2c.base.errors import ConfigError
from d2c.base.reader import read_text

__all__ = ["RESULT_VERSION", "ResultFileError", "ScenarioInfo", "WorstArea", "Result", "load_document",
           "load_result"]

RESULT_VERSION = 1
REQUIRED = ("scenario", "summary", "timeline")


class ResultFileError(ValueError):
    """The result file cannot be read; the message is one line."""


class _Keys:
    """Read a field by its JSON key too (``area["name"]``), for code that still reads documents."""

    __slots__ = ()

    def __getitem__(self, key: str) -> Any:
        if key not in {f.name for f in dataclasses.fields(self)}:
            raise KeyError(key)
        return getattr(self, key)


@dataclass(frozen=True)
class ScenarioInfo(_Keys):
    """Which run this is: the scenario, its time window and the topology it ran on."""

    name: str
    seed: int
    start: str  # ISO 8601 in UTC, "Z"
    step_s: float
    steps: int
    duration_s: float
    topology: str
    description: str
    path: str  # the scenario file, resolved ("" when built in code)

    @property
    def start_utc(self) -> datetime:
        return datetime.fromisoformat(self.start.replace("Z", "+00:00"))


@dataclass(frozen=True)
class WorstArea(_Keys):
    """One of the areas with the most person-hours without terrestrial service."""

    id: str
    name: str
    population: int
    hours_without_terrestrial: float
    hours_unserved: float
    hours_on_d2c: float
    longest_outage_hours: float
    longest_outage_hours_without_d2c: float
    emergency_survival: float
    emergency_survival_without_d2c: float


@dataclass
class Result:
    """A finished (or stopped) run, ready for rendering as text, rich or JSON.

    ``summary`` holds named figures (numbers, or null for a time not reached)
    and ``timeline`` one list per series with a value per step
    (``metrics.SERIES``) plus ``sites_down_by_cause``; both are listed in
    docs/FORMATS.md. ``decisions`` are the actions applied, ``{t_s, action}``
    (a drill's document has richer entries).
    """

    scenario: ScenarioInfo
    timeline: dict
    summary: dict
    worst_areas: list[WorstArea]
    assumptions: list[str]
    decisions: list[dict] = field(default_factory=list)
    traffic: dict | None = None  # the traffic stage's metrics, when packets were replayed
    restoration: dict | None = None  # crews, jobs, generators and fuel, when restoration was on
    places: dict | None = None  # hourly area and site states, the worst instant, incident geometry (d2c.snapshots)
    version: int = RESULT_VERSION
    extra: dict = field(default_factory=dict)  # further top-level blocks (a drill's), written after the rest

    def __post_init__(self) -> None:
        if isinstance(self.scenario, dict):
            self.scenario = _scenario(self.scenario, "")
        self.worst_areas = [_worst_area(a, f"worst_areas[{k}]", "") if isinstance(a, dict) else a
                            for k, a in enumerate(self.worst_areas or [])]
        self.assumptions = list(self.assumptions or [])
        self.decisions = list(self.decisions or [])

    def to_dict(self) -> dict:
        doc = {
            "version": self.version,
            "scenario": dataclasses.asdict(self.scenario),
            "summary": self.summary,
            "timeline": self.timeline,
            "worst_areas": [dataclasses.asdict(a) for a in self.worst_areas],
            "assumptions": self.assumptions,
            "decisions": self.decisions,
        }
        if self.traffic is not None:
            doc["traffic"] = self.traffic
        if self.restoration is not None:
            doc["restoration"] = self.restoration
        if self.places is not None:
            doc["places"] = self.places
        doc.update(self.extra)
        return doc

    @classmethod
    def from_dict(cls, doc: Any, file: str | Path = "") -> "Result":
        """A result document checked field by field (``ResultFileError`` naming the file and field)."""
        doc = check_document(doc, file)
        known = {"version", "scenario", "summary", "timeline", "worst_areas", "assumptions", "decisions", "traffic",
                 "restoration", "places"}
        return cls(
            scenario=_scenario(doc["scenario"], file),
            timeline=doc["timeline"],
            summary=doc["summary"],
            worst_areas=[_worst_area(a, f"worst_areas[{k}]", file) for k, a in enumerate(doc.get("worst_areas", []))],
            assumptions=doc.get("assumptions", []),
            decisions=doc.get("decisions", []),
            traffic=doc.get("traffic"),
            restoration=doc.get("restoration"),
            places=doc.get("places"),
            version=doc.get("version", RESULT_VERSION),
            extra={k: v for k, v in doc.items() if k not in known},
        )


def load_document(path: str | Path) -> dict:
    """A result JSON written by ``d2c run --json`` or ``d2c drill --json``, read and checked (the document)."""
    try:
        doc = json.loads(read_text(path))
    except ConfigError as exc:
        if exc.expected == "an existing file":
            raise ResultFileError(f"{path}: expected an existing result JSON file") from None
        raise ResultFileError(str(exc)) from None
    except json.JSONDecodeError as exc:
        raise ResultFileError(f"{path}:{exc.lineno}: expected valid JSON ({exc.msg})") from None
    except (ValueError, RecursionError) as exc:  # an integer of thousands of digits, nesting thousands deep
        reason = "nesting too deep" if isinstance(exc, RecursionError) else str(exc).split(";")[0].split(":")[0]
        raise ResultFileError(f"{path}: expected a d2c result JSON, got {reason}") from None
    return check_document(doc, path)


def load_result(path: str | Path) -> Result:
    """The one loader of a result file: read, checked, typed."""
    return Result.from_dict(load_document(path), path)


def check_document(doc: Any, file: str | Path) -> dict:
    """``doc`` if it has a result's shape, else ``ResultFileError`` (``file: field: expected ..., got ...``)."""
    if not isinstance(doc, dict):
        raise ResultFileError(f"{file}: expected a d2c result (a JSON object), got a JSON {_kind(doc)}")
    missing = [k for k in REQUIRED if k not in doc]
    if missing:
        raise ResultFileError(f"{file}: expected a d2c result (with scenario, summary, timeline), missing {missing[0]}")
    for key in REQUIRED:
        if not isinstance(doc[key], dict):
            raise ResultFileError(f"{file}: {key}: expected an object, got a JSON {_kind(doc[key])}")
    version = doc.get("version", RESULT_VERSION)
    if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= RESULT_VERSION:
        _bad(file, "version", f"a result format version from 1 to {RESULT_VERSION} (a newer d2c wrote it?)", version)
    _scenario(doc["scenario"], file)
    for name, value in doc["summary"].items():
        interval = isinstance(value, list) and len(value) == 2 and all(_number(v) for v in value)
        if not (value is None or isinstance(value, (str, bool)) or _number(value) or interval):
            _bad(file, f"summary.{name}", "a number, text, null or a [low, high] interval", value)
    for name, value in doc["timeline"].items():
        if name == "sites_down_by_cause":
            if not isinstance(value, dict) or not all(isinstance(v, list) for v in value.values()):
                _bad(file, f"timeline.{name}", "an object of lists, one per cause", value)
        elif not isinstance(value, list) or not all(_number(v) for v in value):
            _bad(file, f"timeline.{name}", "a list of numbers, one per step", value)
    for key, kind in (("worst_areas", list), ("assumptions", list), ("decisions", list), ("traffic", dict),
                      ("restoration", dict), ("places", dict)):
        if key in doc and doc[key] is not None and not isinstance(doc[key], kind):
            _bad(file, key, "a list" if kind is list else "an object", doc[key])
    for k, area in enumerate(doc.get("worst_areas") or []):
        _worst_area(area, f"worst_areas[{k}]", file)
    for k, line in enumerate(doc.get("assumptions") or []):
        if not isinstance(line, str):
            _bad(file, f"assumptions[{k}]", "a line of text", line)
    for k, entry in enumerate(doc.get("decisions") or []):
        if not isinstance(entry, dict):
            _bad(file, f"decisions[{k}]", "an object", entry)
    return doc


# ---------------------------------------------------------------- fields

_SCENARIO = {"name": (str, "text"), "seed": (int, "an integer"), "start": (str, "an ISO 8601 time"),
             "step_s": (float, "a number of seconds > 0"), "steps": (int, "an integer"),
             "duration_s": (float, "a number of seconds"), "topology": (str, "text"),
             "description": (str, "text"), "path": (str, "a file path")}
_AREA_TEXT = ("id", "name")


def _scenario(node: Any, file: str | Path) -> ScenarioInfo:
    if not isinstance(node, dict):
        raise ResultFileError(f"{file}: scenario: expected an object, got a JSON {_kind(node)}")
    values = {}
    for name, (kind, what) in _SCENARIO.items():
        value = node.get(name)
        ok = isinstance(value, str) if kind is str else (
            isinstance(value, int) and not isinstance(value, bool) if kind is int else _number(value))
        if ok and name == "start":
            try:
                datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                ok = False
        if ok and name == "step_s":
            ok = value > 0
        if not ok:
            _bad(file, f"scenario.{name}", what, value, name not in node)
        values[name] = value
    return ScenarioInfo(**values)


def _worst_area(node: Any, where: str, file: str | Path) -> WorstArea:
    if not isinstance(node, dict):
        _bad(file, where, "an object", node)
    values = {}
    for f in dataclasses.fields(WorstArea):
        value = node.get(f.name)
        ok = isinstance(value, str) if f.name in _AREA_TEXT else _number(value)
        if not ok:
            _bad(file, f"{where}.{f.name}", "text" if f.name in _AREA_TEXT else "a number", value, f.name not in node)
        values[f.name] = value
    return WorstArea(**values)


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _kind(value: Any) -> str:
    return {dict: "object", list: "array", str: "str", bool: "boolean", type(None): "null"}.get(
        type(value), type(value).__name__)


def _bad(file: str | Path, field_name: str, expected: str, got: Any, missing: bool = False) -> None:
    shown = "nothing" if missing else (repr(got) if len(repr(got)) <= 60 else repr(got)[:57] + "...")
    # "expected a d2c result JSON" first: the file is not one, and this field is why
    raise ResultFileError(f"{file}: expected a d2c result JSON: {field_name}: expected {expected}, got {shown}")
