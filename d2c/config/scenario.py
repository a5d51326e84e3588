"""The scenario file: an incident on a topology over a time window (``docs/FORMATS.md``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import yaml

from d2c.config import reader as r
from d2c.config.errors import ConfigError
from d2c.config.topology import Topology, load_topology
from d2c.hazards import KINDS
from d2c.hazards.base import ParseContext


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
    topo_rel = f.req("topology", r.string)
    if topology is None:
        topo_path = (Path(path).parent / topo_rel)
        try:
            topology = load_topology(topo_path)
        except ConfigError as exc:
            if exc.file == str(topo_path) and exc.line is None and "existing file" in exc.expected:
                raise ConfigError(name, r.line_of(f.node_of("topology")), "topology",
                                  "the path of a topology file, relative to this scenario", topo_rel) from None
            raise
    start = f.req("start", r.timestamp)
    duration_s = f.req("duration", r.positive_duration_s)
    step_s = f.opt("step", r.positive_duration_s, 60.0)
    if step_s > duration_s:
        raise ctx.child("step").error(f.node_of("step"), f"a step no longer than the duration ({duration_s:g} s)", step_s)
    ids = _topology_ids(topology)
    pc = ParseContext(start=start, ids=ids)
    incidents = []
    for node, ictx in r.each(f, "incidents"):
        inc = r.Fields(node, ictx)
        kind = inc.req("kind", r.one_of(*KINDS))
        incidents.append(KINDS[kind].parse(inc, pc))
        inc.done()
    demand = f.opt("demand", _demand, Demand())
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
        path=name,
    )
    f.done()
    return scenario


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
    )
    f.done()
    return demand


def _topology_ids(t: Topology) -> dict[str, str]:
    ids: dict[str, str] = {}
    for kind, group in (("area", t.areas), ("substation", t.substations), ("site", t.sites),
                        ("transport node", t.nodes), ("link", t.links), ("core", t.cores),
                        ("psap", t.psaps), ("gateway", t.gateways)):
        for item in group:
            ids[item.id] = kind
    return ids
