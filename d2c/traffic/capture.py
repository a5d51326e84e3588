"""Regenerate the packets of a :class:`TrafficResult` from its per-flow records.

Nothing per packet is stored during the replay: signalling times follow from
the records (same timers as the replay), voice fates are recomputed from the
counter-based hashes (same keys, frame indices and salts), so the capture
shows exactly the packets the replay scored.

Each packet has a send time and, if it got through, an arrival time; captures
are stamped with the arrival time (scenario start + t + delay), and lost
packets (``only="all"``) with their send time.

One addition is not scored by the replay: each push-to-talk session opens with
its group call set-up (INVITE, 200 OK, ACK; see :mod:`d2c.traffic.sip`), timed
so the group's answer arrives one voice frame before the first talk burst. It
is there so that Wireshark decodes the bursts as RTP; the session's own fate
(served, dropped, its voice quality) is what the replay scored.

Packets belong to one of :data:`TRAFFIC_KINDS`, and a capture can be limited
to some of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from . import addressing as addr
from . import cbs, hashing, records as R, timing
from .outcomes import TrafficResult
from .draws import SALT_BULK
from .voice import SALT_DN, SALT_PTT, SALT_UP, packet_fates
from .sip import AMR_WB_PT, PTT_KINDS
from .templates import BULK_TCP_PAYLOAD, RTP_MARKER, get_template

# Salts for identities derived from a flow key (kept apart from packet salts).
_S_FTAG, _S_TTAG, _S_BR_INV, _S_BR_ACK, _S_BR_BYE, _S_SESS, _S_IPID = 10, 11, 12, 13, 14, 15, 16
_S_RTP = {SALT_UP: (20, 21, 22), SALT_DN: (23, 24, 25), SALT_PTT: (26, 27, 28)}
_S_MR = 30
_S_CSEQ = 31
_S_ISN = 32
#: Initial CSeq numbers are drawn in 10000..99998 so every CSeq (and CSeq + 1
#: for BYE) has five digits (RFC 3261 section 8.1.1.5: any value below 2**31).
CSEQ_MIN, CSEQ_SPAN = 10000, 89999
#: Pacing of background bulk packets, one per millisecond (a d2c assumption).
BULK_PACING_S = 0.001
#: What a capture can be limited to: 112 calls (SIP and their voice), SMS (112,
#: AML and public), responders' push-to-talk (set-up and voice), cell-broadcast
#: warnings, and background bulk data.
TRAFFIC_KINDS = ("calls", "sms", "ptt", "warnings", "bulk")


@dataclass
class PacketGroup:
    """Packets of one template: times, fate, and a function stamping any subset."""

    kind: str
    length: int
    t_s: np.ndarray          # capture time (arrival if it got through, else send time)
    survived: np.ndarray     # bool
    make: Callable[[np.ndarray], np.ndarray]
    traffic: str = ""        # one of TRAFFIC_KINDS (set by packet_groups)


def _h(key, index, salt, modulo) -> np.ndarray:
    return hashing.hash64(key, index, salt) % np.uint64(modulo)


def _ids(key, n_index, salt=_S_IPID) -> np.ndarray:
    return (hashing.hash64(key, n_index, salt) & np.uint64(0xFFFF)).astype(np.int64)


def _group(kind: str, t_s, survived, values: dict, pages: int = 1) -> PacketGroup | None:
    """A group whose per-packet field values are already arrays of length n."""
    t_s = np.asarray(t_s, dtype=np.float64)
    if t_s.size == 0:
        return None
    tpl = get_template(kind, pages)

    def make(idx: np.ndarray) -> np.ndarray:
        sub = {k: (v[idx] if isinstance(v, np.ndarray) and v.ndim >= 1 and v.shape[0] == t_s.size else v)
               for k, v in values.items()}
        return tpl.stamp(idx.size, sub)

    return PacketGroup(kind, tpl.length, t_s, np.asarray(survived, dtype=bool), make)


class _Flows:
    """Identity fields of flows, gathered by row index."""

    def __init__(self, res: TrafficResult, rec: np.ndarray):
        self.res = res
        self.rec = rec
        self.epoch0 = res.start_utc.timestamp()

    def ident(self, rows: np.ndarray) -> dict:
        r = self.rec[rows]
        key = r["key"]
        area, flow = r["area"].astype(np.int64), r["flow"]
        lat = np.asarray(self.res.areas.lat_deg, dtype=np.float64)[area]
        lon = np.asarray(self.res.areas.lon_deg, dtype=np.float64)[area]
        return {
            "key": key, "ue_ip": addr.ue_ip(area, flow), "imsi": addr.imsi(area, flow),
            "imei": addr.imei(key), "call_id": key,
            "ftag": _h(key, 0, _S_FTAG, 10**10), "ttag": _h(key, 0, _S_TTAG, 10**10),
            "sess": _h(key, 0, _S_SESS, 10**10), "ue_port": addr.ue_rtp_port(flow),
            "cseq": CSEQ_MIN + _h(key, 0, _S_CSEQ, CSEQ_SPAN).astype(np.int64),
            "pidf_lat": lat, "pidf_lon": lon, "aml_lat": lat, "aml_lon": lon,
        }


def _emit(groups: list, kind: str, rows: np.ndarray, ident: dict, t_send, delay_s, survived,
          uplink: bool, extra: dict | None = None, msg_no: int = 0, pages: int = 1) -> None:
    """One message per row: capture time = arrival if survived, else send time."""
    if rows.size == 0:
        return
    t_send = np.asarray(t_send, dtype=np.float64)
    survived = np.asarray(survived, dtype=bool)
    t = np.where(survived, t_send + delay_s, t_send)
    peer = addr.PCSCF_IP if not kind.startswith("message") and kind != "accepted" else addr.SMSC_IP
    v = {k: ident[k] for k in ident if k != "key"}
    v["ip_src"] = ident["ue_ip"] if uplink else np.full(rows.size, peer, dtype=np.uint32)
    v["ip_dst"] = np.full(rows.size, peer, dtype=np.uint32) if uplink else ident["ue_ip"]
    v["ip_id"] = _ids(ident["key"], msg_no)
    if extra:
        v.update(extra)
    g = _group(kind, t, survived, v, pages)
    if g is not None:
        groups.append(g)


def _repeat_ident(ident: dict, reps: np.ndarray) -> dict:
    return {k: np.repeat(v, reps) for k, v in ident.items()}


def _call_groups(res: TrafficResult, groups: list) -> None:
    c = res.calls
    if c.size == 0:
        return
    fl = _Flows(res, c)
    ans_s = res.answer_s
    served = c["n_invite_tx"] > 0
    rows = np.flatnonzero(served)
    r = c[rows]
    ident = fl.ident(rows)
    ident["ts"] = fl.epoch0 + r["t_attempt_s"]
    d_up = (r["owd_ms"] + r["wait_up_ms"]) / 1000.0
    d_dn = (r["owd_ms"] + r["wait_dn_ms"]) / 1000.0
    d_ok = (r["owd_ms"] + r["wait_ok_ms"]) / 1000.0
    t_inv_rx = r["t_invite_rx_s"]
    reached = np.isfinite(t_inv_rx)
    # Dropped calls stop at the drop time; answered calls end with BYE.
    cutoff = np.where(r["dropped"] | (r["outcome"] == R.CALL_DROPPED_SETUP), r["t_end_s"], np.inf)

    def keep(t_send, sel):
        return sel & (t_send < cutoff)

    br_inv = _h(ident["key"], 0, _S_BR_INV, 10**16)
    # INVITE and its retransmissions (Timer A).
    n_inv = r["n_invite_tx"].astype(np.int64)
    rep = np.repeat(np.arange(rows.size), n_inv)
    j = np.arange(rep.size) - np.repeat(np.cumsum(n_inv) - n_inv, n_inv)
    t_send = r["t_attempt_s"][rep] + timing.INVITE_TX_OFFSETS_S[j]
    surv = reached[rep] & (j == n_inv[rep] - 1)
    idr = _repeat_ident(ident, n_inv)
    _emit(groups, "invite", rows[rep], idr, t_send, d_up[rep], surv, True, {"br": br_inv[rep]}, msg_no=j)

    sel = reached
    _emit(groups, "trying", rows[sel], {k: v[sel] for k, v in ident.items()}, t_inv_rx[sel], d_dn[sel],
          np.ones(sel.sum(), bool), False, {"br": br_inv[sel]}, msg_no=100)
    blocked = reached & (r["outcome"] == R.CALL_BLOCKED)
    sub = {k: v[blocked] for k, v in ident.items()}
    _emit(groups, "unavailable", rows[blocked], sub, t_inv_rx[blocked], d_dn[blocked],
          np.ones(blocked.sum(), bool), False, {"br": br_inv[blocked]}, msg_no=503)
    t_ack_err = t_inv_rx[blocked] + d_dn[blocked]
    _emit(groups, "ack_error", rows[blocked], sub, t_ack_err, d_up[blocked], np.ones(blocked.sum(), bool),
          True, {"br": br_inv[blocked]}, msg_no=504)

    # The far end: 180, then 200 OK and its retransmissions (Timer G).
    fe = reached & (r["outcome"] != R.CALL_BLOCKED) & (r["n_ok_tx"] > 0)
    fer = np.flatnonzero(fe)
    sub = {k: v[fer] for k, v in ident.items()}
    sel = keep(t_inv_rx, fe)[fer]
    _emit(groups, "ringing", rows[fer][sel], {k: v[sel] for k, v in sub.items()}, t_inv_rx[fer][sel],
          d_dn[fer][sel], np.ones(sel.sum(), bool), False, {"br": br_inv[fer][sel]}, msg_no=180)
    n_ok = r["n_ok_tx"][fer].astype(np.int64)
    rep = np.repeat(np.arange(fer.size), n_ok)
    j = np.arange(rep.size) - np.repeat(np.cumsum(n_ok) - n_ok, n_ok)
    t_send = t_inv_rx[fer][rep] + ans_s + timing.CAPPED_TX_OFFSETS_S[j]
    answered = (r["outcome"][fer] == R.CALL_ANSWERED) | np.isfinite(r["t_answer_s"][fer])
    surv = answered[rep] & (j == n_ok[rep] - 1) & (r["outcome"][fer][rep] != R.CALL_TIMEOUT)
    surv &= t_send + d_ok[fer][rep] < cutoff[fer][rep]
    sel = t_send < cutoff[fer][rep]
    idr = _repeat_ident(sub, n_ok)
    psap_port = addr.psap_rtp_port(r["serial"][fer])
    _emit(groups, "ok_invite", rows[fer][rep][sel], {k: v[sel] for k, v in idr.items()}, t_send[sel],
          d_ok[fer][rep][sel], surv[sel], False,
          {"br": br_inv[fer][rep][sel], "psap_port": psap_port[rep][sel]}, msg_no=200 + j[sel])

    # ACK for the 2xx, and BYE / 200 OK at the end of answered calls that finished.
    got = np.isfinite(r["t_answer_s"]) & (r["outcome"] != R.CALL_TIMEOUT)
    sel = keep(r["t_answer_s"], got)
    sub = {k: v[sel] for k, v in ident.items()}
    _emit(groups, "ack", rows[sel], sub, r["t_answer_s"][sel], d_up[sel], np.ones(sel.sum(), bool), True,
          {"br": _h(sub["key"], 0, _S_BR_ACK, 10**16)}, msg_no=300)
    done = (r["outcome"] == R.CALL_ANSWERED) & ~r["dropped"] & (r["t_end_s"] <= res.t_end_s)
    sub = {k: v[done] for k, v in ident.items()}
    br_bye = _h(sub["key"], 0, _S_BR_BYE, 10**16)
    t_bye = r["t_end_s"][done]
    bye = {"br": br_bye, "cseq": sub["cseq"] + 1}
    _emit(groups, "bye", rows[done], sub, t_bye, d_up[done], np.ones(done.sum(), bool), True, bye, msg_no=400)
    _emit(groups, "ok_bye", rows[done], sub, t_bye + d_up[done], d_dn[done], np.ones(done.sum(), bool),
          False, bye, msg_no=401)


def _voice_groups(res: TrafficResult, groups: list, stream: int) -> None:
    table, dirs = ((res.calls, (SALT_UP, SALT_DN)) if stream == R.STREAM_CALL else (res.ptt, (SALT_PTT,)))
    if not res.has_segments and table["sent_up" if stream == R.STREAM_CALL else "sent"].any():
        raise ValueError("this result was run with keep_segments=False: its voice packets "
                         "cannot be regenerated")
    seg = res.segments
    s = seg[seg["stream"] == stream]
    if s.size == 0:
        return
    rec = table[s["row"]]
    key = rec["key"]
    for salt in dirs:
        fate = packet_fates(key, s["k0"], s["n"], s["loss_ratio"], s["rho"], salt, res.jitter_buffer_ms)
        si, k = fate["segment"], fate["k"]
        kkey = key[si]
        area = rec["area"][si].astype(np.int64)
        flow = rec["flow"][si]
        start = rec["t_answer_s"][si] if stream == R.STREAM_CALL else rec["t_start_s"][si]
        t_send = start + k * timing.VOICE_FRAME_S
        delay = (s["owd_ms"][si] + fate["wait_ms"]) / 1000.0
        survived = ~fate["lost"]
        t = np.where(survived, t_send + delay, t_send)
        s_ssrc, s_seq, s_ts = _S_RTP[salt]
        ue = addr.ue_ip(area, flow)
        ue_port = addr.ue_rtp_port(flow)
        if stream == R.STREAM_CALL:
            far = np.full(k.size, addr.PSAP_IP, dtype=np.uint32)
            far_port = addr.psap_rtp_port(rec["serial"][si])
        else:
            far = addr.ptt_group_ip(area)
            far_port = addr.ptt_group_port(area)
        up = salt != SALT_DN
        seq = (_h(kkey, 0, s_seq, 1 << 16).astype(np.int64) + k) % (1 << 16)
        ts = (_h(kkey, 0, s_ts, 1 << 32).astype(np.int64) + timing.RTP_TS_PER_FRAME * k) % (1 << 32)
        values = {
            "ip_src": ue if up else far, "ip_dst": far if up else ue,
            "sport": ue_port if up else far_port, "dport": far_port if up else ue_port,
            "ip_id": ((hashing.hash64(kkey, k, salt + 40)) & np.uint64(0xFFFF)).astype(np.int64),
            "rtp_mpt": np.where(k == 0, RTP_MARKER | AMR_WB_PT, AMR_WB_PT),
            "rtp_seq": seq, "rtp_ts": ts,
            "rtp_ssrc": _h(kkey, 0, s_ssrc, 1 << 32).astype(np.int64),
        }
        g = _group("rtp", t, survived, values)
        if g is not None:
            groups.append(g)


def _ptt_setup_groups(res: TrafficResult, groups: list) -> None:
    """INVITE / 200 OK / ACK of each push-to-talk session that sent voice.

    The one-way delay is that of the session's first voice segment; the 200 OK
    arrives one frame before the first talk burst is sent.
    """
    if not res.has_segments or res.ptt.size == 0:
        return
    seg = res.segments
    first = seg[(seg["stream"] == R.STREAM_PTT) & (seg["k0"] == 0)]
    if first.size == 0:
        return
    rows = first["row"].astype(np.int64)
    fl = _Flows(res, res.ptt)
    ident = fl.ident(rows)
    area = res.ptt["area"][rows].astype(np.int64)
    ident.update(grp_ip=addr.ptt_group_ip(area), grp_port=addr.ptt_group_port(area), grp=area)
    owd_s = first["owd_ms"].astype(np.float64) / 1000.0
    t_ok_arrival = res.ptt["t_start_s"][rows] - timing.VOICE_FRAME_S
    t_invite = t_ok_arrival - 2.0 * owd_s
    br = {"br": _h(ident["key"], 0, _S_BR_INV, 10**16)}
    ok = np.ones(rows.size, dtype=bool)
    for kind, t_send, uplink, msg_no in ((PTT_KINDS[0], t_invite, True, 600),
                                         (PTT_KINDS[1], t_invite + owd_s, False, 601),
                                         (PTT_KINDS[2], t_ok_arrival, True, 602)):
        _emit(groups, kind, rows, ident, t_send, owd_s, ok, uplink, br, msg_no=msg_no)


_SMS_TEMPLATE = {R.SMS_KIND_112: "message_sms112", R.SMS_KIND_PUBLIC: "message_public",
                 R.SMS_KIND_AML: "message_aml"}


def _sms_groups(res: TrafficResult, groups: list) -> None:
    m = res.sms
    if m.size == 0:
        return
    fl = _Flows(res, m)
    for kind, tname in _SMS_TEMPLATE.items():
        rows = np.flatnonzero((m["kind"] == kind) & (m["n_tx"] > 0))
        if rows.size == 0:
            continue
        r = m[rows]
        ident = fl.ident(rows)
        ident["top"] = fl.epoch0 + r["t_send_s"]
        delay = (r["owd_ms"] + r["wait_ms"]) / 1000.0
        delivered = r["outcome"] == R.MSG_DELIVERED
        n_tx = r["n_tx"].astype(np.int64)
        rep = np.repeat(np.arange(rows.size), n_tx)
        j = np.arange(rep.size) - np.repeat(np.cumsum(n_tx) - n_tx, n_tx)
        t_send = r["t_send_s"][rep] + timing.CAPPED_TX_OFFSETS_S[j]
        surv = delivered[rep] & (j == n_tx[rep] - 1)
        br = _h(ident["key"], 0, _S_BR_INV, 10**16)
        mr = _h(ident["key"], 0, _S_MR, 256).astype(np.int64)
        idr = _repeat_ident(ident, n_tx)
        _emit(groups, tname, rows[rep], idr, t_send, delay[rep], surv, True,
              {"br": br[rep], "rp_mr": mr[rep], "tp_mr": mr[rep]}, msg_no=j)
        sel = delivered
        t_acc = r["t_send_s"][sel] + timing.CAPPED_TX_OFFSETS_S[n_tx[sel] - 1] + delay[sel]
        _emit(groups, "accepted", rows[sel], {k: v[sel] for k, v in ident.items()}, t_acc,
              r["owd_ms"][sel] / 1000.0, np.ones(sel.sum(), bool), False, {"br": br[sel]}, msg_no=202)


def _warning_groups(res: TrafficResult, groups: list) -> None:
    w = res.warnings
    if w.size == 0:
        return
    texts = {idx: text for idx, _, _, text in res.warning_texts}
    for idx in np.unique(w["warning"]):
        rows = np.flatnonzero(w["warning"] == idx)
        r = w[rows]
        text = texts[int(idx)]
        pages = cbs.pages_needed(text)
        data = np.frombuffer(cbs.cb_data(text, pages), dtype=np.uint8)
        values = {
            "msg_id": r["message_id"].astype(np.int64), "serial": r["serial"].astype(np.int64),
            "tac": (r["area"].astype(np.int64) % 65535) + 1, "tsn": rows.astype(np.int64) + 1,
            "ip_id": rows.astype(np.int64) & 0xFFFF, "cb_data": data[None, :],
            "dcs": np.full(rows.size, cbs.data_coding_scheme(text), dtype=np.int64),
        }
        g = _group("cbs", r["t_issue_s"], r["reached"], values, pages)
        if g is not None:
            groups.append(g)


def _bulk_groups(res: TrafficResult, groups: list) -> None:
    b = res.bulk
    b = b[b["packets"] > 0]
    for tcp in (False, True):
        f = b[b["tcp"] == tcp]
        if f.size == 0:
            continue
        npk = f["packets"].astype(np.int64)
        rep = np.repeat(np.arange(f.size), npk)
        k = np.arange(rep.size) - np.repeat(np.cumsum(npk) - npk, npk)
        key = f["key"][rep]
        lost = hashing.uniform(key, k, SALT_BULK) < f["loss_ratio"][rep]
        t_send = f["t_start_s"][rep] + k * BULK_PACING_S
        t = np.where(~lost, t_send + f["owd_ms"][rep] / 1000.0, t_send)
        area, flow = f["area"][rep].astype(np.int64), f["flow"][rep]
        ue, port = addr.ue_ip(area, flow), addr.ue_rtp_port(flow)
        values = {"ip_id": k & 0xFFFF}
        if tcp:
            isn = _h(key, 0, _S_ISN, 1 << 32).astype(np.int64)
            values.update(ip_dst=ue, dport=port, tcp_ack=_h(key, 1, _S_ISN, 1 << 32).astype(np.int64),
                          tcp_seq=(isn + k * BULK_TCP_PAYLOAD) % (1 << 32))
        else:
            values.update(ip_src=ue, sport=port)
        g = _group("bulk_tcp" if tcp else "bulk_udp", t, ~lost, values)
        if g is not None:
            groups.append(g)


_BUILDERS: dict[str, tuple[Callable[[TrafficResult, list], None], ...]] = {
    "calls": (_call_groups, lambda res, g: _voice_groups(res, g, R.STREAM_CALL)),
    "sms": (_sms_groups,),
    "ptt": (_ptt_setup_groups, lambda res, g: _voice_groups(res, g, R.STREAM_PTT)),
    "warnings": (_warning_groups,),
    "bulk": (_bulk_groups,),
}


def packet_groups(res: TrafficResult, kinds=TRAFFIC_KINDS) -> list[PacketGroup]:
    """The packets of the run, grouped by template, for the traffic ``kinds``
    (a subset of :data:`TRAFFIC_KINDS`, in any order)."""
    unknown = sorted(set(kinds) - set(TRAFFIC_KINDS))
    if unknown:
        raise ValueError(f"unknown traffic kind {unknown[0]!r}: expected some of {', '.join(TRAFFIC_KINDS)}")
    groups: list[PacketGroup] = []
    for traffic in TRAFFIC_KINDS:
        if traffic not in kinds:
            continue
        start = len(groups)
        for build in _BUILDERS[traffic]:
            build(res, groups)
        for g in groups[start:]:
            g.traffic = traffic
    return groups
