"""Power: grid feeds, then batteries, then generators, running down step by step.

Energy is kept in seconds of autonomy at the equipment's load, so a battery of
``battery_hours`` keeps a site up for exactly that long off-grid. Back on the
grid a battery recharges at ``RECHARGE_HOURS`` for a full charge; a generator's
fuel is not refilled unless an action brings fuel.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Telecom VRLA battery strings recharge to near full in roughly 8-10 h at the
# usual 0.1 C charging current (IEEE Std 1188 / ETSI EN 300 132-2 practice).
RECHARGE_HOURS = 8.0


@dataclass
class PowerState:
    """Energy left per equipment, in seconds of autonomy."""

    battery_capacity_s: np.ndarray
    battery_left_s: np.ndarray
    generator_left_s: np.ndarray

    @classmethod
    def full(cls, battery_s: np.ndarray, generator_s: np.ndarray) -> "PowerState":
        return cls(battery_s.copy(), battery_s.copy(), generator_s.copy())

    def step(self, grid_up: np.ndarray, dt_s: float) -> tuple[np.ndarray, np.ndarray]:
        """Advance one step; return (powered, on_backup) for the step that starts now.

        Equipment is powered for the step if it has grid, or any energy left at
        the start of the step; the step's consumption is drawn afterwards.
        Equipment on the grid with a full battery neither draws nor charges, so
        only the rest is worked out (in place, with the same arithmetic).
        """
        off_grid = ~grid_up
        powered = grid_up | (self.battery_left_s > 0) | (self.generator_left_s > 0)
        on_backup = off_grid & powered
        busy = off_grid | (self.battery_left_s < self.battery_capacity_s)
        if not busy.any():
            return powered, on_backup
        if np.count_nonzero(busy) * 2 > busy.size:
            i: np.ndarray | slice = slice(None)
        else:
            i = np.flatnonzero(busy)
            off_grid = off_grid[i]
        battery, capacity = self.battery_left_s[i], self.battery_capacity_s[i]
        # draw from the battery first, the rest of the step from the generator
        from_battery = np.where(off_grid, np.minimum(battery, dt_s), 0.0)
        battery = battery - from_battery
        remainder = np.where(off_grid, dt_s - from_battery, 0.0)
        self.generator_left_s[i] = np.maximum(self.generator_left_s[i] - remainder, 0.0)
        # recharge on grid
        recharge = capacity * (dt_s / (RECHARGE_HOURS * 3600.0))
        self.battery_left_s[i] = np.where(off_grid, battery, np.minimum(battery + recharge, capacity))
        return powered, on_backup
