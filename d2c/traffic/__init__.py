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

(Its speed: ``d2c.bench.traffic``, ``python -m d2c.bench traffic``.)
"""

from importlib import import_module

# Where each public name lives. The package imports them when first asked for (PEP 562), so that a
# run, which needs only the replay (``stage``, ``replay``), does not import scapy for the capture writer.
_HOMES = {
    "TRAFFIC_KINDS": "capture", "PacketGroup": "capture", "packet_groups": "capture",
    "TrafficResult": "outcomes",
    "capture_size": "pcap", "iter_chunks": "pcap", "write_capture": "pcap", "write_pcap": "pcap",
    "AreaTable": "replay", "StepConditions": "replay", "TrafficStage": "replay",
    "KINDS": "templates", "Template": "templates", "build_with_scapy": "templates", "get_template": "templates",
}


def __getattr__(name: str):
    if name in _HOMES:
        return getattr(import_module(f"{__name__}.{_HOMES[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "AreaTable", "StepConditions", "TrafficStage", "TrafficResult", "write_pcap",
    "PacketGroup", "packet_groups", "iter_chunks", "capture_size", "write_capture", "TRAFFIC_KINDS",
    "KINDS", "Template", "get_template", "build_with_scapy",
]
