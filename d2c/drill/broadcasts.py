"""Public warnings: whom each cell-broadcast warning reached.

A warning (``d2c.actions.SendWarning``) starts broadcasting at the step its
decision takes effect and repeats until the end, as a cell-broadcast message
repeats over its validity period (3GPP TS 23.041). Handsets in an area receive
it at the first step the area has a broadcast path: a site in service with a
path to a cell broadcast centre, or a D2C beam overhead (the engine's
``Service.warning_reach``). People are counted once per warning.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from d2c.result_drill import Reach


@dataclass
class Broadcast:
    key: int
    target: str
    text: str
    from_s: float
    targeted: np.ndarray  # bool per area
    reached: np.ndarray  # bool per area
    first_reach_s: float | None = None
    all_reached_s: float | None = None


class WarningLedger:
    def __init__(self, world):
        self.world = world
        self.broadcasts: list[Broadcast] = []

    def add(self, key: int, target: str, text: str, from_s: float) -> None:
        targeted = self.world.area_mask(target)
        self.broadcasts.append(Broadcast(key, target, text, from_s, targeted, np.zeros_like(targeted)))

    def remove(self, key: int) -> None:
        """Forget the broadcast of decision ``key`` (an undone decision)."""
        self.broadcasts = [b for b in self.broadcasts if b.key != key]

    def observe(self, state) -> None:
        reach = state.service.warning_reach
        for b in self.broadcasts:
            if state.t_s < b.from_s or b.all_reached_s is not None:
                continue
            b.reached |= b.targeted & reach
            if b.first_reach_s is None and b.reached.any():
                b.first_reach_s = state.t_s
            if b.reached[b.targeted].all():
                b.all_reached_s = state.t_s

    def sent(self, t_s: float) -> list[Broadcast]:
        return [b for b in self.broadcasts if b.from_s <= t_s]

    def people(self, mask: np.ndarray) -> int:
        return int(self.world.area_population[mask].sum())

    def reached_people(self) -> int:
        """People reached by at least one warning."""
        if not self.broadcasts:
            return 0
        return self.people(np.logical_or.reduce([b.reached for b in self.broadcasts]))

    def targeted_people(self) -> int:
        if not self.broadcasts:
            return 0
        return self.people(np.logical_or.reduce([b.targeted for b in self.broadcasts]))

    def report(self, key: int) -> Reach:
        """Whom the broadcast of decision ``key`` reached, and when."""
        b = next(b for b in self.broadcasts if b.key == key)
        return Reach(self.people(b.targeted), self.people(b.reached), b.first_reach_s, b.all_reached_s)
