"""The traffic stage: emergency flows drawn from each step's demand and
replayed against that step's bearer, capacity, delay and loss.

This module sequences a step; each job has its own file: the input checks
(``inputs``), call admission (``admission``), the flow draws (``draws``), the
voice replay (``voice``) and the scores (``metrics``).

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

from . import records as R, timing
from d2c.pws import geographic_scope

from .admission import admit, end_streams, sampled_capacity
from .cbs import serial_number
from .draws import BULK_PACKETS, MAX_CAPPED_TX, PTT_SESSION_S, FlowDraws
from .inputs import AreaTable, Checked, StepConditions, check_conditions
from .outcomes import TrafficResult, score_voice
from .voice import packet_fates, replay_voice, voice_fates

__all__ = ["TrafficStage", "AreaTable", "StepConditions", "PTT_SESSION_S", "BULK_PACKETS", "packet_fates",
           "voice_fates"]

_MAX_INVITE_TX = timing.INVITE_TX_OFFSETS_S.size


@dataclass
class _Accumulator:
    packets_replayed: int = 0
    warning_texts: list = field(default_factory=list)


class TrafficStage:
    """Replays emergency traffic once per engine step; :meth:`finish` returns
    a :class:`~d2c.traffic.outcomes.TrafficResult`."""

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
        self._draws = FlowDraws(self._rng, self.sample, n)
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
        c = check_conditions(cond, self.areas.n)
        t0, dt = float(cond.t_s), float(cond.step_s)
        if dt <= 0:
            raise ValueError("StepConditions.step_s must be > 0")
        s = self._n_steps
        cap = sampled_capacity(c, self.sample, self._cap_offset)
        self._active_calls, self._active_ptt = end_streams(self._calls.rows, self._active_calls, self._ptt.rows,
                                                           self._active_ptt, c, cap, t0)
        self._new_calls(c, cap, t0, dt, s)
        draws = self._draws
        for rows in draws.new_message_rows(c, t0, dt, s):
            self._sms.append(rows)
        rows = draws.ptt_rows(c, t0, dt, s, self.ptt_session_s)
        if rows is not None:
            idx = self._ptt.append(rows)
            self._active_ptt = np.concatenate([self._active_ptt, idx[rows["served"]]])
        self._new_warnings(cond, c, t0, s)
        rows = draws.bulk_rows(c, t0, dt, s, self.chunk_packets)
        if rows is not None:
            self._bulk.append(rows)
            self._acc.packets_replayed += int(rows["packets"].sum())
        segments, packets = replay_voice(self._calls.rows, self._active_calls, self._ptt.rows, self._active_ptt, c,
                                         t0 + dt, s, self.jitter_buffer_ms, self.chunk_packets)
        if self.keep_segments:
            for seg in segments:
                self._segments.append(seg)
        self._acc.packets_replayed += packets
        self._n_steps += 1
        self._t_end_s = max(self._t_end_s, t0 + dt)
        self._step_s = dt

    def finish(self) -> TrafficResult:
        """Score the voice streams and return the :class:`TrafficResult`."""
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

    # ------------------------------------------------------------------ calls
    def _new_calls(self, c: Checked, cap: np.ndarray, t0: float, dt: float, s: int) -> None:
        draws = self._draws
        counts, area, t = draws.draw(c.calls, t0, dt)
        n = area.size
        if n == 0:
            return
        rng = self._rng
        key = draws.keys(n)
        hold = rng.exponential(self.call_hold_s, n)  # Erlang's exponential holding time
        u = rng.random((5, n))
        flow = draws.new_flow_ids(counts)
        serial = self._call_serial + np.arange(n)
        self._call_serial += n
        bearer = c.bearer[area]
        served = bearer > 0
        admitted = np.zeros(n, dtype=bool)
        admitted[served] = admit(area[served], t[served], cap, t0, dt, self._calls.rows, self._active_calls)
        loss, owd, rho = c.loss[area], c.owd_ms[area], c.load[area]

        n_inv = timing.transmissions_needed(1.0 - u[0], loss, _MAX_INVITE_TX)
        inv_ok = served & (n_inv <= _MAX_INVITE_TX)
        n_ok = timing.transmissions_needed(1.0 - u[1], loss, MAX_CAPPED_TX)
        ok_ok = n_ok <= MAX_CAPPED_TX
        w_up = timing.queue_wait_ms(u[2], rho)
        w_dn = timing.queue_wait_ms(u[3], rho)
        w_ok = timing.queue_wait_ms(u[4], rho)
        inv_off = timing.INVITE_TX_OFFSETS_S[np.clip(n_inv, 1, _MAX_INVITE_TX) - 1]
        ok_off = timing.CAPPED_TX_OFFSETS_S[np.clip(n_ok, 1, MAX_CAPPED_TX) - 1]
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
        rows["n_ok_tx"] = np.where(inv_ok & admitted, np.minimum(n_ok, MAX_CAPPED_TX), 0)
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
        rows = draws.message_rows(R.SMS_KIND_AML, area[aml], flow[aml], t_aml, c, s, idx[aml])
        if rows is not None:
            self._sms.append(rows)

    def _new_warnings(self, cond: StepConditions, c: Checked, t0: float, s: int) -> None:
        for item in cond.warnings:
            message_id, text, mask = item
            message_id = int(message_id)
            mask = np.asarray(mask, dtype=bool)
            w = len(self._acc.warning_texts)
            serial = serial_number(w, scope=geographic_scope(mask))
            self._acc.warning_texts.append((w, message_id, serial, str(text)))
            self._warn.append(self._draws.warning_rows(w, message_id, serial, mask, c, t0, s, self.areas.population))
