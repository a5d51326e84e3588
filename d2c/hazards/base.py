"""What every incident kind produces: a timeline of effects on the world.

An incident is read from the scenario (``parse``) and then *compiled* once
against the world into :class:`Effects`: when each piece of equipment is
broken, when each substation and link fails, and the time windows of
blackouts, jamming and cyber outages. The per-step stages then only compare
times with arrays, which keeps the time loop cheap however many incidents a
scenario has.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

import numpy as np

from d2c.world import World

NEVER = np.inf


def offset_text(t_s: float) -> str:
    """Seconds from the start as ``T+hh:mm``, the way exercise timelines write it."""
    return f"T+{int(t_s // 3600):02d}:{int(t_s % 3600 // 60):02d}"


@dataclass
class Window:
    """A temporary condition on a set of targets, active for ``start_s <= t < end_s``."""

    start_s: float
    end_s: float
    mask: np.ndarray  # bool over the targets the window applies to


def active_mask(windows: list[Window], t_s: float, size: int) -> np.ndarray:
    """The targets under at least one of ``windows`` at ``t_s``."""
    mask = np.zeros(size, dtype=bool)
    for window in windows:
        if window.start_s <= t_s < window.end_s:
            mask |= window.mask
    return mask


@dataclass
class CyberWindow:
    start_s: float
    end_s: float
    core: int
    functions: np.ndarray  # bool over CORE_FUNCTIONS


@dataclass
class Effects:
    """The compiled effects of one or more incidents. Times are seconds from scenario start."""

    equipment_damage_s: np.ndarray  # per equipment: when it is broken (inf: never)
    substation_damage_s: np.ndarray  # per substation
    link_cut_s: np.ndarray  # per link
    grid_off: list[Window] = field(default_factory=list)  # mask over substations
    grid_off_local: list[Window] = field(default_factory=list)  # mask over equipment without a substation
    jamming: list[Window] = field(default_factory=list)  # mask over sites
    cyber: list[CyberWindow] = field(default_factory=list)
    affected_area_s: np.ndarray | None = None  # per area: when the incident reaches it (inf: never)

    @classmethod
    def none(cls, world: World) -> "Effects":
        return cls(
            equipment_damage_s=np.full(world.n_equipment, NEVER),
            substation_damage_s=np.full(len(world.substation_ids), NEVER),
            link_cut_s=np.full(len(world.link_ids), NEVER),
            affected_area_s=np.full(len(world.area_ids), NEVER),
        )

    def merge(self, other: "Effects") -> "Effects":
        """Both sets of effects at once: the earliest failure time wins."""
        return Effects(
            equipment_damage_s=np.minimum(self.equipment_damage_s, other.equipment_damage_s),
            substation_damage_s=np.minimum(self.substation_damage_s, other.substation_damage_s),
            link_cut_s=np.minimum(self.link_cut_s, other.link_cut_s),
            grid_off=self.grid_off + other.grid_off,
            grid_off_local=self.grid_off_local + other.grid_off_local,
            jamming=self.jamming + other.jamming,
            cyber=self.cyber + other.cyber,
            affected_area_s=np.minimum(self.affected_area_s, other.affected_area_s),
        )


@dataclass(frozen=True)
class ParseContext:
    """What an incident parser may need: the scenario start (for times) and the topology (for ids)."""

    start: datetime
    ids: dict[str, str]  # every id in the topology -> its kind ("site", "link", ...)
    duration_s: float | None = None  # when set, incident times must fall within the scenario


class Incident(Protocol):
    """One incident of a scenario. Each kind is a module under ``d2c.hazards``."""

    kind: str

    def compile(self, world: World, rng: np.random.Generator) -> Effects:
        """The incident's effects on ``world``; random draws come from ``rng`` only."""
        ...

    def describe(self) -> str:
        """One line for the report's assumptions."""
        ...
