"""The work queue: one row per job (a repair, a splice, a generator brought), kept as numpy columns."""

from __future__ import annotations

import numpy as np

__all__ = ["Jobs", "WAITING", "BUSY", "DONE", "CANCELLED", "REPAIR", "GENERATOR", "REFUEL"]

WAITING, BUSY, DONE, CANCELLED = 0, 1, 2, 3
# what a job does when it is done: REPAIR the target; GENERATOR brings a generator with ``hours``
# of fuel (``unit``: one of the pool's portable generators); REFUEL fills its tank (by truck)
REPAIR, GENERATOR, REFUEL = 0, 1, 2

_COLUMNS = {
    "target_kind": np.int8, "target": np.int64, "action": np.int8, "pool": np.int64, "tier": np.int8,
    "score": float, "release_s": float, "work_s": float, "travel_s": float, "hours": float,
    "unit": np.int8, "status": np.int8, "crew": np.int64, "start_s": float, "done_s": float, "free_s": float,
}


class Jobs:
    """A growing table of jobs; ``n`` rows are in use. Columns are attributes (``jobs.release_s[:jobs.n]``)."""

    def __init__(self, capacity: int = 64):  # pragma: no mutate (the first size: only how often it grows)
        self.n = 0
        for name, dtype in _COLUMNS.items():
            setattr(self, name, np.zeros(capacity, dtype=dtype))

    def add(self, **columns) -> np.ndarray:
        """Append rows (every column an array of the same length); return their indices."""
        count = len(next(iter(columns.values())))
        need = self.n + count
        # pragma reason (both lines): when and by how much the table grows changes how often it is copied, not
        # what it holds
        if need > self.release_s.size:  # pragma: no mutate
            size = max(need, 2 * self.release_s.size)  # pragma: no mutate
            for name in _COLUMNS:
                old = getattr(self, name)
                grown = np.zeros(size, dtype=old.dtype)
                grown[:self.n] = old[:self.n]
                setattr(self, name, grown)
        rows = np.arange(self.n, need)
        for name in _COLUMNS:
            getattr(self, name)[rows] = columns[name] if name in columns else _DEFAULTS[name]
        self.n = need
        return rows

    def column(self, name: str) -> np.ndarray:
        return getattr(self, name)[:self.n]


_DEFAULTS = {"status": WAITING, "crew": -1, "start_s": np.inf, "done_s": np.inf, "free_s": np.inf, "hours": 0.0,
             "tier": 1, "action": REPAIR, "unit": 0}
