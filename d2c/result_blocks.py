"""The result's traffic and restoration blocks, typed: what the traffic stage measured, what the crews did.

``TrafficBlock`` is the result JSON's ``traffic`` (the traffic stage's metrics,
by bearer: ``ByBearer`` of ``CallFigures``, ``SmsFigures``, ...) and
``RestorationBlock`` its ``restoration`` (crews, jobs, generators, fuel,
restarts and the operators' ``TemporarySites``); docs/FORMATS.md lists both.
The producers hand over their dicts (``TrafficResult.to_dict``,
``Restoration.summary``), ``from_dict`` reads them (or a file's blocks), each
field checked by its annotation and a bad one refused in one line, ``file:
expected a d2c result JSON: field: expected ..., got ...``; ``to_dict`` writes
them back to the same JSON, key for key. A field that defaults to None is left
out of the JSON when it is None (``temporary_sites`` when they were off); any
other None is written as null.

>>> block = RestorationBlock.from_dict(RESTORATION_EXAMPLE, "r.json")
>>> block.crews, block.jobs_done.total(), block.temporary_sites is None, block.to_dict() == RESTORATION_EXAMPLE
(4, 4, True, True)
>>> try:
...     RestorationBlock.from_dict({**RESTORATION_EXAMPLE, "crews": "four"}, "r.json")
... except ResultFileError as exc:
...     print(exc)
r.json: expected a d2c result JSON: restoration.crews: expected an integer, got 'four'
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from d2c.result_fields import KINDS, ResultFileError, bad, check

__all__ = ["AppliedAction", "BEARERS", "BulkFigures", "ByBearer", "CallFigures", "EstimatedCounts", "IssuedWarning", "Jobs",
           "Percentiles", "PttFigures", "RestorationBlock", "SmsFigures", "SmsKinds", "TemporarySites",
           "TrafficBlock", "TrafficCounts", "WarningFigures", "WarningReach", "read_block", "write_block"]

BEARERS = ("all", "terrestrial", "d2c", "none")  # every flow, then by the bearer that carried it (none: no service)
T = TypeVar("T")
_BLOCKS: dict[str, type] = {}  # the block classes by name, for the annotations that name one


def _block(cls: type) -> type:
    _BLOCKS[cls.__name__] = cls
    return cls


# ---------------------------------------------------------------- reading and writing, by annotation

def read_block(cls: type, node: Any, where: str, file: str | Path = "") -> Any:
    """Dataclass ``cls`` read from JSON object ``node``, every field checked by its annotation: a kind of
    ``d2c.result_fields.KINDS``, a block class, ``list[...]``, ``ByBearer[...]`` or ``... | None``. A field
    of no other name is refused (it would not be written back)."""
    if not isinstance(node, dict):
        bad(file, where, "an object", node)
    names = [f.name for f in dataclasses.fields(cls)]
    for key in node:
        if key not in names:
            bad(file, f"{where}.{key}", "one of " + ", ".join(names) if len(names) <= 6
                else f"a field of {where} named in docs/FORMATS.md", key)
    out = {}
    for f in dataclasses.fields(cls):
        here = f"{where}.{f.name}"
        if f.name not in node:
            if f.default is None:  # may be absent: left out when it did not happen
                out[f.name] = None
                continue
            bad(file, here, _expected(f.type), None, missing=True)
        out[f.name] = _value(f.type, node[f.name], here, file)
    return cls(**out)


def _value(kind: str, value: Any, where: str, file: str | Path) -> Any:
    if kind in KINDS:
        check(value, kind, where.rsplit(".", 1)[-1], where, file)
        return value
    if kind.endswith(" | None"):
        return None if value is None else _value(kind[:-len(" | None")], value, where, file)
    if kind.startswith("list["):
        if not isinstance(value, list):
            bad(file, where, "a list", value)
        return [_value(kind[5:-1], item, f"{where}[{k}]", file) for k, item in enumerate(value)]
    if kind.startswith("ByBearer["):
        inner = _BLOCKS[kind[len("ByBearer["):-1]]
        if not isinstance(value, dict):
            bad(file, where, "an object, one entry per bearer", value)
        for key in value:
            if key not in BEARERS:
                bad(file, f"{where}.{key}", "one of " + ", ".join(BEARERS), key)
        for b in BEARERS:
            if b not in value:
                bad(file, f"{where}.{b}", "an object", None, missing=True)
        return ByBearer(*(read_block(inner, value[b], f"{where}.{b}", file) for b in BEARERS))
    return read_block(_BLOCKS[kind], value, where, file)


def _expected(kind: str) -> str:
    if kind in KINDS:
        return KINDS[kind][1]
    return "a list" if kind.startswith("list[") else "an object" + (" or null" if kind.endswith("| None") else "")


def write_block(obj: Any) -> dict:
    """The JSON object of a block, its fields in order (a None that defaults to None left out)."""
    out = {}
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if value is None and f.default is None:
            continue
        out[f.name] = _json(value)
    return out


def _json(value: Any) -> Any:
    if dataclasses.is_dataclass(value):
        return write_block(value)
    if isinstance(value, list):
        return [_json(item) for item in value]
    return value


class _Block:
    """A block read with ``read_block`` and written with ``write_block``."""

    def to_dict(self) -> dict:
        return write_block(self)


# ---------------------------------------------------------------- traffic (d2c.traffic.outcomes)

@_block
@dataclass(frozen=True)
class Percentiles(_Block):
    """p50, p90, p95 and p99 of a delay (d2c.traffic.outcomes.percentiles); null in JSON when nothing was measured."""

    p50: float
    p90: float
    p95: float
    p99: float

    def values(self) -> tuple[float, float, float, float]:
        return self.p50, self.p90, self.p95, self.p99


@dataclass(frozen=True)
class ByBearer(_Block, Generic[T]):
    """One figure block per bearer: every flow, terrestrial, D2C, and flows that found no service."""

    all: T
    terrestrial: T
    d2c: T
    none: T

    def shown(self) -> list[tuple[str, T]]:
        """The bearers a report shows, in order: all, terrestrial, d2c (flows with no bearer are in ``all``)."""
        return [("all", self.all), ("terrestrial", self.terrestrial), ("d2c", self.d2c)]


@_block
@dataclass(frozen=True)
class CallFigures(_Block):
    """112 calls on one bearer: attempts, outcomes as shares (None: no attempt), post-dial delay, voice MOS."""

    attempts: int
    setup_success_ratio: float | None
    setup_success_ci95: list[float] | None  # [low, high], Wilson score
    blocked_503_ratio: float | None
    timeout_ratio: float | None
    no_service_ratio: float | None
    dropped_ratio: float | None
    post_dial_delay_ms: Percentiles | None
    mos_median: float | None
    mos_median_ci95: list[float] | None  # [low, high], percentile bootstrap
    mos_p10: float | None


@_block
@dataclass(frozen=True)
class SmsFigures(_Block):
    """Messages of one kind on one bearer: sent, delivered, the delivery share and its interval, latency."""

    sent: int
    delivered: int
    delivery_ratio: float | None
    delivery_ci95: list[float] | None
    latency_ms: Percentiles | None


@_block
@dataclass(frozen=True)
class SmsKinds(_Block):
    """SMS to 112, public SMS and AML location messages, each by bearer."""

    sms112: ByBearer[SmsFigures]
    public_sms: ByBearer[SmsFigures]
    aml: ByBearer[SmsFigures]


@_block
@dataclass(frozen=True)
class WarningReach(_Block):
    """Cell-broadcast warnings on one bearer: handsets in the warned areas, reached, and how soon."""

    area_records: int
    handsets_in_area: float
    handsets_reached: float
    reach_ratio: float | None
    time_to_reach_s: Percentiles | None  # seconds from issue, weighted by handsets


@_block
@dataclass(frozen=True)
class IssuedWarning(_Block):
    """One warning as issued: its CBS message id and serial, text, areas and the share of handsets reached."""

    index: int
    message_id: int
    serial: int
    text: str
    areas: int
    reach_ratio: float | None


@_block
@dataclass(frozen=True)
class WarningFigures(_Block):
    """Warning reach by bearer, then each warning issued."""

    all: WarningReach
    terrestrial: WarningReach
    d2c: WarningReach
    none: WarningReach
    issued: list[IssuedWarning]


@_block
@dataclass(frozen=True)
class PttFigures(_Block):
    """Responders' push-to-talk sessions on one bearer."""

    sessions: int
    served_ratio: float | None
    dropped_ratio: float | None
    mos_median: float | None


@_block
@dataclass(frozen=True)
class BulkFigures(_Block):
    """Background data flows on one bearer."""

    flows: int
    packets: int
    delivery_ratio: float | None


@_block
@dataclass(frozen=True)
class TrafficCounts(_Block):
    """Flows and packets in the sample."""

    call_attempts: int
    calls_answered: int
    calls_blocked_503: int
    calls_timeout: int
    calls_no_service: int
    calls_dropped: int
    sms112: int
    public_sms: int
    aml: int
    ptt_sessions: int
    background_flows: int
    warnings_issued: int
    warning_area_records: int
    voice_packets: int
    packets_replayed: int


@_block
@dataclass(frozen=True)
class EstimatedCounts(_Block):
    """Flow counts scaled back to the whole population (count / sample)."""

    call_attempts: float
    calls_answered: float
    calls_blocked_503: float
    sms112: float
    public_sms: float
    aml: float
    ptt_sessions: float
    background_flows: float


@_block
@dataclass(frozen=True)
class TrafficBlock(_Block):
    """The traffic stage's metrics (``traffic`` in the result JSON), when packets were replayed."""

    sample: float  # the share of flows replayed
    seed: int
    start_utc: str
    steps: int
    step_s: float
    duration_s: float
    counts: TrafficCounts
    estimated_counts: EstimatedCounts
    calls: ByBearer[CallFigures]
    sms: SmsKinds
    warnings: WarningFigures
    ptt: ByBearer[PttFigures]
    background: ByBearer[BulkFigures]
    assumptions: dict  # the replay's model choices, by name: text or a number

    @classmethod
    def from_dict(cls, node: Any, file: str | Path = "") -> "TrafficBlock":
        block = read_block(cls, node, "traffic", file)
        for name, value in block.assumptions.items():
            if not (isinstance(value, str) or KINDS["float"][0](value)):
                bad(file, f"traffic.assumptions.{name}", "text or a number", value)
        return block


# ---------------------------------------------------------------- restoration (d2c.restoration.process)

@_block
@dataclass(frozen=True)
class Jobs(_Block):
    """Repair jobs by target: equipment at sites and nodes, links, substations."""

    equipment: int
    links: int
    substations: int

    def total(self) -> int:
        return self.equipment + self.links + self.substations


@_block
@dataclass(frozen=True)
class TemporarySites(_Block):
    """The operators' own cells on wheels (d2c.restoration.temporary): kept, put on air, at most at once, at the end."""

    units: int
    deployed: int
    peak_on_air: int
    on_air_at_end: int


@_block
@dataclass(frozen=True)
class RestorationBlock(_Block):
    """What the restoration did (``restoration`` in the result JSON), when restoration was on."""

    policy: str
    crews: int
    crew_pools: int
    crew_utilisation: float  # share of the crews' working hours spent on jobs
    jobs_done: Jobs
    jobs_pending: Jobs
    generators_pool: int
    generators_deployed: int
    generators_peak_in_use: int
    generators_requested: int  # brought by responses and decisions
    fuel_trucks: int
    fuel_rounds: int
    fuel_deliveries: int
    restarts: int  # power returns that cost a restart lag
    grid: str  # "curve" or "substation crews"
    temporary_sites: TemporarySites | None = None  # with temporary_sites on

    @classmethod
    def from_dict(cls, node: Any, file: str | Path = "") -> "RestorationBlock":
        return read_block(cls, node, "restoration", file)


# ---------------------------------------------------------------- the actions applied (d2c.metrics.Recorder)

@_block
@dataclass(frozen=True)
class AppliedAction(_Block):
    """An action applied during the run (``decisions`` in the result JSON): when, and what, as one line."""

    t_s: float
    action: str


RESTORATION_EXAMPLE = {  # the module's example: four crews, four repairs done
    "policy": "most_people", "crews": 4, "crew_pools": 2, "crew_utilisation": 0.25,
    "jobs_done": {"equipment": 3, "links": 1, "substations": 0},
    "jobs_pending": {"equipment": 1, "links": 0, "substations": 0}, "generators_pool": 2,
    "generators_deployed": 2, "generators_peak_in_use": 1, "generators_requested": 0, "fuel_trucks": 1,
    "fuel_rounds": 3, "fuel_deliveries": 5, "restarts": 7, "grid": "substation crews"}
