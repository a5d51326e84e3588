"""What it was like to be a caller: per-flow records in, vectorised summaries
out (call setup, post-dial delay, voice MOS, SMS delivery, warning reach),
each split by bearer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

import numpy as np

from . import emodel, records as R, timing
from .inputs import AreaTable
from .uncertainty import median_interval, wilson_interval

PERCENTILES = (50, 90, 95, 99)
_GROUPS = {"all": None, "terrestrial": R.BEARER_TERRESTRIAL, "d2c": R.BEARER_D2C,
           "none": R.BEARER_NONE}


def score_voice(calls: np.ndarray, ptt: np.ndarray, jitter_buffer_ms: float) -> None:
    """Fill R and MOS of every voice stream from its replayed packets (in place).

    Per direction: Ppl = (lost + late) / sent; BurstR from the observed loss
    runs; mouth-to-ear delay Ta = mean network one-way delay + playout buffer +
    AMR-WB algorithmic delay. A call's MOS is the worse of its two directions.
    """
    def one(tab: np.ndarray, sfx: str):
        sent = tab["sent" + sfx].astype(np.float64)
        bad = tab["lost" + sfx].astype(np.float64) + tab["late" + sfx]
        with np.errstate(divide="ignore", invalid="ignore"):
            p = np.where(sent > 0, bad / sent, np.nan)
            ta = tab["owd_sum_ms" + sfx] / sent + jitter_buffer_ms + timing.CODEC_DELAY_MS
        burst = emodel.burst_ratio(bad, tab["bursts" + sfx], np.nan_to_num(p))
        r = emodel.r_wideband(np.nan_to_num(ta), 100.0 * np.nan_to_num(p), burst)
        r = np.where(sent > 0, r, np.nan)
        return r, np.where(sent > 0, emodel.mos_from_r_wideband(r), np.nan)

    if calls.size:
        r_up, m_up = one(calls, "_up")
        r_dn, m_dn = one(calls, "_dn")
        calls["mos_up"], calls["mos_dn"] = m_up, m_dn
        calls["mos"] = np.fmin(m_up, m_dn)
        calls["r_wb"] = np.fmin(r_up, r_dn)
    if ptt.size:
        _, m = one(ptt, "")
        ptt["mos"] = m


def percentiles(x, weights=None) -> dict | None:
    """p50/p90/p95/p99 of finite values (weighted by ``weights`` if given); None if empty."""
    x = np.asarray(x, dtype=np.float64)
    ok = np.isfinite(x)
    if weights is not None:
        w = np.asarray(weights, dtype=np.float64)
        ok &= w > 0
    if not ok.any():
        return None
    x = x[ok]
    if weights is None:
        return {f"p{q}": float(v) for q, v in zip(PERCENTILES, np.percentile(x, PERCENTILES))}
    w = w[ok]
    order = np.argsort(x, kind="stable")
    xs, cw = x[order], np.cumsum(w[order])
    idx = np.searchsorted(cw, np.array(PERCENTILES) / 100.0 * cw[-1], side="left")
    return {f"p{q}": float(xs[min(i, xs.size - 1)]) for q, i in zip(PERCENTILES, idx)}


def _ratio(num, den) -> float | None:
    return float(num) / float(den) if den else None


def _median(x) -> float | None:
    x = np.asarray(x, dtype=np.float64)
    x = x[np.isfinite(x)]
    return float(np.median(x)) if x.size else None


def _groups(bearer: np.ndarray):
    for name, code in _GROUPS.items():
        yield name, (np.ones(bearer.size, dtype=bool) if code is None else bearer == code)


def call_summary(calls: np.ndarray) -> dict:
    out = {}
    for name, m in _groups(calls["bearer"]):
        c = calls[m]
        ans = c["outcome"] == R.CALL_ANSWERED
        out[name] = {
            "attempts": int(c.size),
            "setup_success_ratio": _ratio(ans.sum(), c.size),
            "setup_success_ci95": wilson_interval(int(ans.sum()), int(c.size)),  # sampling uncertainty
            "blocked_503_ratio": _ratio((c["outcome"] == R.CALL_BLOCKED).sum(), c.size),
            "timeout_ratio": _ratio((c["outcome"] == R.CALL_TIMEOUT).sum(), c.size),
            "no_service_ratio": _ratio((c["outcome"] == R.CALL_NO_SERVICE).sum(), c.size),
            "dropped_ratio": _ratio((c["dropped"] & ans).sum() + (c["outcome"] == R.CALL_DROPPED_SETUP).sum(),
                                    ans.sum() + (c["outcome"] == R.CALL_DROPPED_SETUP).sum()),
            "post_dial_delay_ms": percentiles(c["pdd_ms"][ans]),
            "mos_median": _median(c["mos"][ans]),
            "mos_median_ci95": median_interval(c["mos"][ans]),
            "mos_p10": (float(np.percentile(c["mos"][ans][np.isfinite(c["mos"][ans])], 10))
                        if np.isfinite(c["mos"][ans]).any() else None),
        }
    return out


def sms_summary(sms: np.ndarray) -> dict:
    out = {}
    for kind, kname in R.SMS_KIND_NAMES.items():
        k = sms[sms["kind"] == kind]
        out[kname] = {}
        for name, m in _groups(k["bearer"]):
            s = k[m]
            ok = s["outcome"] == R.MSG_DELIVERED
            out[kname][name] = {
                "sent": int(s.size),
                "delivered": int(ok.sum()),
                "delivery_ratio": _ratio(ok.sum(), s.size),
                "delivery_ci95": wilson_interval(int(ok.sum()), int(s.size)),
                "latency_ms": percentiles(s["latency_ms"][ok]),
            }
    return out


def warning_summary(warn: np.ndarray, texts) -> dict:
    out = {}
    for name, m in _groups(warn["bearer"]):
        w = warn[m]
        total = float(w["handsets"].sum())
        reached = float(w["handsets"][w["reached"]].sum())
        out[name] = {
            "area_records": int(w.size),
            "handsets_in_area": total,
            "handsets_reached": reached,
            "reach_ratio": _ratio(reached, total),
            "time_to_reach_s": percentiles((w["t_reach_s"] - w["t_issue_s"])[w["reached"]],
                                           w["handsets"][w["reached"]]),
        }
    issued = []
    for idx, message_id, serial, text in texts:
        w = warn[warn["warning"] == idx]
        total = float(w["handsets"].sum())
        issued.append({
            "index": int(idx), "message_id": int(message_id), "serial": int(serial), "text": text,
            "areas": int(w.size), "reach_ratio": _ratio(w["handsets"][w["reached"]].sum(), total),
        })
    out["issued"] = issued
    return out


def ptt_summary(ptt: np.ndarray) -> dict:
    out = {}
    for name, m in _groups(ptt["bearer"]):
        p = ptt[m]
        out[name] = {
            "sessions": int(p.size),
            "served_ratio": _ratio(p["served"].sum(), p.size),
            "dropped_ratio": _ratio(p["dropped"].sum(), p["served"].sum()),
            "mos_median": _median(p["mos"][p["served"]]),
        }
    return out


def bulk_summary(bulk: np.ndarray) -> dict:
    out = {}
    for name, m in _groups(bulk["bearer"]):
        b = bulk[m]
        sent = int(b["packets"].sum())
        out[name] = {"flows": int(b.size), "packets": sent,
                     "delivery_ratio": _ratio(sent - int(b["lost"].sum()), sent)}
    return out


@dataclass(frozen=True, eq=False)
class TrafficResult:
    """Per-flow records of a run and the metrics derived from them."""

    areas: AreaTable
    start_utc: datetime
    seed: int
    sample: float
    call_hold_s: float
    answer_s: float
    jitter_buffer_ms: float
    n_steps: int
    step_s: float
    t_end_s: float
    calls: np.ndarray
    sms: np.ndarray
    ptt: np.ndarray
    warnings: np.ndarray
    bulk: np.ndarray
    segments: np.ndarray
    warning_texts: tuple = ()
    packets_replayed: int = 0
    has_segments: bool = True

    # --------------------------------------------------------------- metrics
    @cached_property
    def summary(self) -> dict:
        return {
            "calls": call_summary(self.calls),
            "sms": sms_summary(self.sms),
            "warnings": warning_summary(self.warnings, self.warning_texts),
            "ptt": ptt_summary(self.ptt),
            "background": bulk_summary(self.bulk),
        }

    @property
    def call_setup_success(self) -> dict:
        """Share of 112 call attempts answered, by bearer."""
        return {k: v["setup_success_ratio"] for k, v in self.summary["calls"].items()}

    @property
    def post_dial_delay_ms(self) -> dict:
        """INVITE -> 200 OK percentiles of answered calls, by bearer."""
        return {k: v["post_dial_delay_ms"] for k, v in self.summary["calls"].items()}

    @property
    def mos_per_call(self) -> np.ndarray:
        """Voice MOS of every call (NaN where no voice was replayed)."""
        return self.calls["mos"]

    @property
    def mos_median(self) -> dict:
        return {k: v["mos_median"] for k, v in self.summary["calls"].items()}

    @property
    def sms_delivery(self) -> dict:
        """Delivery ratio of 112 SMS, public SMS and AML, by bearer."""
        return {kind: {k: v["delivery_ratio"] for k, v in by.items()}
                for kind, by in self.summary["sms"].items()}

    @property
    def sms_latency_ms(self) -> dict:
        return {kind: {k: v["latency_ms"] for k, v in by.items()}
                for kind, by in self.summary["sms"].items()}

    @property
    def warning_reach(self) -> dict:
        """Share of handsets in warning areas that received the warning, by bearer."""
        return {k: v["reach_ratio"] for k, v in self.summary["warnings"].items() if k != "issued"}

    @property
    def warning_time_to_reach_s(self) -> dict:
        return {k: v["time_to_reach_s"] for k, v in self.summary["warnings"].items() if k != "issued"}

    @property
    def counts(self) -> dict:
        c = self.calls
        o = c["outcome"]
        return {
            "call_attempts": int(c.size),
            "calls_answered": int((o == R.CALL_ANSWERED).sum()),
            "calls_blocked_503": int((o == R.CALL_BLOCKED).sum()),
            "calls_timeout": int((o == R.CALL_TIMEOUT).sum()),
            "calls_no_service": int((o == R.CALL_NO_SERVICE).sum()),
            "calls_dropped": int(c["dropped"].sum() + (o == R.CALL_DROPPED_SETUP).sum()),
            "sms112": int((self.sms["kind"] == R.SMS_KIND_112).sum()),
            "public_sms": int((self.sms["kind"] == R.SMS_KIND_PUBLIC).sum()),
            "aml": int((self.sms["kind"] == R.SMS_KIND_AML).sum()),
            "ptt_sessions": int(self.ptt.size),
            "background_flows": int(self.bulk.size),
            "warnings_issued": len(self.warning_texts),
            "warning_area_records": int(self.warnings.size),
            "voice_packets": int(c["sent_up"].sum() + c["sent_dn"].sum() + self.ptt["sent"].sum()),
            "packets_replayed": int(self.packets_replayed),
        }

    @property
    def estimated_counts(self) -> dict:
        """Flow counts scaled back to the full population (counts / sample)."""
        keys = ("call_attempts", "calls_answered", "calls_blocked_503", "sms112", "public_sms",
                "aml", "ptt_sessions", "background_flows")
        c = self.counts
        return {k: c[k] / self.sample for k in keys}

    def assumptions(self) -> dict:
        return {
            "voice_codec": "AMR-WB 12.65 kbit/s, 20 ms frames, RTP PT 97 octet-aligned (RFC 4867)",
            "voice_quality_model": "ITU-T G.107.1 wideband E-model, Ie,wb=13, Bpl=4.3 (G.113 App. IV)",
            "jitter_buffer_ms": self.jitter_buffer_ms,
            "codec_delay_ms": timing.CODEC_DELAY_MS,
            "queue_model": (f"M/M/1 FIFO, service {timing.QUEUE_SERVICE_MS} ms, rho capped at "
                            f"{timing.QUEUE_RHO_MAX}; overload drops best-effort data"),
            "sip_timers": "RFC 3261 T1=0.5 s, T2=4 s, 64*T1 timeout",
            "call_hold_s_mean": self.call_hold_s,
            "call_holding_time": "exponential",
            "psap_answer_s": self.answer_s,
            "aml_fix_time_s": f"uniform 0-{timing.AML_MAX_FIX_S}",
            "warning_paging_cycle_s": timing.PAGING_CYCLE_S,
            "handset_location": "area centroid",
        }

    def to_dict(self) -> dict:
        """JSON-ready summary (no per-flow arrays)."""
        return {
            "sample": self.sample,
            "seed": self.seed,
            "start_utc": self.start_utc.isoformat(),
            "steps": self.n_steps,
            "step_s": self.step_s,
            "duration_s": self.t_end_s,
            "counts": self.counts,
            "estimated_counts": self.estimated_counts,
            **self.summary,
            "assumptions": self.assumptions(),
        }
