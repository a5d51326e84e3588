"""River and flash floods: water rising over footprints, drowning equipment and cutting fibre.

Each footprint has a depth hydrograph (depth in metres against time, linear
between points). Equipment inside fails, for good, once the water passes
``failure_depth_m`` (the height of a shelter's plinth and cabinets); fibre whose
route crosses the footprint is cut once the water passes ``fibre_cut_depth_m``
(flooded manholes, washed-out bridges and embankments carrying the cable).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from d2c.base import reader as r
from d2c.hazards.base import EXTENSIVE, Effects, ParseContext, Window
from d2c.hazards.access import ACCESS_FLOOD_DEPTH_M
from d2c.hazards.footprint import Footprint, parse_footprint
from d2c.world import World

KIND = "flood"

# Outdoor telecom cabinets and shelter equipment sit some tens of centimetres
# above ground; 0.5 m is taken as the depth at which they are lost.
DEFAULT_FAILURE_DEPTH_M = 0.5
DEFAULT_FIBRE_CUT_DEPTH_M = 1.0
# People in an area count as hit (and call 112 more) once water stands in it.
WET_DEPTH_M = 0.01


@dataclass(frozen=True)
class FloodZone:
    footprint: Footprint
    times_s: tuple[float, ...]
    depths_m: tuple[float, ...]

    def first_time_above_s(self, depth_m: float) -> float:
        """When the water first reaches ``depth_m`` (linear between hydrograph points); inf if never."""
        t = np.asarray(self.times_s)
        d = np.asarray(self.depths_m)
        above = np.nonzero(d >= depth_m)[0]
        if above.size == 0:
            return np.inf
        k = int(above[0])
        if k == 0 or d[k] == d[k - 1]:
            return float(t[k])
        return float(t[k - 1] + (depth_m - d[k - 1]) * (t[k] - t[k - 1]) / (d[k] - d[k - 1]))

    def last_time_above_s(self, depth_m: float) -> float:
        """When the water last falls below ``depth_m`` (inf if it never does; -inf if never above)."""
        t = np.asarray(self.times_s)
        d = np.asarray(self.depths_m)
        above = np.nonzero(d >= depth_m)[0]
        if above.size == 0:
            return -np.inf
        k = int(above[-1])
        if k == len(d) - 1:
            return np.inf
        return float(t[k] + (d[k] - depth_m) * (t[k + 1] - t[k]) / (d[k] - d[k + 1]))


@dataclass(frozen=True)
class Flood:
    zones: tuple[FloodZone, ...]
    failure_depth_m: float
    fibre_cut_depth_m: float
    kind: str = KIND

    def compile(self, world: World, rng: np.random.Generator) -> Effects:
        effects = Effects.none(world)
        for zone in self.zones:
            fail_s = zone.first_time_above_s(self.failure_depth_m)
            inside = zone.footprint.contains(world.equipment_lat_deg, world.equipment_lon_deg)
            effects.equipment_damage_s[inside] = np.minimum(effects.equipment_damage_s[inside], fail_s)
            subs = zone.footprint.contains(world.substation_lat_deg, world.substation_lon_deg)
            effects.substation_damage_s[subs] = np.minimum(effects.substation_damage_s[subs], fail_s)
            cut_s = zone.first_time_above_s(self.fibre_cut_depth_m)
            crossing = np.array([zone.footprint.crosses(route) for route in world.link_route], dtype=bool)
            for i in np.nonzero(crossing)[0]:
                if world.link_medium[i] == "fibre":
                    effects.link_cut_s[i] = min(effects.link_cut_s[i], cut_s)
            # crews cannot drive through the water while it stands above the access depth
            closed = (zone.first_time_above_s(ACCESS_FLOOD_DEPTH_M), zone.last_time_above_s(ACCESS_FLOOD_DEPTH_M))
            if closed[0] < closed[1]:
                effects.blocked_equipment.append(Window(*closed, inside))
                effects.blocked_substations.append(Window(*closed, subs))
                effects.blocked_links.append(Window(*closed, crossing))
            wet = zone.footprint.contains(world.area_lat_deg, world.area_lon_deg)
            effects.affected_area_s[wet] = np.minimum(effects.affected_area_s[wet], zone.first_time_above_s(WET_DEPTH_M))
        # water-damaged cabinets and shelters are replaced, not repaired (assumed: Hazus "extensive")
        drowned = np.isfinite(effects.equipment_damage_s)
        effects.equipment_damage_state[drowned] = EXTENSIVE
        effects.substation_damage_state[np.isfinite(effects.substation_damage_s)] = EXTENSIVE
        return effects

    def describe(self) -> str:
        peak = max(max(z.depths_m) for z in self.zones)
        return (f"flood over {len(self.zones)} zone(s), peak depth {peak:g} m; equipment lost above "
                f"{self.failure_depth_m:g} m, fibre cut above {self.fibre_cut_depth_m:g} m")


def _zone(node, ctx, pc: ParseContext) -> FloodZone:
    f = r.Fields(node, ctx)
    footprint = f.req("area", parse_footprint)
    hydro_node = f.req("depth_m", lambda n, c: n)
    times, depths = [], []
    for point_node, pctx in r.items(hydro_node, ctx.child("depth_m")):
        p = r.Fields(point_node, pctx)
        times.append(p.req("at", r.moment_s(pc.start)))
        depths.append(p.req("depth_m", r.number(0.0)))
        p.done()
    if not times:
        raise ctx.child("depth_m").error(hydro_node, "at least one {at, depth_m} point")
    if any(b <= a for a, b in zip(times, times[1:])):
        raise ctx.child("depth_m").error(hydro_node, "points in increasing time order")
    if pc.duration_s is not None and times[0] >= pc.duration_s:  # later points may lie beyond: they shape the curve
        raise ctx.child("depth_m").child(0).child("at").error(
            hydro_node.value[0], "a first point before the end of the scenario", f"T+{times[0] / 3600:g}h")
    f.done()
    return FloodZone(footprint, tuple(times), tuple(depths))


def parse(fields: r.Fields, pc: ParseContext) -> Flood:
    zones = tuple(_zone(n, c, pc) for n, c in r.items(fields.req("zones", lambda n, c: n), fields.ctx.child("zones")))
    if not zones:
        raise fields.ctx.child("zones").error(fields.node_of("zones"), "at least one flood zone")
    return Flood(
        zones=zones,
        failure_depth_m=fields.opt("failure_depth_m", r.number(above=0.0), DEFAULT_FAILURE_DEPTH_M),
        fibre_cut_depth_m=fields.opt("fibre_cut_depth_m", r.number(above=0.0), DEFAULT_FIBRE_CUT_DEPTH_M),
    )
