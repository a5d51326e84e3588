"""Fixed-width fields: render a message once with placeholders, remember where
each field sits, then stamp many values into numpy copies.

A field keeps the same width whatever its value (zero-padded decimal digits,
fixed-point coordinates, dotted addresses with three-digit octets), so message
lengths, Content-Length headers and byte offsets never change between flows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Mapping

import numpy as np

from . import wire
from .addressing import ip_text


@dataclass(frozen=True)
class FieldSpec:
    """How one named field is written: ``kind`` and byte ``width``."""

    kind: str  # dec | be | raw | ip4txt | ip4txt3 | fix | iso | compact | imeiurn
    width: int
    int_digits: int = 0
    frac_digits: int = 0
    source: str | None = None  # take the value of another field (same number, other spelling)


def _fix(i: int, f: int) -> FieldSpec:
    return FieldSpec("fix", 2 + i + f, i, f)


#: Every named field a template may carry. ``raw`` widths of 0 are set per template.
FIELDS: dict[str, FieldSpec] = {
    # IPv4 / L4 headers (RFC 791, RFC 768, RFC 793, RFC 4960)
    "ip_id": FieldSpec("be", 2),
    "ip_src": FieldSpec("be", 4),
    "ip_dst": FieldSpec("be", 4),
    "sport": FieldSpec("be", 2),
    "dport": FieldSpec("be", 2),
    "tcp_seq": FieldSpec("be", 4),
    "tcp_ack": FieldSpec("be", 4),
    "tsn": FieldSpec("be", 4),
    # RTP header (RFC 3550 section 5.1)
    "rtp_mpt": FieldSpec("be", 1),
    "rtp_seq": FieldSpec("be", 2),
    "rtp_ts": FieldSpec("be", 4),
    "rtp_ssrc": FieldSpec("be", 4),
    # SIP / SDP / PIDF-LO text
    "ue_ip": FieldSpec("ip4txt", 14),
    # A talk group's multicast address, every octet three digits (see addressing.ptt_group_ip).
    "grp_ip": FieldSpec("ip4txt3", 15),
    "grp_port": FieldSpec("dec", 5),
    "grp": FieldSpec("dec", 6),
    "imsi": FieldSpec("dec", 15),
    "imei": FieldSpec("dec", 15),
    # RFC 7254 IMEI URN spelling: 8-6-1 digits separated by hyphens.
    "imei_urn": FieldSpec("imeiurn", 17, source="imei"),
    "call_id": FieldSpec("dec", 20),
    "ftag": FieldSpec("dec", 10),
    "ttag": FieldSpec("dec", 10),
    "br": FieldSpec("dec", 16),
    "sess": FieldSpec("dec", 10),
    # CSeq sequence number, five digits (RFC 3261 section 8.1.1.5 allows any start < 2**31).
    "cseq": FieldSpec("dec", 5),
    "ue_port": FieldSpec("dec", 5),
    "psap_port": FieldSpec("dec", 5),
    "pidf_lat": _fix(2, 6),
    "pidf_lon": _fix(3, 6),
    "ts": FieldSpec("iso", 19),
    # SMS (3GPP TS 24.011 / TS 23.040) and AML text (ETSI TS 103 625)
    "rp_mr": FieldSpec("be", 1),
    "tp_mr": FieldSpec("be", 1),
    "top": FieldSpec("compact", 14),
    "aml_lat": _fix(2, 5),
    "aml_lon": _fix(3, 5),
    "ud": FieldSpec("raw", 0),
    # Cell broadcast (3GPP TS 29.168 / TS 23.041)
    "msg_id": FieldSpec("be", 2),
    "serial": FieldSpec("be", 2),
    "tac": FieldSpec("be", 2),
    "dcs": FieldSpec("be", 1),
    "cb_data": FieldSpec("raw", 0),
}

_PLACEHOLDER_IP = (10 << 24) | (100 << 16) | (100 << 8) | 100
_PLACEHOLDER_GROUP_IP = (239 << 24) | (192 << 16) | (100 << 8) | 100
_PLACEHOLDER_EPOCH = 0.0


def scalar_bytes(name: str, value, width: int | None = None) -> bytes:
    """Format one value of a field, for the one-by-one builder."""
    spec = FIELDS[name]
    w = width if width is not None else spec.width
    if spec.kind == "dec":
        s = f"{int(value):0{w}d}"
        if len(s) != w:
            raise ValueError(f"{name}={value} does not fit in {w} digits")
        return s.encode()
    if spec.kind == "be":
        return int(value).to_bytes(w, "big")
    if spec.kind == "raw":
        b = bytes(value)
        if len(b) != w:
            raise ValueError(f"{name} must be {w} bytes, got {len(b)}")
        return b
    if spec.kind == "imeiurn":
        d = f"{int(value):015d}"
        return f"{d[:8]}-{d[8:14]}-{d[14]}".encode()
    if spec.kind in ("ip4txt", "ip4txt3"):
        s = ip_text(int(value))
        if len(s) != w:
            raise ValueError(f"{name}={s} is not {w} characters wide")
        return s.encode()
    if spec.kind == "fix":
        return wire.fixed_point_str(float(value), spec.int_digits, spec.frac_digits).encode()
    if spec.kind in ("iso", "compact"):
        t = datetime.fromtimestamp(int(np.floor(float(value))), tz=timezone.utc)
        return t.strftime("%Y-%m-%dT%H:%M:%S" if spec.kind == "iso" else "%Y%m%d%H%M%S").encode()
    raise ValueError(f"unknown field kind {spec.kind!r}")


def placeholder(name: str, width: int | None = None) -> bytes:
    """A valid-looking value of the right width, used to build templates."""
    spec = FIELDS[name]
    if spec.kind == "ip4txt":
        return scalar_bytes(name, _PLACEHOLDER_IP)
    if spec.kind == "ip4txt3":
        return scalar_bytes(name, _PLACEHOLDER_GROUP_IP)
    if spec.kind in ("iso", "compact"):
        return scalar_bytes(name, _PLACEHOLDER_EPOCH)
    if spec.kind == "raw":
        return bytes(width or spec.width)
    return scalar_bytes(name, 0, width)


def column(name: str, values, n: int, width: int | None = None) -> np.ndarray:
    """Vectorised formatting of a field: (n,) values -> (n, width) uint8."""
    spec = FIELDS[name]
    w = width if width is not None else spec.width
    if spec.kind == "raw":
        arr = np.asarray(values, dtype=np.uint8)
        return np.broadcast_to(arr.reshape(-1, w) if arr.ndim > 1 else arr, (n, w))
    v = np.broadcast_to(np.asarray(values), (n,))
    if spec.kind == "dec":
        return wire.decimal_digits(v, w)
    if spec.kind == "imeiurn":
        d = wire.decimal_digits(v, 15)
        out = np.empty((n, 17), dtype=np.uint8)
        out[:, 0:8] = d[:, 0:8]
        out[:, 8] = ord("-")
        out[:, 9:15] = d[:, 8:14]
        out[:, 15] = ord("-")
        out[:, 16] = d[:, 14]
        return out
    if spec.kind == "be":
        out = np.empty((n, w), dtype=np.uint8)
        wire.put_be(out, 0, w, v)
        return out
    if spec.kind in ("ip4txt", "ip4txt3"):
        # "10." then three 3-digit octets, or four 3-digit octets.
        ip = v.astype(np.uint64)
        shifts = (16, 8, 0) if spec.kind == "ip4txt" else (24, 16, 8, 0)
        out = np.empty((n, w), dtype=np.uint8)
        lead = 3 if spec.kind == "ip4txt" else 0
        out[:, 0:lead] = np.frombuffer(b"10."[:lead], dtype=np.uint8)
        for k, shift in enumerate(shifts):
            octet = (ip >> np.uint64(shift)) & np.uint64(0xFF)
            out[:, lead + 4 * k:lead + 3 + 4 * k] = wire.decimal_digits(octet, 3)
            if k < len(shifts) - 1:
                out[:, lead + 3 + 4 * k] = ord(".")
        return out
    if spec.kind == "fix":
        return wire.fixed_point_text(v, spec.int_digits, spec.frac_digits)
    if spec.kind == "iso":
        return wire.utc_text(v, "iso")
    if spec.kind == "compact":
        return wire.utc_text(v, "compact")
    raise ValueError(f"unknown field kind {spec.kind!r}")


_PLACE = re.compile(r"\{(\w+)\}")


@dataclass
class Layout:
    """A byte buffer under construction plus the offsets of its named fields."""

    buf: bytearray = field(default_factory=bytearray)
    offsets: dict[str, list[int]] = field(default_factory=dict)
    widths: dict[str, int] = field(default_factory=dict)

    def _mark(self, name: str, width: int) -> None:
        self.offsets.setdefault(name, []).append(len(self.buf))
        self.widths[name] = width

    def text(self, template: str, values: Mapping[str, bytes] | None = None) -> "Layout":
        """Append ``template`` with ``{name}`` fields filled (or placeholders)."""
        pos = 0
        for m in _PLACE.finditer(template):
            self.buf += template[pos:m.start()].encode("ascii")
            name = m.group(1)
            b = values[name] if values is not None and name in values else placeholder(name)
            self._mark(name, len(b))
            self.buf += b
            pos = m.end()
        self.buf += template[pos:].encode("ascii")
        return self

    def binary(self, data: bytes) -> "Layout":
        self.buf += data
        return self

    def field(self, name: str, value: bytes) -> "Layout":
        """Append a binary field whose bytes are given."""
        self._mark(name, len(value))
        self.buf += value
        return self

    def extend(self, other: "Layout") -> "Layout":
        """Append another layout, shifting its offsets."""
        base = len(self.buf)
        for name, offs in other.offsets.items():
            self.offsets.setdefault(name, []).extend(o + base for o in offs)
            self.widths[name] = other.widths[name]
        self.buf += other.buf
        return self

    def shifted(self, by: int) -> dict[str, tuple[int, ...]]:
        return {k: tuple(o + by for o in v) for k, v in self.offsets.items()}
