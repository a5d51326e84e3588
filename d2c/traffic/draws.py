"""Flow draws: each step's flows as Poisson draws of the expected attempts, and their records.

112 SMS, public SMS, responders' push-to-talk sessions, public warnings and
background bulk flows are drawn here, vectorised over areas and flows, into
record rows (``records``); the stage appends them. Every draw comes from the
stage's one random stream, in a fixed order, so the same seed gives the same
flows. 112 calls are drawn with the same helpers by the stage, which admits
them (``admission``) in between.
"""

from __future__ import annotations

import numpy as np

from . import hashing, records as R, timing
from .inputs import Checked

__all__ = ["PTT_SESSION_S", "BULK_PACKETS", "SALT_BULK", "MAX_CAPPED_TX", "FlowDraws"]

#: Mean length of a responders' push-to-talk session, seconds. A d2c assumption
#: (3GPP TS 22.179 sets access-time KPIs, not session lengths).
PTT_SESSION_S = 30.0
#: Packets in one background bulk flow: 685 x 1460 octets, about 1 MB (d2c assumption);
#: half the flows are UDP uploads, half TCP downloads.
BULK_PACKETS = 685
#: Salt that keeps the bulk flows' per-packet random stream apart from voice (``voice``).
SALT_BULK = 4
MAX_CAPPED_TX = timing.CAPPED_TX_OFFSETS_S.size


class FlowDraws:
    """The stage's random stream and per-area flow counters, and the flows drawn from them."""

    def __init__(self, rng: np.random.Generator, sample: float, n_areas: int):
        self.rng = rng
        self.sample = sample
        self.flow_counter = np.zeros(n_areas, dtype=np.int64)

    def new_flow_ids(self, counts: np.ndarray) -> np.ndarray:
        """Consecutive per-area flow indices for flows grouped by area."""
        have = np.flatnonzero(counts)  # a few areas of many in a sampled step
        c = counts[have]
        starts = np.cumsum(c) - c
        rank = np.arange(int(c.sum())) - np.repeat(starts, c)
        flow = np.repeat(self.flow_counter[have], c) + rank
        self.flow_counter[have] += c
        return flow

    def draw(self, rate: np.ndarray, t0: float, dt: float):
        """Poisson counts per area (mean ``rate * sample``), then areas and times sorted by (area, time).

        Drawn as the total over all areas, a Poisson draw of the summed rate, each flow then given to an
        area with probability proportional to its rate: the same law as one Poisson draw per area
        (independent Poisson counts are a Poisson total split multinomially), at the cost of the flows
        drawn instead of the areas. With a small sample a national step draws a few flows over 19,072
        areas. ``rate``: finite and non-negative (``check_conditions``).

        >>> import numpy as np
        >>> d = FlowDraws(np.random.default_rng(1), 1.0, 4)
        >>> counts, area, t = d.draw(np.array([0.0, 2.0, 0.0, 5.0]), 60.0, 60.0)
        >>> counts[[0, 2]].tolist(), int(counts.sum()) == area.size, set(area.tolist()) <= {1, 3}
        ([0, 0], True, True)
        """
        n = rate.size
        total = float(rate.sum())
        m = int(self.rng.poisson(total * self.sample)) if total > 0 else 0
        if m == 0:
            return np.zeros(n, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)
        cum = np.cumsum(rate)
        area = np.searchsorted(cum, self.rng.random(m) * cum[-1], side="right")
        # u * total rounded up to the total: the last area with a rate
        area = np.minimum(area, np.flatnonzero(rate)[-1]).astype(np.int64)
        t = t0 + self.rng.random(m) * dt
        order = np.lexsort((t, area))
        return np.bincount(area, minlength=n), area[order], t[order]

    def keys(self, n: int) -> np.ndarray:
        return self.rng.integers(0, np.iinfo(np.uint64).max, size=n, dtype=np.uint64, endpoint=True)

    # ------------------------------------------------------------------ messages
    def message_rows(self, kind: int, area, flow, t_send, c: Checked, s: int, call_row=None) -> np.ndarray | None:
        """SMS records (112, public or a call's location message) sent at ``t_send``; None when there are none."""
        n = area.size
        if n == 0:
            return None
        key = self.keys(n)
        u = self.rng.random((2, n))
        bearer = c.bearer[area]
        loss, owd, rho = c.loss[area], c.owd_ms[area], c.load[area]
        n_tx = timing.transmissions_needed(1.0 - u[0], loss, MAX_CAPPED_TX)
        wait = timing.queue_wait_ms(u[1], rho)
        outcome = np.full(n, R.MSG_DELIVERED, dtype=np.int8)
        outcome[n_tx > MAX_CAPPED_TX] = R.MSG_TIMEOUT
        outcome[~c.sms_ok[area]] = R.MSG_NO_PATH
        outcome[bearer == 0] = R.MSG_NO_SERVICE
        delivered = outcome == R.MSG_DELIVERED
        off = timing.CAPPED_TX_OFFSETS_S[np.clip(n_tx, 1, MAX_CAPPED_TX) - 1]
        rows = np.zeros(n, dtype=R.SMS_DTYPE)
        rows["key"], rows["kind"], rows["area"], rows["flow"], rows["step"] = key, kind, area, flow, s
        rows["call_row"] = -1 if call_row is None else call_row
        rows["t_send_s"], rows["bearer"], rows["outcome"] = t_send, bearer, outcome
        rows["n_tx"] = np.where(bearer == 0, 0, np.minimum(n_tx, MAX_CAPPED_TX))
        rows["n_tx"][outcome == R.MSG_NO_PATH] = MAX_CAPPED_TX
        rows["owd_ms"], rows["wait_ms"] = owd, wait
        rows["latency_ms"] = np.where(delivered, off * 1000.0 + owd + wait, np.nan)
        return rows

    def new_message_rows(self, c: Checked, t0: float, dt: float, s: int) -> list[np.ndarray]:
        """This step's 112 and public SMS."""
        out = []
        for kind, rate in ((R.SMS_KIND_112, c.sms), (R.SMS_KIND_PUBLIC, c.public)):
            counts, area, t = self.draw(rate, t0, dt)
            if area.size:
                out.append(self.message_rows(kind, area, self.new_flow_ids(counts), t, c, s))
        return out

    # ------------------------------------------------------------------ PTT, warnings, bulk
    def ptt_rows(self, c: Checked, t0: float, dt: float, s: int, session_s: float) -> np.ndarray | None:
        """This step's responders' push-to-talk sessions (exponential lengths of mean ``session_s``)."""
        counts, area, t = self.draw(c.ptt, t0, dt)
        n = area.size
        if n == 0:
            return None
        key = self.keys(n)
        dur = self.rng.exponential(session_s, n)
        bearer = c.bearer[area]
        served = bearer > 0
        rows = np.zeros(n, dtype=R.PTT_DTYPE)
        rows["key"], rows["area"], rows["flow"], rows["step"] = key, area, self.new_flow_ids(counts), s
        rows["t_start_s"], rows["dur_s"], rows["bearer"], rows["served"] = t, dur, bearer, served
        rows["t_end_s"] = np.where(served, t + dur, t)
        rows["mos"] = np.nan
        return rows

    def warning_rows(self, w: int, message_id: int, serial: int, mask: np.ndarray, c: Checked, t0: float, s: int,
                     population: np.ndarray) -> np.ndarray:
        """Warning ``w``'s records, one per area in ``mask``: reached after the one-way delay and a paging wait."""
        area = np.flatnonzero(mask)
        reached = c.reach[area]
        wait = self.rng.random(area.size) * timing.PAGING_CYCLE_S
        rows = np.zeros(area.size, dtype=R.WARNING_DTYPE)
        rows["warning"], rows["message_id"], rows["serial"], rows["area"], rows["step"] = (
            w, message_id, serial, area, s)
        rows["t_issue_s"], rows["bearer"], rows["reached"] = t0, c.bearer[area], reached
        rows["handsets"] = np.asarray(population, dtype=np.float64)[area]
        rows["t_reach_s"] = np.where(reached, t0 + c.owd_ms[area] / 1000.0 + wait, np.nan)
        return rows

    def bulk_rows(self, c: Checked, t0: float, dt: float, s: int, chunk_packets: int) -> np.ndarray | None:
        """This step's background bulk flows, each packet's loss decided (``chunk_packets`` at a time)."""
        counts, area, t = self.draw(c.bulk, t0, dt)
        n = area.size
        if n == 0:
            return None
        key = self.keys(n)
        bearer = c.bearer[area]
        p_loss = 1.0 - (1.0 - c.loss[area]) * (1.0 - timing.overflow_loss(c.load[area]))
        npk = np.where(bearer > 0, BULK_PACKETS, 0)      # nothing is sent without a bearer
        lost = np.zeros(n, dtype=np.int64)
        per_chunk = max(1, chunk_packets // BULK_PACKETS)
        for lo in range(0, n, per_chunk):
            hi = min(n, lo + per_chunk)
            u = hashing.uniform(key[lo:hi, None], np.arange(BULK_PACKETS)[None, :], SALT_BULK)
            sent = np.arange(BULK_PACKETS)[None, :] < npk[lo:hi, None]
            lost[lo:hi] = ((u < p_loss[lo:hi, None]) & sent).sum(axis=1)
        rows = np.zeros(n, dtype=R.BULK_DTYPE)
        rows["key"], rows["area"], rows["flow"], rows["step"] = key, area, self.new_flow_ids(counts), s
        rows["t_start_s"], rows["tcp"], rows["bearer"] = t, (key & np.uint64(1)) == 1, bearer
        rows["packets"], rows["lost"] = npk, lost
        rows["owd_ms"], rows["loss_ratio"], rows["rho"] = c.owd_ms[area], p_loss, c.load[area]
        return rows
