"""The result of a run, typed, and the one loader of a result file.

``Result`` is what ``Simulation.result()`` returns and what ``d2c run --json``
writes (``to_dict``); ``load_result`` reads such a file back, checks its shape
and says what is wrong as one line (``file: field: expected ..., got ...``),
which the CLI prints with exit status 2. The format is in docs/FORMATS.md
("Result JSON"); ``RESULT_VERSION`` is written first and goes up when a field
changes meaning or goes away. A file without ``version`` was written before the
field existed (same layout as version 1). A drill's document is a result with
two more blocks: ``drill`` (``d2c.result_drill.DrillRecord``) and
``counterfactual`` (``Counterfactual``); any other top-level block is kept as
written in ``extra``.

Every block a report reads is a dataclass: ``ScenarioInfo``, ``Summary``
(with a ``Headline`` each for with and without D2C, and ``TrafficFigures``
when packets were replayed), ``Timeline`` (with ``SitesDownByCause``),
``WorstArea`` and ``Places``; the traffic stage's metrics and the restoration's
figures are ``TrafficBlock`` and ``RestorationBlock`` (d2c.result_blocks). Readers use attributes. ``Summary`` and
``Timeline`` are also read-only mappings by their JSON names, for a figure or
series named in a file (a drill objective's ``measure``, a sweep's figure
list); the JSON is written from the dataclasses, in the documented order.

>>> r = load_result_text(EXAMPLE)
>>> r.scenario.step_s, r.summary.emergency_service_survival, r.summary.without_d2c.no_112_person_hours
(60, 1.0, 0.0)
>>> r.timeline.sites_down_by_cause.damage, r.summary["no_112_person_hours_without_d2c"], list(r.to_dict())[:3]
([0], 0.0, ['version', 'scenario', 'summary'])
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any, Iterator

from d2c.base.errors import ConfigError
from d2c.base.reader import read_text, utc_time
from d2c.result_blocks import AppliedAction, RestorationBlock, TrafficBlock, read_block
from d2c.result_drill import DrillRecord
from d2c.result_fields import KINDS, ResultFileError, bad, json_kind, number, typed, values

__all__ = ["COUNTERFACTUAL_SERIES", "RESULT_VERSION", "SERIES", "AreaColumns", "Counterfactual",
           "CounterfactualSeries", "Headline", "IncidentShape", "Places", "Result", "ResultFileError",
           "ScenarioInfo", "SiteColumns", "SitesDownByCause", "Summary", "Timeline", "TrafficFigures", "WorstArea",
           "WorstInstant", "as_result", "load_document", "load_result", "load_result_text"]

RESULT_VERSION = 1
REQUIRED = ("scenario", "summary", "timeline")


class _JsonView(Mapping):
    """Read-only lookup by JSON name (``summary["emergency_service_survival"]``), for names that come from files."""

    def __getitem__(self, key: str) -> Any:
        return self._json[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._json)

    def __len__(self) -> int:
        return len(self._json)

    @cached_property
    def _json(self) -> dict:
        return self.to_dict()

    __hash__ = None  # a dataclass with eq: unhashable, as the dict it stands for

@dataclass(frozen=True)
class ScenarioInfo:
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
class WorstArea:
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


@dataclass(frozen=True, eq=False)
class Headline:
    """The headline figures of one variant: with D2C, or the cells alone (JSON keys ``..._without_d2c``)."""

    no_112_person_hours: float
    worst_no_112_share: float
    worst_no_112_people: int
    worst_no_112_at_s: float | None
    worst_no_112_utc: str | None
    longest_area_outage_hours: float
    longest_area_outage_area: str | None
    longest_area_outage_name: str | None
    longest_area_outage_from_s: float | None
    longest_area_outage_ongoing: bool
    longest_area_outage_areas: int
    restore_people_50_hours: float | None
    restore_people_90_hours: float | None
    restore_people_95_hours: float | None

    def restore_people_hours(self) -> tuple[float | None, float | None, float | None]:
        """Hours to restore 50, 90 and 95% of the people lost at the worst instant (None: not within the run)."""
        return self.restore_people_50_hours, self.restore_people_90_hours, self.restore_people_95_hours


@dataclass(frozen=True, eq=False)
class TrafficFigures:
    """The headline traffic figures, all bearers together, when packets were replayed (``*_ci95``: 95% intervals)."""

    call_setup_success: float | None  # None: nothing of the kind in the sample
    call_setup_success_ci95: list[float] | None  # [low, high]
    voice_mos_median: float | None
    voice_mos_median_ci95: list[float] | None
    sms_delivery_ratio: float | None
    sms_delivery_ci95: list[float] | None
    warning_reach: float | None
    traffic_sample: float


@dataclass(frozen=True, eq=False)
class Summary(_JsonView):
    """The run's named figures (docs/FORMATS.md): the headline first, then survival, peaks, D2C, totals."""

    incident_start_s: float
    with_d2c: Headline
    without_d2c: Headline
    restore_sites_50_hours: float | None
    restore_sites_90_hours: float | None
    restore_sites_95_hours: float | None
    emergency_service_survival: float
    emergency_service_survival_without_d2c: float
    peak_sites_down_fraction: float
    peak_sites_down_at_s: float
    min_population_terrestrial_fraction: float
    d2c_population_peak: int
    d2c_blocked: float
    d2c_blocked_non_emergency: float
    d2c_blocked_data_mbit: float
    d2c_not_eligible: float
    d2c_population_not_eligible_peak: int
    population_warning_reach_min_fraction: float
    emergency_offered: float
    emergency_served: float
    population_total: int
    sites_total: int
    steps_run: int
    graph_recomputations: int
    traffic: TrafficFigures | None = None

    def headlines(self) -> tuple[Headline, Headline]:
        """With D2C, then without (the order of ``d2c.headline.VARIANTS``)."""
        return self.with_d2c, self.without_d2c

    def restore_sites_hours(self) -> tuple[float | None, float | None, float | None]:
        return self.restore_sites_50_hours, self.restore_sites_90_hours, self.restore_sites_95_hours

    def to_dict(self) -> dict:
        doc: dict = {"incident_start_s": self.incident_start_s}
        for headline, suffix in ((self.with_d2c, ""), (self.without_d2c, WITHOUT_D2C)):
            doc.update({name + suffix: value for name, value in values(headline).items()})
        doc.update({name: value for name, value in values(self).items()
                    if name not in ("incident_start_s", "with_d2c", "without_d2c", "traffic")})
        if self.traffic is not None:
            doc.update(values(self.traffic))
        return doc

    @classmethod
    def from_dict(cls, node: Any, file: str | Path = "", where: str = "summary") -> "Summary":
        if not isinstance(node, dict):
            raise ResultFileError(f"{file}: {where}: expected an object, got a JSON {json_kind(node)}")
        known = set(_SUMMARY_KEYS) | set(_TRAFFIC_KEYS)
        for name in node:
            if name not in known:
                bad(file, f"{where}.{name}", "one of the summary's figures (docs/FORMATS.md)", name)
        traffic = None
        if any(k in node for k in _TRAFFIC_KEYS):
            traffic = TrafficFigures(**typed(TrafficFigures, node, where, file))
        figures = typed(cls, node, where, file, skip=("with_d2c", "without_d2c", "traffic"))
        both = [Headline(**typed(Headline, node, where, file, suffix=v)) for v in ("", WITHOUT_D2C)]
        for headline, suffix in zip(both, ("", WITHOUT_D2C)):
            if headline.worst_no_112_people and headline.worst_no_112_at_s is None:
                bad(file, f"{where}.worst_no_112_at_s{suffix}", "a time, as people had no 112 path", None)
            if headline.longest_area_outage_name is not None and headline.longest_area_outage_areas < 1:
                bad(file, f"{where}.longest_area_outage_areas{suffix}", "at least 1 with an area named",
                    headline.longest_area_outage_areas)
        return cls(**figures, with_d2c=both[0], without_d2c=both[1], traffic=traffic)


@dataclass(frozen=True, eq=False)
class SitesDownByCause(_JsonView):
    """Sites out of service per step, by the first cause (the network's precedence; d2c.network.CAUSES)."""

    damage: list[int]
    power: list[int]
    jamming: list[int]
    backhaul: list[int]
    core: list[int]

    def to_dict(self) -> dict:
        return values(self)


@dataclass(frozen=True, eq=False)
class Timeline(_JsonView):
    """One value per step per series (``SERIES``; units and meaning in d2c/metrics.py), and sites down by cause."""

    t_s: list[float]
    sites_in_service: list[int]
    sites_on_backup: list[int]
    population_terrestrial: list[float]
    population_d2c: list[float]
    population_unserved: list[float]
    population_warning_reach: list[float]
    emergency_offered: list[float]
    emergency_served: list[float]
    emergency_served_without_d2c: list[float]
    d2c_blocked: list[float]
    satellites_visible: list[float]
    responders_served_d2c: list[float]
    public_sms_served_d2c: list[float]
    population_no_112: list[float]
    population_no_112_without_d2c: list[float]
    d2c_blocked_non_emergency: list[float]
    d2c_blocked_data_mbps: list[float]
    d2c_not_eligible: list[float]
    population_d2c_not_eligible: list[float]
    population_d2c_attached: list[float]
    family_calls_served_d2c: list[float]
    sites_down_by_cause: SitesDownByCause

    def to_dict(self) -> dict:
        doc = values(self)
        doc["sites_down_by_cause"] = self.sites_down_by_cause.to_dict()
        return doc

    @classmethod
    def from_dict(cls, node: Any, file: str | Path = "") -> "Timeline":
        if not isinstance(node, dict):
            raise ResultFileError(f"{file}: timeline: expected an object, got a JSON {json_kind(node)}")
        for name in node:
            if name not in _TIMELINE_KEYS:
                bad(file, f"timeline.{name}", "one of the timeline's series (docs/FORMATS.md)", name)
        series = typed(cls, node, "timeline", file, skip=("sites_down_by_cause",))
        causes = node.get("sites_down_by_cause")
        if not isinstance(causes, dict):
            bad(file, "timeline.sites_down_by_cause", "an object of lists, one per cause", causes,
                 "sites_down_by_cause" not in node)
        down = SitesDownByCause(**typed(SitesDownByCause, causes, "timeline.sites_down_by_cause", file))
        t_s = series["t_s"]
        if not t_s or any(b <= a for a, b in zip(t_s, t_s[1:])):
            bad(file, "timeline.t_s", "the step times, increasing, at least one", t_s[:4])
        steps = len(t_s)
        for where, one in [*((f"timeline.{k}", v) for k, v in series.items()),
                           *((f"timeline.sites_down_by_cause.{k}", v) for k, v in values(down).items())]:
            if len(one) != steps:
                bad(file, where, f"one value per step ({steps}, as t_s)", f"{len(one)} values")
        return cls(**series, sites_down_by_cause=down)


SERIES = tuple(f.name for f in dataclasses.fields(Timeline) if f.name != "sites_down_by_cause")
_TIMELINE_KEYS = (*SERIES, "sites_down_by_cause")
_TRAFFIC_KEYS = tuple(f.name for f in dataclasses.fields(TrafficFigures))
_SUMMARY_KEYS = ("incident_start_s", *(f.name + suffix for suffix in ("", "_without_d2c")
                                        for f in dataclasses.fields(Headline)),
                 *(f.name for f in dataclasses.fields(Summary)
                   if f.name not in ("incident_start_s", "with_d2c", "without_d2c", "traffic")))


@dataclass(frozen=True, eq=False)
class AreaColumns:
    """The topology's areas in its order, with one letter per hourly snapshot (d2c.snapshots)."""

    id: list[str]
    name: list[str]
    lat: list[float]
    lon: list[float]
    population: list[int]
    hourly_service: list[str]  # N no 112 path, T terrestrial, D D2C only
    hourly_cause: list[str]  # . a site in service, else the first cause's initial; - no covering site


@dataclass(frozen=True, eq=False)
class SiteColumns:
    """The topology's sites in its order, with one letter per hourly snapshot (. in service, else the cause)."""

    id: list[str]
    operator: list[str]
    lat: list[float]
    lon: list[float]
    hourly_state: list[str]


@dataclass(frozen=True, eq=False)
class WorstInstant:
    """The headline's worst instant: each area's service and D2C beam then (-1: none)."""

    t_s: float | None
    area_service: str
    area_beam: list[int]


@dataclass(frozen=True, eq=False)
class IncidentShape:
    """An incident's footprint for maps: ``kind``, ``label`` and a GeoJSON Point or Polygon ([lon, lat])."""

    kind: str
    label: str
    geometry: dict


@dataclass(frozen=True, eq=False)
class Places:
    """Hourly area and site states, the worst instant and the incidents' geometry (docs/FORMATS.md, places)."""

    hours_t_s: list[float]
    areas: AreaColumns
    sites: SiteColumns
    worst: WorstInstant
    incidents: list[IncidentShape]

    def to_dict(self) -> dict:
        return {"hours_t_s": self.hours_t_s, "areas": values(self.areas), "sites": values(self.sites),
                "worst": values(self.worst), "incidents": [values(i) for i in self.incidents]}

    @classmethod
    def from_dict(cls, node: Any, file: str | Path = "") -> "Places":
        if not isinstance(node, dict):
            bad(file, "places", "an object", node)
        hours = typed(cls, node, "places", file, skip=("areas", "sites", "worst", "incidents"))["hours_t_s"]
        if any(b <= a for a, b in zip(hours, hours[1:])):
            bad(file, "places.hours_t_s", "the snapshot times, increasing", hours[:4])
        blocks = {}
        for name, kind, letters in (("areas", AreaColumns, {"hourly_service": "NTD", "hourly_cause": ".dpjbc-"}),
                                    ("sites", SiteColumns, {"hourly_state": ".dpjbc"})):
            where = f"places.{name}"
            if not isinstance(node.get(name), dict):
                bad(file, where, "an object of columns", node.get(name), name not in node)
            columns = typed(kind, node[name], where, file)
            count = len(columns["id"])
            for column, value in columns.items():
                if len(value) != count:
                    bad(file, f"{where}.{column}", f"one entry per {name[:-1]} ({count}, as id)", f"{len(value)}")
            for column, allowed in letters.items():
                for k, text in enumerate(columns[column]):
                    if len(text) != len(hours) or not set(text) <= set(allowed):
                        bad(file, f"{where}.{column}[{k}]", f"one of {allowed!r} per snapshot ({len(hours)})", text)
            blocks[name] = kind(**columns)
        if not isinstance(node.get("worst"), dict):
            bad(file, "places.worst", "an object", node.get("worst"), "worst" not in node)
        worst = WorstInstant(**typed(WorstInstant, node["worst"], "places.worst", file))
        n_areas = len(blocks["areas"].id)
        if len(worst.area_service) not in (0, n_areas) or not set(worst.area_service) <= set("NTD"):
            bad(file, "places.worst.area_service", f"one of 'NTD' per area ({n_areas})", worst.area_service)
        if len(worst.area_beam) not in (0, n_areas):
            bad(file, "places.worst.area_beam", f"one beam per area ({n_areas})", f"{len(worst.area_beam)} values")
        incidents = node.get("incidents", [])
        if not isinstance(incidents, list):
            bad(file, "places.incidents", "a list", incidents)
        shapes = []
        for k, item in enumerate(incidents):
            where = f"places.incidents[{k}]"
            if not isinstance(item, dict):
                bad(file, where, "an object", item)
            shape = IncidentShape(**typed(IncidentShape, item, where, file))
            _geometry(shape.geometry, f"{where}.geometry", file)
            shapes.append(shape)
        return cls(hours_t_s=hours, worst=worst, incidents=shapes, **blocks)


@dataclass
class Result:
    """A finished (or stopped) run, ready for rendering as text, rich or JSON.

    ``summary`` holds the named figures and ``timeline`` one list per series
    with a value per step plus ``sites_down_by_cause``; both are listed in
    docs/FORMATS.md. ``decisions`` are the actions applied (``AppliedAction``:
    ``t_s``, ``action``; a drill's own decisions are in ``drill``). Given as
    dicts (a document's blocks), they are read into their dataclasses.
    """

    scenario: ScenarioInfo
    timeline: Timeline
    summary: Summary
    worst_areas: list[WorstArea]
    assumptions: list[str]
    decisions: list[AppliedAction] = field(default_factory=list)
    traffic: TrafficBlock | None = None  # the traffic stage's metrics, when packets were replayed
    restoration: RestorationBlock | None = None  # crews, jobs, generators and fuel, when restoration was on
    places: Places | None = None  # hourly area and site states, the worst instant, incident geometry (d2c.snapshots)
    version: int = RESULT_VERSION
    extra: dict = field(default_factory=dict)  # further top-level blocks, kept as written, written after the rest
    drill: DrillRecord | None = None  # a drill's objectives, injects, decisions and their effect (d2c.result_drill)
    counterfactual: "Counterfactual | None" = None  # a drill's run without the players' decisions

    def __post_init__(self) -> None:
        if isinstance(self.scenario, dict):
            self.scenario = _scenario(self.scenario, "")
        if isinstance(self.summary, dict):
            self.summary = Summary.from_dict(self.summary)
        if isinstance(self.timeline, dict):
            self.timeline = Timeline.from_dict(self.timeline)
        if isinstance(self.places, dict):
            self.places = Places.from_dict(self.places)
        if isinstance(self.traffic, dict):
            self.traffic = TrafficBlock.from_dict(self.traffic)
        if isinstance(self.restoration, dict):
            self.restoration = RestorationBlock.from_dict(self.restoration)
        self.worst_areas = [_worst_area(a, f"worst_areas[{k}]", "") if isinstance(a, dict) else a
                            for k, a in enumerate(self.worst_areas or [])]
        self.assumptions = list(self.assumptions or [])
        self.decisions = [read_block(AppliedAction, d, f"decisions[{k}]") if isinstance(d, dict) else d
                          for k, d in enumerate(self.decisions or [])]
        if isinstance(self.drill, dict):
            self.drill = DrillRecord.from_dict(self.drill, "", self.counterfactual is not None)
        if isinstance(self.counterfactual, dict):
            self.counterfactual = Counterfactual.from_dict(self.counterfactual)

    def to_dict(self) -> dict:
        doc = {
            "version": self.version,
            "scenario": dataclasses.asdict(self.scenario),
            "summary": self.summary.to_dict(),
            "timeline": self.timeline.to_dict(),
            "worst_areas": [dataclasses.asdict(a) for a in self.worst_areas],
            "assumptions": self.assumptions,
            "decisions": [d.to_dict() for d in self.decisions],
        }
        if self.traffic is not None:
            doc["traffic"] = self.traffic.to_dict()
        if self.restoration is not None:
            doc["restoration"] = self.restoration.to_dict()
        if self.places is not None:
            doc["places"] = self.places.to_dict()
        if self.drill is not None:
            doc["drill"] = self.drill.to_dict()
        if self.counterfactual is not None:
            doc["counterfactual"] = self.counterfactual.to_dict()
        doc.update(self.extra)
        return doc

    @classmethod
    def from_dict(cls, doc: Any, file: str | Path = "") -> "Result":
        """A result document checked field by field (``ResultFileError`` naming the file and field)."""
        doc = _check_top(doc, file)
        known = {"version", "scenario", "summary", "timeline", "worst_areas", "assumptions", "decisions", "traffic",
                 "restoration", "places", "drill", "counterfactual"}
        return cls(
            scenario=_scenario(doc["scenario"], file),
            timeline=Timeline.from_dict(doc["timeline"], file),
            summary=Summary.from_dict(doc["summary"], file),
            worst_areas=[_worst_area(a, f"worst_areas[{k}]", file) for k, a in enumerate(doc.get("worst_areas", []))],
            assumptions=doc.get("assumptions", []),
            decisions=[read_block(AppliedAction, d, f"decisions[{k}]", file)
                       for k, d in enumerate(doc.get("decisions") or [])],
            traffic=TrafficBlock.from_dict(doc["traffic"], file) if doc.get("traffic") is not None else None,
            restoration=(RestorationBlock.from_dict(doc["restoration"], file) if doc.get("restoration") is not None
                         else None),
            places=Places.from_dict(doc["places"], file) if doc.get("places") is not None else None,
            version=doc.get("version", RESULT_VERSION),
            extra={k: v for k, v in doc.items() if k not in known},
            drill=DrillRecord.from_dict(doc["drill"], file, "counterfactual" in doc) if "drill" in doc else None,
            counterfactual=Counterfactual.from_dict(doc["counterfactual"], file) if "counterfactual" in doc else None,
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


def as_result(result: "Result | dict") -> Result:
    """``result`` itself, or read from its JSON document (a dict, checked field by field)."""
    return result if isinstance(result, Result) else Result.from_dict(result)


def load_result_text(text: str, file: str | Path = "result.json") -> Result:
    """A result from JSON text (checked as ``load_result`` checks a file)."""
    return Result.from_dict(json.loads(text), file)


def check_document(doc: Any, file: str | Path) -> dict:
    """``doc`` if it has a result's shape, else ``ResultFileError`` (``file: field: expected ..., got ...``)."""
    Result.from_dict(doc, file)
    return doc


def _check_top(doc: Any, file: str | Path) -> dict:
    """The top-level blocks and the untyped lists; the typed blocks are checked as they are read."""
    if not isinstance(doc, dict):
        raise ResultFileError(f"{file}: expected a d2c result (a JSON object), got a JSON {json_kind(doc)}")
    missing = [k for k in REQUIRED if k not in doc]
    if missing:
        raise ResultFileError(f"{file}: expected a d2c result (with scenario, summary, timeline), missing {missing[0]}")
    for key in REQUIRED:
        if not isinstance(doc[key], dict):
            raise ResultFileError(f"{file}: {key}: expected an object, got a JSON {json_kind(doc[key])}")
    version = doc.get("version", RESULT_VERSION)
    if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= RESULT_VERSION:
        bad(file, "version", f"a result format version from 1 to {RESULT_VERSION} (a newer d2c wrote it?)", version)
    for key, kind in (("worst_areas", list), ("assumptions", list), ("decisions", list), ("traffic", dict),
                      ("restoration", dict), ("places", dict)):
        if key in doc and doc[key] is not None and not isinstance(doc[key], kind):
            bad(file, key, "a list" if kind is list else "an object", doc[key])
    for k, line in enumerate(doc.get("assumptions") or []):
        if not isinstance(line, str):
            bad(file, f"assumptions[{k}]", "a line of text", line)
    return doc


@dataclass(frozen=True, eq=False)
class CounterfactualSeries:
    """The series a drill keeps of its counterfactual run (units as in ``Timeline``)."""

    t_s: list[float]
    emergency_offered: list[float]
    emergency_served: list[float]
    emergency_served_without_d2c: list[float]
    population_terrestrial: list[float]
    population_d2c: list[float]
    population_unserved: list[float]


COUNTERFACTUAL_SERIES = tuple(f.name for f in dataclasses.fields(CounterfactualSeries))


@dataclass(frozen=True, eq=False)
class Counterfactual:
    """A drill's counterfactual: the same drill, injects included, without the players' decisions."""

    description: str
    summary: Summary
    timeline: CounterfactualSeries
    sites_down_by_cause: SitesDownByCause

    def to_dict(self) -> dict:
        return {"description": self.description, "summary": self.summary.to_dict(), "timeline": values(self.timeline),
                "sites_down_by_cause": self.sites_down_by_cause.to_dict()}

    @classmethod
    def from_dict(cls, node: Any, file: str | Path = "") -> "Counterfactual":
        """Read and checked: a full summary, its series (one value per step), sites down by cause."""
        if not isinstance(node, dict):
            bad(file, "counterfactual", "an object", node)
        summary = Summary.from_dict(node.get("summary"), file, where="counterfactual.summary")
        series = node.get("timeline")
        if not isinstance(series, dict):
            bad(file, "counterfactual.timeline", "an object of series", series, "timeline" not in node)
        timeline = CounterfactualSeries(**typed(CounterfactualSeries, series, "counterfactual.timeline", file))
        steps = len(timeline.t_s)
        for name, one in values(timeline).items():
            if len(one) != steps:
                bad(file, f"counterfactual.timeline.{name}", f"one value per step ({steps}, as t_s)",
                    f"{len(one)} values")
        down = node.get("sites_down_by_cause")
        if not isinstance(down, dict):
            bad(file, "counterfactual.sites_down_by_cause", "an object of lists, one per cause", down,
                "sites_down_by_cause" not in node)
        causes = SitesDownByCause(**typed(SitesDownByCause, down, "counterfactual.sites_down_by_cause", file))
        description = node.get("description", "")
        if not isinstance(description, str):
            bad(file, "counterfactual.description", "text", description)
        return cls(description, summary, timeline, causes)


# ---------------------------------------------------------------- fields

def _scenario(node: Any, file: str | Path) -> ScenarioInfo:
    if not isinstance(node, dict):
        raise ResultFileError(f"{file}: scenario: expected an object, got a JSON {json_kind(node)}")
    info = ScenarioInfo(**typed(ScenarioInfo, node, "scenario", file))
    try:
        utc_time(info.start)
    except ValueError as exc:
        bad(file, "scenario.start", str(exc), info.start)
    if not info.step_s > 0:
        bad(file, "scenario.step_s", "a number of seconds > 0", info.step_s)
    return info


def _worst_area(node: Any, where: str, file: str | Path) -> WorstArea:
    if not isinstance(node, dict):
        bad(file, where, "an object", node)
    return WorstArea(**typed(WorstArea, node, where, file))


WITHOUT_D2C = "_without_d2c"  # the JSON suffix of the cells-alone variant (d2c.headline.VARIANTS)


def _geometry(geometry: dict, where: str, file: str | Path) -> None:
    """A GeoJSON Point ([lon, lat]) or Polygon (rings of [lon, lat])."""
    point = lambda c: isinstance(c, list) and len(c) == 2 and all(number(x) for x in c)  # noqa: E731
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    if kind == "Point" and point(coordinates):
        return
    if kind == "Polygon" and isinstance(coordinates, list) and coordinates and all(
            isinstance(ring, list) and len(ring) >= 3 and all(point(c) for c in ring) for ring in coordinates):
        return
    bad(file, where, "a GeoJSON Point [lon, lat] or Polygon of [lon, lat] rings", geometry)


def _zero(cls: type, suffix: str = "") -> dict:
    """Every field of ``cls`` at nothing (0, false, null, []), by JSON key: the example's filler."""
    nothing = {"float": 0.0, "int": 0, "bool": False, "list[float]": [0.0], "list[int]": [0]}
    return {f.name + suffix: nothing.get(f.type) for f in dataclasses.fields(cls) if f.type in KINDS}


EXAMPLE = json.dumps({  # one step of a run where nothing happened: the module's example
    "scenario": {"name": "x", "seed": 1, "start": "2024-01-01T00:00:00Z", "step_s": 60, "steps": 1,
                 "duration_s": 60, "topology": "t", "description": "", "path": ""},
    "summary": {**_zero(Summary), **_zero(Headline), **_zero(Headline, WITHOUT_D2C),
                "emergency_service_survival": 1.0, "population_total": 10, "sites_total": 1},
    "timeline": {**_zero(Timeline), "sites_down_by_cause": _zero(SitesDownByCause)},
})
