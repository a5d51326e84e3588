"""Per-flow record layouts (numpy structured dtypes) and outcome codes.

Times ending in ``_s`` are seconds since scenario start; NaN means "never".
Bearer codes follow the engine: 0 none, 1 terrestrial, 2 D2C.
"""

from __future__ import annotations

import numpy as np

BEARER_NONE, BEARER_TERRESTRIAL, BEARER_D2C = 0, 1, 2
BEARER_NAMES = {BEARER_TERRESTRIAL: "terrestrial", BEARER_D2C: "d2c", BEARER_NONE: "none"}

# Call outcomes.
CALL_ANSWERED = 0        # 200 OK reached the handset
CALL_NO_SERVICE = 1      # no bearer at all: nothing leaves the handset
CALL_BLOCKED = 2         # no free channel: 503 Service Unavailable
CALL_TIMEOUT = 3         # INVITE or 200 OK lost until the 32 s transaction timeout
CALL_DROPPED_SETUP = 4   # bearer lost or capacity shrank before the answer

# Message outcomes (SMS, AML).
MSG_DELIVERED = 0
MSG_NO_SERVICE = 1       # no bearer
MSG_NO_PATH = 2          # radio up but no path to the SMS centre (sms_ok False)
MSG_TIMEOUT = 3          # every retransmission lost before Timer F

SMS_KIND_112, SMS_KIND_PUBLIC, SMS_KIND_AML = 0, 1, 2
SMS_KIND_NAMES = {SMS_KIND_112: "sms112", SMS_KIND_PUBLIC: "public_sms", SMS_KIND_AML: "aml"}

# Voice accumulators, one set per direction ("up": handset -> far end).
_VOICE = [
    ("sent", "u4"), ("lost", "u4"), ("late", "u4"), ("bursts", "u4"),
    ("owd_sum_ms", "f8"), ("last_bad", "?"),
]

CALL_DTYPE = np.dtype([
    ("key", "u8"), ("area", "i4"), ("flow", "i8"), ("serial", "i8"), ("step", "i4"),
    ("t_attempt_s", "f8"), ("bearer", "i1"), ("outcome", "i1"), ("dropped", "?"),
    ("n_invite_tx", "i1"), ("n_ok_tx", "i1"),
    ("owd_ms", "f4"), ("wait_up_ms", "f4"), ("wait_dn_ms", "f4"), ("wait_ok_ms", "f4"),
    ("t_invite_rx_s", "f8"), ("t_answer_s", "f8"), ("pdd_ms", "f8"),
    ("hold_s", "f8"), ("t_end_s", "f8"), ("next_frame", "i8"),
    *[(f"{name}_up", t) for name, t in _VOICE],
    *[(f"{name}_dn", t) for name, t in _VOICE],
    ("r_wb", "f4"), ("mos_up", "f4"), ("mos_dn", "f4"), ("mos", "f4"),
])

SMS_DTYPE = np.dtype([
    ("key", "u8"), ("kind", "i1"), ("area", "i4"), ("flow", "i8"), ("step", "i4"),
    ("call_row", "i8"), ("t_send_s", "f8"), ("bearer", "i1"), ("outcome", "i1"),
    ("n_tx", "i1"), ("owd_ms", "f4"), ("wait_ms", "f4"), ("latency_ms", "f8"),
])

PTT_DTYPE = np.dtype([
    ("key", "u8"), ("area", "i4"), ("flow", "i8"), ("step", "i4"),
    ("t_start_s", "f8"), ("dur_s", "f8"), ("t_end_s", "f8"), ("bearer", "i1"),
    ("served", "?"), ("dropped", "?"), ("next_frame", "i8"),
    *[(f"{name}", t) for name, t in _VOICE],
    ("mos", "f4"),
])

WARNING_DTYPE = np.dtype([
    ("warning", "i4"), ("message_id", "u2"), ("serial", "u2"), ("area", "i4"), ("step", "i4"),
    ("t_issue_s", "f8"), ("bearer", "i1"), ("reached", "?"), ("handsets", "f8"),
    ("t_reach_s", "f8"),
])

BULK_DTYPE = np.dtype([
    ("key", "u8"), ("area", "i4"), ("flow", "i8"), ("step", "i4"), ("t_start_s", "f8"),
    ("tcp", "?"),                # True: TCP download from the server; False: UDP upload
    ("bearer", "i1"), ("packets", "u4"), ("lost", "u4"), ("owd_ms", "f4"),
    ("loss_ratio", "f4"), ("rho", "f4"),
])

#: One active voice stream during one step: what the capture regenerator needs.
SEGMENT_DTYPE = np.dtype([
    ("stream", "i1"),            # 0 = call, 1 = PTT
    ("row", "i4"),               # row in the call or PTT records
    ("step", "i4"), ("k0", "i4"), ("n", "i4"),
    ("owd_ms", "f4"), ("loss_ratio", "f4"), ("rho", "f4"),
])

STREAM_CALL, STREAM_PTT = 0, 1


class Table:
    """A growable structured array (amortised doubling)."""

    def __init__(self, dtype: np.dtype, capacity: int = 1024):
        self._a = np.zeros(capacity, dtype=dtype)
        self.n = 0

    def append(self, rows: np.ndarray) -> np.ndarray:
        """Append rows; return their indices."""
        m = rows.size
        if self.n + m > self._a.size:
            new = np.zeros(max(2 * self._a.size, self.n + m), dtype=self._a.dtype)
            new[:self.n] = self._a[:self.n]
            self._a = new
        self._a[self.n:self.n + m] = rows
        idx = np.arange(self.n, self.n + m)
        self.n += m
        return idx

    @property
    def rows(self) -> np.ndarray:
        """A live view of the filled rows (writes go to the table)."""
        return self._a[:self.n]

    def copy(self) -> np.ndarray:
        return self._a[:self.n].copy()
