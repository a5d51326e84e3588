"""One provider's run tallied step by step (d2c/compare/tally.py), on series worked out by hand."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from d2c.compare.tally import RunFigures, Tally


def _state(t_s: float, no_path_share) -> SimpleNamespace:
    """The two parts of a StepState a tally reads."""
    return SimpleNamespace(t_s=t_s, service=SimpleNamespace(people_share_no_path=np.array(no_path_share, float)))


def _tally(population, step_s, shares) -> RunFigures:
    tally = Tally(np.array(population), step_s)
    for k, share in enumerate(shares):
        tally.add(_state(k * step_s, share))
    return tally.figures()


def test_half_hour_steps_by_hand():
    # Two areas of 100 and 300 people, five half-hour steps. People without a path:
    # 0, 100, 100 + 150 = 250, 300, 50; person-hours (0 + 100 + 250 + 300 + 50) x 0.5 = 350;
    # the worst instant 300 of 400 = 0.75 at 1.5 h; hour by hour the means (0 + 100) / 2 = 50,
    # (250 + 300) / 2 = 275, and the last, one step long, 50.
    got = _tally([100, 300], 1800.0, [[0, 0], [1, 0], [1, 0.5], [0, 1], [0.5, 0]])
    assert got == RunFigures(person_hours_without_112=350.0, worst_share_without_112=0.75, worst_at_s=5400.0,
                             hourly_people_without_112=(50.0, 275.0, 50.0))
    assert got.to_dict() == {"person_hours_without_112": 350.0, "worst_share_without_112": 0.75,
                             "worst_at_s": 5400.0, "hourly_people_without_112": [50.0, 275.0, 50.0]}


def test_one_minute_steps_make_hours_of_sixty():
    # 120 one-minute steps: 30 people without a path for the first 90 minutes, then none.
    # Hour 1: 30; hour 2: 30 x 30 / 60 = 15. Person-hours 30 x 1.5 = 45.
    got = _tally([60], 60.0, [[0.5]] * 90 + [[0.0]] * 30)
    assert got.hourly_people_without_112 == (30.0, 15.0)
    assert got.person_hours_without_112 == 45.0
    assert got.worst_share_without_112 == 0.5 and got.worst_at_s == 0.0


def test_steps_longer_than_an_hour_are_an_hour_each():
    # two-hour steps: each step is its own entry (10 and 40 people), person-hours (10 + 40) x 2 = 100
    got = _tally([40], 7200.0, [[0.25], [1.0]])
    assert got.hourly_people_without_112 == (10.0, 40.0)
    assert got.person_hours_without_112 == 100.0
    assert got.worst_at_s == 7200.0


def test_hourly_means_to_three_decimals():
    # 3 people, a ninth of them without a path: 1/3 of a person, kept as 0.333
    assert _tally([3], 3600.0, [[1 / 9]]).hourly_people_without_112 == (0.333,)


def test_nobody_without_a_path_has_no_worst_instant():
    got = _tally([100, 300], 1800.0, [[0, 0]] * 4)
    assert got == RunFigures(0.0, 0.0, None, (0.0, 0.0))


def test_a_run_with_no_step_has_no_figures():
    assert _tally([100], 60.0, []) == RunFigures(0.0, 0.0, None, ())
