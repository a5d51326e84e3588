"""What the drill watches step by step: running 112 totals and the targets of decisions.

The per-decision effect in the after-action report compares, for each target,
the hours it was in service from the decision's effect time to the end, with
and without the decision: a site or other equipment by its own state, an area
(a cell on wheels) by whether it had terrestrial service.
"""

from __future__ import annotations

import numpy as np

from d2c.drill.kinds import AREA, EQUIPMENT
from d2c.network import CAUSES, IN_SERVICE


class Tally:
    """Running totals since T+0, for the dashboard's headline."""

    def __init__(self):
        self.calls_offered = 0.0
        self.calls_served = 0.0
        self.t_s: list[float] = []
        self.offered: list[float] = []  # 112 calls and SMS, per step
        self.served: list[float] = []
        self.served_without_d2c: list[float] = []

    def observe(self, state) -> None:
        s = state.service
        self.calls_offered += float(s.calls_offered.sum())
        self.calls_served += float((s.calls_served_terrestrial + s.calls_served_d2c).sum())
        self.t_s.append(state.t_s)
        self.offered.append(float(s.emergency_offered.sum()))
        self.served.append(float(s.emergency_served.sum()))
        self.served_without_d2c.append(float(s.emergency_served_terrestrial.sum()))


class TargetWatch:
    """Seconds in service of each watched target, counted from a start time."""

    def __init__(self, world, step_s: float):
        self.world = world
        self.step_s = step_s
        self.watched: dict[object, tuple[str, int, float]] = {}
        self.seconds: dict[object, float] = {}
        self.down_s: dict[object, dict[str, float]] = {}  # sites: seconds down per cause

    def add(self, key, target_kind: str, target: str, from_s: float) -> bool:
        """Watch ``target`` from ``from_s``; False when its kind has no state of its own to watch."""
        w = self.world
        if target_kind == AREA:
            self.watched[key] = ("area", w.area_ids.index(target), from_s)
        elif target_kind == EQUIPMENT:
            i = w.equipment_index[target]
            site = w.slices["site"]
            self.watched[key] = ("site", i - site.start, from_s) if site.start <= i < site.stop \
                else ("equipment", i, from_s)
        else:
            return False
        self.seconds[key] = 0.0
        return True

    def remove(self, key) -> None:
        """Stop watching ``key`` (an undone decision)."""
        self.watched.pop(key, None)
        self.seconds.pop(key, None)

    def observe(self, state) -> None:
        for key, (what, i, from_s) in self.watched.items():
            if state.t_s < from_s:
                continue
            if what == "area":
                up = bool(state.service.terrestrial[i])
            elif what == "site":
                cause = int(state.network.cause[i])
                up = cause == IN_SERVICE
                if not up:
                    causes = self.down_s.setdefault(key, {})
                    causes[CAUSES[cause - 1]] = causes.get(CAUSES[cause - 1], 0.0) + self.step_s
            else:
                up = bool(state.equipment_up[i])
            self.seconds[key] += self.step_s if up else 0.0

    def hours(self, key) -> float | None:
        return round(self.seconds[key] / 3600.0, 4) if key in self.seconds else None

    def down_hours(self, key) -> dict[str, float]:
        """Hours a watched site was down, per cause (empty for other targets)."""
        return {cause: round(s / 3600.0, 4) for cause, s in sorted(self.down_s.get(key, {}).items())}


def people_hours(series: list[float], step_s: float) -> float:
    """Person-hours of a population series (people per step) over the run.

    >>> people_hours([100.0, 50.0], 1800.0)
    75.0
    """
    return float(np.sum(series)) * step_s / 3600.0
