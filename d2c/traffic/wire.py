"""Byte-level helpers on numpy uint8 matrices: one packet per row.

Everything here works on whole batches (n packets at once). The only Python
loops run over byte *positions* or digit *positions*, never over packets.
"""

from __future__ import annotations

import numpy as np

_U8 = np.uint8
_U32 = np.uint32
_U64 = np.uint64

#: CRC32c (Castagnoli) reflected polynomial, used by the SCTP checksum
#: (RFC 4960 section 6.8 and Appendix B; RFC 3309).
CRC32C_POLY_REFLECTED = 0x82F63B78


def _crc32c_table() -> np.ndarray:
    table = np.arange(256, dtype=np.uint32)
    for _ in range(8):
        table = np.where(table & 1, (table >> 1) ^ np.uint32(CRC32C_POLY_REFLECTED), table >> 1)
    return table.astype(np.uint32)


_CRC32C = _crc32c_table()


# --------------------------------------------------------------------------- writers

def put_be(pkts: np.ndarray, offset: int, width: int, values) -> None:
    """Write unsigned integers big-endian (network byte order) into every row."""
    v = np.asarray(values, dtype=_U64)
    for i in range(width):
        shift = np.uint64(8 * (width - 1 - i))
        pkts[:, offset + i] = ((v >> shift) & np.uint64(0xFF)).astype(_U8)


def decimal_digits(values, width: int) -> np.ndarray:
    """ASCII decimal digits, zero-padded to a fixed width: (n,) -> (n, width)."""
    v = np.array(values, dtype=_U64, copy=True).reshape(-1)
    out = np.empty((v.size, width), dtype=_U8)
    ten = np.uint64(10)
    for i in range(width - 1, -1, -1):
        out[:, i] = (v % ten).astype(_U8) + _U8(48)
        v //= ten
    return out


def fixed_point_text(values, int_digits: int, frac_digits: int) -> np.ndarray:
    """Signed fixed-point text of constant width, e.g. ``+42.700000``.

    Width is 1 (sign) + int_digits + 1 (point) + frac_digits. Rounding is
    half-to-even on ``|x| * 10**frac_digits``, exactly as :func:`fixed_point_str`.
    """
    x = np.asarray(values, dtype=np.float64).reshape(-1)
    scaled = np.rint(np.abs(x) * (10.0 ** frac_digits)).astype(np.uint64)
    scale = np.uint64(10 ** frac_digits)
    whole = scaled // scale
    frac = scaled % scale
    n = x.size
    out = np.empty((n, 2 + int_digits + frac_digits), dtype=_U8)
    out[:, 0] = np.where(np.signbit(x) & (scaled > 0), ord("-"), ord("+"))
    out[:, 1:1 + int_digits] = decimal_digits(whole, int_digits)
    out[:, 1 + int_digits] = ord(".")
    out[:, 2 + int_digits:] = decimal_digits(frac, frac_digits)
    return out


def fixed_point_str(value: float, int_digits: int, frac_digits: int) -> str:
    """Scalar twin of :func:`fixed_point_text` (used by the one-by-one builder)."""
    scaled = int(np.rint(abs(float(value)) * (10.0 ** frac_digits)))
    whole, frac = divmod(scaled, 10 ** frac_digits)
    sign = "-" if (value < 0 and scaled > 0) else "+"
    return f"{sign}{whole:0{int_digits}d}.{frac:0{frac_digits}d}"


def utc_text(epoch_s, fmt: str) -> np.ndarray:
    """UTC timestamps as ASCII: ``fmt`` is 'iso' (YYYY-MM-DDThh:mm:ss, 19 chars)
    or 'compact' (YYYYMMDDhhmmss, 14 chars)."""
    secs = np.floor(np.asarray(epoch_s, dtype=np.float64)).astype("int64").reshape(-1)
    text = np.datetime_as_string(secs.astype("datetime64[s]"), unit="s")
    raw = np.frombuffer(text.astype("S19").tobytes(), dtype=_U8).reshape(-1, 19)
    if fmt == "iso":
        return raw.copy()
    if fmt == "compact":
        keep = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]
        return raw[:, keep].copy()
    raise ValueError(f"unknown timestamp format {fmt!r}")


# --------------------------------------------------------------------------- checksums

def _fold16(s: np.ndarray) -> np.ndarray:
    s = (s & np.uint64(0xFFFF)) + (s >> np.uint64(16))
    s = (s & np.uint64(0xFFFF)) + (s >> np.uint64(16))
    s = (s & np.uint64(0xFFFF)) + (s >> np.uint64(16))
    return s


def ones_complement_sum(block: np.ndarray) -> np.ndarray:
    """Sum of 16-bit big-endian words per row (RFC 1071), unfolded, as uint64.
    An odd trailing byte is padded with zero."""
    n, w = block.shape
    even = w - (w % 2)
    words = np.ascontiguousarray(block[:, :even]) if not _rows_contiguous(block) else block[:, :even]
    s = words.view(">u2").sum(axis=1, dtype=np.uint64)
    if w % 2:
        s += block[:, -1].astype(np.uint64) << np.uint64(8)
    return s


def _rows_contiguous(block: np.ndarray) -> bool:
    return block.ndim == 2 and block.strides[1] == 1


def set_ipv4_checksum(pkts: np.ndarray, ip_off: int = 0) -> None:
    """Recompute the IPv4 header checksum (RFC 791, RFC 1071) of every row."""
    pkts[:, ip_off + 10:ip_off + 12] = 0
    s = _fold16(ones_complement_sum(pkts[:, ip_off:ip_off + 20]))
    put_be(pkts, ip_off + 10, 2, (~s) & np.uint64(0xFFFF))


def set_l4_checksum(pkts: np.ndarray, proto: int, csum_off: int, ip_off: int = 0) -> None:
    """Recompute a UDP (RFC 768) or TCP (RFC 793) checksum over the IPv4
    pseudo-header and the whole segment. ``csum_off`` is relative to the L4 start."""
    l4 = ip_off + 20
    pkts[:, l4 + csum_off:l4 + csum_off + 2] = 0
    seg_len = pkts.shape[1] - l4
    pseudo = ones_complement_sum(pkts[:, ip_off + 12:ip_off + 20])
    pseudo += np.uint64(proto) + np.uint64(seg_len)
    s = _fold16(pseudo + ones_complement_sum(pkts[:, l4:]))
    c = (~s) & np.uint64(0xFFFF)
    if proto == 17:
        c = np.where(c == 0, np.uint64(0xFFFF), c)  # RFC 768: zero is sent as all ones
    put_be(pkts, l4 + csum_off, 2, c)


def crc32c_rows(block: np.ndarray) -> np.ndarray:
    """CRC32c of every row (loop over byte positions, vectorised over rows)."""
    crc = np.full(block.shape[0], 0xFFFFFFFF, dtype=_U32)
    for j in range(block.shape[1]):
        crc = _CRC32C[(crc ^ block[:, j]) & 0xFF] ^ (crc >> np.uint32(8))
    return crc ^ np.uint32(0xFFFFFFFF)


def set_sctp_checksum(pkts: np.ndarray, ip_off: int = 0) -> None:
    """Recompute the SCTP CRC32c checksum (RFC 4960 section 6.8 / Appendix B)."""
    l4 = ip_off + 20
    pkts[:, l4 + 8:l4 + 12] = 0
    crc = crc32c_rows(pkts[:, l4:])
    # Appendix B: the CRC is transmitted least significant byte first.
    for i in range(4):
        pkts[:, l4 + 8 + i] = ((crc >> np.uint32(8 * i)) & np.uint32(0xFF)).astype(_U8)


# --------------------------------------------------------------------------- GSM 7-bit

def gsm7_pack(septets: np.ndarray) -> np.ndarray:
    """Pack 7-bit characters LSB first (3GPP TS 23.038 section 6.1.2.1.1):
    (n, k) septets -> (n, ceil(7k/8)) octets."""
    n, k = septets.shape
    bits = (septets[:, :, None] >> np.arange(7, dtype=_U8)) & _U8(1)
    bits = bits.reshape(n, 7 * k)
    m = (7 * k + 7) // 8
    pad = 8 * m - 7 * k
    if pad:
        bits = np.concatenate([bits, np.zeros((n, pad), dtype=_U8)], axis=1)
    return np.packbits(bits.reshape(n, m, 8), axis=2, bitorder="little").reshape(n, m)


def gsm7_pack_bytes(text: bytes) -> bytes:
    """Scalar GSM 7-bit packer, written independently of :func:`gsm7_pack`."""
    out = bytearray()
    acc = 0
    nbits = 0
    for c in text:
        acc |= (c & 0x7F) << nbits
        nbits += 7
        while nbits >= 8:
            out.append(acc & 0xFF)
            acc >>= 8
            nbits -= 8
    if nbits:
        out.append(acc & 0xFF)
    return bytes(out)
