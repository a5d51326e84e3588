"""Timers and delay models: SIP retransmissions, the queue in front of the
radio scheduler, paging, and the voice playout chain."""

from __future__ import annotations

import numpy as np

# --- SIP over UDP retransmission timers (RFC 3261) ---------------------------
#: T1, RTT estimate: 500 ms (RFC 3261 section 17.1.1.1, table 4).
SIP_T1_S = 0.5
#: T2, cap of the retransmit interval for non-INVITE requests and for INVITE
#: 2xx responses: 4 s (RFC 3261 sections 17.1.2.2 and 13.3.1.4).
SIP_T2_S = 4.0
#: Timers B, F and H give up after 64*T1 = 32 s (RFC 3261 sections 17.1.1.2,
#: 17.1.2.2, 13.3.1.4).
SIP_TIMEOUT_S = 64 * SIP_T1_S


def _invite_offsets() -> np.ndarray:
    """INVITE client transaction: Timer A doubles from T1 without a cap
    (RFC 3261 section 17.1.1.2); transmissions until Timer B fires."""
    out = []
    k = 0
    while True:
        t = SIP_T1_S * (2 ** k - 1)
        if t >= SIP_TIMEOUT_S:
            return np.array(out)
        out.append(t)
        k += 1


def _capped_offsets() -> np.ndarray:
    """Non-INVITE requests (Timer E) and 2xx responses (Timer G): the interval
    doubles from T1 up to T2 (RFC 3261 sections 17.1.2.2 and 13.3.1.4)."""
    out = [0.0]
    interval = SIP_T1_S
    while out[-1] + interval < SIP_TIMEOUT_S:
        out.append(out[-1] + interval)
        interval = min(2 * interval, SIP_T2_S)
    return np.array(out)


#: Send offsets of successive transmissions, seconds after the first one.
INVITE_TX_OFFSETS_S = _invite_offsets()     # 0, .5, 1.5, 3.5, 7.5, 15.5, 31.5
CAPPED_TX_OFFSETS_S = _capped_offsets()     # 0, .5, 1.5, 3.5, 7.5, 11.5, ..., 31.5


def transmissions_needed(u: np.ndarray, loss: np.ndarray, max_tx: int) -> np.ndarray:
    """Transmissions until the first one survives independent loss ``loss``
    (geometric, by inversion of uniforms ``u`` in (0,1]); ``max_tx + 1`` means
    every allowed transmission was lost.

    P(more than k) = loss^k, so k = floor(ln u / ln loss) + 1; at 50 % loss u = 0.2 needs
    floor(2.32) + 1 = 3. No loss needs one; certain loss exhausts all six:

    >>> transmissions_needed([1.0, 0.5, 0.2], 0.5, 6).tolist()
    [1, 2, 3]
    >>> transmissions_needed([0.5, 0.5], [0.0, 1.0], 6).tolist()
    [1, 7]
    """
    u = np.asarray(u, dtype=np.float64)
    p = np.clip(np.asarray(loss, dtype=np.float64), 0.0, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        k = np.floor(np.log(np.maximum(u, 1e-300)) / np.log(p)) + 1
    k = np.where(p <= 0, 1, k)
    k = np.where(p >= 1, max_tx + 1, k)
    return np.minimum(k, max_tx + 1).astype(np.int64)


# --- queueing ----------------------------------------------------------------
#: Service time of the queue in front of the radio scheduler: one LTE/NR
#: scheduling interval, 1 ms (3GPP TS 36.211 section 4.1, subframe; TS 38.211
#: 15 kHz slot).
QUEUE_SERVICE_MS = 1.0
#: The M/M/1 queue is evaluated at most at this utilisation (it diverges at 1);
#: load beyond capacity is carried as overflow loss of best-effort data instead.
QUEUE_RHO_MAX = 0.99


def queue_wait_ms(u, rho, service_ms: float = QUEUE_SERVICE_MS) -> np.ndarray:
    """M/M/1 waiting time (FIFO): P(W > w) = rho * exp(-(1 - rho) w / S).

    ``u`` uniform in [0, 1); inversion: W = S ln(rho / v) / (1 - rho) when
    v = 1 - u < rho, else 0 (the packet finds the queue empty).

    At half load, u = 0.25 finds the queue empty; u = 0.75 waits 1 ms x ln 2 / 0.5:

    >>> [round(float(w), 3) for w in queue_wait_ms([0.25, 0.75], 0.5)]
    [0.0, 1.386]
    """
    r = np.clip(np.asarray(rho, dtype=np.float64), 0.0, QUEUE_RHO_MAX)
    v = 1.0 - np.asarray(u, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        w = service_ms * np.log(r / v) / (1.0 - r)
    return np.where(v < r, w, 0.0)


def late_threshold(rho, limit_ms: float, service_ms: float = QUEUE_SERVICE_MS) -> np.ndarray:
    """The ``v = 1 - u`` below which :func:`queue_wait_ms` exceeds ``limit_ms`` (a packet late for the
    playout buffer): W > L iff v < rho exp(-(1 - rho) L / S), one exponential per stream, not per packet.

    >>> float(late_threshold(0.5, 0.0))  # any wait at all: the queue is busy half of the time
    0.5
    >>> u = np.linspace(0.0, 0.999, 1000)
    >>> bool(np.array_equal(queue_wait_ms(u, 0.9) > 5.0, 1.0 - u < late_threshold(0.9, 5.0)))
    True
    """
    r = np.clip(np.asarray(rho, dtype=np.float64), 0.0, QUEUE_RHO_MAX)
    return r * np.exp(-(1.0 - r) * limit_ms / service_ms)


def overflow_loss(load_ratio) -> np.ndarray:
    """Share of best-effort packets dropped when the offered load exceeds
    capacity: 1 - 1/load (a full buffer discards the excess).

    >>> overflow_loss([0.5, 1.0, 2.0, 4.0]).tolist()
    [0.0, 0.0, 0.5, 0.75]
    """
    load = np.asarray(load_ratio, dtype=np.float64)
    return np.where(load > 1.0, 1.0 - 1.0 / np.maximum(load, 1.0), 0.0)


# --- voice chain -------------------------------------------------------------
#: AMR-WB frame length, 20 ms (3GPP TS 26.190 section 4); one frame per RTP packet.
VOICE_FRAME_S = 0.020
#: RTP timestamp increment per frame at the 16 kHz AMR-WB clock (RFC 4867 section 4.1).
RTP_TS_PER_FRAME = 320
#: AMR-WB algorithmic delay: 20 ms frame + 5 ms look-ahead (3GPP TS 26.190 section 4).
CODEC_DELAY_MS = 25.0
#: Fixed playout (jitter) buffer depth. 3GPP TS 26.114 section 8 leaves the
#: jitter buffer to the implementation; two frames is a d2c assumption.
JITTER_BUFFER_MS = 40.0

# --- other timing ------------------------------------------------------------
#: AML: the handset sends its location SMS when it has a fix, at most 20 s after
#: the call starts (ETSI TS 103 625; ETSI TR 103 393). d2c draws the fix time
#: uniformly over that window.
AML_MAX_FIX_S = 20.0
#: Default paging cycle 128 radio frames = 1.28 s (3GPP TS 36.331 PCCH-Config
#: defaultPagingCycle rf128; TS 36.304 section 7): an idle handset learns of a
#: warning at its next paging occasion, uniform over one cycle.
PAGING_CYCLE_S = 1.28
