"""The topology file: a territory's people and its mobile network.

The field-by-field reference is ``docs/FORMATS.md``. This module turns the
YAML into plain frozen dataclasses, checking every value and every reference
(``backhaul``, ``substation``, link endpoints, PSAP cores) as it goes.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from d2c.base import limits
from d2c.base import reader as r
from d2c.config import topology_cache
from d2c.base.errors import ConfigError, found_reference
from d2c.base.topology_model import (CORE_FUNCTIONS, DEFAULT_BATTERY_HOURS, SITE_CLASSES, Area, Core, Gateway,  # noqa: F401
                                     Link, Operator, Power, Psap, Site, Substation, Topology, TransportNode)


# ------------------------------------------------------------------- loading

# Topologies the scenario library uses that are generated, not committed (the Makefile builds them).
GENERATED_TOPOLOGIES = {
    "italy": "--country IT",
    "lazio": "--region Lazio",
    "emilia-romagna": "--region Emilia-Romagna",
    "campania": "--region Campania",
    "stretto-di-messina": "--bbox 37.75,15.05,38.60,16.20",
}


def how_to_get_topology(path: str | Path) -> str:
    """How to get a missing topology file: the build command that makes it.

    >>> how_to_get_topology("topologies/campania.yaml")
    'it is generated: run `make topologies`, or `d2c topology build --region Campania --name campania --seed 1 --out topologies/campania.yaml`'
    """
    path = os.path.normpath(path)
    stem = Path(path).stem
    if stem in GENERATED_TOPOLOGIES:
        return (f"it is generated: run `make topologies`, or `d2c topology build {GENERATED_TOPOLOGIES[stem]} "
                f"--name {stem} --seed 1 --out {path}`")
    return f"build one with `d2c topology build --region NAME --out {path}`"


def load_topology(path: str | Path, cache: bool = True) -> Topology:
    """Read and check a topology file; raises ConfigError pointing at the bad line.

    A file already checked is loaded from its compiled cache entry
    (``d2c.config.topology_cache``), keyed by its text: the same Topology,
    without the YAML parse. ``cache=False`` always parses.
    """
    name = str(path)
    text = r.read_text(path)
    if cache:
        cached = topology_cache.load(text, name)
        if cached is not None:
            return cached
    topology = parse_topology(r.compose_text(text, name), r.Ctx(name))
    if cache:
        topology_cache.store(text, topology)
    return topology


def parse_topology(root: yaml.Node, ctx: r.Ctx) -> Topology:
    top = r.Fields(root, ctx)
    ids = _Ids(ctx.file)
    areas = tuple(_area(n, c, ids) for n, c in r.items(top.req("areas", _nonempty_list), ctx.child("areas")))
    substations = tuple(_substation(n, c, ids) for n, c in r.each(top, "substations"))
    transport_node = top.node_of("transport")
    nodes: tuple[TransportNode, ...] = ()
    link_items: list = []
    if transport_node is not None:
        transport = r.Fields(transport_node, ctx.child("transport"))
        nodes = tuple(_transport_node(n, c, ids) for n, c in r.each(transport, "nodes"))
        link_items = list(r.each(transport, "links"))
        transport.done()
    top.opt("transport", lambda n, c: None, None)
    cores = tuple(_core(n, c, ids) for n, c in r.items(top.req("cores", _nonempty_list), ctx.child("cores")))
    psaps = tuple(_psap(n, c, ids) for n, c in r.items(top.req("psaps", _nonempty_list), ctx.child("psaps")))
    gateways = tuple(_gateway(n, c, ids) for n, c in r.each(top, "gateways"))
    site_items = list(r.items(top.req("sites", _nonempty_list), ctx.child("sites")))
    sites = tuple(_site(n, c, ids) for n, c in site_items)
    links = tuple(_link(n, c, ids) for n, c in link_items)
    operators = _operators(top, sites, ctx)
    topo = Topology(
        name=top.req("name", r.string),
        description=top.opt("description", r.text, ""),
        areas=areas,
        substations=substations,
        sites=sites,
        nodes=nodes,
        links=links,
        cores=cores,
        psaps=psaps,
        gateways=gateways,
        operators=operators,
        path=ctx.file,
    )
    top.done()
    if topo.population > limits.MAX_TOTAL_POPULATION:
        raise ctx.child("areas").error(top.node_of("areas"), f"a total population of at most "
                                       f"{limits.MAX_TOTAL_POPULATION:,}", topo.population)
    ids.check_references()
    _check_backhaul_chains(site_items, sites, ctx.file)
    return topo


def _operators(top: r.Fields, sites: tuple[Site, ...], ctx: r.Ctx) -> tuple[Operator, ...]:
    """The optional ``operators:`` list: each operator's market share; the shares sum to 1."""
    out = []
    for node, c in r.each(top, "operators"):
        f = r.Fields(node, c)
        out.append(Operator(name=f.req("name", r.string), market_share=f.req("market_share", r.number(0.0, 1.0))))
        f.done()
    if out:
        node = top.node_of("operators")
        names = [o.name for o in out]
        if len(set(names)) != len(names):
            raise ctx.child("operators").error(node, "each operator named once", names)
        missing = sorted({s.operator for s in sites} - set(names))
        if missing:
            raise ctx.child("operators").error(node, "every operator of the sites listed", f"none for {missing}")
        total = sum(o.market_share for o in out)
        if abs(total - 1.0) > 1e-3:
            raise ctx.child("operators").error(node, "market shares summing to 1", round(total, 6))
    return tuple(out)


def _check_backhaul_chains(site_items, sites: tuple[Site, ...], file: str) -> None:
    """Sites may hang off other sites (microwave daisy chains), but never in a loop."""
    parent = {site.id: site.backhaul for site in sites}
    for (node, ctx), site in zip(site_items, sites):
        seen = {site.id}
        current = site.backhaul
        while current in parent:
            if current in seen:
                fields = r.Fields(node, ctx)
                raise ConfigError(
                    file, r.line_of(fields.node_of("backhaul")), ctx.child("backhaul").field,
                    "a backhaul chain that ends at a transport node or core", f"a loop through {current!r}",
                )
            seen.add(current)
            current = parent[current]


def _nonempty_list(node: yaml.Node, ctx: r.Ctx) -> yaml.Node:
    if not isinstance(node, yaml.SequenceNode):
        raise ctx.error(node, "a list")
    if not node.value:
        raise ctx.error(node, "a list with at least one item", "an empty list")
    return node


class _Ids:
    """Every id in the file, what it names, and the references still to check."""

    def __init__(self, file: str):
        self.file = file
        self.kind: dict[str, str] = {}
        self.pending: list[tuple[str, tuple[str, ...], r.Ctx, yaml.Node]] = []

    def add(self, fields: r.Fields, kind: str, key: str = "id", default: str | None = None) -> str:
        if default is not None:
            ident = fields.opt(key, r.string, default)
        else:
            ident = fields.req(key, r.string)
        if ident in self.kind:
            node = fields.node_of(key) or fields.node
            raise fields.ctx.child(key).error(node, f"a unique id, {ident!r} is already a {self.kind[ident]}", ident)
        self.kind[ident] = kind
        return ident

    def ref(self, fields: r.Fields, key: str, value: str, kinds: tuple[str, ...]) -> None:
        self.pending.append((value, kinds, fields.ctx.child(key), fields.node_of(key) or fields.node))

    def check_references(self) -> None:
        for value, kinds, ctx, node in self.pending:
            if self.kind.get(value) not in kinds:
                what = " or ".join(kinds)
                raise ConfigError(self.file, r.line_of(node), ctx.field, f"the id of a {what}",
                                  found_reference(value, self.kind))


_HOURS = r.number(0.0, limits.MAX_AUTONOMY_HOURS)


def _power(fields: r.Fields, ids: _Ids, kind: str) -> Power:
    substation = fields.opt("substation", r.string, None)
    if substation is not None:
        ids.ref(fields, "substation", substation, ("substation",))
    return Power(
        substation=substation,
        battery_hours=fields.opt("battery_hours", _HOURS, DEFAULT_BATTERY_HOURS[kind]),
        generator_hours=fields.opt("generator_hours", _HOURS, 0.0),
        site_class=fields.opt("site_class", r.one_of(*SITE_CLASSES), "B"),
    )


def _area(node, ctx, ids) -> Area:
    f = r.Fields(node, ctx)
    name = f.req("name", r.string)
    area = Area(
        id=ids.add(f, "area", default=name),
        name=name,
        lat=f.req("lat", r.latitude),
        lon=f.req("lon", r.longitude),
        population=f.req("population", r.integer(0, limits.MAX_AREA_POPULATION)),
        region=f.opt("region", r.text, ""),
    )
    f.done()
    return area


def _substation(node, ctx, ids) -> Substation:
    f = r.Fields(node, ctx)
    sub = Substation(id=ids.add(f, "substation"), lat=f.req("lat", r.latitude), lon=f.req("lon", r.longitude))
    f.done()
    return sub


def _site(node, ctx, ids) -> Site:
    f = r.Fields(node, ctx)
    ident = ids.add(f, "site")
    backhaul = f.req("backhaul", r.string)
    if backhaul == ident:
        raise ctx.child("backhaul").error(f.node_of("backhaul"), "another element's id, not the site itself", backhaul)
    ids.ref(f, "backhaul", backhaul, ("transport node", "core", "site"))
    site = Site(
        id=ident,
        lat=f.req("lat", r.latitude),
        lon=f.req("lon", r.longitude),
        operator=f.req("operator", r.string),
        radius_km=f.req("radius_km", r.number(maximum=limits.MAX_RADIUS_KM, above=0.0)),
        capacity_calls=f.req("capacity_calls", r.number(0.0, limits.MAX_SITE_CAPACITY_CALLS)),
        capacity_mbps=f.req("capacity_mbps", r.number(0.0, limits.MAX_SITE_CAPACITY_MBPS)),
        backhaul=backhaul,
        power=_power(f, ids, "site"),
        anchored=f.opt("anchored", r.boolean, True),
    )
    f.done()
    return site


def _transport_node(node, ctx, ids) -> TransportNode:
    f = r.Fields(node, ctx)
    tn = TransportNode(
        id=ids.add(f, "transport node"),
        lat=f.req("lat", r.latitude),
        lon=f.req("lon", r.longitude),
        kind=f.opt("kind", r.one_of("access", "aggregation", "regional", "national"), "aggregation"),
        power=_power(f, ids, "node"),
    )
    f.done()
    return tn


def _link(node, ctx, ids) -> Link:
    f = r.Fields(node, ctx)
    ident = ids.add(f, "link")
    a = f.req("a", r.string)
    b = f.req("b", r.string)
    if a == b:
        raise ctx.child("b").error(f.node_of("b"), "an endpoint different from a", b)
    for key, value in (("a", a), ("b", b)):
        ids.ref(f, key, value, ("transport node", "core", "gateway"))
    link = Link(
        id=ident,
        a=a,
        b=b,
        medium=f.opt("medium", r.one_of("fibre", "microwave"), "fibre"),
        route=tuple(f.opt("route", r.list_of(r.point), [])),
    )
    f.done()
    return link


def _core(node, ctx, ids) -> Core:
    f = r.Fields(node, ctx)
    core = Core(
        id=ids.add(f, "core"),
        lat=f.req("lat", r.latitude),
        lon=f.req("lon", r.longitude),
        operator=f.opt("operator", r.string, None),
        functions=tuple(f.opt("functions", r.list_of(r.one_of(*CORE_FUNCTIONS), 1), list(CORE_FUNCTIONS))),
        power=_power(f, ids, "core"),
    )
    f.done()
    return core


def _psap(node, ctx, ids) -> Psap:
    f = r.Fields(node, ctx)
    ident = ids.add(f, "psap")
    cores = tuple(f.req("cores", r.list_of(r.string, 1)))
    for core in cores:
        ids.ref(f, "cores", core, ("core",))
    psap = Psap(
        id=ident,
        lat=f.req("lat", r.latitude),
        lon=f.req("lon", r.longitude),
        cores=cores,
        region=f.opt("region", r.text, ""),
        power=_power(f, ids, "psap"),
    )
    f.done()
    return psap


def _gateway(node, ctx, ids) -> Gateway:
    f = r.Fields(node, ctx)
    ident = ids.add(f, "gateway")
    core = f.req("core", r.string)
    ids.ref(f, "core", core, ("core", "transport node"))
    gw = Gateway(
        id=ident,
        lat=f.req("lat", r.latitude),
        lon=f.req("lon", r.longitude),
        core=core,
        power=_power(f, ids, "gateway"),
    )
    f.done()
    return gw
