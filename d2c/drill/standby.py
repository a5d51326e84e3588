"""D2C on standby: the scenario's satellite service exists but stays off until the players switch it on.

A drill file with ``d2c: standby`` wraps the engine's space stage in this gate;
the ``d2c-on`` decision (``d2c.actions.SwitchD2COn``) opens it. Until then the
stage offers no beams, exactly as a run without D2C.
"""

from __future__ import annotations

import numpy as np

from d2c.fallback import D2CCapacity
from d2c.hazards.base import offset_text


class StandbySpace:
    def __init__(self, inner, n_areas: int):
        self.inner = inner
        self.n_areas = n_areas
        self.on_since_s: float | None = None

    @property
    def on(self) -> bool:
        return self.on_since_s is not None

    def switch_on(self, t_s: float) -> None:
        if self.on_since_s is None:
            self.on_since_s = t_s

    def capacity(self, t_s: float, need: np.ndarray, demand, gateway_ok: np.ndarray) -> D2CCapacity:
        if not self.on:
            return D2CCapacity.none(self.n_areas)
        return self.inner.capacity(t_s, need, demand, gateway_ok)

    def describe(self) -> str:
        when = f"switched on at {offset_text(self.on_since_s)}" if self.on else "never switched on"
        return f"{self.inner.describe()}; on standby in this drill, {when}"
