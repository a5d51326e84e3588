"""Classic pcap files (libpcap format, microsecond timestamps, LINKTYPE_RAW:
each record is a bare IPv4 packet), assembled with numpy and written
atomically: a temporary file in the target directory, then ``os.replace``.
"""

from __future__ import annotations

import os
from typing import Iterator

import numpy as np

from d2c.report.files import write_atomic

from .capture import TRAFFIC_KINDS, PacketGroup, packet_groups
from .outcomes import TrafficResult

#: pcap global header fields (libpcap file format, tcpdump.org "pcap-savefile";
#: draft-ietf-opsawg-pcap): magic for microsecond resolution, version 2.4.
PCAP_MAGIC_US = 0xA1B2C3D4
PCAP_VERSION = (2, 4)
#: LINKTYPE_RAW: the packet begins with an IPv4 or IPv6 header (tcpdump.org link types).
LINKTYPE_RAW = 101
SNAPLEN = 65535
_RECORD_HEADER = 16
#: Packets materialised per write chunk (bounds memory for large captures).
CHUNK_PACKETS = 1 << 18


def global_header(linktype: int = LINKTYPE_RAW, snaplen: int = SNAPLEN) -> bytes:
    h = np.zeros(1, dtype=[("magic", "<u4"), ("vmaj", "<u2"), ("vmin", "<u2"), ("zone", "<i4"),
                           ("sigfigs", "<u4"), ("snaplen", "<u4"), ("network", "<u4")])
    h["magic"], h["vmaj"], h["vmin"], h["snaplen"], h["network"] = (
        PCAP_MAGIC_US, PCAP_VERSION[0], PCAP_VERSION[1], snaplen, linktype)
    return h.tobytes()


def records(t_us: np.ndarray, lengths: np.ndarray, frames: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """One chunk of pcap records as a flat uint8 buffer.

    ``t_us`` and ``lengths`` are per packet in file order; ``frames`` is a list of
    (positions in this chunk, (m, L) packet bytes) blocks covering every packet.
    """
    sizes = _RECORD_HEADER + lengths
    offsets = np.cumsum(sizes) - sizes
    buf = np.zeros(int(sizes.sum()), dtype=np.uint8)
    hdr = np.empty((t_us.size, 4), dtype="<u4")
    hdr[:, 0] = t_us // 1_000_000
    hdr[:, 1] = t_us % 1_000_000
    hdr[:, 2] = lengths
    hdr[:, 3] = lengths
    hview = hdr.view(np.uint8).reshape(t_us.size, _RECORD_HEADER)
    buf[offsets[:, None] + np.arange(_RECORD_HEADER)] = hview
    for pos, data in frames:
        start = offsets[pos] + _RECORD_HEADER
        buf[start[:, None] + np.arange(data.shape[1])] = data
    return buf


def _select(groups: list[PacketGroup], only: str) -> list[tuple[PacketGroup, np.ndarray]]:
    if only not in ("survivors", "all"):
        raise ValueError(f"only must be 'survivors' or 'all', got {only!r}")
    out = []
    for g in groups:
        idx = np.flatnonzero(g.survived) if only == "survivors" else np.arange(g.t_s.size)
        if idx.size:
            out.append((g, idx))
    return out


def _selected(result: TrafficResult, only: str, kinds) -> list[tuple[PacketGroup, np.ndarray]]:
    return _select(packet_groups(result, kinds), only)


def _sizes(sel: list[tuple[PacketGroup, np.ndarray]]) -> dict[str, tuple[int, int]]:
    out: dict[str, tuple[int, int]] = {}
    for g, idx in sel:
        n, b = out.get(g.traffic, (0, 0))
        out[g.traffic] = (n + idx.size, b + idx.size * (_RECORD_HEADER + g.length))
    return out


def capture_size(result: TrafficResult, only: str = "survivors",
                 kinds=TRAFFIC_KINDS) -> dict[str, tuple[int, int]]:
    """Packets and file bytes (record headers included) per traffic kind, as
    :func:`write_pcap` would write them, without building a packet. The file
    adds its 24-byte global header."""
    return _sizes(_selected(result, only, kinds))


def _record_chunks(result: TrafficResult, sel: list[tuple[PacketGroup, np.ndarray]], chunk_packets: int):
    """Chunks of pcap records of the selected groups, packets in time order."""
    if not sel:
        return
    epoch_us = int(round(result.start_utc.timestamp() * 1_000_000))
    t_us = np.concatenate([np.rint(g.t_s[idx] * 1e6).astype(np.int64) for g, idx in sel]) + epoch_us
    gid = np.concatenate([np.full(idx.size, i, dtype=np.int32) for i, (_, idx) in enumerate(sel)])
    row = np.concatenate([idx for _, idx in sel])
    lengths_by_group = np.array([g.length for g, _ in sel], dtype=np.int64)
    order = np.lexsort((row, gid, t_us))
    for lo in range(0, order.size, chunk_packets):
        part = order[lo:lo + chunk_packets]
        pg, pr = gid[part], row[part]
        frames = []
        for i in np.unique(pg):
            pos = np.flatnonzero(pg == i)
            frames.append((pos, sel[i][0].make(pr[pos])))
        yield records(t_us[part], lengths_by_group[pg], frames)


def _file_chunks(result: TrafficResult, sel: list[tuple[PacketGroup, np.ndarray]], chunk_packets: int):
    yield global_header()
    yield from _record_chunks(result, sel, chunk_packets)


def iter_chunks(result: TrafficResult, only: str = "survivors",
                chunk_packets: int = CHUNK_PACKETS, kinds=TRAFFIC_KINDS) -> Iterator[bytes | np.ndarray]:
    """The pcap file as a stream of byte chunks: global header, then records."""
    yield from _file_chunks(result, _selected(result, only, kinds), chunk_packets)


def write_capture(path: str | os.PathLike, result: TrafficResult, only: str = "survivors",
                  kinds=TRAFFIC_KINDS) -> dict[str, tuple[int, int]]:
    """As :func:`write_pcap`, returning what :func:`capture_size` gives: packets
    and bytes written per traffic kind (the packets' fates are worked out once)."""
    sel = _selected(result, only, kinds)
    write_atomic(path, _file_chunks(result, sel, CHUNK_PACKETS))
    return _sizes(sel)


def write_pcap(path: str | os.PathLike, result: TrafficResult, only: str = "survivors",
               kinds=TRAFFIC_KINDS) -> int:
    """Write the run's packets to ``path`` (pcap, raw IPv4). ``only="survivors"``
    keeps packets that got through, stamped at their arrival time; ``"all"`` adds
    lost packets at their send time. ``kinds`` limits the capture to some of
    :data:`~d2c.traffic.capture.TRAFFIC_KINDS`. Returns the number of packets written."""
    return sum(n for n, _ in write_capture(path, result, only, kinds).values())
