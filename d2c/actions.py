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


# ---------------------------------------------------------------- drill decisions and injects
# Added for tabletop drills (d2c/drill/, docs/DRILLS.md). Each still changes the
# world's state only, or, when the engine cannot express a decision, nothing.


@dataclass(frozen=True)
class DeployCellOnWheels:
    """A cell on wheels in an area: extra terrestrial capacity outside the topology.

    It brings its own generator (``fuel_hours``) and a satellite backhaul terminal,
    so it bypasses the damaged sites, the grid and cut fibre. Its satellite link
    lands at one of the topology's gateways (``backhaul="gateway"``: it works only
    while a gateway reaches a working voice core and answering point) or at the
    satellite operator's own hub outside the incident (``"satellite-operator"``).
    The fallback layer that carries it is ``d2c.drill.cow.TemporarySites``.
    """

    area: str
    capacity_calls: float
    fuel_hours: float
    backhaul: str = "gateway"

    def apply(self, sim) -> None:
        from d2c.drill.cow import TemporarySites

        TemporarySites.on(sim).deploy(self.area, self.capacity_calls, self.fuel_hours, self.backhaul)

    def describe(self) -> str:
        return (f"cell on wheels in {self.area}: {self.capacity_calls:g} calls, {self.fuel_hours:g} h of fuel, "
                f"satellite backhaul via {'a gateway' if self.backhaul == 'gateway' else 'the satellite operator'}")


@dataclass(frozen=True)
class SwitchD2COn:
    """Open the scenario's D2C offer now (``activation: on_decision``, or a drill's D2C on standby)."""

    def apply(self, sim) -> None:
        sim.switch_d2c_on()

    def describe(self) -> str:
        return "D2C switched on"


@dataclass(frozen=True)
class SendWarning:
    """A public warning by cell broadcast (as IT-Alert sends it) to an area, or ``everywhere``.

    It changes nothing in the network; whom it reaches is measured from each
    step's ``Service.warning_reach`` (``d2c.drill.warnings``). When the engine
    has a traffic stage, the warning is also handed to it (``extra_warnings``)
    to be sent as a cell-broadcast message.
    """

    area: str
    text: str

    def apply(self, sim) -> None:
        ids = sim.world.area_ids
        if self.area != "everywhere" and self.area not in ids:
            raise KeyError(f"no area {self.area!r} in the topology")
        sent = getattr(sim, "extra_warnings", None)
        if sent is not None:  # the traffic stage, when on, broadcasts it as a real cell-broadcast message
            from d2c.config.scenario import PublicWarning

            mask = np.ones(len(ids), dtype=bool) if self.area == "everywhere" else np.asarray(ids) == self.area
            sent.append(PublicWarning(at_s=sim.t_s, area=_Areas(mask), text=self.text))

    def describe(self) -> str:
        return f"warning to {self.area}: {self.text!r}"


@dataclass(frozen=True)
class _Areas:
    """A warning's footprint given as the topology's areas it covers (``contains`` as footprints have)."""

    mask: np.ndarray

    def contains(self, lat_deg, lon_deg) -> np.ndarray:
        return self.mask.copy()


@dataclass(frozen=True)
class RecordOnly:
    """A decision the engine does not model: kept in the log with an honest note, changes nothing."""

    what: str
    note: str = "recorded, no modelled effect yet"

    def apply(self, sim) -> None:
        return None

    def describe(self) -> str:
        return f"{self.what} ({self.note})"


@dataclass(frozen=True)
class Destroy:
    """Break a piece of equipment or a substation for good, now (a drill inject beyond the scenario)."""

    ident: str

    def apply(self, sim) -> None:
        if self.ident in sim.world.substation_index:
            i = sim.world.substation_index[self.ident]
            sim.effects.substation_damage_s[i] = min(sim.effects.substation_damage_s[i], sim.t_s)
            return
        i = _equipment(sim, self.ident)
        sim.effects.equipment_damage_s[i] = min(sim.effects.equipment_damage_s[i], sim.t_s)

    def describe(self) -> str:
        return f"inject: {self.ident} destroyed"


@dataclass(frozen=True)
class CutLink:
    """Cut a fibre or microwave link for good, now (a drill inject beyond the scenario)."""

    link: str

    def apply(self, sim) -> None:
        if self.link not in sim.world.link_index:
            raise KeyError(f"no link {self.link!r} in the topology")
        i = sim.world.link_index[self.link]
        sim.effects.link_cut_s[i] = min(sim.effects.link_cut_s[i], sim.t_s)

    def describe(self) -> str:
        return f"inject: link {self.link} cut"


def action_for(response) -> RepairEquipment | RepairLink | AddGenerator:
    """The action that carries out a scenario's planned response (``d2c.config.scenario.Response``)."""
    if response.kind == "repair":
        return RepairEquipment(response.target)
    if response.kind == "repair_link":
        return RepairLink(response.target)
    return AddGenerator(response.target, hours=response.hours)
