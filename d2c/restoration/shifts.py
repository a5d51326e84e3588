"""Working time: crews work a daily shift, and work outside it waits for the next one."""

from __future__ import annotations

import numpy as np

__all__ = ["Shift"]

DAY_S = 86_400.0


class Shift:
    """A daily shift of ``hours`` starting at ``start_h`` UTC, on a clock whose zero is ``clock0_s`` seconds into a UTC day.

    >>> s = Shift(start_h=8, hours=10, clock0_s=0)
    >>> float(s.finish_s(7 * 3600.0, 3600.0)) / 3600   # waits for 08:00, works one hour
    9.0
    >>> float(s.finish_s(17 * 3600.0, 2 * 3600.0)) / 3600   # one hour today, one tomorrow from 08:00
    33.0
    >>> bool(s.working(12 * 3600.0)), bool(s.working(20 * 3600.0))
    (True, False)
    """

    def __init__(self, start_h: float, hours: float, clock0_s: float):
        # pragma reason, both lines: a shortcut; the general formulas below give the same times with on_s = 24 h,
        # and the scenario reader caps shift_hours at 24
        self.round_the_clock = hours >= 24.0  # pragma: no mutate
        self.on_s = min(hours, 24.0) * 3600.0  # pragma: no mutate
        self.offset_s = start_h * 3600.0 - clock0_s  # a shift starts at offset_s + k * DAY_S

    def _day_phase(self, t_s):
        rel = np.asarray(t_s, dtype=float) - self.offset_s  # pragma: no mutate (float either way: offset_s is)
        day = np.floor(rel / DAY_S)
        return day, rel - day * DAY_S

    def working(self, t_s) -> np.ndarray:
        if self.round_the_clock:
            return np.ones(np.shape(t_s), dtype=bool)
        return self._day_phase(t_s)[1] < self.on_s

    def next_start_s(self, t_s) -> np.ndarray:
        """``t_s`` itself when in a shift, else the start of the next shift."""
        if self.round_the_clock:
            return np.asarray(t_s, dtype=float)  # pragma: no mutate (the same values from int input)
        day, phase = self._day_phase(t_s)
        return np.where(phase < self.on_s, t_s, self.offset_s + (day + 1) * DAY_S)

    def working_seconds(self, t0_s, t1_s) -> np.ndarray:
        """Working time between ``t0_s`` and ``t1_s`` (0 when ``t1_s <= t0_s``).

        >>> float(Shift(start_h=8, hours=10, clock0_s=0).working_seconds(0.0, 2 * 86400.0)) / 3600
        20.0
        """
        return np.maximum(self._worked(t1_s) - self._worked(t0_s), 0.0)

    def _worked(self, t_s) -> np.ndarray:
        if self.round_the_clock:
            return np.asarray(t_s, dtype=float)  # pragma: no mutate (the same values from int input)
        day, phase = self._day_phase(t_s)
        return day * self.on_s + np.minimum(phase, self.on_s)

    def finish_s(self, t0_s, work_s) -> np.ndarray:
        """When ``work_s`` of working time started (or waiting to start) at ``t0_s`` is done."""
        t0 = np.asarray(t0_s, dtype=float)  # pragma: no mutate (the same values from int input)
        work = np.asarray(work_s, dtype=float)  # pragma: no mutate (the same values from int input)
        if self.round_the_clock:
            return t0 + work
        start = self.next_start_s(t0)
        day, phase = self._day_phase(start)
        left_today = self.on_s - phase
        rest = np.maximum(work - left_today, 0.0)
        full_days = np.floor(rest / self.on_s)
        remainder = rest - full_days * self.on_s
        later = np.where(remainder > 0, self.offset_s + (day + 1 + full_days) * DAY_S + remainder,
                         self.offset_s + (day + full_days) * DAY_S + self.on_s)
        # pragma reason: at work == left_today, ``later`` is the end of today's shift, which is start + work
        return np.where(work <= left_today, start + work, later)  # pragma: no mutate
