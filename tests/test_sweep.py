"""Seed sweeps on a real Dask cluster started by the test (a local one, two worker processes)."""

from dataclasses import replace

import pytest

from d2c.config.scenario import load_scenario
from d2c.engine import Simulation
from d2c.sweep import run_seed, sweep

QUAKE = "[{kind: earthquake, at: T+10m, lat: 42.05, lon: 13.0, magnitude: 6.3}]"


def test_a_sweep_on_dask_equals_the_runs_one_by_one(small):
    path = small(QUAKE, duration="3h")
    seeds = [1, 2, 3, 4, 5]
    result = sweep(path, seeds, workers=2)
    assert [run.seed for run in result.runs] == seeds
    for run in result.runs:
        direct = Simulation(replace(load_scenario(path), seed=run.seed)).run().summary
        assert run.figures["emergency_service_survival"] == direct["emergency_service_survival"]
        assert run.figures["peak_sites_down_fraction"] == direct["peak_sites_down_fraction"]
        assert len(run.hourly_survival) == 3
    # an Mw 6.3 under the villages does not break the same things every time
    assert len({run.figures["peak_sites_down_fraction"] for run in result.runs}) > 1
    pct = result.percentiles()["peak_sites_down_fraction"]
    assert pct["p5"] <= pct["p50"] <= pct["p95"]
    band = result.survival_band()
    assert all(lo <= mid <= hi for lo, mid, hi in zip(band["p5"], band["p50"], band["p95"]))


def test_run_seed_is_reproducible(small):
    path = str(small(QUAKE, duration="1h"))
    assert run_seed(path, 7) == run_seed(path, 7)


def test_a_seed_reports_the_most_sites_down_by_damage(small):
    # An attack destroys S1 and S2 at T+10m and nothing repairs them within the hour:
    # two sites down by damage at most (S3, chained under S2, is down by backhaul, not damage).
    path = str(small("[{kind: attack, actions: [{at: T+10m, destroy: [S1, S2]}]}]", duration="1h",
                     extra="restoration: off"))
    assert run_seed(path, 1).figures["peak_sites_down_by_damage"] == 2


def test_a_bad_scenario_fails_before_any_worker_starts(small, tmp_path):
    from d2c.base.errors import ConfigError

    bad = small("[{kind: earthquake, at: T+10m, lat: 200, lon: 13.0, magnitude: 6.3}]")
    with pytest.raises(ConfigError, match="lat"):
        sweep(bad, [1, 2])


def test_the_sweep_reads_the_scenario_once_and_ships_it(small, monkeypatch):
    # the file is replaced by garbage as soon as it has been read: the workers never read it again
    import d2c.sweep as sweep_module

    path = small(QUAKE, duration="1h")
    real = sweep_module.load_scenario

    def read_then_spoil(p, *args, **kwargs):
        scenario = real(p, *args, **kwargs)
        path.write_text("name: [unclosed\n")
        return scenario

    monkeypatch.setattr(sweep_module, "load_scenario", read_then_spoil)
    result = sweep(path, [1, 2], workers=1)
    assert [run.seed for run in result.runs] == [1, 2]


def test_an_unreachable_scheduler_is_one_line_within_seconds(small):
    import time

    from d2c.cluster import ClusterError

    started = time.monotonic()
    with pytest.raises(ClusterError, match="no Dask scheduler answered"):
        sweep(small(QUAKE, duration="1h"), [1], scheduler="tcp://127.0.0.1:1")
    assert time.monotonic() - started < 20


def test_a_seed_whose_worker_keeps_dying_is_named(small, monkeypatch):
    from d2c.cluster import ClusterError

    import dask

    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        with pytest.raises(ClusterError, match=r"seed 3: the worker running it died 2 times"):
            sweep(small(QUAKE, duration="1h"), [1, 2, 3], workers=1, run=_die_on_seed_3)


def _die_on_seed_3(scenario, seed):
    import os

    if seed == 3:
        os._exit(1)  # the worker process dies, as with the OOM killer
    return run_seed(scenario, seed)
