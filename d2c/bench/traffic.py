"""Benchmarks: template stamping against one-by-one scapy building (same run),
and replay throughput of :class:`TrafficStage` in packets per second."""

from __future__ import annotations

import time
from datetime import datetime, timezone

import numpy as np

from d2c.traffic import addressing as addr
from d2c.traffic.replay import AreaTable, StepConditions, TrafficStage
from d2c.traffic.templates import build_with_scapy, get_template


def _rtp_values(n: int) -> dict:
    i = np.arange(n)
    return {
        "ip_src": addr.ue_ip(i % 500, i), "ip_dst": np.full(n, addr.PSAP_IP, dtype=np.uint32),
        "sport": addr.ue_rtp_port(i), "dport": addr.psap_rtp_port(i), "ip_id": i & 0xFFFF,
        "rtp_mpt": np.full(n, 97), "rtp_seq": i & 0xFFFF, "rtp_ts": (320 * i) & 0xFFFFFFFF,
        "rtp_ssrc": (i * 2654435761) & 0xFFFFFFFF,
    }


def _invite_values(n: int) -> dict:
    i = np.arange(n)
    ip = addr.ue_ip(i % 500, i)
    return {
        "ip_src": ip, "ip_id": i & 0xFFFF, "ue_ip": ip, "imsi": addr.imsi(i % 500, i),
        "imei": addr.imei(i.astype(np.uint64)), "call_id": i.astype(np.uint64) * 7919,
        "ftag": i, "br": i, "sess": i, "ue_port": addr.ue_rtp_port(i),
        "pidf_lat": 42.0 + (i % 1000) * 1e-3, "pidf_lon": 13.0 + (i % 997) * 1e-3,
        "ts": 1472002560.0 + i,
    }


def _one(values: dict, j: int) -> dict:
    return {k: v[j].item() if hasattr(v[j], "item") else v[j] for k, v in values.items()}


#: Packets of one answered 90 s call as d2c captures it: INVITE, 100, 180, 200,
#: ACK, BYE, 200, AML MESSAGE, 202 (9 SIP messages, counted at INVITE cost)
#: and 2 x 4500 RTP packets.
CALL_MIX = {"invite": 9, "rtp": 9000}


def generation_rates(n_template: int = 200_000, n_scapy: int = 2_000) -> dict:
    """Packets/s for RTP and SIP INVITE: templates vs scapy one by one, measured
    in the same run, plus the ratio for the packet mix of one 90 s call."""
    out = {}
    for kind, make_values, n_t, n_s in (("rtp", _rtp_values, n_template, n_scapy),
                                        ("invite", _invite_values, n_template // 10, n_scapy // 4)):
        tpl = get_template(kind)
        tpl.stamp(64, make_values(64))  # warm-up: first-touch allocations
        vals = make_values(n_t)
        t = time.perf_counter()
        tpl.stamp(n_t, vals)
        dt_t = time.perf_counter() - t
        svals = make_values(n_s)
        one = [_one(svals, j) for j in range(n_s)]
        build_with_scapy(kind, **one[0])
        t = time.perf_counter()
        for v in one:
            build_with_scapy(kind, **v)
        dt_s = time.perf_counter() - t
        rate_t, rate_s = n_t / dt_t, n_s / dt_s
        out[kind] = {"template_pps": rate_t, "scapy_pps": rate_s, "ratio": rate_t / rate_s,
                     "template_packets": n_t, "scapy_packets": n_s}
    t_tpl = sum(n / out[k]["template_pps"] for k, n in CALL_MIX.items())
    t_scapy = sum(n / out[k]["scapy_pps"] for k, n in CALL_MIX.items())
    out["call_mix"] = {"packets": sum(CALL_MIX.values()), "ratio": t_scapy / t_tpl,
                       "template_pps": sum(CALL_MIX.values()) / t_tpl,
                       "scapy_pps": sum(CALL_MIX.values()) / t_scapy}
    return out


def replay_rate(n_areas: int = 400, steps: int = 5, step_s: float = 60.0, calls_per_area: float = 4.0,
                seed: int = 1) -> dict:
    """Replay throughput: packets whose fate was decided per second of step() time."""
    rng = np.random.default_rng(seed)
    areas = AreaTable([f"a{i}" for i in range(n_areas)], rng.uniform(36, 47, n_areas),
                      rng.uniform(7, 18, n_areas), rng.integers(500, 50_000, n_areas).astype(float))
    stage = TrafficStage(areas, datetime(2016, 8, 24, 1, 36, tzinfo=timezone.utc), seed=seed)
    bearer = rng.choice(np.array([1, 2], dtype=np.int8), n_areas)
    elapsed = 0.0
    for s in range(steps):
        cond = StepConditions(
            t_s=s * step_s, step_s=step_s,
            call_attempts=np.full(n_areas, calls_per_area), sms_attempts=np.full(n_areas, 0.5),
            public_sms_attempts=np.full(n_areas, 2.0), responder_calls=np.full(n_areas, 0.2),
            bearer=bearer, capacity_calls=np.full(n_areas, 8.0), sms_ok=np.ones(n_areas, bool),
            one_way_delay_ms=np.where(bearer == 2, 45.0, 25.0), loss_ratio=np.where(bearer == 2, 0.02, 0.005),
            load_ratio=np.where(bearer == 2, 0.9, 0.6), warning_reach=np.ones(n_areas, bool))
        t = time.perf_counter()
        stage.step(cond)
        elapsed += time.perf_counter() - t
    res = stage.finish()
    return {"packets": res.packets_replayed, "seconds": elapsed,
            "packets_per_s": res.packets_replayed / elapsed, "calls": int(res.calls.size)}


def bench_traffic(n_template: int = 200_000, n_scapy: int = 2_000, n_areas: int = 400, steps: int = 5) -> dict:
    """(a) template vs scapy generation rates, (b) replay rate; targets: ratio
    >= 50 and >= 1e6 packets/s."""
    return {"generation": generation_rates(n_template, n_scapy),
            "replay": replay_rate(n_areas=n_areas, steps=steps)}
