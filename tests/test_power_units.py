"""The power stage on four pieces of equipment, worked out by hand (docstring of d2c/power.py).

Energy is in seconds of autonomy: a 2 h battery keeps its equipment up 7,200 s off the grid; back on
the grid it refills in 8 h (IEEE Std 1188 / ETSI EN 300 132-2 practice, 0.1 C), so one hour puts back
an eighth of its capacity.
"""

import numpy as np

from d2c.power import PowerState

HOUR = 3600.0


def test_one_site_in_four_off_the_grid_runs_on_battery_then_generator_then_goes_dark():
    # the other three stay on the grid with full batteries: they neither draw nor charge
    power = PowerState.full(np.full(4, 2 * HOUR), np.array([HOUR, 0.0, 0.0, 0.0]))
    grid = np.array([False, True, True, True])
    for _ in range(4):  # two hours in half-hour steps: the battery alone
        powered, on_backup = power.step(grid, HOUR / 2)
        assert powered.tolist() == [True] * 4 and on_backup.tolist() == [True, False, False, False]
    assert power.battery_left_s.tolist() == [0.0, 2 * HOUR, 2 * HOUR, 2 * HOUR]
    assert power.generator_left_s.tolist() == [HOUR, 0.0, 0.0, 0.0]
    power.step(grid, HOUR / 2)  # then the generator: half its hour
    assert power.generator_left_s.tolist() == [HOUR / 2, 0.0, 0.0, 0.0]
    power.step(grid, HOUR / 2)
    powered, on_backup = power.step(grid, HOUR / 2)  # nothing left at the start of this step
    assert powered.tolist() == [False, True, True, True] and not on_backup.any()


def test_one_second_of_fuel_still_powers_the_step_it_starts():
    power = PowerState.full(np.zeros(4), np.array([1.0, 0.0, 0.0, 0.0]))
    powered, on_backup = power.step(np.array([False, True, True, True]), 60.0)
    assert powered.tolist() == [True] * 4 and on_backup.tolist() == [True, False, False, False]
    assert power.generator_left_s.tolist() == [0.0, 0.0, 0.0, 0.0]


def test_back_on_the_grid_an_empty_battery_gets_an_eighth_an_hour_and_keeps_its_fuel():
    power = PowerState(np.full(4, 2 * HOUR), np.array([0.0, 2 * HOUR, 2 * HOUR, 2 * HOUR]),
                       np.array([HOUR, HOUR, 0.0, 0.0]))
    powered, on_backup = power.step(np.ones(4, bool), HOUR)
    assert powered.all() and not on_backup.any()
    assert power.battery_left_s.tolist() == [2 * HOUR / 8, 2 * HOUR, 2 * HOUR, 2 * HOUR]
    assert power.generator_left_s.tolist() == [HOUR, HOUR, 0.0, 0.0]  # on the grid, no fuel burnt


def test_fuel_brought_to_a_dark_site_powers_it_again_and_runs_down():
    # one site off the grid with nothing left, one charging on the grid: fuel comes to the first
    power = PowerState(np.full(2, 2 * HOUR), np.array([0.0, 0.0]), np.zeros(2))
    grid = np.array([False, True])
    powered, _ = power.step(grid, HOUR)
    assert powered.tolist() == [False, True] and power.battery_left_s.tolist() == [0.0, 2 * HOUR / 8]
    power.add_fuel(0, HOUR / 2)
    powered, on_backup = power.step(grid, HOUR / 2)
    assert powered.tolist() == [True, True] and on_backup.tolist() == [True, False]
    assert power.generator_left_s[0] == 0.0 and power.battery_left_s[1] == 2 * HOUR / 8 + 2 * HOUR / 16
    powered, _ = power.step(grid, HOUR / 2)
    assert powered.tolist() == [False, True]
    power.fill_tank(0, HOUR)  # a truck fills the tank to an hour
    power.fill_tank(0, HOUR / 4)  # a smaller fill keeps what is there
    assert power.generator_left_s[0] == HOUR
    assert power.step(grid, HOUR)[0].tolist() == [True, True]


def test_a_site_back_on_the_grid_stops_drawing_and_charges_until_full():
    power = PowerState.full(np.array([HOUR]), np.array([HOUR]))
    power.step(np.array([False]), HOUR / 2)
    assert (power.battery_left_s[0], power.generator_left_s[0]) == (HOUR / 2, HOUR)
    for _ in range(4):  # 4 h on the grid: half the capacity back, the fuel kept
        power.step(np.array([True]), HOUR)
    assert (power.battery_left_s[0], power.generator_left_s[0]) == (HOUR, HOUR)  # full after 4 of its 8 h
    power.step(np.array([True]), HOUR)
    assert power.battery_left_s[0] == HOUR  # never above its capacity


def test_half_a_second_of_battery_and_a_second_of_fuel_left_still_power_their_step():
    power = PowerState.full(np.array([0.5, 0.0]), np.array([0.0, 61.0]))
    grid = np.array([False, False])
    assert power.step(grid, 60.0)[0].tolist() == [True, True]  # 0.5 s of battery; 61 s of fuel
    assert power.generator_left_s[1] == 1.0
    assert power.step(grid, 60.0)[0].tolist() == [False, True]  # the last second of fuel
    assert power.step(grid, 60.0)[0].tolist() == [False, False]


def test_an_empty_battery_charged_on_the_grid_carries_its_site_off_it():
    power = PowerState.full(np.array([2 * HOUR]), np.zeros(1))
    power.step(np.array([False]), 2 * HOUR)  # the battery is emptied
    assert not power.step(np.array([False]), HOUR)[0][0]
    power.step(np.array([True]), HOUR)  # an hour on the grid: an eighth back
    powered, on_backup = power.step(np.array([False]), HOUR / 4)
    assert powered[0] and on_backup[0]


def test_fuel_adds_to_what_is_there_and_a_fill_to_nothing_brings_nothing():
    power = PowerState(np.array([HOUR, HOUR]), np.array([0.0, 0.5]), np.array([0.0, 0.0]))
    power.fill_tank(0, 0.0)
    power.fill_tank(1, 0.0)
    grid = np.array([False, False])
    assert power.step(grid, 60.0)[0].tolist() == [False, True]  # the second still has half a second of battery
    power.add_fuel(0, 0.5)
    power.add_fuel(0, 0.5)
    assert power.generator_left_s[0] == 1.0
    assert power.step(grid, 60.0)[0].tolist() == [True, False]


def test_an_empty_battery_charging_on_the_grid_keeps_its_site_powered_step_after_step():
    power = PowerState(np.array([HOUR]), np.array([0.0]), np.array([0.0]))
    for _ in range(3):
        powered, on_backup = power.step(np.array([True]), HOUR)
        assert powered.tolist() == [True] and on_backup.tolist() == [False]
    assert power.battery_left_s[0] == 3 * HOUR / 8
