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
# Damage states of the equipment and substations an incident breaks (as in
# d2c.hazards.fragility.DAMAGE_STATES); UNSPECIFIED where nothing is broken.
UNSPECIFIED, SLIGHT, MODERATE, EXTENSIVE, COMPLETE = -1, 0, 1, 2, 3


@dataclass
class Window:
    """A temporary condition on a set of targets, active for ``start_s <= t < end_s``."""

    start_s: float
    end_s: float
    mask: np.ndarray  # bool over the targets the window applies to


def active_mask(windows: list[Window], t_s: float, size: int) -> np.ndarray:
    """The targets under at least one of ``windows`` at ``t_s``.

    At 45 s both windows are on; at 90 s the second has ended (ends are excluded):

    >>> windows = [Window(0.0, 60.0, np.array([True, False, False])), Window(30.0, 90.0, np.array([False, True, False]))]
    >>> active_mask(windows, 45.0, 3).tolist(), active_mask(windows, 90.0, 3).tolist()
    ([True, True, False], [False, False, False])
    """
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
    # per equipment / substation: the damage state of the failure above (SLIGHT..COMPLETE)
    equipment_damage_state: np.ndarray | None = None
    substation_damage_state: np.ndarray | None = None
    # where crews cannot go while the hazard lasts (flood water, the near-fault zone)
    blocked_equipment: list[Window] = field(default_factory=list)  # mask over equipment
    blocked_substations: list[Window] = field(default_factory=list)  # mask over substations
    blocked_links: list[Window] = field(default_factory=list)  # mask over links

    @classmethod
    def none(cls, world: World) -> "Effects":
        return cls(
            equipment_damage_s=np.full(world.n_equipment, NEVER),
            substation_damage_s=np.full(len(world.substation_ids), NEVER),
            link_cut_s=np.full(len(world.link_ids), NEVER),
            affected_area_s=np.full(len(world.area_ids), NEVER),
            equipment_damage_state=np.full(world.n_equipment, UNSPECIFIED, dtype=np.int8),
            substation_damage_state=np.full(len(world.substation_ids), UNSPECIFIED, dtype=np.int8),
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
            equipment_damage_state=_earliest_state(self.equipment_damage_s, self.equipment_damage_state,
                                                   other.equipment_damage_s, other.equipment_damage_state),
            substation_damage_state=_earliest_state(self.substation_damage_s, self.substation_damage_state,
                                                    other.substation_damage_s, other.substation_damage_state),
            blocked_equipment=self.blocked_equipment + other.blocked_equipment,
            blocked_substations=self.blocked_substations + other.blocked_substations,
            blocked_links=self.blocked_links + other.blocked_links,
        )


def _earliest_state(t1_s, state1, t2_s, state2) -> np.ndarray:
    """The damage state of whichever failure comes first; the worse one on a tie."""
    if state1 is None or state2 is None:
        return state1 if state2 is None else state2
    return np.where(t2_s < t1_s, state2, np.where(t1_s < t2_s, state1, np.maximum(state1, state2))).astype(np.int8)


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
