"""Emergency traffic: scapy-built packets replayed against each step's state.

Public API::

    TrafficStage(areas, start_utc, seed, sample=1.0, call_hold_s=90.0)
        .step(StepConditions) -> None
        .finish() -> TrafficResult
    write_pcap(path, result, only="survivors" | "all", kinds=TRAFFIC_KINDS) -> int
    capture_size(result, only, kinds) -> {kind: (packets, bytes)}   # before writing
    write_capture(path, result, only, kinds) -> {kind: (packets, bytes)}   # write, and say what
    packet_groups(result, kinds) -> list[PacketGroup]   # regenerate the packets of a result
    iter_chunks(result, only) -> iterator of pcap bytes
    get_template(kind) / build_with_scapy(kind, **values)
    bench_traffic() -> dict
"""

from .capture import TRAFFIC_KINDS, PacketGroup, packet_groups
from .metrics import TrafficResult
from .pcap import capture_size, iter_chunks, write_capture, write_pcap
from .replay import AreaTable, StepConditions, TrafficStage
from .templates import KINDS, Template, build_with_scapy, get_template


def bench_traffic(**kwargs) -> dict:
    """Measure packet generation and replay rates (see :mod:`d2c.traffic.bench`)."""
    from .bench import bench_traffic as _bench

    return _bench(**kwargs)


__all__ = [
    "AreaTable", "StepConditions", "TrafficStage", "TrafficResult", "write_pcap",
    "PacketGroup", "packet_groups", "iter_chunks", "capture_size", "write_capture", "TRAFFIC_KINDS",
    "KINDS", "Template", "get_template", "build_with_scapy", "bench_traffic",
]
