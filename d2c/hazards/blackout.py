"""Grid blackouts: feeds drop over an area and come back after a duration.

Equipment then lives on its battery, then on its generator (``d2c.power``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from d2c.base import reader as r
from d2c.hazards.base import Effects, ParseContext, Window
from d2c.timetext import offset_text
from d2c.hazards.footprint import Footprint, parse_footprint
from d2c.world import World

KIND = "blackout"


@dataclass(frozen=True)
class Blackout:
    area: Footprint
    at_s: float
    duration_s: float
    kind: str = KIND

    def compile(self, world: World, rng: np.random.Generator) -> Effects:
        effects = Effects.none(world)
        end_s = self.at_s + self.duration_s
        substations = self.area.contains(world.substation_lat_deg, world.substation_lon_deg)
        local = (world.equipment_substation < 0) & self.area.contains(world.equipment_lat_deg, world.equipment_lon_deg)
        effects.grid_off.append(Window(self.at_s, end_s, substations))
        effects.grid_off_local.append(Window(self.at_s, end_s, local))
        hit = self.area.contains(world.area_lat_deg, world.area_lon_deg)
        effects.affected_area_s[hit] = self.at_s
        return effects

    def describe(self) -> str:
        return f"grid blackout {self.area.describe()}, at {offset_text(self.at_s)} for {self.duration_s / 3600:g} h"


def parse(fields: r.Fields, pc: ParseContext) -> Blackout:
    return Blackout(
        area=fields.req("area", parse_footprint),
        at_s=fields.req("at", r.moment_s(pc.start, pc.duration_s)),
        duration_s=fields.req("duration", r.positive_duration_s),
    )
