"""Actions a player can take between steps. Each changes the world's state, nothing else.

The drill (and any script) builds these and hands them to
``Simulation.apply`` or ``Simulation.schedule``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from d2c.hazards.base import NEVER


@dataclass(frozen=True)
class RepairEquipment:
    """Put broken equipment (a site, node, core, PSAP or gateway) back in service."""

    equipment: str

    def apply(self, sim) -> None:
        i = _equipment(sim, self.equipment)
        sim.effects.equipment_damage_s[i] = NEVER

    def describe(self) -> str:
        return f"repair {self.equipment}"


@dataclass(frozen=True)
class RepairLink:
    link: str

    def apply(self, sim) -> None:
        if self.link not in sim.world.link_index:
            raise KeyError(f"no link {self.link!r} in the topology")
        sim.effects.link_cut_s[sim.world.link_index[self.link]] = NEVER

    def describe(self) -> str:
        return f"repair link {self.link}"


@dataclass(frozen=True)
class AddGenerator:
    """Bring a generator with ``hours`` of fuel to a piece of equipment (or refuel its own)."""

    equipment: str
    hours: float

    def apply(self, sim) -> None:
        if not np.isfinite(self.hours) or self.hours <= 0:
            raise ValueError("generator hours must be a positive number")
        i = _equipment(sim, self.equipment)
        sim.power.generator_left_s[i] += self.hours * 3600.0

    def describe(self) -> str:
        return f"generator with {self.hours:g} h of fuel to {self.equipment}"


def _equipment(sim, ident: str) -> int:
    if ident not in sim.world.equipment_index:
        raise KeyError(f"no site, node, core, PSAP or gateway {ident!r} in the topology")
    return sim.world.equipment_index[ident]
