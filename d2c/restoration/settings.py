"""The scenario's ``restoration:`` block: crews, repair times, policy (``docs/FORMATS.md``).

Absent, restoration runs with the defaults of :mod:`d2c.restoration.defaults`;
``restoration: off`` turns it off (nothing is ever repaired unless a response
or decision repairs it at once, the behaviour before restoration existed).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from d2c.base import reader as r
from d2c.cells_on_wheels import BACKHAULS
from d2c.restoration import defaults as d

__all__ = ["RestorationSettings", "parse_restoration"]

_STATES = ("slight", "moderate", "extensive", "complete")


@dataclass(frozen=True)
class RestorationSettings:
    policy: str = d.POLICY
    crews_per_100_sites: float = d.CREWS_PER_100_SITES
    operator_crews_per_100_sites: dict = field(default_factory=dict)  # operator -> crews per 100 sites
    min_crews_per_pool: int = d.MIN_CREWS_PER_POOL
    network_crews_per_region: int = d.NETWORK_CREWS_PER_REGION
    splicing_crews_per_region: int = d.SPLICING_CREWS_PER_REGION
    substation_crews_per_region: int = d.SUBSTATION_CREWS_PER_REGION
    shift_start_h: float = d.SHIFT_START_H
    shift_hours: float = d.SHIFT_HOURS
    speed_kmh: float = d.SPEED_KMH
    detour_factor: float = d.DETOUR_FACTOR
    repair_hours: tuple[float, float, float, float] = tuple(d.REPAIR_HOURS[s] for s in _STATES)
    repair_beta: float = d.REPAIR_BETA
    splice_hours: float = d.SPLICE_HOURS
    substation_repair_hours: float = d.SUBSTATION_REPAIR_HOURS
    recut_probability: float = d.RECUT_PROBABILITY
    recut_window_hours: float = d.RECUT_WINDOW_HOURS
    generators_per_100_sites: float = d.GENERATORS_PER_100_SITES
    operator_generators_per_100_sites: dict = field(default_factory=dict)
    network_generators_per_region: int = d.NETWORK_GENERATORS_PER_REGION
    portable_tank_hours: float = d.PORTABLE_TANK_HOURS
    hookup_minutes: float = d.GENERATOR_HOOKUP_MINUTES
    trucks_per_region: int = d.TRUCKS_PER_REGION
    sites_per_round: int = d.SITES_PER_ROUND
    stop_minutes: float = d.STOP_MINUTES
    refuel_below_hours: float = d.REFUEL_BELOW_HOURS
    grid_curve: tuple = ()  # ((hours after the loss, share of substations back), ...); empty: substation crews
    restart_lag_median_minutes: float = d.RESTART_LAG_MEDIAN_MINUTES
    restart_lag_beta: float = d.RESTART_LAG_BETA
    operator_restart_lag: dict = field(default_factory=dict)  # operator -> (median minutes, beta)
    # operators' own cells on wheels (d2c.restoration.temporary); 0 units: off
    temporary_sites_per_operator_region: int = d.TEMPORARY_SITES_PER_OPERATOR_REGION
    temporary_site_mobilise_hours: float = d.TEMPORARY_SITE_MOBILISE_HOURS
    temporary_site_capacity_calls: float = d.TEMPORARY_SITE_CAPACITY_CALLS
    temporary_site_backhaul: str = d.TEMPORARY_SITE_BACKHAUL

    def describe(self) -> str:
        per_op = "".join(f", {k} {v:g}" for k, v in sorted(self.operator_crews_per_100_sites.items()))
        shift = "round the clock" if self.shift_hours >= 24 else (
            f"{self.shift_start_h:g}:00 UTC for {self.shift_hours:g} h a day")
        return (f"restoration: policy {self.policy}; {self.crews_per_100_sites:g} field crews per 100 sites{per_op} "
                f"(at least {self.min_crews_per_pool} per operator and region), {self.network_crews_per_region} "
                f"network, {self.splicing_crews_per_region} splicing and {self.substation_crews_per_region} substation "
                f"crews per region, working {shift}, {self.speed_kmh:g} km/h x {self.detour_factor:g}; median repair "
                + "/".join(f"{h:g}" for h in self.repair_hours) + f" h by damage state, splice {self.splice_hours:g} h,"
                f" substation {self.substation_repair_hours:g} h; {self.generators_per_100_sites:g} portable "
                f"generators per 100 sites ({self.portable_tank_hours:g} h tanks), {self.trucks_per_region} fuel "
                f"trucks per operator and region ({self.sites_per_round} sites a round, refuel below "
                f"{self.refuel_below_hours:g} h); grid: " + (
                    "restoration curve " + ", ".join(f"{s:.0%} by {h:g} h" for h, s in self.grid_curve)
                    if self.grid_curve else "substation crews") +
                f"; restart lag median {self.restart_lag_median_minutes:g} min (beta {self.restart_lag_beta:g})"
                + self._describe_temporary_sites() + " (assumed, see d2c/restoration/defaults.py)")

    def _describe_temporary_sites(self) -> str:
        if self.temporary_sites_per_operator_region <= 0:
            return ""
        via = "a gateway" if self.temporary_site_backhaul == "gateway" else "the satellite operator"
        return (f"; operators' own cells on wheels: {self.temporary_sites_per_operator_region} per operator and "
                f"region, on air {self.temporary_site_mobilise_hours:g} h after an area loses its service, "
                f"{self.temporary_site_capacity_calls:g} calls each, satellite backhaul via {via}")


def parse_restoration(node: yaml.Node, ctx: r.Ctx) -> RestorationSettings | None:
    """``off`` / ``false`` -> None; a mapping -> settings, every field optional."""
    if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:bool":
        if r.boolean(node, ctx):  # pragma: no mutate (the context only words errors, and a bool never errs)
            return RestorationSettings()
        return None
    f = r.Fields(node, ctx)
    base = RestorationSettings()
    values: dict = {"policy": f.opt("policy", r.one_of(*d.POLICIES), base.policy)}
    for key, block in _BLOCKS.items():
        values.update(f.opt(key, lambda n, c, block=block: _read_block(block, n, c, base), {}))
    f.done()
    return RestorationSettings(**{**base.__dict__, **values})


# One block of the ``restoration:`` mapping: (YAML key, RestorationSettings field, parser) per entry; an entry
# left out keeps the field's default.
Row = tuple[str, str, r.Parser]


def _per_operator(value: r.Parser) -> r.Parser:
    """``{<operator>: value, ...}``: one value per operator name."""
    def parse(node: yaml.Node, ctx: r.Ctx) -> dict:
        f = r.Fields(node, ctx)
        out = {key: f.req(key, value) for key in f.keys()}
        f.done()
        return out
    return parse


def _lag(beta: float) -> r.Parser:
    """``{median_minutes, beta}`` of one operator; without ``beta``, the block's own (``beta``)."""
    def parse(node: yaml.Node, ctx: r.Ctx) -> tuple[float, float]:
        g = r.Fields(node, ctx)
        lag = (g.req("median_minutes", r.number(0.0)), g.opt("beta", r.number(0.0, 3.0), beta))
        g.done()
        return lag
    return parse


_CREWS: tuple[Row, ...] = (
    ("per_100_sites", "crews_per_100_sites", r.number(above=0.0)),
    ("minimum", "min_crews_per_pool", r.integer(1, 10_000)),
    ("network_per_region", "network_crews_per_region", r.integer(1, 10_000)),
    ("splicing_per_region", "splicing_crews_per_region", r.integer(1, 10_000)),
    ("substation_per_region", "substation_crews_per_region", r.integer(1, 10_000)),
    ("shift_start_utc_h", "shift_start_h", r.number(0.0, maximum=24.0)),
    ("shift_hours", "shift_hours", r.number(above=0.0, maximum=24.0)),
    ("speed_kmh", "speed_kmh", r.number(above=0.0, maximum=300.0)),
    ("detour_factor", "detour_factor", r.number(1.0, 5.0)),
    ("per_operator", "operator_crews_per_100_sites", _per_operator(r.number(above=0.0))),
)
_REPAIR: tuple[Row, ...] = (
    ("beta", "repair_beta", r.number(0.0, 3.0)),
    ("splice", "splice_hours", r.number(above=0.0)),
    ("substation", "substation_repair_hours", r.number(above=0.0)),
)
_RECUT: tuple[Row, ...] = (
    ("probability", "recut_probability", r.number(0.0, 1.0)),
    ("window_hours", "recut_window_hours", r.number(0.0)),
)
_GENERATORS: tuple[Row, ...] = (
    ("per_100_sites", "generators_per_100_sites", r.number(0.0)),
    ("per_operator", "operator_generators_per_100_sites", _per_operator(r.number(0.0))),
    ("network_per_region", "network_generators_per_region", r.integer(0, 10_000)),
    ("tank_hours", "portable_tank_hours", r.number(above=0.0)),
    ("hookup_minutes", "hookup_minutes", r.number(0.0)),
)
_FUEL: tuple[Row, ...] = (
    ("trucks_per_region", "trucks_per_region", r.integer(0, 10_000)),
    ("sites_per_round", "sites_per_round", r.integer(1, 1_000)),
    ("stop_minutes", "stop_minutes", r.number(0.0)),
    ("refuel_below_hours", "refuel_below_hours", r.number(above=0.0)),
)
_RESTART: tuple[Row, ...] = (
    ("median_minutes", "restart_lag_median_minutes", r.number(0.0)),
    ("beta", "restart_lag_beta", r.number(0.0, 3.0)),
)


def _rows(f: r.Fields, rows: tuple[Row, ...], base: RestorationSettings) -> dict:
    return {name: f.opt(key, parse, getattr(base, name)) for key, name, parse in rows}


def _read_block(block, node: yaml.Node, ctx: r.Ctx, base: RestorationSettings) -> dict:
    """A block that is nothing but its table of rows, or one with a reader of its own."""
    if callable(block):
        return block(node, ctx, base)
    f = r.Fields(node, ctx)
    out = _rows(f, block, base)
    f.done()
    return out


def _repair(node: yaml.Node, ctx: r.Ctx, base: RestorationSettings) -> dict:
    """Median repair hours by damage state (not decreasing from slight to complete), and the table's rows."""
    f = r.Fields(node, ctx)
    hours = tuple(f.opt(s, r.number(above=0.0), h) for s, h in zip(_STATES, base.repair_hours))
    if any(b < a for a, b in zip(hours, hours[1:])):
        raise ctx.error(node, "repair hours that do not decrease from slight to complete", "/".join(f"{h:g}" for h in hours))
    out = dict(repair_hours=hours, **_rows(f, _REPAIR, base))
    f.done()
    return out


def _restart(node: yaml.Node, ctx: r.Ctx, base: RestorationSettings) -> dict:
    """The table's rows, then ``per_operator`` lags whose beta defaults to the block's."""
    f = r.Fields(node, ctx)
    out = _rows(f, _RESTART, base)
    out["operator_restart_lag"] = f.opt("per_operator", _per_operator(_lag(out["restart_lag_beta"])), {})
    f.done()
    return out


def _temporary_sites(node: yaml.Node, ctx: r.Ctx, base: RestorationSettings) -> dict:
    """``on`` / ``off``, or ``{per_operator_region, mobilise, capacity_calls, backhaul}``: operators' own cells on
    wheels. A mapping turns them on with one unit per operator and region unless it says otherwise."""
    if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:bool":
        return dict(temporary_sites_per_operator_region=d.TEMPORARY_SITES_WHEN_ON if r.boolean(node, ctx) else 0)
    f = r.Fields(node, ctx)
    out = dict(
        temporary_sites_per_operator_region=f.opt("per_operator_region", r.integer(0, 1_000),
                                                  d.TEMPORARY_SITES_WHEN_ON),
        temporary_site_mobilise_hours=f.opt("mobilise", r.duration_s, base.temporary_site_mobilise_hours * 3600.0)
        / 3600.0,
        temporary_site_capacity_calls=f.opt("capacity_calls", r.number(above=0.0), base.temporary_site_capacity_calls),
        temporary_site_backhaul=f.opt("backhaul", r.one_of(*BACKHAULS), base.temporary_site_backhaul),
    )
    f.done()
    return out


def _grid(node: yaml.Node, ctx: r.Ctx, base: RestorationSettings) -> dict:
    """``curve: [{after: 12h, share: 0.5}, ...]``: the share of lost substations back since each loss."""
    f = r.Fields(node, ctx)
    points = []
    for point_node, pctx in r.each(f, "curve"):
        p = r.Fields(point_node, pctx)
        points.append((p.req("after", r.duration_s) / 3600.0, p.req("share", r.number(0.0, 1.0))))
        p.done()
    curve_node = f.node_of("curve")
    if points:
        hours = [h for h, _ in points]
        shares = [s for _, s in points]
        if any(b <= a for a, b in zip(hours, hours[1:])) or any(b < a for a, b in zip(shares, shares[1:])):
            raise ctx.child("curve").error(curve_node, "points in increasing time with shares that do not decrease")
        if shares[-1] < 1.0:
            raise ctx.child("curve").error(curve_node, "a last point with share 1 (every substation back)", shares[-1])
    f.done()
    return dict(grid_curve=tuple(points))


# the blocks of ``restoration:``, in the order they are read
_BLOCKS = {"crews": _CREWS, "repair_hours": _repair, "recut": _RECUT, "generators": _GENERATORS, "fuel": _FUEL,
           "grid": _grid, "restart_lag": _restart, "temporary_sites": _temporary_sites}
