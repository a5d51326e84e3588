"""The grid coming back along a restoration curve: each lost feed returns after a time drawn from the curve.

The curve gives the share of lost feeds back against the time since each was
lost (``restoration.grid.curve``), so a scenario can follow a utility's
published restoration progress instead of one clock time per blackout. Each
loss draws its own return (keyed by the feed and the how-many-th loss), and
a feed comes back at the earlier of that time and the end of what took it
down.
"""

from __future__ import annotations

import numpy as np

from d2c.restoration.draws import keyed_uniform

__all__ = ["GridCurve"]


class GridCurve:
    """Return times for ``size`` feeds (substations, or equipment fed without one) along ``curve``."""

    def __init__(self, curve: tuple, size: int, key: int, stream: int):
        # (hours after the loss, share back) as two columns; np.interp takes int or float points alike
        self.hours, self.shares = np.array(curve, dtype=float).reshape(-1, 2).T  # pragma: no mutate (dtype)
        self.key, self.stream = key, stream
        self.back_s = np.full(size, np.inf)  # when the current loss ends (inf: not lost)
        self.losses = np.zeros(size, dtype=np.int64)  # pragma: no mutate (float counts key the draws alike)

    def apply(self, t_s: float, down: np.ndarray) -> np.ndarray:
        """``down`` (lost by the hazards now) without the feeds the curve has already brought back."""
        new = down & np.isinf(self.back_s)
        if new.any():
            i = np.nonzero(new)[0]
            u = keyed_uniform(self.key, self.stream, i, self.losses[i])
            self.back_s[i] = t_s + np.interp(u, self.shares, self.hours) * 3600.0
            self.losses[i] += 1
        self.back_s[~down] = np.inf
        return down & (t_s < self.back_s)
