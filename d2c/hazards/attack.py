"""A coordinated attack: physical strikes, fibre cuts, jamming, a core cyber outage.

Each action has its own time. Destroyed equipment and cut fibre stay broken;
jamming and cyber outages last for their ``duration`` (the whole run if none).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from d2c.base import reader as r
from d2c.base.errors import found_reference
from d2c.base.topology_model import CORE_FUNCTIONS
from d2c.hazards.base import COMPLETE, CyberWindow, Effects, ParseContext, Window
from d2c.timetext import offset_text
from d2c.hazards.footprint import Footprint, parse_footprint
from d2c.geo import haversine_km
from d2c.world import FUNCTION_INDEX, World

KIND = "attack"
DESTROYABLE = ("site", "transport node", "core", "psap", "gateway", "substation")


@dataclass(frozen=True)
class Destroy:
    at_s: float
    targets: tuple[str, ...]


@dataclass(frozen=True)
class Cut:
    at_s: float
    links: tuple[str, ...]


@dataclass(frozen=True)
class Jam:
    at_s: float
    end_s: float
    area: Footprint


@dataclass(frozen=True)
class Cyber:
    at_s: float
    end_s: float
    core: str
    functions: tuple[str, ...]


@dataclass(frozen=True)
class Attack:
    actions: tuple[Destroy | Cut | Jam | Cyber, ...]
    kind: str = KIND

    def compile(self, world: World, rng: np.random.Generator) -> Effects:
        effects = Effects.none(world)
        for action in self.actions:
            if isinstance(action, Destroy):
                for ident in action.targets:
                    if ident in world.equipment_index:
                        i = world.equipment_index[ident]
                        effects.equipment_damage_s[i] = min(effects.equipment_damage_s[i], action.at_s)
                        self._affect_near(world, effects, world.equipment_lat_deg[i], world.equipment_lon_deg[i], action.at_s)
                    else:
                        i = world.substation_index[ident]
                        effects.substation_damage_s[i] = min(effects.substation_damage_s[i], action.at_s)
            elif isinstance(action, Cut):
                for ident in action.links:
                    i = world.link_index[ident]
                    effects.link_cut_s[i] = min(effects.link_cut_s[i], action.at_s)
            elif isinstance(action, Jam):
                sl = world.slices["site"]
                jammed = action.area.contains(world.equipment_lat_deg[sl], world.equipment_lon_deg[sl])
                effects.jamming.append(Window(action.at_s, action.end_s, jammed))
                hit = action.area.contains(world.area_lat_deg, world.area_lon_deg)
                effects.affected_area_s[hit] = np.minimum(effects.affected_area_s[hit], action.at_s)
            else:
                functions = np.zeros(len(CORE_FUNCTIONS), dtype=bool)
                functions[[FUNCTION_INDEX[f] for f in action.functions]] = True
                effects.cyber.append(CyberWindow(action.at_s, action.end_s, world.core_index[action.core], functions))
        # a strike destroys what it hits: rebuilt, not repaired
        effects.equipment_damage_state[np.isfinite(effects.equipment_damage_s)] = COMPLETE
        effects.substation_damage_state[np.isfinite(effects.substation_damage_s)] = COMPLETE
        return effects

    @staticmethod
    def _affect_near(world: World, effects: Effects, lat: float, lon: float, at_s: float) -> None:
        """People around a strike call 112: the areas within 5 km of it count as hit."""
        near = haversine_km(world.area_lat_deg, world.area_lon_deg, lat, lon) <= 5.0
        effects.affected_area_s[near] = np.minimum(effects.affected_area_s[near], at_s)

    def describe(self) -> str:
        parts = []
        for a in self.actions:
            when = offset_text(a.at_s)
            if isinstance(a, Destroy):
                parts.append(f"{when} destroy {len(a.targets)}")
            elif isinstance(a, Cut):
                parts.append(f"{when} cut {len(a.links)} link(s)")
            elif isinstance(a, Jam):
                parts.append(f"{when} jam {a.area.describe()}")
            else:
                parts.append(f"{when} cyber outage of {a.core} ({', '.join(a.functions)})")
        return "attack: " + "; ".join(parts)


def _ids(pc: ParseContext, kinds: tuple[str, ...]):
    what = " or ".join(kinds)

    def parse(node, ctx) -> str:
        ident = r.string(node, ctx)
        if pc.ids.get(ident) not in kinds:
            raise ctx.error(node, f"the id of a {what}", found_reference(ident, pc.ids))
        return ident

    return parse


def _action(node, ctx, pc: ParseContext):
    f = r.Fields(node, ctx)
    at_s = f.req("at", r.moment_s(pc.start, pc.duration_s))
    chosen = [k for k in ("destroy", "cut", "jam", "cyber") if f.has(k)]
    if len(chosen) != 1:
        raise ctx.error(node, "exactly one of destroy, cut, jam, cyber in each action", ", ".join(chosen) or "none")
    kind = chosen[0]
    if kind == "destroy":
        action = Destroy(at_s, tuple(f.req("destroy", r.list_of(_ids(pc, DESTROYABLE), 1))))
    elif kind == "cut":
        action = Cut(at_s, tuple(f.req("cut", r.list_of(_ids(pc, ("link",)), 1))))
    else:
        end_s = at_s + f.opt("duration", r.positive_duration_s, np.inf)
        if kind == "jam":
            action = Jam(at_s, end_s, f.req("jam", parse_footprint))
        else:
            c = r.Fields(f.req("cyber", lambda n, c: n), ctx.child("cyber"))
            action = Cyber(at_s, end_s, c.req("core", _ids(pc, ("core",))),
                           tuple(c.opt("functions", r.list_of(r.one_of(*CORE_FUNCTIONS), 1), list(CORE_FUNCTIONS))))
            c.done()
    if kind in ("destroy", "cut"):
        f.opt("duration", r.positive_duration_s, None)
        if f.has("duration"):
            raise ctx.child("duration").error(f.node_of("duration"), "no duration: destroyed equipment and cut fibre stay broken")
    f.done()
    return action


def parse(fields: r.Fields, pc: ParseContext) -> Attack:
    actions = tuple(_action(n, c, pc) for n, c in r.items(fields.req("actions", lambda n, c: n), fields.ctx.child("actions")))
    if not actions:
        raise fields.ctx.child("actions").error(fields.node_of("actions"), "at least one action")
    return Attack(actions)
