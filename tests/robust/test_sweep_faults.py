"""A sweep on a real local Dask cluster whose worker processes are killed (SIGKILL, from outside) while it runs:
the result equals a clean sweep's, or the failure is one line naming the seed whose worker died.

Kills follow the scheduler's view (a worker that is running a seed) or the worker processes as they appear,
never the clock, so the tests say the same on a busy machine.
"""

from __future__ import annotations

import json
import logging
import os
import random
import re
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import psutil
import pytest

from d2c.cluster import ClusterError

from .conftest import SMALL_TOPOLOGY, scenario_text, write

D2C = [sys.executable, "-m", "d2c"]
QUAKE = "[{kind: earthquake, at: T+10m, lat: 42.05, lon: 13.0, magnitude: 6.3}]"
SWEEP = ["sweep", "s.yaml", "--seeds", "6", "--workers", "2"]


def _workers(parent: psutil.Process) -> list[psutil.Process]:
    """The Dask worker processes of a ``d2c sweep`` (its multiprocessing children, not their helpers)."""
    found = []
    try:
        children = parent.children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    for child in children:
        try:
            if "spawn_main" in " ".join(child.cmdline()):
                found.append(child)
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
    return found


def _sweep(folder: Path, json_name: str, kills: int, seed: int, env: dict | None = None):
    """Run ``d2c sweep``; kill ``kills`` of its worker processes at random moments while it runs."""
    rng = random.Random(seed)
    proc = subprocess.Popen(D2C + SWEEP + ["--json", json_name], cwd=folder, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env={**os.environ, **(env or {})})
    parent = psutil.Process(proc.pid)
    killed, deadline = [], time.monotonic() + 900
    while proc.poll() is None and len(killed) < kills and time.monotonic() < deadline:
        alive = [w for w in _workers(parent) if w.pid not in killed]
        if not alive:
            time.sleep(0.05)
            continue
        time.sleep(rng.uniform(0.2, 1.5))
        victim = rng.choice(alive)
        try:
            victim.send_signal(signal.SIGKILL)
            killed.append(victim.pid)
        except psutil.NoSuchProcess:
            pass
    _, err = proc.communicate(timeout=900)
    return proc.returncode, err.decode(), len(killed)


SEEDS = list(range(7, 13))  # the scenario's seed and the next five, as `d2c sweep --seeds 6` runs them


@pytest.fixture(scope="module")
def scenario(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("sweep")
    write(folder, "small.yaml", SMALL_TOPOLOGY)
    return write(folder, "s.yaml", scenario_text(QUAKE, duration="12h"))


@contextmanager
def _cluster(allowed_failures: int):
    """A local cluster of two worker processes, owned by the test (so that it can see which worker runs what)."""
    import dask
    from distributed import Client, LocalCluster

    with dask.config.set({"distributed.scheduler.allowed-failures": allowed_failures}):
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                               silence_logs=logging.CRITICAL)
        client = Client(cluster)
    try:
        yield cluster.scheduler_address, client
    finally:
        client.close()
        cluster.close()


def _sweep_killing_busy_workers(path: Path, address: str, client, kills: int):
    """Sweep on the cluster at ``address``; meanwhile SIGKILL the process of a worker that is running a seed."""
    from d2c.sweep import sweep

    killed = 0
    with ThreadPoolExecutor(1) as pool:
        job = pool.submit(sweep, path, SEEDS, scheduler=address)
        deadline = time.monotonic() + 900
        while not job.done() and killed < kills and time.monotonic() < deadline:
            busy = [addr for addr, keys in client.processing().items() if keys]
            if not busy:
                time.sleep(0.05)
                continue
            try:  # the worker's own answer, from its event loop (its one thread runs the seed)
                pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
            except Exception:  # noqa: BLE001 - it finished or died meanwhile: look again
                continue
            os.kill(pid, signal.SIGKILL)
            killed += 1
            while busy[0] in client.scheduler_info()["workers"] and not job.done():
                time.sleep(0.05)  # until the scheduler has seen it die
        try:
            return job.result(timeout=900), None, killed
        except ClusterError as exc:
            return None, exc, killed


@pytest.fixture(scope="module")
def clean(scenario) -> dict:
    from d2c.sweep import sweep

    with _cluster(allowed_failures=3) as (address, _):
        return sweep(scenario, SEEDS, scheduler=address).to_dict()


def test_workers_killed_under_running_seeds_are_replaced_and_the_sweep_equals_a_clean_one(scenario, clean):
    with _cluster(allowed_failures=3) as (address, client):
        result, error, killed = _sweep_killing_busy_workers(scenario, address, client, kills=2)
    assert error is None, error
    assert killed >= 1  # a worker died under a running seed before the sweep ended
    assert result.to_dict() == clean


def test_a_worker_killed_under_a_seed_with_no_retries_left_is_one_line_naming_the_seed(scenario, clean):
    with _cluster(allowed_failures=0) as (address, client):
        result, error, killed = _sweep_killing_busy_workers(scenario, address, client, kills=1)
    if killed == 0:  # the sweep ended before a seed was seen running: it must still be right
        assert result.to_dict() == clean
        return
    assert result is None
    assert re.fullmatch(r"seed (\d+): the worker running it died( 1 times)? \(out of memory, or killed\); stopped",
                        str(error)), str(error)
    assert int(re.match(r"seed (\d+)", str(error)).group(1)) in SEEDS


@pytest.mark.slow
def test_the_command_lines_own_workers_killed_at_random_still_give_the_clean_sweep(scenario, clean):
    # kills land anywhere: while the cluster starts (it is started again), between or under runs
    status, err, killed = _sweep(scenario.parent, "faulted.json", kills=2, seed=11)
    assert status == 0, err
    assert killed >= 1
    assert json.loads((scenario.parent / "faulted.json").read_text()) == clean


def test_a_cluster_whose_worker_dies_while_it_starts_is_started_again(monkeypatch):
    from d2c import cluster as cluster_module

    attempts = []

    def flaky(**kwargs):
        attempts.append(kwargs["n_workers"])
        if len(attempts) < cluster_module.START_ATTEMPTS:
            raise RuntimeError("Nanny failed to start.\nthe worker process died")
        return "started"

    assert cluster_module._local_cluster(flaky, 2) == "started"
    assert attempts == [2] * cluster_module.START_ATTEMPTS

    def dead(**kwargs):
        raise RuntimeError("Nanny failed to start.\nthe worker process died")

    with pytest.raises(ClusterError) as caught:
        cluster_module._local_cluster(dead, 2)
    assert str(caught.value) == ("the local Dask cluster of 2 worker(s) did not start in "
                                 f"{cluster_module.START_ATTEMPTS} attempts (Nanny failed to start.)")
