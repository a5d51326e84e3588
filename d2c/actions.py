"""Actions a player can take between steps. Each changes the world's state, nothing else.

The drill (and any script) builds these and hands them to
``Simulation.apply`` or ``Simulation.schedule``.
"""

from __future__ import annotations

from dataclasses import dataclass



@dataclass(frozen=True)
class RepairEquipment:
    """Send a crew to put broken equipment (a site, node, core, PSAP or gateway) back in service.

    With restoration on, the job goes first in its crews' queue and takes their
    travel and repair time; with restoration off, the repair is immediate.
    """

    equipment: str

    def apply(self, sim) -> None:
        sim.request_repair(self.equipment)

    def describe(self) -> str:
        return f"repair {self.equipment}"


@dataclass(frozen=True)
class RepairLink:
    link: str

    def apply(self, sim) -> None:
        if self.link not in sim.world.link_index:
            raise KeyError(f"no link {self.link!r} in the topology")
        sim.request_repair(self.link)

    def describe(self) -> str:
        return f"repair link {self.link}"


@dataclass(frozen=True)
class AddGenerator:
    """Bring a generator with ``hours`` of fuel to a piece of equipment (or refuel its own)."""

    equipment: str
    hours: float

    def apply(self, sim) -> None:
        sim.request_generator(self.equipment, self.hours)

    def describe(self) -> str:
        return f"generator with {self.hours:g} h of fuel to {self.equipment}"


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
    The fallback layer that carries it is ``d2c.cells_on_wheels.TemporarySites``.
    """

    area: str
    capacity_calls: float
    fuel_hours: float
    backhaul: str = "gateway"

    def apply(self, sim) -> None:
        sim.deploy_cell_on_wheels(self.area, self.capacity_calls, self.fuel_hours, self.backhaul)

    def describe(self) -> str:
        return (f"cell on wheels in {self.area}: {self.capacity_calls:g} calls, {self.fuel_hours:g} h of fuel, "
                f"satellite backhaul via {'a gateway' if self.backhaul == 'gateway' else 'the satellite operator'}")


@dataclass(frozen=True)
class DivertPsap:
    """The 112 centre diverts a PSAP's calls to a backup answering point (``Simulation.divert_psap``)."""

    psap: str

    def apply(self, sim) -> None:
        sim.divert_psap(self.psap)

    def describe(self) -> str:
        return f"112 calls of {self.psap} answered by a backup answering point"


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
    step's ``Service.warning_reach`` (``d2c.drill.broadcasts``). When the engine
    has a traffic stage, it sends the warning as a cell-broadcast message
    (``Simulation.send_warning``).
    """

    area: str
    text: str

    def apply(self, sim) -> None:
        sim.send_warning(self.area, self.text)

    def describe(self) -> str:
        return f"warning to {self.area}: {self.text!r}"


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
    """Break a piece of equipment or a substation now (a drill inject beyond the scenario); crews then rebuild it."""

    ident: str

    def apply(self, sim) -> None:
        if self.ident in sim.world.substation_index:
            sim.break_substation(self.ident)
        else:
            sim.break_equipment(self.ident)

    def describe(self) -> str:
        return f"inject: {self.ident} destroyed"


@dataclass(frozen=True)
class CutLink:
    """Cut a fibre or microwave link now (a drill inject beyond the scenario); splicing crews then repair it."""

    link: str

    def apply(self, sim) -> None:
        sim.cut_link(self.link)

    def describe(self) -> str:
        return f"inject: link {self.link} cut"


def action_for(response) -> RepairEquipment | RepairLink | AddGenerator:
    """The action that carries out a scenario's planned response (``d2c.config.scenario.Response``)."""
    if response.kind == "repair":
        return RepairEquipment(response.target)
    if response.kind == "repair_link":
        return RepairLink(response.target)
    return AddGenerator(response.target, hours=response.hours)
