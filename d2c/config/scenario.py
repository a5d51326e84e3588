"""The scenario file: an incident on a topology over a time window (``docs/FORMATS.md``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import yaml

from d2c import pws
from d2c.attach import AttachSettings
from d2c.base import limits
from d2c.base import reader as r
from d2c.base.errors import ConfigError, Found, found_reference
from d2c.config.topology import Topology, how_to_get_topology, load_topology
from d2c.hazards import KINDS
from d2c.hazards.base import ParseContext
from d2c.hazards.footprint import parse_footprint
from d2c.offer import COMPATIBLE_HANDSETS, OFFER_SERVICES, Offer, Phase
from d2c.restoration.settings import RestorationSettings, parse_restoration
from d2c.space.provider import read_provider


@dataclass(frozen=True)
class Demand:
    """Who calls 112 and how much, per person.

    Defaults: Italy's NUE 112 answers on the order of 0.3 calls per resident per
    year (regional NUE 112 annual reports, approx.), i.e. 3.4e-5 per person-hour;
    112 SMS are a small fraction of that. In the hit area the rate jumps by
    ``surge_factor`` when the incident strikes and decays back exponentially
    with ``surge_decay_hours``.
    """

    emergency_calls_per_person_hour: float = 3.4e-5
    emergency_sms_per_person_hour: float = 3.4e-6
    public_sms_per_person_hour: float = 0.015
    call_hold_s: float = 90.0
    surge_factor: float = 20.0
    surge_decay_hours: float = 6.0
    # First responders (fire, police, health, civil-protection volunteers) per
    # 1,000 residents, and their push-to-talk load each during an incident.
    # assumed: 5 per 1,000 (range 3-10; Italy's state police, Carabinieri and
    # fire brigade alone are about 4 per 1,000 residents, before volunteers).
    responders_per_1000: float = 5.0
    # assumed: 0.05 Erlang, three minutes of talk an hour (range 0.02-0.15).
    responder_erlangs: float = 0.05
    data_kbps_per_person: float = 0.5
    # Share of handsets that stay on their own operator's radio when its core
    # fails, so that their 112 call fails (1: as in the Rogers 2022 and Optus
    # 2023 outages, where phones did not move to another network; 0: every
    # phone finds another operator's network, limited service, TS 22.101).
    stuck_on_failed_core: float = 1.0
    # Calls to family, friends and news (non-emergency voice). Normal load: Italy's
    # mobile networks carried 102 billion minutes in January-September 2012
    # (AGCOM Osservatorio sulle comunicazioni, as reported by PMI.it, 2012), i.e.
    # 0.0044 Erlang per resident, averaged over day and night.
    family_erlangs_per_person: float = 0.0044
    family_call_hold_s: float = 120.0  # assumed (range 60-180 s)
    # Surge of those calls where an incident strikes. After the 2011 Tohoku earthquake
    # outgoing voice traffic rose 60-fold (NTT East) and packet traffic 4-fold (Embassy of
    # Japan, NTCA event, reported by International Trade Today, 19 April 2012); DOCOMO
    # saw voice at 50-60x normal. Those counts include retries of blocked calls, so the
    # first-attempt surge used here is assumed 10 (range 4-60), decaying over 6 h (3-24 h).
    family_surge_factor: float = 10.0
    family_surge_decay_hours: float = 6.0


@dataclass(frozen=True)
class D2CSettings:
    """Which satellite service the fallback uses, and whose core carries its traffic.

    ``core``: ``operator`` — D2C traffic lands at a gateway and goes to the mobile
    operators' cores over the same network as terrestrial traffic (so a gateway
    cut off from a working core serves nothing); ``satellite`` — the satellite
    operator's own core, outside the incident, hands 112 to the answering points.
    """

    provider: object  # d2c.space.Provider
    core: str = "operator"
    offer: Offer = field(default_factory=Offer)
    attach: AttachSettings = field(default_factory=AttachSettings)


@dataclass(frozen=True)
class Evacuation:
    """People leave their buildings where the incident reaches them (after an earthquake:
    camps, open spaces, cars). ``outdoors_share`` of the people indoors move outdoors from
    ``after_s`` after the incident reaches their area, for ``lasting_s``."""

    outdoors_share: float
    after_s: float = 0.0
    lasting_s: float = float("inf")


@dataclass(frozen=True)
class Population:
    """Where people are, for the satellite radio path (indoors they lose a building-entry loss).

    ``None`` fields take the cited or assumed defaults of ``d2c/space/indoors.py``.
    ``indoors: false`` puts everyone outdoors (the idealised link, for comparisons).
    """

    indoors: bool = True
    indoor_share_by_hour: tuple[float, ...] | None = None
    thermally_efficient_share: float | None = None
    utc_offset_hours: float | None = None
    evacuation: Evacuation | None = None


@dataclass(frozen=True)
class PublicWarning:
    """A cell-broadcast warning (IT-Alert) sent to every handset in ``area`` at ``at_s``.

    ``languages``: (ISO 639-1 code, text) of each additional-language copy, sent
    under the identifier for copies of ``message_id`` (``d2c.pws.language_copy``).
    """

    at_s: float
    area: object  # d2c.hazards.footprint.Footprint
    text: str
    message_id: int = pws.DEFAULT_ID
    languages: tuple[tuple[str, str], ...] = ()

    def broadcasts(self) -> list[tuple[int, str]]:
        """(message identifier, text) of every message this warning sends: the warning, then its copies."""
        copy = pws.language_copy(self.message_id)
        return [(self.message_id, self.text)] + [(copy, pws.with_language(lang, text)) for lang, text in self.languages]


@dataclass(frozen=True)
class Response:
    """A planned response the scenario applies at ``at_s``: the crews and trucks a plan counts on.

    ``kind`` is ``repair`` (equipment back in service), ``repair_link`` or
    ``generator`` (``hours`` of fuel brought to a site, node, core, PSAP or gateway).
    With restoration on, a response is a job at the front of its crews' queue
    from ``at_s`` (travel and repair time included); with ``restoration: off``
    it takes effect at ``at_s``.
    """

    at_s: float
    kind: str
    target: str
    hours: float = 0.0


@dataclass(frozen=True)
class Scenario:
    name: str
    topology: Topology
    start: datetime
    duration_s: float
    step_s: float
    seed: int
    incidents: tuple = ()
    demand: Demand = field(default_factory=Demand)
    d2c: D2CSettings | None = None
    population: Population = field(default_factory=Population)
    warnings: tuple[PublicWarning, ...] = ()
    responses: tuple[Response, ...] = ()
    # None: nothing is restored unless a response or decision does it at once.
    # A scenario file without a restoration block gets the defaults (load_scenario).
    restoration: RestorationSettings | None = None
    description: str = ""
    path: str = ""

    @property
    def steps(self) -> int:
        return int(self.duration_s // self.step_s)


def load_scenario(path: str | Path, topology: Topology | None = None) -> Scenario:
    """Read and check a scenario and the topology it names (relative to the scenario file)."""
    name = str(path)
    root = r.compose_file(path)
    ctx = r.Ctx(name)
    f = r.Fields(root, ctx)
    if topology is None:
        topology = r.load_relative(f, "topology", load_topology, "a topology file", how_to_get_topology)
    else:
        f.req("topology", r.string)
    start = f.req("start", r.timestamp)
    duration_s = f.req("duration", r.positive_duration_s)
    step_s = f.opt("step", r.positive_duration_s, 60.0)
    _check_time_budget(f, start, duration_s, step_s)
    pc = ParseContext(start=start, ids=topology.kinds_by_id(), duration_s=duration_s)
    incidents = []
    for node, ictx in r.each(f, "incidents"):
        inc = r.Fields(node, ictx)
        kind = inc.req("kind", r.one_of(*KINDS))
        incidents.append(KINDS[kind].parse(inc, pc))
        inc.done()
    demand = f.opt("demand", _demand, Demand())
    population = f.opt("population", _population, Population())
    d2c = f.opt("d2c", lambda n, c: _d2c(n, c, Path(path).parent, start, topology), None)
    warnings = tuple(_warning(n, c, start, duration_s) for n, c in r.each(f, "warnings"))
    responses = tuple(_response(n, c, start, duration_s, pc.ids) for n, c in r.each(f, "responses"))
    restoration = f.opt("restoration", parse_restoration, RestorationSettings())
    scenario = Scenario(
        name=f.req("name", r.string),
        description=f.opt("description", r.text, ""),
        topology=topology,
        start=start,
        duration_s=duration_s,
        step_s=step_s,
        seed=f.req("seed", r.integer(0, 2**63 - 1)),
        incidents=tuple(incidents),
        demand=demand,
        d2c=d2c,
        population=population,
        warnings=warnings,
        responses=responses,
        restoration=restoration,
        path=name,
    )
    f.done()
    return scenario


def _check_time_budget(f: r.Fields, start: datetime, duration_s: float, step_s: float) -> None:
    """The step fits the duration a whole number of times, and the run is not absurdly long (docs/FORMATS.md)."""
    ctx = f.ctx
    step_node = f.node_of("step") or f.node
    if step_s < limits.MIN_STEP_S:
        raise ctx.child("step").error(step_node, f"a step of at least {limits.MIN_STEP_S:g} s", f"{step_s:g} s")
    if step_s > duration_s:
        raise ctx.child("step").error(step_node, f"a step no longer than the duration ({duration_s:g} s)", step_s)
    steps = duration_s / step_s
    if abs(steps - round(steps)) > 1e-9 * max(steps, 1.0):
        raise ctx.child("step").error(step_node, f"a step that divides the duration ({duration_s:g} s is "
                                      f"{steps:.4g} steps of {step_s:g} s)", f"{step_s:g} s")
    if (start + timedelta(seconds=duration_s)) >= r.LATEST:
        raise ctx.child("duration").error(f.node_of("duration"), "a scenario that ends before 2200", f"{duration_s:g} s")
    gigabytes = steps * limits.BYTES_PER_STEP / 1e9
    if (steps > limits.MAX_STEPS or gigabytes > limits.MAX_TIMELINE_GB) and not limits.forced():
        raise ctx.child("step").error(
            step_node, f"a run of at most {limits.MAX_STEPS:,} steps and {limits.MAX_TIMELINE_GB:g} GB "
            "(d2c --force runs it anyway)",
            Found(f"this run would take about {round(steps):,} steps and {gigabytes:.2g} GB"))


def _demand(node: yaml.Node, ctx: r.Ctx) -> Demand:
    f = r.Fields(node, ctx)
    d = Demand()
    demand = Demand(
        emergency_calls_per_person_hour=f.opt("emergency_calls_per_person_hour", r.number(0.0), d.emergency_calls_per_person_hour),
        emergency_sms_per_person_hour=f.opt("emergency_sms_per_person_hour", r.number(0.0), d.emergency_sms_per_person_hour),
        public_sms_per_person_hour=f.opt("public_sms_per_person_hour", r.number(0.0), d.public_sms_per_person_hour),
        call_hold_s=f.opt("call_hold_s", r.number(above=0.0), d.call_hold_s),
        surge_factor=f.opt("surge_factor", r.number(1.0), d.surge_factor),
        surge_decay_hours=f.opt("surge_decay_hours", r.number(above=0.0), d.surge_decay_hours),
        responders_per_1000=f.opt("responders_per_1000", r.number(0.0, 1000.0), d.responders_per_1000),
        responder_erlangs=f.opt("responder_erlangs", r.number(0.0, 1.0), d.responder_erlangs),
        data_kbps_per_person=f.opt("data_kbps_per_person", r.number(0.0), d.data_kbps_per_person),
        stuck_on_failed_core=f.opt("stuck_on_failed_core", r.number(0.0, 1.0), d.stuck_on_failed_core),
        family_erlangs_per_person=f.opt("family_erlangs_per_person", r.number(0.0, 1.0), d.family_erlangs_per_person),
        family_call_hold_s=f.opt("family_call_hold_s", r.number(above=0.0), d.family_call_hold_s),
        family_surge_factor=f.opt("family_surge_factor", r.number(1.0), d.family_surge_factor),
        family_surge_decay_hours=f.opt("family_surge_decay_hours", r.number(above=0.0), d.family_surge_decay_hours),
    )
    f.done()
    return demand


def _population(node: yaml.Node, ctx: r.Ctx) -> Population:
    f = r.Fields(node, ctx)
    by_hour = f.opt("indoor_share_by_hour", r.list_of(r.number(0.0, 1.0), 24), None)
    if by_hour is not None and len(by_hour) != 24:
        raise ctx.child("indoor_share_by_hour").error(f.node_of("indoor_share_by_hour"),
                                                      "24 shares, one per local hour", f"{len(by_hour)} values")
    population = Population(
        indoors=f.opt("indoors", r.boolean, True),
        indoor_share_by_hour=tuple(by_hour) if by_hour is not None else None,
        thermally_efficient_share=f.opt("thermally_efficient_share", r.number(0.0, 1.0), None),
        utc_offset_hours=f.opt("utc_offset_hours", r.number(-12.0, 14.0), None),
        evacuation=f.opt("evacuation", _evacuation, None),
    )
    f.done()
    return population


def _evacuation(node: yaml.Node, ctx: r.Ctx) -> Evacuation:
    f = r.Fields(node, ctx)
    evacuation = Evacuation(
        outdoors_share=f.req("outdoors_share", r.number(0.0, 1.0)),
        after_s=f.opt("after", r.duration_s, 0.0),
        lasting_s=f.opt("lasting", r.positive_duration_s, float("inf")),
    )
    f.done()
    return evacuation


def _warning(node: yaml.Node, ctx: r.Ctx, start: datetime, duration_s: float) -> PublicWarning:
    f = r.Fields(node, ctx)
    warning = PublicWarning(
        at_s=f.req("at", r.moment_s(start, duration_s)),
        area=f.req("area", parse_footprint),
        text=f.req("text", r.string),
        message_id=f.opt("message_id", _message_id, pws.DEFAULT_ID),
        languages=f.opt("languages", _languages, ()),
    )
    f.done()
    return warning


def _message_id(node: yaml.Node, ctx: r.Ctx) -> int:
    value = r.integer(0, 65535)(node, ctx)
    if not pws.is_valid(value):
        raise ctx.error(node, "a public-warning identifier of 3GPP TS 23.041: 4370-4399 (EU-Alert) or 6400 (EU-Info)",
                        value)
    return value


def _languages(node: yaml.Node, ctx: r.Ctx) -> tuple[tuple[str, str], ...]:
    """``{en: "text", de: "text"}``: the additional-language copies of a warning."""
    f = r.Fields(node, ctx)
    copies = []
    for key in f.keys():
        if pws.language_of(f"{key}\r") is None:
            raise ctx.child(key).error(f.node_of(key), "a two-letter ISO 639-1 language code such as en or de", key)
        copies.append((key, f.req(key, r.string)))
    f.done()
    return tuple(copies)


RESPONSE_TARGETS = {
    "repair": ("site", "transport node", "core", "psap", "gateway"),
    "repair_link": ("link",),
    "generator": ("site", "transport node", "core", "psap", "gateway"),
}


def _response(node: yaml.Node, ctx: r.Ctx, start: datetime, duration_s: float, ids: dict[str, str]) -> Response:
    f = r.Fields(node, ctx)
    at_s = f.req("at", r.moment_s(start, duration_s))
    chosen = [k for k in RESPONSE_TARGETS if f.has(k)]
    if len(chosen) != 1:
        raise ctx.error(node, "exactly one of " + ", ".join(RESPONSE_TARGETS) + " in each response",
                        ", ".join(chosen) or "none")
    kind = chosen[0]
    target = f.req(kind, r.string)
    if ids.get(target) not in RESPONSE_TARGETS[kind]:
        raise ctx.child(kind).error(f.node_of(kind), "the id of a " + " or ".join(RESPONSE_TARGETS[kind]),
                                    found_reference(target, ids))
    hours = f.req("hours", r.number(above=0.0)) if kind == "generator" else 0.0
    f.done()
    return Response(at_s, kind, target, hours)


def _d2c(node: yaml.Node, ctx: r.Ctx, base: Path, start: datetime, topology: Topology) -> D2CSettings:
    """``{provider: NAME|PATH}`` or ``{walker: "53:600/20/1", altitude_km: 550}``, plus ``core``,
    the offer (``activation``, ``phases``, ``operators``, ``compatible_handsets``) and ``attach``."""
    f = r.Fields(node, ctx)
    provider = read_provider(f, base)
    settings = D2CSettings(
        provider=provider,
        core=f.opt("core", r.one_of("operator", "satellite"), "operator"),
        offer=_offer(f, start, topology),
        attach=f.opt("attach", _attach, AttachSettings()),
    )
    f.done()
    return settings


def _offer(f: r.Fields, start: datetime, topology: Topology) -> Offer:
    """The offer's fields of the ``d2c`` block (docs/FORMATS.md)."""
    at = r.moment_s(start)

    def activation(node: yaml.Node, ctx: r.Ctx) -> float | None:
        if isinstance(node, yaml.ScalarNode) and str(node.value).strip() == "on_decision":
            return None
        try:
            return at(node, ctx)
        except ConfigError:
            raise ctx.error(node, "on_decision or a time (T+9d, an ISO 8601 time)", node.value) from None

    def phase(node: yaml.Node, ctx: r.Ctx) -> Phase:
        p = r.Fields(node, ctx)
        result = Phase(p.req("from", at), tuple(p.req("services", r.list_of(r.one_of(*OFFER_SERVICES)))))
        p.done()
        return result

    phases = tuple(phase(n, c) for n, c in r.each(f, "phases"))
    for i in range(1, len(phases)):
        if phases[i].from_s <= phases[i - 1].from_s:
            node = f.node_of("phases").value[i]
            raise f.ctx.child("phases").child(i).error(node, "phases in time order, each later than the one before",
                                                       f"from at {phases[i].from_s:g} s")
    operators = None
    if f.has("operators"):
        known = sorted({site.operator for site in topology.sites})
        if isinstance(f.node_of("operators"), yaml.ScalarNode) and f.node_of("operators").value == "all":
            f.req("operators", r.string)
        else:
            operators = tuple(f.req("operators", r.list_of(r.one_of(*known), 1)))
    return Offer(
        activation_s=f.opt("activation", activation, 0.0),
        phases=phases,
        operators=operators,
        compatible_handsets=f.opt("compatible_handsets", r.number(0.0, 1.0), COMPATIBLE_HANDSETS),
    )


def _attach(node: yaml.Node, ctx: r.Ctx) -> AttachSettings:
    f = r.Fields(node, ctx)
    d = AttachSettings()
    settings = AttachSettings(
        handsets_per_person=f.opt("handsets_per_person", r.number(0.0, 10.0), d.handsets_per_person),
        prach_occasions_per_s=f.opt("prach_occasions_per_s", r.number(above=0.0, maximum=1000.0), d.prach_occasions_per_s),
        contention_preambles=f.opt("contention_preambles", r.integer(1, 64), d.contention_preambles),
        rar_grants_per_occasion=f.opt("rar_grants_per_occasion", r.number(above=0.0), d.rar_grants_per_occasion),
        signalling_bytes_per_attach=f.opt("signalling_bytes_per_attach", r.number(above=0.0), d.signalling_bytes_per_attach),
    )
    f.done()
    return settings
