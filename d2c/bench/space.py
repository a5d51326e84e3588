"""The space segment's benchmark: ``state`` + ``plan_beams`` over Italy, timed.

The figure quoted in reports (Italy, 10,000 areas, 4,320 one-minute steps)::

    >>> from d2c.bench.space import bench_space
    >>> result = bench_space(n_areas=10_000, steps=4_320)   # doctest: +SKIP
    >>> result["seconds"]                                    # doctest: +SKIP
"""

from __future__ import annotations

import datetime as _dt
import time

import numpy as np

from d2c.space.linkbudget import SERVICE_NONE
from d2c.space.provider import load_provider
from d2c.space.segment import SpaceSegment

__all__ = ["bench_space"]

# Satellite ground stations in Italy used by the benchmark (approximate positions):
# Fucino (Telespazio), Lario (Telespazio), Matera (Centro di Geodesia Spaziale).
_BENCH_GATEWAYS_DEG = ((41.98, 13.60), (45.81, 9.30), (40.65, 16.70))


def bench_space(
    n_areas: int = 10_000,
    steps: int = 4_320,
    preset: str = "starlink-dtc",
    step_s: float = 60.0,
    seed: int = 0,
) -> dict[str, float]:
    """Time ``state`` + ``plan_beams`` for areas spread over Italy (lat 36.5-47.1, lon 6.6-18.5).

    Every area is in need, with heavy-tailed demand; three gateways, all working. Returns
    the wall time and a few counts so a run can be sanity-checked.
    """
    rng = np.random.default_rng(seed)
    lat = rng.uniform(36.5, 47.1, n_areas)
    lon = rng.uniform(6.6, 18.5, n_areas)
    demand = 1.0 + rng.pareto(1.2, n_areas)
    gw = np.array(_BENCH_GATEWAYS_DEG)
    epoch = _dt.datetime(2024, 9, 28, 0, 0, tzinfo=_dt.timezone.utc)
    t_build = time.perf_counter()
    seg = SpaceSegment(load_provider(preset), lat, lon, gw[:, 0], gw[:, 1], epoch)
    build_s = time.perf_counter() - t_build
    need = np.ones(n_areas, dtype=bool)
    gw_ok = np.ones(len(gw), dtype=bool)
    beams = covered = served = 0
    t0 = time.perf_counter()
    for i in range(steps):
        st = seg.state(epoch + _dt.timedelta(seconds=i * step_s), gw_ok)
        plan = seg.plan_beams(st, need, demand)
        beams += plan.n_beams
        covered += int(plan.under_beam.sum())
        served += int((st.service > SERVICE_NONE).sum())
    seconds = time.perf_counter() - t0
    return {
        "seconds": seconds,
        "build_seconds": build_s,
        "ms_per_step": 1000.0 * seconds / max(steps, 1),
        "cells": float(seg.n_cells),
        "mean_beams": beams / max(steps, 1),
        "mean_areas_under_beam": covered / max(steps, 1),
        "mean_areas_with_service": served / max(steps, 1),
    }
