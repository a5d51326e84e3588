"""Dask distributed for many runs: a local cluster of worker processes by default, or a scheduler address.

``d2c sweep`` and ``d2c compare`` both map plain functions over many runs;
this is the one place that starts (and always stops) the cluster they use.
Its failures are one line (:class:`ClusterError`): a scheduler that does not
answer within a few seconds, a run whose worker keeps dying (named by the
label the caller gives it, e.g. its seed). A local cluster whose worker dies
while it starts is started again. Ctrl-C stops the cluster too.
"""

from __future__ import annotations

import logging
import signal
import threading
import warnings
from contextlib import contextmanager
from typing import Iterator, Sequence

__all__ = ["CONNECT_TIMEOUT_S", "ClusterError", "dask_client", "gather", "threads_started_without_ctrl_c"]

# A scheduler that does not answer in this time is reported as unreachable (assumed: a LAN or
# local scheduler answers in well under a second; 2-30 s would all do).
CONNECT_TIMEOUT_S = 3


class ClusterError(RuntimeError):
    """The cluster failed in a way the user can act on; the message is one line."""


@contextmanager
def dask_client(scheduler: str | None = None, workers: int = 2) -> Iterator["distributed.Client"]:  # noqa: F821
    """A connected client: to ``scheduler`` when given, else to a new ``LocalCluster`` of worker processes.

    The local cluster (one thread per worker process, no dashboard, its log
    silenced) is closed on exit, whatever happened inside, Ctrl-C included.
    """
    from distributed import Client, LocalCluster

    quiet = logging.getLogger("distributed")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)  # a dying worker or a closing cluster is reported by us, in one line
    # After Ctrl-C, the client's pending gathers end as "Task exception was never retrieved" (AllExit),
    # logged by asyncio whenever they are collected, possibly at exit: not news to the user.
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)
    cluster = client = None
    try:
        if scheduler is None:
            cluster = _local_cluster(LocalCluster, workers)
            client = Client(cluster)
        else:
            import dask

            try:
                with dask.config.set({"distributed.comm.timeouts.connect": f"{CONNECT_TIMEOUT_S}s"}):
                    client = Client(scheduler, timeout=CONNECT_TIMEOUT_S)
            except (OSError, TimeoutError, ValueError, TypeError) as exc:
                raise ClusterError(f"--scheduler {scheduler}: no Dask scheduler answered there within "
                                   f"{CONNECT_TIMEOUT_S} s ({type(exc).__name__})") from None
        yield client
    finally:
        _close(client, cluster)
        quiet.setLevel(level)


# A worker process that dies while the local cluster starts (killed, out of memory) fails the start;
# the start is tried again this many times before a one-line error (assumed: one retry is usually enough).
START_ATTEMPTS = 3


def _local_cluster(local_cluster, workers: int):
    """A started ``LocalCluster`` of ``workers`` processes; a start a dying worker spoiled is tried again."""
    problem = ""
    for _ in range(START_ATTEMPTS):
        cluster = None
        try:
            with _workers_ignore_ctrl_c(), warnings.catch_warnings():
                warnings.simplefilter("ignore")  # "port 8787 in use": nobody looks at this cluster's dashboard
                cluster = local_cluster(n_workers=workers, threads_per_worker=1, processes=True,
                                        dashboard_address=None, silence_logs=logging.CRITICAL)
            return cluster
        except Exception as exc:  # noqa: BLE001 - Dask raises RuntimeError, TimeoutError, OSError here
            problem = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            _close(None, cluster)
    raise ClusterError(f"the local Dask cluster of {workers} worker(s) did not start in {START_ATTEMPTS} attempts "
                       f"({problem})")


@contextmanager
def threads_started_without_ctrl_c() -> Iterator[None]:
    """Threads started inside never take SIGINT: they inherit it blocked; this thread gets it back on exit.

    Wrap the start of helper threads (a terminal spinner) that live during a sweep, so that a
    Ctrl-C while the cluster starts stays pending for the main thread instead of being lost.
    """
    main = threading.current_thread() is threading.main_thread()
    if main:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        if main:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


@contextmanager
def _workers_ignore_ctrl_c() -> Iterator[None]:
    """Start the worker processes with SIGINT ignored (they inherit it); a Ctrl-C meanwhile waits.

    Ctrl-C reaches the whole process group: this process stops the cluster and says so in one
    line, while each worker would print a traceback. SIGINT is also blocked meanwhile, so that
    a Ctrl-C during the start (a few seconds) stays pending (Linux keeps a blocked signal even
    when ignored) and is delivered once the handler is back; threads that exist already must
    have been started with ``threads_started_without_ctrl_c`` for that.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    with threads_started_without_ctrl_c():
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, previous)


def _close(client, cluster) -> None:
    for thing in (client, cluster):
        if thing is None:
            continue
        try:
            thing.close(timeout=10)
        except BaseException:  # noqa: BLE001 - closing after a failure or Ctrl-C: the first problem is reported
            pass


def gather(client, futures: Sequence, labels: Sequence[str]) -> list:
    """The results of ``futures`` in order; a run whose worker kept dying is a ClusterError naming its label."""
    from distributed import KilledWorker, as_completed

    futures = list(futures)
    label_of = {future.key: label for future, label in zip(futures, labels)}
    results, cancelled = {}, None
    for future in as_completed(futures):
        if future.status == "finished":
            results[future.key] = future.result()
        elif future.status == "cancelled":
            cancelled = cancelled or future.key
        else:
            exc = future.exception()
            if isinstance(exc, KilledWorker):
                tries = getattr(exc, "allowed_failures", None)
                times = f" {tries + 1} times" if isinstance(tries, int) else ""
                raise ClusterError(f"{label_of[future.key]}: the worker running it died{times} "
                                   "(out of memory, or killed); stopped") from None
            raise exc
    if cancelled is not None:
        raise ClusterError(f"{label_of[cancelled]}: cancelled by the cluster (a worker or the scheduler stopped)")
    return [results[future.key] for future in futures]
