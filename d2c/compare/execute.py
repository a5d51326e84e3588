"""Running a comparison's tasks: in this process, or on Dask distributed.

On Dask each scenario's task is submitted with retries, so a task whose
worker dies mid-run is run again elsewhere; a task that still fails stops the
comparison with its scenario named, and the result is checked to
hold every (scenario, seed, variant) planned: no run is lost silently.
"""

from __future__ import annotations

from typing import Callable

from d2c.cluster import dask_client
from d2c.compare.tally import RunFigures
from d2c.compare.plan import Task
from d2c.compare.shared import run_shared

__all__ = ["IN_PROCESS", "RETRIES", "Runs", "execute"]

IN_PROCESS = "none"  # --scheduler none: no Dask at all
RETRIES = 2  # each task is retried this many times when its worker is lost or it fails
Runs = dict[tuple[str, int, str], RunFigures]  # (scenario, seed, variant key) -> figures


class RunLost(RuntimeError):
    """A planned run is missing or failed for good."""


def execute(tasks: list[Task], scheduler: str | None = None, workers: int = 2,
            on_progress: Callable[[int, int], None] | None = None) -> Runs:
    """Run every task; ``scheduler``: None for a local cluster, an address, or ``IN_PROCESS``.

    ``on_progress(done, total)`` counts provider runs (a task is as many runs as it has variants).
    """
    total = sum(t.runs for t in tasks)
    progress = on_progress or (lambda done, total: None)
    runs: Runs = {}
    done = 0
    progress(done, total)

    def collect(task: Task, figures: dict[tuple[int, str], RunFigures]) -> None:
        nonlocal done
        for (seed, key), run in figures.items():
            runs[(task.scenario, seed, key)] = run
        done += task.runs
        progress(done, total)

    if scheduler == IN_PROCESS:
        for task in tasks:
            collect(task, run_shared(task.path, [(seed, list(v)) for seed, v in task.seeds]))
    else:
        from distributed import as_completed

        with dask_client(scheduler, workers) as client:
            futures = {client.submit(run_shared, t.path, [(seed, list(v)) for seed, v in t.seeds],
                                     retries=RETRIES, pure=False): t for t in tasks}
            for future in as_completed(futures):
                task = futures[future]
                if future.status != "finished":
                    error = future.exception()
                    raise RunLost(f"{task.scenario} failed after {RETRIES} retries: {error!r}") from error
                collect(task, future.result())
    missing = [(t.scenario, seed, v.key) for t in tasks for seed, variants in t.seeds for v in variants
               if (t.scenario, seed, v.key) not in runs]
    if missing:
        raise RunLost(f"{len(missing)} planned run(s) missing, e.g. {missing[0]}")
    return runs
