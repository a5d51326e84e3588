"""Call admission: channels per area, calls that lose their bearer or channel, new calls in arrival order.

A call holds a channel from its attempt until it ends; new calls are admitted
in arrival order while channels are free (exact for departures of calls from
earlier steps; calls admitted in this step free their channel from the next
step on). A call whose area loses its bearer, or whose capacity shrinks below
the calls in progress (latest admitted first), is dropped.
"""

from __future__ import annotations

import numpy as np

from . import records as R
from .inputs import Checked

__all__ = ["sampled_capacity", "end_streams", "admit"]


def sampled_capacity(c: Checked, sample: float, offset: np.ndarray) -> np.ndarray:
    """Channels per area in a run that keeps ``sample`` of the flows; none without a bearer.

    ``offset``: fixed per-area offsets in [0, 1) for rounding the sampled
    capacity (unbiased, stable in time).

    >>> import numpy as np
    >>> from d2c.traffic.inputs import Checked
    >>> z = np.zeros(2)
    >>> c = Checked(z, z, z, z, z, np.array([1, 0], dtype=np.int8), np.array([10.0, 10.0]), z, z, z, z, z)
    >>> sampled_capacity(c, 0.25, np.array([0.5, 0.5])).tolist()
    [3, 0]
    """
    if sample < 1:
        cap = np.floor(c.capacity * sample + offset)
    else:
        cap = np.floor(c.capacity)
    return np.where(c.bearer > 0, cap, 0).astype(np.int64)


def end_streams(calls: np.ndarray, active_calls: np.ndarray, ptt: np.ndarray, active_ptt: np.ndarray,
                c: Checked, cap: np.ndarray, t0: float) -> tuple[np.ndarray, np.ndarray]:
    """Drop the calls and push-to-talk sessions that lost their bearer, and the calls over the
    channels left (the latest admitted first); returns the calls and sessions still active at ``t0``.

    ``calls`` and ``ptt`` are the record tables' rows (changed in place),
    ``active_*`` the indices of the streams in progress.
    """
    act = active_calls
    act = act[calls["t_end_s"][act] > t0]
    if act.size:
        area = calls["area"][act]
        lost = c.bearer[area] != calls["bearer"][act]
        order = np.lexsort((calls["t_attempt_s"][act], area))  # earliest keeps its channel
        a_sorted = area[order]
        first = np.searchsorted(a_sorted, a_sorted, side="left")
        rank = np.empty(act.size, dtype=np.int64)
        rank[order] = np.arange(act.size) - first
        # rank counts every call in the area, dropped-by-bearer ones included;
        # they are all dropped together when the bearer goes, so it is exact.
        over = rank >= cap[area]
        drop = lost | over
        rows = act[drop]
        before_answer = calls["t_answer_s"][rows] > t0
        calls["outcome"][rows[before_answer]] = R.CALL_DROPPED_SETUP
        calls["dropped"][rows[~before_answer]] = True
        calls["t_end_s"][rows] = t0
        act = act[~drop]
    pact = active_ptt
    pact = pact[ptt["t_end_s"][pact] > t0]
    lost = c.bearer[ptt["area"][pact]] != ptt["bearer"][pact]
    ptt["dropped"][pact[lost]] = True
    ptt["t_end_s"][pact[lost]] = t0
    return act, pact[~lost]


def admit(area: np.ndarray, t: np.ndarray, cap: np.ndarray, t0: float, dt: float, calls: np.ndarray,
          active: np.ndarray) -> np.ndarray:
    """Admission in arrival order: arrival i gets a channel iff the calls
    already admitted in this step are fewer than the channels free at t_i.

    ``area``, ``t``: the step's arrivals sorted by (area, time); ``calls``,
    ``active``: the call records and the indices of the calls in progress.
    With f_i the channels free at t_i (non-decreasing in time, since calls of
    earlier steps only leave), admitted counts follow A_{i+1} = min(A_i + 1, f_i),
    i.e. A_i = i + min(0, min_{j<i}(f_j - j - 1)): a segmented running minimum.

    >>> import numpy as np
    >>> from d2c.traffic import records as R
    >>> admit(np.array([0, 0, 0]), np.array([1.0, 2.0, 3.0]), np.array([2]), 0.0, 60.0,
    ...       np.zeros(0, dtype=R.CALL_DTYPE), np.zeros(0, dtype=np.int64)).tolist()
    [True, True, False]
    """
    n = area.size
    if n == 0:
        return np.zeros(0, dtype=bool)
    old = active
    span = dt + 1.0
    old_area = calls["area"][old].astype(np.int64)
    old_key = np.sort(old_area * span + np.clip(calls["t_end_s"][old] - t0, 0.0, dt))
    n_old = np.bincount(old_area, minlength=cap.size)
    freed = (np.searchsorted(old_key, area * span + (t - t0), side="right")
             - np.searchsorted(old_key, area * span, side="left"))
    f = np.maximum(cap[area] - (n_old[area] - freed), 0)
    is_start = np.ones(n, dtype=bool)
    is_start[1:] = area[1:] != area[:-1]
    seg = np.cumsum(is_start) - 1
    start_idx = np.flatnonzero(is_start)
    j = np.arange(n) - start_idx[seg]
    big = 2 * (n + int(f.max()) + 2)
    h = (f - j - 1) - big * seg
    m = np.minimum.accumulate(h) + big * seg
    a_next = j + 1 + np.minimum(0, m)
    a_prev = np.empty(n, dtype=np.int64)
    a_prev[0] = 0
    a_prev[1:] = a_next[:-1]
    a_prev[is_start] = 0
    return (a_next - a_prev) == 1
