"""Crews' working time: a job started near the end of a shift waits for the next one, and hours add up by hand."""

from __future__ import annotations

import numpy as np
import pytest

from d2c.restoration.shifts import Shift

H = 3600.0
# 08:00-18:00 UTC, on a clock that starts at 06:00 UTC: the first shift opens at t = 2 h, closes at t = 12 h,
# the next opens at t = 26 h. Built in each test, not at import, so that every test exercises the constructor.
def day_shift() -> Shift:
    return Shift(start_h=8, hours=10, clock0_s=6 * H)


@pytest.mark.parametrize("t_h, working", [(1.99, False), (2.0, True), (11.99, True), (12.0, False),
                                          (25.0, False), (26.0, True), (-20.0, True), (-23.0, False)])
def test_a_crew_works_inside_its_shift_only(t_h, working):
    # -20 h is 10:00 UTC the day before the clock's start (inside that day's shift); -23 h is 07:00.
    assert bool(day_shift().working(t_h * H)) is working


def test_work_waiting_outside_the_shift_starts_at_the_next_one():
    # 07:00 (t = 1 h) waits for 08:00 (t = 2 h); 19:00 (t = 13 h) waits for 08:00 tomorrow (t = 26 h)
    # and the very end of a shift (t = 12 h, 18:00) is already outside it: the next start is tomorrow's
    starts = day_shift().next_start_s(np.array([1.0, 5.0, 12.0, 13.0]) * H) / H
    assert starts.tolist() == [2.0, 5.0, 26.0, 26.0]


@pytest.mark.parametrize("t0_h, work_h, done_h", [
    (0.0, 3.0, 5.0),     # waits to t = 2 h, works 3 h
    (9.0, 3.0, 12.0),    # exactly the 3 h left in the shift: done at its close, not the next morning
    (9.0, 4.0, 27.0),    # 3 h today, 1 h from t = 26 h tomorrow
    (11.0, 11.0, 36.0),  # 1 h today, then exactly one full 10 h shift: done at tomorrow's close (t = 36 h)
    (11.0, 12.0, 51.0),  # 1 h today, 10 h tomorrow, 1 h the day after (opens at t = 50 h)
    (13.0, 0.5, 26.5),   # after hours: all tomorrow
    (9.0, 3.0 + 0.5 / H, 26.0 + 0.5 / H),  # half a second more than today's 3 h: it spills into tomorrow
])
def test_a_job_finishes_after_its_working_hours_across_shifts(t0_h, work_h, done_h):
    assert float(day_shift().finish_s(t0_h * H, work_h * H)) / H == pytest.approx(done_h)


def test_working_seconds_count_only_shift_hours():
    # t = 0..30 h: shift t = 2..12 h (10 h) and t = 26..30 h (4 h)
    assert float(day_shift().working_seconds(0.0, 30 * H)) / H == pytest.approx(14.0)
    # t = 5..27 h: 7 h today, 1 h tomorrow
    assert float(day_shift().working_seconds(5 * H, 27 * H)) / H == pytest.approx(8.0)
    assert float(day_shift().working_seconds(27 * H, 5 * H)) == 0.0  # an empty interval, never negative


def test_a_24_hour_shift_is_round_the_clock():
    shift = Shift(start_h=8, hours=24, clock0_s=6 * H)
    working = shift.working(np.array([0.0, 1.0, 13.0]) * H)
    assert working.dtype == bool and working.tolist() == [True, True, True]  # a mask, one answer per time
    assert float(shift.next_start_s(13 * H)) == 13 * H
    assert float(shift.finish_s(13 * H, 30 * H)) == 43 * H
    assert float(shift.working_seconds(1 * H, 31 * H)) == 30 * H
    assert float(shift.working_seconds(31 * H, 1 * H)) == 0.0


def test_a_nearly_round_the_clock_shift_still_pauses():
    # 23.5 h from 08:00: off 07:30-08:00 (t = 1.5..2 h on a clock starting at 06:00)
    shift = Shift(start_h=8, hours=23.5, clock0_s=6 * H)
    assert not shift.working(1.75 * H) and shift.working(1.25 * H)
    # one hour of work started at t = 1 h: half an hour before the pause, half an hour after it
    assert float(shift.finish_s(1 * H, 1 * H)) / H == pytest.approx(2.5)
