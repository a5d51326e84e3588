"""Packet templates: each message kind is built ONCE with scapy, then per-flow
fields are stamped into numpy uint8 copies and checksums recomputed, vectorised.

:func:`build_with_scapy` builds the same packet the slow way (one scapy packet
per flow); tests compare the two byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Mapping

import numpy as np
from scapy.layers.inet import IP, TCP, UDP
from scapy.layers.rtp import RTP
from scapy.layers.sctp import SCTP, SCTPChunkData
from scapy.packet import Raw

from . import addressing as addr
from . import cbs, sip, sms, wire
from .layout import FIELDS, column, scalar_bytes

#: AMR-WB 12.65 kbit/s frame: 253 speech bits -> 32 octets (3GPP TS 26.201 table 2;
#: RFC 4867 section 4.4.2 octet-aligned padding).
AMR_WB_FRAME_OCTETS = 32
#: Octet-aligned payload header: CMR=15 "no mode request" in the high nibble
#: (RFC 4867 section 4.4.2.1), then one ToC: F=0, FT=2 (12.65), Q=1 (section 4.4.2.2).
AMR_WB_CMR_OCTET = 0xF0
AMR_WB_TOC_OCTET = (2 << 3) | (1 << 2)
AMR_WB_PAYLOAD = bytes([AMR_WB_CMR_OCTET, AMR_WB_TOC_OCTET]) + bytes(AMR_WB_FRAME_OCTETS)
#: RTP marker bit set on the first packet of a talk spurt (RFC 3551 section 4.1).
RTP_MARKER = 0x80
#: Background datagram size: QUIC's minimum datagram, 1200 octets (RFC 9000 section 14).
BULK_UDP_PAYLOAD = 1200
#: Background TCP segment payload: 1460 octets = 1500-octet Ethernet MTU minus
#: 40 octets of IPv4 + TCP headers (RFC 894 / RFC 879).
BULK_TCP_PAYLOAD = 1460
#: Advertised TCP window for bulk data (RFC 793; largest without window scaling).
BULK_TCP_WINDOW = 65535
#: SCTP verification tag of the emulated CBC-MME association: any nonzero
#: 32-bit value chosen at association set-up (RFC 4960 section 5.1); fixed here.
SBCAP_VTAG = 0x0D2C0112

_IP_HEADER = 20
_UDP_HEADER = 8
_TCP_HEADER = 20
_SCTP_DATA_OFFSET = 12 + 16  # common header + DATA chunk header (RFC 4960 section 3)

#: Byte offsets of header fields (IPv4 RFC 791; UDP RFC 768; TCP RFC 793; SCTP RFC 4960; RTP RFC 3550).
_HEADER_OFFSETS = {
    "ip_id": 4, "ip_src": 12, "ip_dst": 16, "sport": 20, "dport": 22,
}
_TCP_OFFSETS = {"tcp_seq": 24, "tcp_ack": 28}
_SCTP_OFFSETS = {"tsn": 20 + 12 + 4}
_RTP_OFFSETS = {"rtp_mpt": 28 + 1, "rtp_seq": 28 + 2, "rtp_ts": 28 + 4, "rtp_ssrc": 28 + 8}

SIP_KINDS = ("invite", "trying", "ringing", "ok_invite", "ack", "bye", "ok_bye",
             "unavailable", "ack_error", "message_aml", "message_sms112", "message_public",
             "accepted") + sip.PTT_KINDS
KINDS = SIP_KINDS + ("rtp", "cbs", "bulk_udp", "bulk_tcp")


@dataclass(frozen=True)
class Template:
    """One message kind: the bytes scapy built, and where each field sits."""

    kind: str
    base: np.ndarray                                   # (L,) uint8, read-only
    fields: Mapping[str, tuple[int, tuple[int, ...]]]  # name -> (width, offsets)
    l4: str                                            # udp | tcp | sctp
    ud_text: sms.UserText | None = None
    ud_offset: int | None = None

    @property
    def length(self) -> int:
        return int(self.base.size)

    def stamp(self, n: int, values: Mapping[str, object]) -> np.ndarray:
        """(n, L) packets with ``values`` stamped and checksums fixed.

        ``values`` maps field names to arrays of length n (or scalars). A field
        not given keeps the template's bytes.
        """
        out = np.empty((n, self.length), dtype=np.uint8)
        out[:] = self.base
        for name, (width, offsets) in self.fields.items():
            src = FIELDS[name].source or name
            if src not in values or name == "ud":
                continue
            col = column(name, values[src], n, width)
            for off in offsets:
                out[:, off:off + width] = col
        if self.ud_text is not None:
            cols = {}
            for name in self.ud_text.offsets:
                src = FIELDS[name].source or name
                if src in values:
                    cols[name] = column(name, values[src], n, self.ud_text.widths[name])
            if cols:
                packed = sms.stamp_user_text(self.ud_text, cols, n)
                out[:, self.ud_offset:self.ud_offset + packed.shape[1]] = packed
        fix_checksums(out, self.l4)
        return out


def fix_checksums(pkts: np.ndarray, l4: str) -> None:
    """Recompute IPv4 and transport checksums of every row."""
    wire.set_ipv4_checksum(pkts)
    if l4 == "udp":
        wire.set_l4_checksum(pkts, 17, 6)
    elif l4 == "tcp":
        wire.set_l4_checksum(pkts, 6, 16)
    elif l4 == "sctp":
        wire.set_sctp_checksum(pkts)


class _Formatted(Mapping):
    """Scalar values formatted on demand for the one-by-one builder."""

    def __init__(self, values: Mapping[str, object], widths: Mapping[str, int] | None = None):
        self._v = values
        self._w = widths or {}

    def __getitem__(self, name: str) -> bytes:
        src = FIELDS[name].source or name
        if src not in self._v:
            raise KeyError(name)
        return scalar_bytes(name, self._v[src], self._w.get(name))

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in FIELDS and (FIELDS[name].source or name) in self._v

    def __iter__(self):
        return iter(self._v)

    def __len__(self) -> int:
        return len(self._v)


def _sip_defaults(kind: str) -> tuple[int, int]:
    ue = addr.ue_ip(0, 0)[()]
    peer = sip.SIP_PEER[kind]
    return (int(ue), peer) if kind in sip.UPLINK else (peer, int(ue))


def _scapy_packet(kind: str, v: Mapping[str, object], pages: int = 1):
    """Build one packet with scapy from scalar values ``v`` (missing -> defaults)."""
    ip_id = int(v.get("ip_id", 0))
    if kind in SIP_KINDS:
        src, dst = _sip_defaults(kind)
        payload = bytes(sip.render(kind, _Formatted(v)).buf)
        return (IP(src=addr.ip_text(v.get("ip_src", src)), dst=addr.ip_text(v.get("ip_dst", dst)), id=ip_id)
                / UDP(sport=int(v.get("sport", addr.SIP_PORT)), dport=int(v.get("dport", addr.SIP_PORT)))
                / Raw(payload))
    if kind == "rtp":
        mpt = int(v.get("rtp_mpt", sip.AMR_WB_PT))
        return (IP(src=addr.ip_text(v.get("ip_src", addr.ue_ip(0, 0)[()])),
                   dst=addr.ip_text(v.get("ip_dst", addr.PSAP_IP)), id=ip_id)
                / UDP(sport=int(v.get("sport", addr.UE_RTP_BASE)), dport=int(v.get("dport", addr.PSAP_RTP_BASE)))
                / RTP(version=2, marker=mpt >> 7, payload_type=mpt & 0x7F,
                      sequence=int(v.get("rtp_seq", 0)), timestamp=int(v.get("rtp_ts", 0)),
                      sourcesync=int(v.get("rtp_ssrc", 0)))
                / Raw(AMR_WB_PAYLOAD))
    if kind == "cbs":
        width = 1 + pages * (cbs.PAGE_OCTETS + 1)
        pdu = bytes(cbs.write_replace_warning_request(pages, _Formatted(v, {"cb_data": width})).buf)
        return (IP(src=addr.ip_text(v.get("ip_src", addr.CBC_IP)), dst=addr.ip_text(v.get("ip_dst", addr.MME_IP)),
                   id=ip_id)
                / SCTP(sport=int(v.get("sport", addr.SBCAP_PORT)), dport=int(v.get("dport", addr.SBCAP_PORT)),
                       tag=SBCAP_VTAG)
                / SCTPChunkData(tsn=int(v.get("tsn", 0)), stream_id=0, stream_seq=0,
                                proto_id=addr.SBCAP_PPID, beginning=1, ending=1, data=pdu))
    if kind == "bulk_udp":
        return (IP(src=addr.ip_text(v.get("ip_src", addr.ue_ip(0, 0)[()])),
                   dst=addr.ip_text(v.get("ip_dst", addr.BULK_SERVER_IP)), id=ip_id)
                / UDP(sport=int(v.get("sport", addr.UE_RTP_BASE)), dport=int(v.get("dport", addr.BULK_PORT)))
                / Raw(bytes(BULK_UDP_PAYLOAD)))
    if kind == "bulk_tcp":
        return (IP(src=addr.ip_text(v.get("ip_src", addr.BULK_SERVER_IP)),
                   dst=addr.ip_text(v.get("ip_dst", addr.ue_ip(0, 0)[()])), id=ip_id)
                / TCP(sport=int(v.get("sport", addr.BULK_TCP_PORT)), dport=int(v.get("dport", addr.UE_RTP_BASE)),
                      seq=int(v.get("tcp_seq", 0)), ack=int(v.get("tcp_ack", 0)), flags="A",
                      window=BULK_TCP_WINDOW)
                / Raw(bytes(BULK_TCP_PAYLOAD)))
    raise KeyError(f"unknown message kind {kind!r}")


def build_with_scapy(kind: str, pages: int = 1, **values) -> bytes:
    """The slow path: one packet, built entirely by scapy from scalar values."""
    return bytes(_scapy_packet(kind, values, pages))


@lru_cache(maxsize=None)
def get_template(kind: str, pages: int = 1) -> Template:
    """Build ``kind`` once with scapy (placeholders) and locate its fields."""
    base = np.frombuffer(bytes(_scapy_packet(kind, {}, pages)), dtype=np.uint8).copy()
    base.setflags(write=False)
    fields: dict[str, tuple[int, tuple[int, ...]]] = {
        k: (FIELDS[k].width, (off,)) for k, off in _HEADER_OFFSETS.items()}
    ud_text = None
    ud_offset = None
    if kind in SIP_KINDS:
        l4 = "udp"
        lay = sip.render(kind)
        start = _IP_HEADER + _UDP_HEADER
        if kind in sip.SMS_TEXTS:
            ud_text = sip.sms_user_text(kind)
    elif kind == "rtp":
        l4 = "udp"
        lay = None
        fields.update({k: (FIELDS[k].width, (off,)) for k, off in _RTP_OFFSETS.items()})
    elif kind == "cbs":
        l4 = "sctp"
        width = 1 + pages * (cbs.PAGE_OCTETS + 1)
        lay = cbs.write_replace_warning_request(pages, {"cb_data": bytes(width)})
        start = _IP_HEADER + _SCTP_DATA_OFFSET
        fields.update({k: (FIELDS[k].width, (off,)) for k, off in _SCTP_OFFSETS.items()})
    elif kind == "bulk_udp":
        l4, lay = "udp", None
    elif kind == "bulk_tcp":
        l4, lay = "tcp", None
        fields.update({k: (FIELDS[k].width, (off,)) for k, off in _TCP_OFFSETS.items()})
    else:
        raise KeyError(f"unknown message kind {kind!r}")
    if lay is not None:
        if bytes(base[start:start + len(lay.buf)]) != bytes(lay.buf):
            raise AssertionError(f"{kind}: scapy payload does not match the layout")
        for name, offs in lay.shifted(start).items():
            fields[name] = (lay.widths[name], tuple(offs))
        if ud_text is not None:
            ud_offset = fields["ud"][1][0]
    return Template(kind, base, fields, l4, ud_text, ud_offset)
