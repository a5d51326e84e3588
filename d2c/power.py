"""Power: grid feeds, then batteries, then generators, running down step by step.

Energy is kept in seconds of autonomy at the equipment's load, so a battery of
``battery_hours`` keeps a site up for exactly that long off-grid. Back on the
grid a battery recharges at ``RECHARGE_HOURS`` for a full charge; a generator's
fuel is not refilled unless an action brings fuel (``add_fuel``, ``fill_tank``).

The stage works only on what changes: the equipment that draws (off the grid
with energy left) and the equipment that charges (on the grid below a full
battery), each with the arithmetic of a whole-array pass. The rest keeps
its energy, so between a change of the grid feeds, a battery or tank running
out, a battery full again and a delivery of fuel, a step costs a few
comparisons whatever the size of the network.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["PowerState", "RECHARGE_HOURS"]

# Telecom VRLA battery strings recharge to near full in roughly 8-10 h at the
# usual 0.1 C charging current (IEEE Std 1188 / ETSI EN 300 132-2 practice).
RECHARGE_HOURS = 8.0


@dataclass
class PowerState:
    """Energy left per equipment, in seconds of autonomy.

    >>> p = PowerState.full(np.array([120.0, 0.0]), np.array([0.0, 0.0]))
    >>> [p.step(np.array([False, False]), 60.0)[0].tolist() for _ in range(3)]
    [[True, False], [True, False], [False, False]]
    """

    battery_capacity_s: np.ndarray
    battery_left_s: np.ndarray
    generator_left_s: np.ndarray
    # per equipment: battery or fuel left (kept with the two arrays above)
    _has_energy: np.ndarray = field(init=False, repr=False)
    # as of the grid feeds in ``_grid_up``: the equipment that draws (off the grid, energy left)
    # and the equipment that charges (on the grid, battery not full)
    _drawing: np.ndarray = field(init=False, repr=False)
    _charging: np.ndarray = field(init=False, repr=False)
    _grid_up: np.ndarray | None = field(init=False, repr=False, default=None)
    # (powered, on_backup) as last returned: the same until the feeds or the energy change
    _out: tuple | None = field(init=False, repr=False, default=None)

    def __post_init__(self) -> None:
        self._has_energy = (self.battery_left_s > 0) | (self.generator_left_s > 0)
        # pragma reason: the first step works both out afresh (``_grid_up`` is None)
        self._drawing = self._charging = np.zeros(0, dtype=np.int64)  # pragma: no mutate

    @classmethod
    def full(cls, battery_s: np.ndarray, generator_s: np.ndarray) -> "PowerState":
        return cls(battery_s.copy(), battery_s.copy(), generator_s.copy())

    # pragma reason (the calls below): ``_energy_changed(None)`` works out every piece of equipment, the same
    def add_fuel(self, i: int, seconds: float) -> None:
        """``seconds`` more of generator fuel at equipment ``i`` (a generator brought, or its own refuelled)."""
        self.generator_left_s[i] += seconds
        self._energy_changed(i)  # pragma: no mutate

    def fill_tank(self, i: int, seconds: float) -> None:
        """Equipment ``i``'s tank filled to ``seconds`` of autonomy (fuel already there is kept)."""
        self.generator_left_s[i] = max(self.generator_left_s[i], seconds)
        self._energy_changed(i)  # pragma: no mutate

    def _energy_changed(self, i: int) -> None:
        self._has_energy[i] = (self.battery_left_s[i] > 0) | (self.generator_left_s[i] > 0)
        # pragma reason (both lines): any value but the feeds makes the next step work everything out afresh
        self._grid_up = None  # pragma: no mutate
        self._out = None  # pragma: no mutate

    def step(self, grid_up: np.ndarray, dt_s: float) -> tuple[np.ndarray, np.ndarray]:
        """Advance one step; return (powered, on_backup) for the step that starts now.

        Equipment is powered for the step if it has grid, or any energy left at
        the start of the step; the step's consumption is drawn afterwards.
        Only the equipment that draws or charges is worked out (in place, with
        the same arithmetic as for all): the rest neither gains nor loses energy.
        """
        # pragma reason (first two lines): working the sets out afresh when the feeds did not change gives
        # the same sets; a full battery in the charging set stays full (the ``<`` of the fourth line)
        if self._grid_up is None or not np.array_equal(grid_up, self._grid_up):  # pragma: no mutate
            self._grid_up = grid_up.copy()  # pragma: no mutate
            self._drawing = np.flatnonzero(~grid_up & self._has_energy)
            self._charging = np.flatnonzero(grid_up & (self.battery_left_s < self.battery_capacity_s))  # pragma: no mutate
            self._out = None
        if self._out is None:
            powered = grid_up | self._has_energy
            self._out = (powered, powered & ~grid_up)
        out = self._out
        if self._drawing.size:
            self._draw(dt_s)
        if self._charging.size:
            self._charge(dt_s)
        return out

    def _draw(self, dt_s: float) -> None:
        """Off the grid: the step from the battery first, the rest of it from the generator."""
        i = self._drawing
        battery = self.battery_left_s[i]
        from_battery = np.minimum(battery, dt_s)
        battery = battery - from_battery
        generator = np.maximum(self.generator_left_s[i] - (dt_s - from_battery), 0.0)
        self.battery_left_s[i] = battery
        self.generator_left_s[i] = generator
        left = (battery > 0) | (generator > 0)
        if not left.all():  # a battery and tank ran out: powered changes
            self._has_energy[i[~left]] = False  # pragma: no mutate (None is False in a bool array)
            self._drawing = i[left]
            self._out = None

    def _charge(self, dt_s: float) -> None:
        """On the grid: a full charge takes ``RECHARGE_HOURS``; the fuel is kept."""
        i = self._charging
        battery, capacity = self.battery_left_s[i], self.battery_capacity_s[i]
        battery = np.minimum(battery + capacity * (dt_s / (RECHARGE_HOURS * 3600.0)), capacity)
        self.battery_left_s[i] = battery
        gained = (battery > 0) & ~self._has_energy[i]
        if gained.any():  # an empty battery took charge: powered changes
            self._has_energy[i[gained]] = True
            self._out = None
        self._charging = i[battery < capacity]  # pragma: no mutate (a full battery kept in the set stays full)
