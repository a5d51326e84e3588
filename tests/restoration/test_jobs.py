"""The job table: rows appended past its capacity keep every earlier row, and unset columns start as documented."""

from __future__ import annotations

import numpy as np

from d2c.restoration.jobs import BUSY, GENERATOR, REPAIR, WAITING, Jobs


def add(jobs: Jobs, target, **columns) -> np.ndarray:
    """Add jobs on ``target`` with the columns every job must be given (zero unless set)."""
    n = len(target)
    need = {name: np.zeros(n) for name in ("target_kind", "pool", "score", "release_s", "work_s", "travel_s")}
    return jobs.add(target=np.asarray(target), **{**need, **columns})


def test_rows_added_past_the_capacity_keep_the_earlier_ones():
    jobs = Jobs(capacity=2)
    first = add(jobs, [7, 8], release_s=np.array([10.0, 20.0]), action=np.array([GENERATOR] * 2))
    second = add(jobs, [9, 10, 11], release_s=np.array([30.0, 40.0, 50.0]))
    assert first.tolist() == [0, 1] and second.tolist() == [2, 3, 4] and jobs.n == 5
    assert jobs.column("target").tolist() == [7, 8, 9, 10, 11]
    assert jobs.column("release_s").tolist() == [10.0, 20.0, 30.0, 40.0, 50.0]
    assert jobs.column("action").tolist() == [GENERATOR, GENERATOR, REPAIR, REPAIR, REPAIR]
    add(jobs, np.arange(20))  # more than double at once: grows to fit
    assert jobs.n == 25 and jobs.column("target")[5:].tolist() == list(range(20))
    assert jobs.column("target")[:5].tolist() == [7, 8, 9, 10, 11]
    # targets, pools and crews index other arrays: they stay integers when the table grows
    assert all(jobs.column(name).dtype.kind == "i" for name in ("target", "pool", "crew", "status", "action"))
    assert jobs.column("release_s").dtype.kind == "f"


def test_columns_index_other_arrays_from_the_first_row():
    jobs = Jobs()
    add(jobs, [1])
    assert all(jobs.column(name).dtype.kind == "i" for name in ("target", "pool", "crew", "status", "action"))


def test_a_new_job_waits_for_a_crew_with_nothing_scheduled():
    jobs = Jobs()
    add(jobs, [3], work_s=np.array([3600.0]))
    assert jobs.column("status").tolist() == [WAITING] and jobs.column("crew").tolist() == [-1]
    assert np.isinf(jobs.start_s[0]) and np.isinf(jobs.done_s[0]) and np.isinf(jobs.free_s[0])
    assert jobs.tier[0] == 1 and jobs.hours[0] == 0.0 and jobs.unit[0] == 0 and jobs.action[0] == REPAIR
    jobs.status[0] = BUSY
    add(jobs, [4])
    assert jobs.column("status").tolist() == [BUSY, WAITING]
