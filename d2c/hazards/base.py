"""What every incident kind produces: a timeline of effects on the world.

An incident is read from the scenario (``parse``) and then *compiled* once
against the world into :class:`Effects`: when each piece of equipment is
broken, when each substation and link fails, and the time windows of
blackouts, jamming and cyber outages. ``Effects.at(t)`` gives what holds at
a time (:class:`Active`) and works it out again only at the next edge: a
window opening or closing, a failure coming due, or a change made through the
simulation (``changed``), so a step between edges costs one comparison however
many incidents a scenario has.
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

    >>> windows = [Window(0.0, 60.0, np.array([True, False, False])),
    ...            Window(30.0, 90.0, np.array([False, True, False]))]
    >>> active_mask(windows, 45.0, 3).tolist(), active_mask(windows, 90.0, 3).tolist()
    ([True, True, False], [False, False, False])
    """
    mask = np.zeros(size, dtype=bool)
    for window in windows:
        if window.start_s <= t_s < window.end_s:
            mask |= window.mask
    return mask


def _next_edge(windows: list, t_s: float) -> float:
    """The first start or end of ``windows`` after ``t_s`` (inf: none)."""
    edges = [x for w in windows for x in (w.start_s, w.end_s) if x > t_s]
    return min(edges, default=np.inf)


def _next_time(times_s: np.ndarray, t_s: float) -> float:
    """The first of ``times_s`` after ``t_s`` (inf: none).

    >>> _next_time(np.array([5.0, np.inf, 2.0]), 2.0)
    5.0
    """
    later = times_s[times_s > t_s]
    return float(later.min()) if later.size else np.inf


@dataclass(frozen=True)
class Active:
    """What the effects hold at a time, valid until ``until_s`` (the next edge) unless changed before."""

    substation_down: np.ndarray  # per substation: failed, or under a blackout window
    grid_off_local: np.ndarray  # per equipment: its own feed under a blackout window
    damaged: np.ndarray  # per equipment: failed
    link_up: np.ndarray  # per link: not cut
    jammed: np.ndarray  # per site
    cyber_down: np.ndarray  # (cores, functions): functions a cyber attack has taken down
    from_s: float
    until_s: float


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
    _active: Active | None = field(default=None, repr=False, compare=False)  # what ``at`` last worked out

    def at(self, t_s: float, world: World) -> Active:
        """What holds at ``t_s``: worked out again only when ``t_s`` leaves the last answer's edges
        or after ``changed``.

        >>> from types import SimpleNamespace as NS
        >>> w = NS(n_equipment=2, n_sites=1, core_functions=np.ones((1, 4), dtype=bool))
        >>> e = Effects(np.array([60.0, np.inf]), np.zeros(0), np.zeros(0),
        ...             jamming=[Window(0.0, 120.0, np.array([True]))])
        >>> a = e.at(0.0, w); (a.damaged.tolist(), a.jammed.tolist(), a.until_s)
        ([False, False], [True], 60.0)
        >>> e.at(30.0, w) is a, e.at(120.0, w).jammed.tolist()
        (True, [False])
        """
        a = self._active
        if a is not None and a.from_s <= t_s < a.until_s:
            return a
        substation_down = (self.substation_damage_s <= t_s) | active_mask(self.grid_off, t_s, self.substation_damage_s.size)
        cyber_down = np.zeros_like(world.core_functions)
        for window in self.cyber:
            if window.start_s <= t_s < window.end_s:
                cyber_down[window.core] |= window.functions
        until_s = min(_next_edge(self.grid_off, t_s), _next_edge(self.grid_off_local, t_s),
                      _next_edge(self.jamming, t_s), _next_edge(self.cyber, t_s),
                      _next_time(self.substation_damage_s, t_s), _next_time(self.equipment_damage_s, t_s),
                      _next_time(self.link_cut_s, t_s))
        self._active = Active(substation_down, active_mask(self.grid_off_local, t_s, world.n_equipment),
                              self.equipment_damage_s <= t_s, self.link_cut_s > t_s,
                              active_mask(self.jamming, t_s, world.n_sites), cyber_down, t_s, until_s)
        return self._active

    def changed(self) -> None:
        """A failure time was changed in place (an action): ``at`` works everything out again."""
        self._active = None

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
