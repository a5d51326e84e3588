"""The flow draws and the voice fates' per-segment counts: the law and the per-packet truth."""

from __future__ import annotations

import numpy as np

from d2c.traffic import timing
from d2c.traffic.draws import FlowDraws
from d2c.traffic.voice import packet_fates, voice_fates


def test_each_area_draws_a_poisson_count_of_mean_rate_times_sample():
    # A Poisson count's mean equals its variance; independent areas have no covariance.
    rate = np.array([0.0, 0.5, 2.0, 5.0, 0.0, 40.0])
    draws = FlowDraws(np.random.default_rng(7), 0.25, rate.size)
    steps = 6000
    counts = np.array([draws.draw(rate, 0.0, 60.0)[0] for _ in range(steps)])
    mean = rate * 0.25
    assert counts[:, [0, 4]].sum() == 0  # an area without demand never draws a flow
    se = np.sqrt(mean / steps)
    assert np.all(np.abs(counts.mean(axis=0) - mean) <= 5 * se + 1e-12)
    var = counts.var(axis=0)
    assert np.allclose(var[[1, 2, 3, 5]], mean[[1, 2, 3, 5]], rtol=0.12)
    corr = np.corrcoef(counts[:, [1, 2, 3, 5]].T)
    assert np.all(np.abs(corr[np.triu_indices(4, 1)]) < 0.06)  # 6,000 draws: one standard error is 0.013


def test_flows_are_sorted_by_area_then_time_within_the_step_and_numbered_per_area():
    rate = np.array([3.0, 0.0, 8.0])
    draws = FlowDraws(np.random.default_rng(3), 1.0, rate.size)
    seen = np.zeros(3, dtype=np.int64)
    for step in range(50):
        counts, area, t = draws.draw(rate, 60.0 * step, 60.0)
        assert np.all((t >= 60.0 * step) & (t < 60.0 * (step + 1)))
        assert np.all(np.diff(area) >= 0) and np.all(np.diff(t)[np.diff(area) == 0] >= 0)
        assert counts.tolist() == np.bincount(area, minlength=3).tolist()
        flow = draws.new_flow_ids(counts)
        # each area's flows continue its own numbering from the steps before
        for a in range(3):
            assert flow[area == a].tolist() == list(range(seen[a], seen[a] + counts[a]))
        seen += counts


def _reference(key, k0, n, loss, rho, carry, salt, buffer_ms):
    """Per-packet arrays counted one stream at a time: lost, late, bursts (a bad packet after a good
    one, the stream's previous packet being ``carry``), the last packet's state."""
    fate = packet_fates(key, k0, n, loss, rho, salt, buffer_ms)
    bad = fate["lost"] | fate["late"]
    out, at = [], 0
    for i, m in enumerate(n):
        b = bad[at:at + m]
        prev = np.concatenate([[carry[i]], b[:-1]]) if m else b
        out.append((int(fate["lost"][at:at + m].sum()), int(fate["late"][at:at + m].sum()),
                    int((b & ~prev).sum()), bool(b[-1]) if m else bool(carry[i])))
        at += m
    return out


def test_voice_fates_count_what_the_packets_show():
    rng = np.random.default_rng(11)
    for _ in range(20):
        segs = int(rng.integers(1, 30))
        key = rng.integers(0, 2**63, segs).astype(np.uint64)
        n = rng.integers(0, 400, segs)
        n[rng.random(segs) < 0.2] = 0
        k0 = rng.integers(0, 5000, segs)
        loss = rng.choice([0.0, 0.01, 0.3], segs)
        rho = rng.choice([0.0, 0.5, 0.97], segs)
        carry = rng.random(segs) < 0.5
        lost, late, bursts, last = voice_fates(key, k0, n, loss, rho, carry, 2, timing.JITTER_BUFFER_MS)
        got = list(zip(lost.tolist(), late.tolist(), bursts.tolist(), last.tolist()))
        assert got == _reference(key, k0, n, loss, rho, carry, 2, timing.JITTER_BUFFER_MS)


def test_a_late_packet_is_one_whose_queueing_wait_exceeds_the_playout_buffer():
    fate = packet_fates(np.array([123, 456], dtype=np.uint64), np.array([0, 10]), np.array([20000, 20000]),
                        np.array([0.0, 0.0]), np.array([0.98, 0.6]), 1, timing.JITTER_BUFFER_MS)
    assert fate["late"].sum() > 0
    assert np.array_equal(fate["late"], fate["wait_ms"] > timing.JITTER_BUFFER_MS)
