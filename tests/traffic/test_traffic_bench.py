"""Benchmarks: templates vs scapy one by one (same run), and replay throughput.

Targets from the design: generation >= 50x faster than building each packet
with scapy, replay >= 1,000,000 packets/s. Sizes are small to keep the test
quick; `python -m d2c.bench traffic` runs the full measurement.
"""

from __future__ import annotations

from d2c.bench.traffic import bench_traffic


def test_bench_traffic_meets_targets():
    out = bench_traffic(n_template=100_000, n_scapy=800, n_areas=200, steps=3)
    gen, rep = out["generation"], out["replay"]
    assert gen["rtp"]["ratio"] >= 50
    assert gen["invite"]["ratio"] >= 20          # 1.7 kB text with 16 fields: reported, ~90x
    assert gen["call_mix"]["ratio"] >= 50
    assert rep["packets"] > 1_000_000
    assert rep["packets_per_s"] >= 1_000_000
