"""Voice replay: every 20 ms frame of every call and push-to-talk session, both directions, vectorised.

Each packet is lost on the radio link with ``loss_ratio`` or arrives late
(queueing beyond the playout buffer); per-call loss, burstiness and delay feed
the E-model (``metrics.score_voice``). A packet's fate is a hash of its
stream's key, its frame index and a salt per direction (``hashing``), so the
capture writer regenerates the same fates (``packet_fates``).
"""

from __future__ import annotations

import numpy as np

from . import hashing, records as R, timing
from .inputs import Checked

__all__ = ["SALT_UP", "SALT_DN", "SALT_PTT", "voice_segments", "replay_voice", "voice_fates", "packet_fates"]

#: Voice packets decided at a time: the hash's dozen passes over a chunk stay in the processor's cache.
VOICE_CHUNK_PACKETS = 1 << 16
#: Salts that keep the per-packet random streams of different purposes apart (bulk flows: ``draws.SALT_BULK``).
SALT_UP, SALT_DN, SALT_PTT = 1, 2, 3


def frames(start_s, end_s, next_frame, t_hi: float):
    """Frame indices [k0, k0 + n) sent in [.., t_hi), continuing from next_frame."""
    f = timing.VOICE_FRAME_S
    k_hi = np.minimum(np.ceil((t_hi - start_s) / f - 1e-9), np.ceil((end_s - start_s) / f - 1e-9))
    k_hi = np.where(np.isfinite(k_hi), k_hi, 0).astype(np.int64)
    n = np.maximum(k_hi - next_frame, 0)
    return next_frame, n


def voice_segments(rows, active: np.ndarray, start_field: str, stream: int, c: Checked, s: int,
                   t_end_s: float) -> np.ndarray:
    """This step's voice frames of the ``active`` streams in ``rows``, under this step's conditions."""
    k0, n = frames(rows[start_field][active], rows["t_end_s"][active], rows["next_frame"][active], t_end_s)
    keep = n > 0
    active, k0, n = active[keep], k0[keep], n[keep]
    area = rows["area"][active]
    seg = np.zeros(active.size, dtype=R.SEGMENT_DTYPE)
    seg["stream"], seg["row"], seg["step"], seg["k0"], seg["n"] = stream, active, s, k0, n
    seg["owd_ms"], seg["loss_ratio"], seg["rho"] = c.owd_ms[area], c.loss[area], c.load[area]
    rows["next_frame"][active] = k0 + n
    return seg


def replay_voice(calls: np.ndarray, active_calls: np.ndarray, ptt: np.ndarray, active_ptt: np.ndarray, c: Checked,
                 t_end_s: float, s: int, jitter_buffer_ms: float, chunk_packets: int) -> tuple[list, int]:
    """Replay the frames of the active calls and sessions up to ``t_end_s``; the records' packet
    counters change in place. Returns this step's non-empty segments and the packets replayed."""
    seg_c = voice_segments(calls, active_calls, "t_answer_s", R.STREAM_CALL, c, s, t_end_s)
    seg_p = voice_segments(ptt, active_ptt, "t_start_s", R.STREAM_PTT, c, s, t_end_s)
    segments, packets = [], 0
    for seg, table, dirs in ((seg_c, calls, (("_up", SALT_UP), ("_dn", SALT_DN))),
                             (seg_p, ptt, (("", SALT_PTT),))):
        if seg.size == 0:
            continue
        segments.append(seg)
        keys = table["key"][seg["row"]]
        for lo, hi in _chunks(seg["n"], min(chunk_packets, VOICE_CHUNK_PACKETS)):
            part = seg[lo:hi]
            rows = part["row"]
            for suffix, salt in dirs:
                lost, late, bursts, carry = voice_fates(
                    keys[lo:hi], part["k0"], part["n"], part["loss_ratio"], part["rho"],
                    table["last_bad" + suffix][rows], salt, jitter_buffer_ms)
                table["sent" + suffix][rows] += part["n"].astype(np.uint32)
                table["lost" + suffix][rows] += lost.astype(np.uint32)
                table["late" + suffix][rows] += late.astype(np.uint32)
                table["bursts" + suffix][rows] += bursts.astype(np.uint32)
                table["owd_sum_ms" + suffix][rows] += part["owd_ms"] * part["n"]
                table["last_bad" + suffix][rows] = carry
                packets += int(part["n"].sum())
    return segments, packets


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
    The same fates as :func:`packet_fates`, without its per-packet arrays.
    """
    n = np.asarray(n, dtype=np.int64)
    nseg = n.size
    lost, late = _bad_packets(key, k0, n, loss, rho, salt, jitter_buffer_ms)
    ends = np.cumsum(n)
    starts = ends - n
    carry = np.asarray(carry, dtype=bool)
    # only the bad packets are looked at from here: a few in a thousand
    bad_at = np.union1d(np.flatnonzero(lost), np.flatnonzero(late))
    bad_seg = np.searchsorted(ends, bad_at, side="right")
    lost_n = np.bincount(np.searchsorted(ends, np.flatnonzero(lost), side="right"), minlength=nseg)
    late_n = np.bincount(np.searchsorted(ends, np.flatnonzero(late), side="right"), minlength=nseg)
    # a burst starts at a bad packet whose predecessor in its stream was good (the stream's
    # previous step: ``carry``)
    first_of_seg = bad_at == starts[bad_seg]
    prev_bad = np.zeros(bad_at.size, dtype=bool)
    prev_bad[first_of_seg] = carry[bad_seg[first_of_seg]]
    inner = np.flatnonzero(~first_of_seg)
    prev_bad[inner] = np.isin(bad_at[inner] - 1, bad_at, assume_unique=True)
    bursts = np.bincount(bad_seg[~prev_bad], minlength=nseg)
    last = carry.copy()
    nz = n > 0
    last[nz] = False
    ends_bad = bad_at[bad_at == ends[bad_seg] - 1]
    last[np.searchsorted(ends, ends_bad, side="right")] = True
    return lost_n, late_n, bursts, last


def _bad_packets(key, k0, n, loss, rho, salt: int, jitter_buffer_ms: float) -> tuple[np.ndarray, np.ndarray]:
    """Each packet of the segments (in order): lost on the radio link, or late for the playout buffer."""
    total = int(n.sum())
    starts = np.cumsum(n) - n
    k = np.arange(total, dtype=np.int64)
    k += np.repeat(np.asarray(k0, dtype=np.int64) - starts, n)
    u_loss, u_q = hashing.split_uniform(np.repeat(np.asarray(key, dtype=np.uint64), n), k, salt)
    lost = u_loss < np.repeat(np.asarray(loss, dtype=np.float64), n)
    # late: the wait beyond the buffer, by a threshold on v = 1 - u per stream (timing.late_threshold)
    np.subtract(1.0, u_q, out=u_q)
    late = u_q < np.repeat(timing.late_threshold(rho, jitter_buffer_ms), n)
    late &= ~lost
    return lost, late


def packet_fates(key, k0, n, loss, rho, salt: int, jitter_buffer_ms: float) -> dict:
    """Flat per-packet arrays for segments: segment index, frame index k, radio
    loss, queueing wait (ms) and late discard. Shared with the capture writer."""
    n = np.asarray(n, dtype=np.int64)
    total = int(n.sum())
    seg_of = np.repeat(np.arange(n.size), n)
    starts = np.cumsum(n) - n
    k = np.asarray(k0, dtype=np.int64)[seg_of] + (np.arange(total) - starts[seg_of])
    u_loss, u_q = hashing.split_uniform(np.asarray(key, dtype=np.uint64)[seg_of], k, salt)
    lost, late = _bad_packets(key, k0, n, loss, rho, salt, jitter_buffer_ms)
    wait = timing.queue_wait_ms(u_q, np.asarray(rho, dtype=np.float64)[seg_of])
    return {"segment": seg_of, "k": k, "lost": lost, "wait_ms": wait, "late": late}
