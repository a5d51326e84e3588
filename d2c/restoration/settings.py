"""The scenario's ``restoration:`` block: crews, repair times, policy (``docs/FORMATS.md``).

Absent, restoration runs with the defaults of :mod:`d2c.restoration.defaults`;
``restoration: off`` turns it off (nothing is ever repaired unless a response
or decision repairs it at once, the behaviour before restoration existed).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from d2c.base import reader as r
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
                " (assumed, see d2c/restoration/defaults.py)")


def parse_restoration(node: yaml.Node, ctx: r.Ctx) -> RestorationSettings | None:
    """``off`` / ``false`` -> None; a mapping -> settings, every field optional."""
    if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:bool":
        if r.boolean(node, ctx):
            return RestorationSettings()
        return None
    f = r.Fields(node, ctx)
    base = RestorationSettings()
    values: dict = {"policy": f.opt("policy", r.one_of(*d.POLICIES), base.policy)}
    if f.has("crews"):
        values.update(_crews(f.node_of("crews"), ctx.child("crews"), base))
    if f.has("repair_hours"):
        values.update(_repair(f.node_of("repair_hours"), ctx.child("repair_hours"), base))
    if f.has("recut"):
        values.update(_recut(f.node_of("recut"), ctx.child("recut"), base))
    for key, parse in (("generators", _generators), ("fuel", _fuel), ("grid", _grid), ("restart_lag", _restart)):
        if f.has(key):
            values.update(parse(f.node_of(key), ctx.child(key), base))
    for key in ("crews", "repair_hours", "recut", "generators", "fuel", "grid", "restart_lag"):
        f.opt(key, lambda n, c: None, None)
    f.done()
    return RestorationSettings(**{**base.__dict__, **values})


def _crews(node: yaml.Node, ctx: r.Ctx, base: RestorationSettings) -> dict:
    f = r.Fields(node, ctx)
    out = dict(
        crews_per_100_sites=f.opt("per_100_sites", r.number(above=0.0), base.crews_per_100_sites),
        min_crews_per_pool=f.opt("minimum", r.integer(1, 10_000), base.min_crews_per_pool),
        network_crews_per_region=f.opt("network_per_region", r.integer(1, 10_000), base.network_crews_per_region),
        splicing_crews_per_region=f.opt("splicing_per_region", r.integer(1, 10_000), base.splicing_crews_per_region),
        substation_crews_per_region=f.opt("substation_per_region", r.integer(1, 10_000),
                                          base.substation_crews_per_region),
        shift_start_h=f.opt("shift_start_utc_h", r.number(0.0, maximum=24.0), base.shift_start_h),
        shift_hours=f.opt("shift_hours", r.number(above=0.0, maximum=24.0), base.shift_hours),
        speed_kmh=f.opt("speed_kmh", r.number(above=0.0, maximum=300.0), base.speed_kmh),
        detour_factor=f.opt("detour_factor", r.number(1.0, 5.0), base.detour_factor),
        operator_crews_per_100_sites=f.opt("per_operator", _per_operator, {}),
    )
    f.done()
    return out


def _per_operator(node: yaml.Node, ctx: r.Ctx) -> dict:
    f = r.Fields(node, ctx)
    out = {key: f.req(key, r.number(above=0.0)) for key in f.keys()}
    f.done()
    return out


def _repair(node: yaml.Node, ctx: r.Ctx, base: RestorationSettings) -> dict:
    f = r.Fields(node, ctx)
    hours = tuple(f.opt(s, r.number(above=0.0), h) for s, h in zip(_STATES, base.repair_hours))
    if any(b < a for a, b in zip(hours, hours[1:])):
        raise ctx.error(node, "repair hours that do not decrease from slight to complete", "/".join(f"{h:g}" for h in hours))
    out = dict(
        repair_hours=hours,
        repair_beta=f.opt("beta", r.number(0.0, 3.0), base.repair_beta),
        splice_hours=f.opt("splice", r.number(above=0.0), base.splice_hours),
        substation_repair_hours=f.opt("substation", r.number(above=0.0), base.substation_repair_hours),
    )
    f.done()
    return out


def _recut(node: yaml.Node, ctx: r.Ctx, base: RestorationSettings) -> dict:
    f = r.Fields(node, ctx)
    out = dict(
        recut_probability=f.opt("probability", r.number(0.0, 1.0), base.recut_probability),
        recut_window_hours=f.opt("window_hours", r.number(0.0), base.recut_window_hours),
    )
    f.done()
    return out


def _generators(node: yaml.Node, ctx: r.Ctx, base: RestorationSettings) -> dict:
    f = r.Fields(node, ctx)
    out = dict(
        generators_per_100_sites=f.opt("per_100_sites", r.number(0.0), base.generators_per_100_sites),
        operator_generators_per_100_sites=f.opt("per_operator", _per_operator_any, {}),
        network_generators_per_region=f.opt("network_per_region", r.integer(0, 10_000),
                                            base.network_generators_per_region),
        portable_tank_hours=f.opt("tank_hours", r.number(above=0.0), base.portable_tank_hours),
        hookup_minutes=f.opt("hookup_minutes", r.number(0.0), base.hookup_minutes),
    )
    f.done()
    return out


def _per_operator_any(node: yaml.Node, ctx: r.Ctx) -> dict:
    f = r.Fields(node, ctx)
    out = {key: f.req(key, r.number(0.0)) for key in f.keys()}
    f.done()
    return out


def _fuel(node: yaml.Node, ctx: r.Ctx, base: RestorationSettings) -> dict:
    f = r.Fields(node, ctx)
    out = dict(
        trucks_per_region=f.opt("trucks_per_region", r.integer(0, 10_000), base.trucks_per_region),
        sites_per_round=f.opt("sites_per_round", r.integer(1, 1_000), base.sites_per_round),
        stop_minutes=f.opt("stop_minutes", r.number(0.0), base.stop_minutes),
        refuel_below_hours=f.opt("refuel_below_hours", r.number(above=0.0), base.refuel_below_hours),
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


def _restart(node: yaml.Node, ctx: r.Ctx, base: RestorationSettings) -> dict:
    f = r.Fields(node, ctx)
    out = dict(
        restart_lag_median_minutes=f.opt("median_minutes", r.number(0.0), base.restart_lag_median_minutes),
        restart_lag_beta=f.opt("beta", r.number(0.0, 3.0), base.restart_lag_beta),
        operator_restart_lag=f.opt("per_operator", _lag_per_operator, {}),
    )
    f.done()
    return out


def _lag_per_operator(node: yaml.Node, ctx: r.Ctx) -> dict:
    f = r.Fields(node, ctx)
    out = {}
    for key in f.keys():
        def one(n, c):
            g = r.Fields(n, c)
            lag = (g.req("median_minutes", r.number(0.0)), g.opt("beta", r.number(0.0, 3.0), d.RESTART_LAG_BETA))
            g.done()
            return lag
        out[key] = f.req(key, one)
    f.done()
    return out
