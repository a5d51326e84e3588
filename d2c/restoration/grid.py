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
        # the last call: its ``down`` (the very array), time, answer, and the next return after it
        self._last: tuple | None = None

    def apply(self, t_s: float, down: np.ndarray) -> np.ndarray:
        """``down`` (lost by the hazards now) without the feeds the curve has already brought back.

        Called again with the same ``down`` array before the next return, it hands back its last answer.
        """
        last = self._last
        if last is not None and down is last[0] and last[1] <= t_s < last[3]:
            return last[2]
        new = down & np.isinf(self.back_s)
        if new.any():
            i = np.nonzero(new)[0]
            u = keyed_uniform(self.key, self.stream, i, self.losses[i])
            self.back_s[i] = t_s + np.interp(u, self.shares, self.hours) * 3600.0
            self.losses[i] += 1
        self.back_s[~down] = np.inf
        out = down & (t_s < self.back_s)
        if last is not None and np.array_equal(out, last[2]):
            out = last[2]  # the same answer as the same array: the stages after it see no change
        later = self.back_s[self.back_s > t_s]
        self._last = (down, t_s, out, float(later.min()) if later.size else np.inf)
        return out
