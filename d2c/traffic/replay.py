"""The traffic stage: emergency flows drawn from each step's demand and
replayed against that step's bearer, capacity, delay and loss.

Per step, vectorised over areas and flows:

* 112 calls, 112 SMS, public SMS, responder PTT sessions and background bulk
  flows are Poisson draws of the expected attempts times ``sample``.
* A call holds a channel from its attempt until it ends; new calls are admitted
  in arrival order while channels are free (exact for departures of calls from
  earlier steps; calls admitted in this step free their channel from the next
  step on). A call that finds no channel gets ``503 Service Unavailable``.
  A call whose area loses its bearer, or whose capacity shrinks below the calls
  in progress (latest admitted first), is dropped.
* Signalling crosses the radio link with loss ``loss_ratio`` and is repeated by
  the SIP timers of RFC 3261; every message also waits in an M/M/1 queue at
  utilisation ``load_ratio`` (:mod:`d2c.traffic.timing`).
* Voice is replayed packet by packet (20 ms AMR-WB frames, both directions):
  each packet is lost with ``loss_ratio`` or arrives late (queueing beyond the
  playout buffer); per-call loss, burstiness and delay feed the E-model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

import numpy as np

from . import hashing, records as R, timing
from d2c.pws import geographic_scope, is_valid

from .cbs import serial_number

#: Mean length of a responders' push-to-talk session, seconds. A d2c assumption
#: (3GPP TS 22.179 sets access-time KPIs, not session lengths).
PTT_SESSION_S = 30.0
#: Packets in one background bulk flow: 685 x 1460 octets, about 1 MB (d2c assumption);
#: half the flows are UDP uploads, half TCP downloads.
BULK_PACKETS = 685
#: Salts that keep the per-packet random streams of different purposes apart.
SALT_UP, SALT_DN, SALT_PTT, SALT_BULK = 1, 2, 3, 4
_MAX_INVITE_TX = timing.INVITE_TX_OFFSETS_S.size
_MAX_CAPPED_TX = timing.CAPPED_TX_OFFSETS_S.size


@dataclass(frozen=True)
class AreaTable:
    """Static description of the areas, once per run."""

    area_id: list[str]
    lat_deg: np.ndarray
    lon_deg: np.ndarray
    population: np.ndarray

    def __post_init__(self) -> None:
        n = len(self.area_id)
        for name in ("lat_deg", "lon_deg", "population"):
            if np.asarray(getattr(self, name)).shape != (n,):
                raise ValueError(f"AreaTable.{name} must have one value per area ({n})")

    @property
    def n(self) -> int:
        return len(self.area_id)


@dataclass(frozen=True)
class StepConditions:
    """What the engine knows about each area during one step (arrays of n_areas)."""

    t_s: float
    step_s: float
    call_attempts: np.ndarray
    sms_attempts: np.ndarray
    public_sms_attempts: np.ndarray
    responder_calls: np.ndarray
    bearer: np.ndarray
    capacity_calls: np.ndarray
    sms_ok: np.ndarray
    one_way_delay_ms: np.ndarray
    loss_ratio: np.ndarray
    load_ratio: np.ndarray
    warning_reach: np.ndarray
    warnings: tuple = ()
    #: Optional: expected background bulk-data flows (best effort) in this step.
    background_flows: np.ndarray | None = None


@dataclass
class _Cond:
    """StepConditions checked and converted to working dtypes."""

    calls: np.ndarray
    sms: np.ndarray
    public: np.ndarray
    ptt: np.ndarray
    bulk: np.ndarray
    bearer: np.ndarray
    capacity: np.ndarray
    sms_ok: np.ndarray
    owd_ms: np.ndarray
    loss: np.ndarray
    load: np.ndarray
    reach: np.ndarray


def _rate(x, n: int, name: str) -> np.ndarray:
    a = np.asarray(x, dtype=np.float64)
    if a.shape != (n,):
        raise ValueError(f"StepConditions.{name} must have shape ({n},), got {a.shape}")
    return np.where(np.isfinite(a) & (a > 0), a, 0.0)


def _arr(x, n: int, name: str, dtype) -> np.ndarray:
    a = np.asarray(x)
    if a.shape != (n,):
        raise ValueError(f"StepConditions.{name} must have shape ({n},), got {a.shape}")
    return a.astype(dtype)


@dataclass
class _Accumulator:
    packets_replayed: int = 0
    warning_texts: list = field(default_factory=list)


class TrafficStage:
    """Replays emergency traffic once per engine step; :meth:`finish` returns
    a :class:`~d2c.traffic.metrics.TrafficResult`."""

    def __init__(self, areas: AreaTable, start_utc: datetime, seed: int, sample: float = 1.0,
                 call_hold_s: float = 90.0, *, answer_s: float = 0.0,
                 ptt_session_s: float = PTT_SESSION_S,
                 jitter_buffer_ms: float = timing.JITTER_BUFFER_MS,
                 chunk_packets: int = 1 << 21, keep_segments: bool = True):
        if not 0 < sample <= 1:
            raise ValueError(f"sample must be in (0, 1], got {sample}")
        if call_hold_s <= 0:
            raise ValueError("call_hold_s must be > 0")
        self.areas = areas
        # A naive datetime is taken as UTC (captures and PIDF-LO timestamps are UTC).
        self.start_utc = start_utc if start_utc.tzinfo else start_utc.replace(tzinfo=timezone.utc)
        self.seed = int(seed)
        self.sample = float(sample)
        self.call_hold_s = float(call_hold_s)
        self.answer_s = float(answer_s)
        self.ptt_session_s = float(ptt_session_s)
        self.jitter_buffer_ms = float(jitter_buffer_ms)
        self.chunk_packets = int(chunk_packets)
        # Per-step voice segments are what write_pcap needs to regenerate RTP;
        # a long run that will never be captured can drop them to save memory.
        self.keep_segments = bool(keep_segments)
        self._rng = np.random.default_rng(self.seed)
        n = areas.n
        # Fixed per-area offsets for rounding sampled capacity (unbiased, stable in time).
        self._cap_offset = self._rng.random(n)
        self._flow_counter = np.zeros(n, dtype=np.int64)
        self._call_serial = 0
        self._calls = R.Table(R.CALL_DTYPE)
        self._sms = R.Table(R.SMS_DTYPE)
        self._ptt = R.Table(R.PTT_DTYPE)
        self._warn = R.Table(R.WARNING_DTYPE)
        self._bulk = R.Table(R.BULK_DTYPE)
        self._segments = R.Table(R.SEGMENT_DTYPE)
        self._active_calls = np.zeros(0, dtype=np.int64)
        self._active_ptt = np.zeros(0, dtype=np.int64)
        self._acc = _Accumulator()
        self._n_steps = 0
        self._t_end_s = 0.0
        self._step_s = 0.0
        self._finished = False

    # ------------------------------------------------------------------ API
    def step(self, cond: StepConditions) -> None:
        """Draw this step's flows and replay them against ``cond``."""
        if self._finished:
            raise RuntimeError("TrafficStage.step called after finish()")
        c = self._check(cond)
        t0, dt = float(cond.t_s), float(cond.step_s)
        if dt <= 0:
            raise ValueError("StepConditions.step_s must be > 0")
        s = self._n_steps
        cap = self._capacity(c)
        self._end_streams(c, cap, t0)
        self._new_calls(c, cap, t0, dt, s)
        self._new_messages(c, t0, dt, s)
        self._new_ptt(c, t0, dt, s)
        self._new_warnings(cond, c, t0, s)
        self._new_bulk(c, t0, dt, s)
        self._replay_voice(c, t0, dt, s)
        self._n_steps += 1
        self._t_end_s = max(self._t_end_s, t0 + dt)
        self._step_s = dt

    def finish(self):
        """Score the voice streams and return the :class:`TrafficResult`."""
        from .metrics import TrafficResult, score_voice

        self._finished = True
        calls = self._calls.copy()
        ptt = self._ptt.copy()
        score_voice(calls, ptt, self.jitter_buffer_ms)
        return TrafficResult(
            areas=self.areas, start_utc=self.start_utc, seed=self.seed, sample=self.sample,
            call_hold_s=self.call_hold_s, answer_s=self.answer_s,
            jitter_buffer_ms=self.jitter_buffer_ms, n_steps=self._n_steps,
            step_s=self._step_s, t_end_s=self._t_end_s,
            calls=calls, sms=self._sms.copy(), ptt=ptt, warnings=self._warn.copy(),
            bulk=self._bulk.copy(), segments=self._segments.copy(),
            has_segments=self.keep_segments,
            warning_texts=tuple(self._acc.warning_texts),
            packets_replayed=self._acc.packets_replayed,
        )

    @property
    def packets_replayed(self) -> int:
        """Voice and bulk packets whose fate has been decided so far."""
        return self._acc.packets_replayed

    # ------------------------------------------------------------------ helpers
    def _check(self, cond: StepConditions) -> _Cond:
        n = self.areas.n
        bulk = (np.zeros(n) if cond.background_flows is None
                else _rate(cond.background_flows, n, "background_flows"))
        c = _Cond(
            calls=_rate(cond.call_attempts, n, "call_attempts"),
            sms=_rate(cond.sms_attempts, n, "sms_attempts"),
            public=_rate(cond.public_sms_attempts, n, "public_sms_attempts"),
            ptt=_rate(cond.responder_calls, n, "responder_calls"),
            bulk=bulk,
            bearer=_arr(cond.bearer, n, "bearer", np.int8),
            capacity=_rate(cond.capacity_calls, n, "capacity_calls"),
            sms_ok=_arr(cond.sms_ok, n, "sms_ok", bool),
            owd_ms=np.maximum(_arr(cond.one_way_delay_ms, n, "one_way_delay_ms", np.float64), 0.0),
            loss=np.clip(_arr(cond.loss_ratio, n, "loss_ratio", np.float64), 0.0, 1.0),
            load=np.maximum(_arr(cond.load_ratio, n, "load_ratio", np.float64), 0.0),
            reach=_arr(cond.warning_reach, n, "warning_reach", bool),
        )
        if np.any((c.bearer < 0) | (c.bearer > 2)):
            raise ValueError("StepConditions.bearer must be 0 (none), 1 (terrestrial) or 2 (D2C)")
        for name in ("owd_ms", "loss", "load"):
            v = getattr(c, name)
            bad = ~np.isfinite(v)
            if np.any(bad & (c.bearer > 0)):
                raise ValueError(f"StepConditions: non-finite {name} in an area with a bearer")
            setattr(c, name, np.where(bad, 0.0, v))
        for item in cond.warnings:
            message_id, _, mask = item
            if not is_valid(message_id):
                raise ValueError(f"warning message identifier {message_id} is not a public-warning identifier "
                                 "(3GPP TS 23.041: 4370-4399, 6400)")
            if np.asarray(mask).shape != (n,):
                raise ValueError("warning area_mask must have one entry per area")
        return c

    def _capacity(self, c: _Cond) -> np.ndarray:
        """Channels per area in this (sampled) run; none without a bearer."""
        if self.sample < 1:
            cap = np.floor(c.capacity * self.sample + self._cap_offset)
        else:
            cap = np.floor(c.capacity)
        return np.where(c.bearer > 0, cap, 0).astype(np.int64)

    def _new_flow_ids(self, counts: np.ndarray) -> np.ndarray:
        """Consecutive per-area flow indices for flows grouped by area."""
        starts = np.cumsum(counts) - counts
        total = int(counts.sum())
        rank = np.arange(total) - np.repeat(starts, counts)
        area = np.repeat(np.arange(counts.size), counts)
        flow = self._flow_counter[area] + rank
        self._flow_counter += counts
        return flow

    def _draw(self, rate: np.ndarray, t0: float, dt: float):
        """Poisson counts per area, then areas and times sorted by (area, time)."""
        counts = self._rng.poisson(rate * self.sample)
        area = np.repeat(np.arange(counts.size), counts).astype(np.int64)
        t = t0 + self._rng.random(area.size) * dt
        order = np.lexsort((t, area))
        return counts, area[order], t[order]

    def _keys(self, n: int) -> np.ndarray:
        return self._rng.integers(0, np.iinfo(np.uint64).max, size=n, dtype=np.uint64, endpoint=True)

    # ------------------------------------------------------------------ calls
    def _end_streams(self, c: _Cond, cap: np.ndarray, t0: float) -> None:
        calls = self._calls.rows
        act = self._active_calls
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
        self._active_calls = act
        ptt = self._ptt.rows
        pact = self._active_ptt
        pact = pact[ptt["t_end_s"][pact] > t0]
        lost = c.bearer[ptt["area"][pact]] != ptt["bearer"][pact]
        ptt["dropped"][pact[lost]] = True
        ptt["t_end_s"][pact[lost]] = t0
        self._active_ptt = pact[~lost]

    def _admit(self, area: np.ndarray, t: np.ndarray, cap: np.ndarray, t0: float, dt: float) -> np.ndarray:
        """Admission in arrival order: arrival i gets a channel iff the calls
        already admitted in this step are fewer than the channels free at t_i.

        With f_i the channels free at t_i (non-decreasing in time, since calls of
        earlier steps only leave), admitted counts follow A_{i+1} = min(A_i + 1, f_i),
        i.e. A_i = i + min(0, min_{j<i}(f_j - j - 1)): a segmented running minimum.
        """
        n = area.size
        if n == 0:
            return np.zeros(0, dtype=bool)
        calls = self._calls.rows
        old = self._active_calls
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

    def _new_calls(self, c: _Cond, cap: np.ndarray, t0: float, dt: float, s: int) -> None:
        counts, area, t = self._draw(c.calls, t0, dt)
        n = area.size
        if n == 0:
            return
        rng = self._rng
        key = self._keys(n)
        hold = rng.exponential(self.call_hold_s, n)  # Erlang's exponential holding time
        u = rng.random((5, n))
        flow = self._new_flow_ids(counts)
        serial = self._call_serial + np.arange(n)
        self._call_serial += n
        bearer = c.bearer[area]
        served = bearer > 0
        admitted = np.zeros(n, dtype=bool)
        admitted[served] = self._admit(area[served], t[served], cap, t0, dt)
        loss, owd, rho = c.loss[area], c.owd_ms[area], c.load[area]

        n_inv = timing.transmissions_needed(1.0 - u[0], loss, _MAX_INVITE_TX)
        inv_ok = served & (n_inv <= _MAX_INVITE_TX)
        n_ok = timing.transmissions_needed(1.0 - u[1], loss, _MAX_CAPPED_TX)
        ok_ok = n_ok <= _MAX_CAPPED_TX
        w_up = timing.queue_wait_ms(u[2], rho)
        w_dn = timing.queue_wait_ms(u[3], rho)
        w_ok = timing.queue_wait_ms(u[4], rho)
        inv_off = timing.INVITE_TX_OFFSETS_S[np.clip(n_inv, 1, _MAX_INVITE_TX) - 1]
        ok_off = timing.CAPPED_TX_OFFSETS_S[np.clip(n_ok, 1, _MAX_CAPPED_TX) - 1]
        t_inv_rx = np.where(inv_ok, t + inv_off + (owd + w_up) / 1000.0, np.nan)
        answered = inv_ok & admitted & ok_ok
        t_answer = np.where(answered, t_inv_rx + self.answer_s + ok_off + (owd + w_ok) / 1000.0, np.nan)

        outcome = np.full(n, R.CALL_TIMEOUT, dtype=np.int8)
        outcome[~served] = R.CALL_NO_SERVICE
        outcome[inv_ok & ~admitted] = R.CALL_BLOCKED
        outcome[answered] = R.CALL_ANSWERED

        rows = np.zeros(n, dtype=R.CALL_DTYPE)
        rows["key"], rows["area"], rows["flow"], rows["serial"], rows["step"] = key, area, flow, serial, s
        rows["t_attempt_s"], rows["bearer"], rows["outcome"] = t, bearer, outcome
        rows["n_invite_tx"] = np.where(served, np.minimum(n_inv, _MAX_INVITE_TX), 0)
        rows["n_ok_tx"] = np.where(inv_ok & admitted, np.minimum(n_ok, _MAX_CAPPED_TX), 0)
        rows["owd_ms"], rows["wait_up_ms"], rows["wait_dn_ms"], rows["wait_ok_ms"] = owd, w_up, w_dn, w_ok
        rows["t_invite_rx_s"], rows["t_answer_s"] = t_inv_rx, t_answer
        rows["pdd_ms"] = (t_answer - t) * 1000.0
        rows["hold_s"] = hold
        rows["t_end_s"] = np.where(answered, t_answer + hold, t)
        for f in ("r_wb", "mos_up", "mos_dn", "mos"):
            rows[f] = np.nan
        idx = self._calls.append(rows)
        self._active_calls = np.concatenate([self._active_calls, idx[answered]])

        # AML: the caller's handset texts its location once it has a fix.
        aml = served
        t_aml = t[aml] + rng.random(int(aml.sum())) * timing.AML_MAX_FIX_S
        self._messages(R.SMS_KIND_AML, area[aml], flow[aml], t_aml, c, s, idx[aml])

    # ------------------------------------------------------------------ messages
    def _messages(self, kind: int, area, flow, t_send, c: _Cond, s: int, call_row=None) -> None:
        n = area.size
        if n == 0:
            return
        key = self._keys(n)
        u = self._rng.random((2, n))
        bearer = c.bearer[area]
        loss, owd, rho = c.loss[area], c.owd_ms[area], c.load[area]
        n_tx = timing.transmissions_needed(1.0 - u[0], loss, _MAX_CAPPED_TX)
        wait = timing.queue_wait_ms(u[1], rho)
        outcome = np.full(n, R.MSG_DELIVERED, dtype=np.int8)
        outcome[n_tx > _MAX_CAPPED_TX] = R.MSG_TIMEOUT
        outcome[~c.sms_ok[area]] = R.MSG_NO_PATH
        outcome[bearer == 0] = R.MSG_NO_SERVICE
        delivered = outcome == R.MSG_DELIVERED
        off = timing.CAPPED_TX_OFFSETS_S[np.clip(n_tx, 1, _MAX_CAPPED_TX) - 1]
        rows = np.zeros(n, dtype=R.SMS_DTYPE)
        rows["key"], rows["kind"], rows["area"], rows["flow"], rows["step"] = key, kind, area, flow, s
        rows["call_row"] = -1 if call_row is None else call_row
        rows["t_send_s"], rows["bearer"], rows["outcome"] = t_send, bearer, outcome
        rows["n_tx"] = np.where(bearer == 0, 0, np.minimum(n_tx, _MAX_CAPPED_TX))
        rows["n_tx"][outcome == R.MSG_NO_PATH] = _MAX_CAPPED_TX
        rows["owd_ms"], rows["wait_ms"] = owd, wait
        rows["latency_ms"] = np.where(delivered, off * 1000.0 + owd + wait, np.nan)
        self._sms.append(rows)

    def _new_messages(self, c: _Cond, t0: float, dt: float, s: int) -> None:
        for kind, rate in ((R.SMS_KIND_112, c.sms), (R.SMS_KIND_PUBLIC, c.public)):
            counts, area, t = self._draw(rate, t0, dt)
            if area.size:
                self._messages(kind, area, self._new_flow_ids(counts), t, c, s)

    # ------------------------------------------------------------------ PTT, warnings, bulk
    def _new_ptt(self, c: _Cond, t0: float, dt: float, s: int) -> None:
        counts, area, t = self._draw(c.ptt, t0, dt)
        n = area.size
        if n == 0:
            return
        key = self._keys(n)
        dur = self._rng.exponential(self.ptt_session_s, n)
        bearer = c.bearer[area]
        served = bearer > 0
        rows = np.zeros(n, dtype=R.PTT_DTYPE)
        rows["key"], rows["area"], rows["flow"], rows["step"] = key, area, self._new_flow_ids(counts), s
        rows["t_start_s"], rows["dur_s"], rows["bearer"], rows["served"] = t, dur, bearer, served
        rows["t_end_s"] = np.where(served, t + dur, t)
        rows["mos"] = np.nan
        idx = self._ptt.append(rows)
        self._active_ptt = np.concatenate([self._active_ptt, idx[served]])

    def _new_warnings(self, cond: StepConditions, c: _Cond, t0: float, s: int) -> None:
        for item in cond.warnings:
            message_id, text, mask = item
            message_id = int(message_id)
            mask = np.asarray(mask, dtype=bool)
            w = len(self._acc.warning_texts)
            serial = serial_number(w, scope=geographic_scope(mask))
            self._acc.warning_texts.append((w, message_id, serial, str(text)))
            area = np.flatnonzero(mask)
            reached = c.reach[area]
            wait = self._rng.random(area.size) * timing.PAGING_CYCLE_S
            rows = np.zeros(area.size, dtype=R.WARNING_DTYPE)
            rows["warning"], rows["message_id"], rows["serial"], rows["area"], rows["step"] = (
                w, message_id, serial, area, s)
            rows["t_issue_s"], rows["bearer"], rows["reached"] = t0, c.bearer[area], reached
            rows["handsets"] = np.asarray(self.areas.population, dtype=np.float64)[area]
            rows["t_reach_s"] = np.where(reached, t0 + c.owd_ms[area] / 1000.0 + wait, np.nan)
            self._warn.append(rows)

    def _new_bulk(self, c: _Cond, t0: float, dt: float, s: int) -> None:
        counts, area, t = self._draw(c.bulk, t0, dt)
        n = area.size
        if n == 0:
            return
        key = self._keys(n)
        bearer = c.bearer[area]
        p_loss = 1.0 - (1.0 - c.loss[area]) * (1.0 - timing.overflow_loss(c.load[area]))
        npk = np.where(bearer > 0, BULK_PACKETS, 0)      # nothing is sent without a bearer
        lost = np.zeros(n, dtype=np.int64)
        per_chunk = max(1, self.chunk_packets // BULK_PACKETS)
        for lo in range(0, n, per_chunk):
            hi = min(n, lo + per_chunk)
            u = hashing.uniform(key[lo:hi, None], np.arange(BULK_PACKETS)[None, :], SALT_BULK)
            sent = np.arange(BULK_PACKETS)[None, :] < npk[lo:hi, None]
            lost[lo:hi] = ((u < p_loss[lo:hi, None]) & sent).sum(axis=1)
        rows = np.zeros(n, dtype=R.BULK_DTYPE)
        rows["key"], rows["area"], rows["flow"], rows["step"] = key, area, self._new_flow_ids(counts), s
        rows["t_start_s"], rows["tcp"], rows["bearer"] = t, (key & np.uint64(1)) == 1, bearer
        rows["packets"], rows["lost"] = npk, lost
        rows["owd_ms"], rows["loss_ratio"], rows["rho"] = c.owd_ms[area], p_loss, c.load[area]
        self._bulk.append(rows)
        self._acc.packets_replayed += int(npk.sum())

    # ------------------------------------------------------------------ voice replay
    def _frames(self, start_s, end_s, next_frame, t_hi: float):
        """Frame indices [k0, k0 + n) sent in [.., t_hi), continuing from next_frame."""
        f = timing.VOICE_FRAME_S
        k_hi = np.minimum(np.ceil((t_hi - start_s) / f - 1e-9), np.ceil((end_s - start_s) / f - 1e-9))
        k_hi = np.where(np.isfinite(k_hi), k_hi, 0).astype(np.int64)
        n = np.maximum(k_hi - next_frame, 0)
        return next_frame, n

    def _voice_segments(self, rows, active: np.ndarray, start_field: str, stream: int, c: _Cond, s: int,
                        t_end_s: float) -> np.ndarray:
        """This step's voice frames of the ``active`` streams in ``rows``, under this step's conditions."""
        k0, n = self._frames(rows[start_field][active], rows["t_end_s"][active], rows["next_frame"][active], t_end_s)
        keep = n > 0
        active, k0, n = active[keep], k0[keep], n[keep]
        area = rows["area"][active]
        seg = np.zeros(active.size, dtype=R.SEGMENT_DTYPE)
        seg["stream"], seg["row"], seg["step"], seg["k0"], seg["n"] = stream, active, s, k0, n
        seg["owd_ms"], seg["loss_ratio"], seg["rho"] = c.owd_ms[area], c.loss[area], c.load[area]
        rows["next_frame"][active] = k0 + n
        return seg

    def _replay_voice(self, c: _Cond, t0: float, dt: float, s: int) -> None:
        calls, ptt = self._calls.rows, self._ptt.rows
        seg_c = self._voice_segments(calls, self._active_calls, "t_answer_s", R.STREAM_CALL, c, s, t0 + dt)
        seg_p = self._voice_segments(ptt, self._active_ptt, "t_start_s", R.STREAM_PTT, c, s, t0 + dt)

        for seg, table, dirs in ((seg_c, calls, (("_up", SALT_UP), ("_dn", SALT_DN))),
                                 (seg_p, ptt, (("", SALT_PTT),))):
            if seg.size == 0:
                continue
            if self.keep_segments:
                self._segments.append(seg)
            keys = table["key"][seg["row"]]
            for lo, hi in _chunks(seg["n"], self.chunk_packets):
                part = seg[lo:hi]
                rows = part["row"]
                for suffix, salt in dirs:
                    lost, late, bursts, carry = voice_fates(
                        keys[lo:hi], part["k0"], part["n"], part["loss_ratio"], part["rho"],
                        table["last_bad" + suffix][rows], salt, self.jitter_buffer_ms)
                    table["sent" + suffix][rows] += part["n"].astype(np.uint32)
                    table["lost" + suffix][rows] += lost.astype(np.uint32)
                    table["late" + suffix][rows] += late.astype(np.uint32)
                    table["bursts" + suffix][rows] += bursts.astype(np.uint32)
                    table["owd_sum_ms" + suffix][rows] += part["owd_ms"] * part["n"]
                    table["last_bad" + suffix][rows] = carry
                    self._acc.packets_replayed += int(part["n"].sum())


def _chunks(n: np.ndarray, limit: int):
    """Split consecutive segments into groups of at most ``limit`` packets
    (a segment larger than the limit forms its own group)."""
    if n.size == 0:
        return []
    cum = np.cumsum(n)
    out = []
    lo = 0
    base = 0
    while lo < n.size:
        hi = int(np.searchsorted(cum, base + limit, side="right"))
        hi = max(hi, lo + 1)
        out.append((lo, hi))
        base = int(cum[hi - 1])
        lo = hi
    return out


def voice_fates(key, k0, n, loss, rho, carry, salt: int, jitter_buffer_ms: float):
    """Per-packet fates of voice segments, aggregated per segment.

    Packet k of a stream is lost on the radio link when u_loss < loss, else it
    waits W in the M/M/1 queue and is discarded as late when W exceeds the
    playout buffer. Returns (lost, late, loss bursts, last packet bad) per
    segment; ``carry`` is whether the previous packet of the stream was bad.
    """
    fate = packet_fates(key, k0, n, loss, rho, salt, jitter_buffer_ms)
    seg_of, lost, late = fate["segment"], fate["lost"], fate["late"]
    nseg = n.size
    bad = lost | late
    starts = np.cumsum(n) - n
    prev = np.empty_like(bad)
    if bad.size:
        prev[1:] = bad[:-1]
        nz = n > 0
        prev[starts[nz]] = carry[nz]
    burst_start = bad & ~prev
    lost_n = np.bincount(seg_of, weights=lost, minlength=nseg)
    late_n = np.bincount(seg_of, weights=late, minlength=nseg)
    bursts = np.bincount(seg_of, weights=burst_start, minlength=nseg)
    last = np.array(carry, dtype=bool, copy=True)
    nz = n > 0
    last[nz] = bad[(starts + n - 1)[nz]]
    return lost_n, late_n, bursts, last


def packet_fates(key, k0, n, loss, rho, salt: int, jitter_buffer_ms: float) -> dict:
    """Flat per-packet arrays for segments: segment index, frame index k, radio
    loss, queueing wait (ms) and late discard. Shared with the capture writer."""
    n = np.asarray(n, dtype=np.int64)
    total = int(n.sum())
    seg_of = np.repeat(np.arange(n.size), n)
    starts = np.cumsum(n) - n
    k = np.asarray(k0, dtype=np.int64)[seg_of] + (np.arange(total) - starts[seg_of])
    u_loss, u_q = hashing.split_uniform(np.asarray(key, dtype=np.uint64)[seg_of], k, salt)
    lost = u_loss < np.asarray(loss, dtype=np.float64)[seg_of]
    wait = timing.queue_wait_ms(u_q, np.asarray(rho, dtype=np.float64)[seg_of])
    late = ~lost & (wait > jitter_buffer_ms)
    return {"segment": seg_of, "k": k, "lost": lost, "wait_ms": wait, "late": late}
