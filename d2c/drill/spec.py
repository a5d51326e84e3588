"""The drill file: a scenario, the facilitator's injects and the players' decision catalogue.

The format is in ``docs/DRILLS.md``. Read with the project's YAML reader, so a
mistake is one ``file:line: field: expected ..., got ...`` line. A scenario
file may stand in for a drill file: it gets no injects and the default
catalogue (``catalogue.yaml`` beside this module).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from d2c.base import reader as r
from d2c.config.scenario import Scenario, load_scenario
from d2c.drill.kinds import KINDS, Kind
from d2c.drill.reports import REPORT_DELAY_S
from d2c.drill.targets import Targets
from d2c.timetext import offset_text

DEFAULT_CATALOGUE = Path(__file__).with_name("catalogue.yaml")
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")  # typed at the prompt: no spaces

# What an objective may be measured by (key in the result, what it means).
MEASURES = {
    "emergency_service_survival": "share of 112 demand served",
    "emergency_service_survival_without_d2c": "share of 112 demand served without D2C",
    "min_population_terrestrial_fraction": "lowest share of people with terrestrial service",
    "peak_sites_down_fraction": "highest share of sites down",
    "warning_reach_fraction": "share of the people in warned areas the warnings reached",
    "cost_eur": "total cost of the decisions, EUR",
    "worst_no_112_share": "share of people with no 112 path at the worst instant",
    "worst_no_112_share_without_d2c": "share of people with no 112 path at the worst instant, without D2C",
    "no_112_person_hours": "person-hours with no 112 path",
    "longest_area_outage_hours": "longest outage of any area (hours)",
}


@dataclass(frozen=True)
class Objective:
    text: str
    measure: str | None = None
    at_least: float | None = None
    at_most: float | None = None
    role: str | None = None  # whose objective it is (the after-action report rates each role's)


@dataclass(frozen=True)
class Inject:
    """A line of the facilitator's script at a time; optionally something breaks beyond the scenario."""

    at_s: float
    text: str
    effect: str = ""
    destroy: tuple[str, ...] = ()
    cut: tuple[str, ...] = ()
    ad_hoc: bool = False  # added by the facilitator during play (``inject TEXT``), not in the drill file


@dataclass(frozen=True)
class DecisionType:
    """A named decision the players may take: a kind, its delay and cost, and default arguments."""

    name: str
    kind: Kind
    delay_s: float
    cost_eur: float
    available: int | None
    description: str
    defaults: dict = field(default_factory=dict)
    role: str | None = None  # who may take it (None: any role), e.g. civil-protection, operators, 112-centre


@dataclass(frozen=True)
class DrillSpec:
    name: str
    scenario: Scenario
    catalogue: dict[str, DecisionType]
    injects: tuple[Inject, ...] = ()
    objectives: tuple[Objective, ...] = ()
    description: str = ""
    d2c_standby: bool = False
    targets: Targets | None = None
    path: str = ""  # the drill file as given (a scenario file standing in for one: that file)
    operator_report_delay_s: float = REPORT_DELAY_S  # how late the players learn of a site down (reports.py)

    @property
    def roles(self) -> list[str]:
        """The roles the catalogue and the objectives name, in order of first mention."""
        named = [d.role for d in self.catalogue.values()] + [o.role for o in self.objectives]
        return list(dict.fromkeys(role for role in named if role))


def load_drill(path: str | Path) -> DrillSpec:
    """Read a drill file, or a scenario file with the default catalogue."""
    name = str(path)
    root = r.compose_file(path)
    f = r.Fields(root, r.Ctx(name))
    if f.has("topology"):
        scenario = load_scenario(path)
        targets = Targets(scenario.topology)
        return DrillSpec(name=f"{scenario.name}-drill", scenario=scenario, targets=targets, path=name,
                         catalogue=load_catalogue(DEFAULT_CATALOGUE, targets), description=scenario.description)
    scenario = r.load_relative(f, "scenario", load_scenario, "a scenario file")
    targets = Targets(scenario.topology)
    moment = r.moment_s(scenario.start)
    injects = tuple(_inject(node, ctx, moment, scenario, targets) for node, ctx in r.each(f, "injects"))
    objectives = tuple(_objective(node, ctx) for node, ctx in r.each(f, "objectives"))
    if f.has("decisions"):
        catalogue = _catalogue(f.node_of("decisions"), f.ctx.child("decisions"), targets)
        f.req("decisions", lambda n, c: n)
    else:
        catalogue = load_catalogue(DEFAULT_CATALOGUE, targets)
    spec = DrillSpec(
        name=f.req("name", r.string),
        description=f.opt("description", r.text, ""),
        scenario=scenario,
        catalogue=catalogue,
        injects=tuple(sorted(injects, key=lambda i: i.at_s)),
        objectives=objectives,
        d2c_standby=f.opt("d2c_standby", r.boolean, False),
        operator_report_delay_s=f.opt("operator_report_delay", r.duration_s, REPORT_DELAY_S),
        targets=targets,
        path=name,
    )
    f.done()
    return spec


def load_catalogue(path: str | Path, targets: Targets) -> dict[str, DecisionType]:
    """A file whose ``decisions:`` is a catalogue (the default one ships with d2c)."""
    f = r.Fields(r.compose_file(path), r.Ctx(str(path)))
    catalogue = f.req("decisions", lambda n, c: _catalogue(n, c, targets))
    f.done()
    return catalogue


def _inject(node: yaml.Node, ctx: r.Ctx, moment, scenario: Scenario, targets: Targets) -> Inject:
    f = r.Fields(node, ctx)
    at_s = f.req("at", within_scenario(moment, scenario))

    def ids(check, what):
        def parse(n, c):
            values = r.list_of(r.string, 1)(n, c)
            for i, value in enumerate(values):
                if not check(value):
                    raise c.child(i).error(n.value[i], f"the id of a {what} in the topology", value)
            return tuple(values)
        return parse

    inject = Inject(
        at_s=at_s,
        text=f.req("text", r.string),
        effect=f.opt("effect", r.text, ""),
        destroy=f.opt("destroy", ids(targets.destroyable, "site, node, core, PSAP, gateway or substation"), ()),
        cut=f.opt("cut", ids(targets.sets["link"].__contains__, "link"), ()),
    )
    f.done()
    return inject


def _objective(node: yaml.Node, ctx: r.Ctx) -> Objective:
    if isinstance(node, yaml.ScalarNode):
        return Objective(r.string(node, ctx))
    f = r.Fields(node, ctx)
    text = f.req("text", r.string)
    role = f.opt("role", role_name, None)
    measure = f.opt("measure", r.one_of(*MEASURES), None)
    at_least = f.opt("at_least", r.number(), None)
    at_most = f.opt("at_most", r.number(), None)
    if measure is not None and (at_least is None) == (at_most is None):
        raise ctx.error(node, "a measure with exactly one of at_least or at_most")
    if measure is None and (at_least is not None or at_most is not None):
        raise ctx.child("measure").error(node, "a measure (one of " + ", ".join(MEASURES) + ") for the threshold")
    f.done()
    return Objective(text, measure, at_least, at_most, role)


def _catalogue(node: yaml.Node, ctx: r.Ctx, targets: Targets) -> dict[str, DecisionType]:
    if not isinstance(node, yaml.MappingNode) or not node.value:
        raise ctx.error(node, "a mapping of decision names to their kind, delay and cost")
    f = r.Fields(node, ctx)
    catalogue = {}
    for key_node, value_node in node.value:
        name = key_node.value
        if not NAME.match(name):
            raise ctx.child(name).error(key_node, "a decision name of letters, digits, '-', '_' or '.' (no spaces)", name)
        catalogue[name] = f.req(name, lambda n, c, name=name: _decision_type(name, n, c, targets))
    f.done()
    return catalogue


def _decision_type(name: str, node: yaml.Node, ctx: r.Ctx, targets: Targets) -> DecisionType:
    f = r.Fields(node, ctx)
    kind = KINDS[f.req("action", r.one_of(*KINDS))]
    defaults = {}
    for param in kind.params:
        value = f.opt(param.name, param_parser(param), None)
        if value is not None:
            defaults[param.name] = value
    backhaul = defaults.get("backhaul", next((p.default for p in kind.params if p.name == "backhaul"), None))
    if backhaul == "gateway" and not targets.gateways:
        raise ctx.child("backhaul").error(f.node_of("backhaul") or node,
                                          "satellite-operator: the topology has no gateway for a gateway backhaul",
                                          "gateway" if f.has("backhaul") else "gateway (the default)")
    decision_type = DecisionType(
        name=name,
        kind=kind,
        delay_s=f.opt("delay", r.duration_s, 0.0),
        cost_eur=f.opt("cost_eur", r.number(0.0), 0.0),
        available=f.opt("available", r.integer(1), None),
        description=f.opt("description", r.text, kind.summary),
        defaults=defaults,
        role=f.opt("role", role_name, None),
    )
    f.done()
    return decision_type


def role_name(node: yaml.Node, ctx: r.Ctx) -> str:
    """A role's name: letters, digits, '-', '_' or '.', typed at the prompt (``role NAME``)."""
    name = r.string(node, ctx)
    if not NAME.match(name) or name in ("all", "none"):
        raise ctx.error(node, "a role name of letters, digits, '-', '_' or '.' (no spaces; not all or none)", name)
    return name


def param_parser(param):
    """The YAML parser for one decision argument."""
    if param.kind == "number":
        return r.number(above=0.0)
    if param.kind == "text":
        return r.string
    return r.one_of(*param.kind.split("|"))


def within_scenario(moment, scenario: Scenario, decision: bool = False):
    """A time parser that also checks the time falls within the scenario.

    A decision is taken when the clock reaches it, and the clock's last stop
    before the end is one step before it: a decision must come no later.
    """
    last_s = scenario.duration_s - (scenario.step_s if decision else 0.0)

    def parse(node: yaml.Node, ctx: r.Ctx) -> float:
        t_s = moment(node, ctx)
        if not 0 <= t_s <= last_s:
            last = "one step before its end, " if decision else ""
            raise ctx.error(node, f"a time within the scenario ({last}T+0 to {offset_text(last_s)})", node.value)
        return t_s
    return parse
