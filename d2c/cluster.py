"""Dask distributed for many runs: a local cluster of worker processes by default, or a scheduler address.

``d2c sweep`` and ``d2c compare`` both map plain functions over many runs;
this is the one place that starts (and always stops) the cluster they use.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

__all__ = ["dask_client"]


@contextmanager
def dask_client(scheduler: str | None = None, workers: int = 2) -> Iterator["distributed.Client"]:  # noqa: F821
    """A connected client: to ``scheduler`` when given, else to a new ``LocalCluster`` of worker processes.

    The local cluster (one thread per worker process, no dashboard) is closed on exit,
    whatever happened inside.
    """
    from distributed import Client, LocalCluster

    if scheduler is None:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    else:
        cluster, client = None, Client(scheduler)
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
