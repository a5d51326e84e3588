"""Restart lag: equipment that gets its power back is up again only after a delay, once per power return.

Boards reboot, alarms are cleared, and the sites that do not come back by
themselves wait for a visit: on the morning after the Iberian blackout of
28 April 2025 the grid was about 99% back while one operator had about 82% of
its nodes up. Each return draws its own lag (lognormal, per operator)
keyed by the site and the how-many-th return it is.

The lag applies to cell sites (the radio nodes those figures count). Transport
nodes, cores, answering points and gateways sit in exchanges and data centres
whose rectifiers and DC plant carry them across a grid return, so they are up
as soon as they have power (assumed).
"""

from __future__ import annotations

import numpy as np

from d2c.restoration.draws import keyed_normal
from d2c.restoration.settings import RestorationSettings
from d2c.world import World

__all__ = ["RestartLag"]

STREAM = 11


class RestartLag:
    def __init__(self, world: World, settings: RestorationSettings, key: int):
        n = world.n_equipment
        self.key = key
        self.median_s = np.full(n, settings.restart_lag_median_minutes * 60.0)
        self.beta = np.full(n, settings.restart_lag_beta)
        for operator, (median_min, beta) in settings.operator_restart_lag.items():
            if operator in world.operators:
                sites = np.nonzero(world.site_operator == world.operators.index(operator))[0] + world.slices["site"].start
                self.median_s[sites] = median_min * 60.0
                self.beta[sites] = beta
        self.lagged = np.zeros(n, dtype=bool)
        self.lagged[world.slices["site"]] = True
        self.unpowered = np.zeros(n, dtype=bool)  # without power at the last step
        self.ready_s = np.zeros(n)  # up again from this time on
        self.returns = np.zeros(n, dtype=np.int64)  # power returns so far  # pragma: no mutate (float counts: the same)
        # the last call: its ``powered`` (the very array), time, answer, and the next restart after it
        self._last: tuple | None = None

    def apply(self, t_s: float, powered: np.ndarray) -> np.ndarray:
        """``powered`` with the equipment still restarting taken out.

        Called again with the same ``powered`` array (nothing came back) before the
        next restart is done, it hands back its last answer.
        """
        last = self._last
        if last is not None and powered is last[0] and last[1] <= t_s < last[3]:
            return last[2]
        back = powered & self.unpowered & self.lagged
        if back.any():
            i = np.nonzero(back)[0]
            z = keyed_normal(self.key, STREAM, i, self.returns[i])
            # pragma reason: z is symmetric, so median / e^(beta z) has the same lognormal law
            self.ready_s[i] = t_s + self.median_s[i] * np.exp(self.beta[i] * z)  # pragma: no mutate
            self.returns[i] += 1
        self.unpowered = ~powered
        out = powered & (self.ready_s <= t_s)
        if last is not None and np.array_equal(out, last[2]):
            out = last[2]  # the same answer as the same array: the stages after it see no change
        later = self.ready_s[self.ready_s > t_s]
        self._last = (powered, t_s, out, float(later.min()) if later.size else np.inf)
        return out
