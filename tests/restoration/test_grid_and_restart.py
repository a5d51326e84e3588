"""The grid back along a restoration curve, and the restart lag after each power return, against hand figures."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from d2c.restoration.grid import GridCurve
from d2c.restoration.restart import RestartLag
from d2c.restoration.settings import RestorationSettings

H = 3600.0
N = 4000
# half the lost feeds back 1 h after their loss, all of them by 4 h (linear in between)
CURVE = ((0.0, 0.0), (1.0, 0.5), (4.0, 1.0))


def share_back(curve: GridCurve, t_s: float, down: np.ndarray) -> float:
    return 1.0 - float(curve.apply(t_s, down).sum()) / float(down.sum())


def test_lost_feeds_come_back_along_the_curve():
    grid = GridCurve(CURVE, N, key=5, stream=20)
    down = np.ones(N, dtype=bool)
    assert share_back(grid, 3 * H, down) == 0.0  # lost at 3 h: nothing back yet (the curve starts at 0)
    # with N = 4000, the share back is within 0.03 of the curve (binomial standard error at most 0.008)
    assert share_back(grid, 3.5 * H, down) == pytest.approx(0.25, abs=0.03)  # half an hour: half of 0.5
    assert share_back(grid, 4 * H, down) == pytest.approx(0.5, abs=0.03)
    assert share_back(grid, 5.5 * H, down) == pytest.approx(0.75, abs=0.03)  # 2.5 h: 0.5 + 1.5 / 3 x 0.5
    assert share_back(grid, 7 * H, down) == 1.0  # 4 h after the loss, every feed is back
    assert np.all(grid.losses == 1)


def test_a_feed_is_back_when_the_hazard_ends_and_a_new_loss_draws_afresh():
    grid = GridCurve(CURVE, N, key=5, stream=20)
    down = np.ones(N, dtype=bool)
    grid.apply(0.0, down)
    first_wait_s = grid.back_s.copy()
    up = np.zeros(N, dtype=bool)
    assert not grid.apply(0.25 * H, up).any()  # the blackout ended: every feed is back, whatever the curve says
    assert np.all(np.isinf(grid.back_s))
    # lost again at 10 h: back times follow the curve from the new loss, with new draws
    grid.apply(10 * H, down)
    assert share_back(grid, 11 * H, down) == pytest.approx(0.5, abs=0.03)
    assert np.all(grid.losses == 2)
    second_wait_s = grid.back_s - 10 * H
    assert np.mean(np.isclose(second_wait_s, first_wait_s)) < 0.01


def test_only_the_feeds_that_are_down_are_affected():
    grid = GridCurve(CURVE, 4, key=5, stream=20)
    down = np.array([True, False, True, False])
    out = grid.apply(0.0, down)
    assert out.tolist() == [True, False, True, False]
    assert grid.losses.tolist() == [1, 0, 1, 0] and np.isinf(grid.back_s[[1, 3]]).all()


def test_a_feed_is_back_at_its_return_time_itself():
    grid = GridCurve(CURVE, 3, key=5, stream=20)
    down = np.ones(3, dtype=bool)
    grid.apply(0.0, down)
    back_s = grid.back_s[0]
    assert grid.apply(np.nextafter(back_s, 0.0), down)[0] and not grid.apply(back_s, down)[0]


def test_without_a_curve_nothing_is_drawn():
    # the restoration builds one even when the scenario gives no curve (the grid then comes back by crews)
    grid = GridCurve((), 3, key=5, stream=20)
    assert grid.hours.size == 0 and grid.shares.size == 0 and not grid.losses.any()


# ------------------------------------------------------------------- restart lag

def stand_in_world(site_operators: list[int], nodes: int = 2) -> SimpleNamespace:
    """What RestartLag reads of a World: transport nodes first, then cell sites of operators TIM (0) / WindTre (1)."""
    n_sites = len(site_operators)
    return SimpleNamespace(n_equipment=nodes + n_sites, operators=["TIM", "WindTre"],
                           site_operator=np.array(site_operators),
                           slices={"node": slice(0, nodes), "site": slice(nodes, nodes + n_sites)})


def lag(**settings) -> RestorationSettings:
    return RestorationSettings(**{"restart_lag_beta": 0.0, **settings})


def test_sites_restart_after_their_operator_lag_and_nodes_at_once():
    # TIM's sites take 10 min, the others the default 30 min; transport nodes none (their DC plant carries them)
    world = stand_in_world([0, 1, 0, 1])
    settings = lag(restart_lag_median_minutes=30.0, operator_restart_lag={"TIM": (10.0, 0.0), "Iliad": (1.0, 0.0)})
    restart = RestartLag(world, settings, key=1)
    off, on = np.zeros(6, dtype=bool), np.ones(6, dtype=bool)
    assert not restart.apply(0.0, off).any()
    assert restart.apply(600.0, on).tolist() == [True, True, False, False, False, False]
    assert restart.apply(1199.0, on).tolist() == [True, True, False, False, False, False]
    assert restart.apply(1200.0, on).tolist() == [True, True, True, False, True, False]  # 600 s + 10 min
    assert restart.apply(2399.0, on).tolist() == [True, True, True, False, True, False]
    assert restart.apply(2400.0, on).all()  # 600 s + 30 min
    assert restart.returns.tolist() == [0, 0, 1, 1, 1, 1]  # once per return, not once per powered step


def test_each_power_return_costs_one_restart():
    world = stand_in_world([0])
    restart = RestartLag(world, lag(restart_lag_median_minutes=20.0), key=1)
    on, off = np.ones(3, dtype=bool), np.zeros(3, dtype=bool)
    restart.apply(0.0, on)  # powered from the start: nothing to restart
    assert restart.apply(60.0, on).all() and restart.returns[2] == 0
    restart.apply(120.0, off)
    assert not restart.apply(180.0, on)[2]  # back at 180 s: up at 180 + 1200 s
    assert restart.apply(1380.0, on)[2]
    restart.apply(2000.0, off)
    restart.apply(3000.0, on)
    assert not restart.apply(4199.0, on)[2] and restart.apply(4200.0, on)[2]  # 3000 + 1200 s
    assert restart.returns[2] == 2


def test_restart_lags_spread_lognormally_about_their_median():
    # 4000 sites, median 60 min, beta 0.5: half restart within 60 min, 84.13% within 60 x e^0.5 = 98.9 min
    world = stand_in_world([0] * N, nodes=0)
    restart = RestartLag(world, lag(restart_lag_median_minutes=60.0, restart_lag_beta=0.5), key=3)
    restart.apply(0.0, np.zeros(N, dtype=bool))
    restart.apply(0.0, np.ones(N, dtype=bool))
    up_60 = restart.apply(60 * 60.0, np.ones(N, dtype=bool)).mean()
    up_99 = restart.apply(98.9 * 60.0, np.ones(N, dtype=bool)).mean()
    assert up_60 == pytest.approx(0.5, abs=0.03) and up_99 == pytest.approx(0.8413, abs=0.03)


def test_the_same_power_state_in_a_new_array_gives_the_same_answer():
    # the stage is handed a new array each time the power state may have changed, even when it has not
    world = stand_in_world([0])
    restart = RestartLag(world, lag(restart_lag_median_minutes=20.0), key=1)
    restart.apply(0.0, np.array([True, True, False]))
    first = restart.apply(60.0, np.array([True, True, True]))  # the site is back: up at 60 + 1200 s
    again = restart.apply(120.0, np.array([True, True, True]))
    assert first.tolist() == again.tolist() == [True, True, False]
    assert restart.apply(1260.0, np.array([True, True, True])).tolist() == [True, True, True]


def test_the_same_lost_feeds_in_a_new_array_give_the_same_answer():
    grid = GridCurve(CURVE, 3, key=5, stream=20)
    first = grid.apply(0.0, np.ones(3, dtype=bool))
    again = grid.apply(0.0, np.ones(3, dtype=bool))
    assert first.tolist() == again.tolist() == [True, True, True]  # the curve brings nothing back at once
    assert not grid.apply(4 * H, np.ones(3, dtype=bool)).any()  # and everything within 4 h
