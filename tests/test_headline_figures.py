"""The headline's figures, function by function, on series small enough to work out by hand.

tests/test_headline.py checks the same figures on whole runs; these pin each
definition of d2c/headline.py (docs/ARCHITECTURE.md, "Headline") at its edges.
"""

from __future__ import annotations

import numpy as np
import pytest

from d2c.headline import AreaOutages, LongestOutage, headline_keys, incident_start_s, people_headline, \
    people_without_112, restore_hours, rounded, worst_instant

HOUR = 3600.0


def test_rounding_keeps_six_decimals_of_a_share_three_of_hours_one_of_person_hours():
    assert rounded(0.12345678, "share") == 0.123457
    assert rounded(2.00049, "hours") == 2.0 and rounded(2.0005001, "hours") == 2.001
    assert rounded(1234.56, "person_hours") == 1234.6
    assert rounded(None, "share") is None
    assert isinstance(rounded(np.float64(1.5), "hours"), float)


def test_worst_instant_is_the_first_of_equal_peaks():
    assert worst_instant(np.array([3.0, 9.0, 1.0, 9.0])) == 1
    assert worst_instant(np.array([])) == 0


# A shortfall (people without a 112 path) peaking at 100 at T+2h, then 40, 10, 4 and 0.
T = np.arange(7) * HOUR
LOST = np.array([0.0, 20.0, 100.0, 40.0, 10.0, 4.0, 0.0])


@pytest.mark.parametrize("fraction, hours", [(0.5, 2.0), (0.6, 2.0), (0.9, 3.0), (0.95, 4.0), (1.0, 5.0)])
def test_restore_hours_by_hand(fraction, hours):
    # from an incident at T+1h: 50% back means at most 50 still out (T+3h, 40), 60%: at most 40 (T+3h,
    # exactly 40 counts), 90%: at most 10 (T+4h, exactly 10 counts), 95%: at most 5 (T+5h, 4), all: T+6h
    assert restore_hours(T, LOST, fraction, 1 * HOUR) == hours


def test_restore_is_counted_after_the_worst_instant_only():
    # 30 lost at T+0, 0 at T+1h, then the worst (100) at T+2h: the early recovery does not count
    t = np.arange(5) * HOUR
    assert restore_hours(t, np.array([30.0, 0.0, 100.0, 60.0, 20.0]), 0.5, 0.0) == 4.0


def test_restore_hours_when_little_or_nothing_was_lost():
    t = np.array([1.0, 2.0, 3.0]) * HOUR  # a series that starts at T+1h
    assert restore_hours(t, np.zeros(3), 0.95, 0.0) == 0.0  # nothing lost: restored from the start
    assert restore_hours(t, np.array([0.0, 1.0, 0.0]), 0.5, 0.0) == 3.0  # one person, back at T+3h
    assert restore_hours(np.array([]), np.array([]), 0.5, 0.0) == 0.0
    assert restore_hours(t, np.array([0.0, 5.0, 5.0]), 0.5, 0.0) is None  # never back within the run


def test_incident_start_is_the_earliest_of_reach_and_first_loss():
    t = np.array([0.0, 60.0, 120.0, 180.0])
    people, sites = np.array([0.0, 0.0, 7.0, 7.0]), np.array([0.0, 0.0, 0.0, 2.0])
    assert incident_start_s(t, np.inf, people, sites) == 120.0  # people lost first
    assert incident_start_s(t, np.inf, sites, people) == 120.0  # whatever the order of the series
    assert incident_start_s(t, 90.0, people, sites) == 90.0  # reached an area before anyone lost service
    assert incident_start_s(t, np.inf, np.zeros(4)) == 0.0  # nothing at all: the run's start
    assert incident_start_s(t, 150.0) == 150.0
    assert incident_start_s(t, np.inf, np.array([0.0, 0.0, 0.0, 1.0])) == 180.0  # one site lost counts
    assert incident_start_s(t, np.inf, np.array([0.0, 0.3, 0.3, 0.3])) == 60.0  # and a fraction of a person


def test_an_area_is_out_from_half_of_its_people_without_a_path():
    outages = AreaOutages(3)
    outages.update(np.array([0.5, 0.49, 1.0]), 0.0, 60.0)
    assert outages.run_s.tolist() == [60.0, 0.0, 60.0]
    assert outages.longest_end_s.tolist() == [60.0, 0.0, 60.0]  # the run so far ends with the step


def test_longest_outage_tracks_contiguous_runs_and_breaks_ties_by_people():
    outages = AreaOutages(3)
    # per step, the share of each area's people with no 112 path
    steps = [[1.0, 0.5, 0.0], [1.0, 0.4, 1.0], [0.0, 1.0, 1.0], [1.0, 1.0, 1.0], [1.0, 1.0, 0.0]]
    for k, share in enumerate(steps):
        outages.update(np.array(share), k * 60.0, 60.0)
    # area 0: runs of 2 and 2 steps; area 1: 1 then 3 (at least half counts as out); area 2: 3
    assert outages.longest_s.tolist() == [120.0, 180.0, 180.0]
    # area 0's longest is its first run (ended at 120 s); a run as long later does not replace it
    assert outages.longest_end_s.tolist() == [120.0, 300.0, 240.0]
    longest = outages.longest(np.array([10.0, 20.0, 30.0]))
    # area 2 (30 people) among the two 3-step outages: from 60 s to 240 s, over before the end
    assert longest == LongestOutage(area=2, seconds=180.0, from_s=60.0, ongoing=False, areas_as_long=2)
    # with more people in area 1, it is named: from 120 s, still out at the end of the run
    assert outages.longest(np.array([10.0, 40.0, 30.0])) == LongestOutage(1, 180.0, 120.0, True, 2)


def test_an_outage_of_one_short_step_is_still_the_longest():
    outages = AreaOutages(2)
    outages.update(np.array([0.0, 1.0]), 0.0, 1.0)  # a 1 s step
    outages.update(np.array([0.0, 0.0]), 1.0, 1.0)
    assert outages.longest(np.array([5.0, 5.0])) == LongestOutage(1, 1.0, 0.0, False, 1)


def test_no_outage_at_all():
    outages = AreaOutages(2)
    outages.update(np.array([0.2, 0.0]), 0.0, 60.0)
    assert outages.longest(np.array([5.0, 5.0])) == LongestOutage(-1, 0.0, 0.0, False, 0)
    assert AreaOutages(0).longest(np.array([])) == LongestOutage(-1, 0.0, 0.0, False, 0)


def test_headline_keys_in_report_order():
    # docs/FORMATS.md: each figure with and without D2C, then the sites' restore times (terrestrial only)
    assert headline_keys() == [
        "no_112_person_hours", "no_112_person_hours_without_d2c",
        "worst_no_112_share", "worst_no_112_share_without_d2c",
        "longest_area_outage_hours", "longest_area_outage_hours_without_d2c",
        "restore_people_50_hours", "restore_people_50_hours_without_d2c",
        "restore_people_90_hours", "restore_people_90_hours_without_d2c",
        "restore_people_95_hours", "restore_people_95_hours_without_d2c",
        "restore_sites_50_hours", "restore_sites_90_hours", "restore_sites_95_hours",
    ]


def test_people_without_a_path_in_a_step():
    # 1,000 people with 20% cut off and 300 with everyone cut off: 200 + 300 = 500
    assert people_without_112(np.array([1000.0, 300.0, 50.0]), np.array([0.2, 1.0, 0.0])) == 500.0


def test_person_hours_and_the_worst_instant_by_hand():
    # 10-minute steps; 120, 450.6 and 300 people cut off: (120 + 450.6 + 300) x 600 s / 3600 = 145.1 person-hours;
    # the worst step is the second (451 people, rounded), 451 of 2,000 = 0.2255, at T+600 s
    h = people_headline(np.array([0.0, 600.0, 1200.0]), np.array([120.0, 450.6, 300.0]), 600.0, 2000.0)
    assert (h.person_hours, h.worst_people, h.worst_share, h.worst_at_s) == (145.1, 451, 0.2255, 600.0)


def test_nobody_cut_off_has_no_worst_instant():
    h = people_headline(np.array([0.0, 60.0]), np.array([0.0, 0.0]), 60.0, 500.0)
    assert (h.person_hours, h.worst_people, h.worst_share, h.worst_at_s) == (0.0, 0, 0.0, None)
    empty = people_headline(np.array([]), np.array([]), 60.0, 0.0)  # no step, no population
    assert (empty.person_hours, empty.worst_people, empty.worst_share, empty.worst_at_s) == (0.0, 0, 0.0, None)


def test_many_steps_with_the_same_areas_out_count_as_each_step_would():
    outages = AreaOutages(2)
    for k in range(1000):  # area 0 out for 1,000 one-minute steps, then back
        outages.update(np.array([1.0, 0.0]), k * 60.0, 60.0)
    assert outages.run_s.tolist() == [60000.0, 0.0]  # read while it goes on: the outage so far
    outages.update(np.array([0.0, 0.0]), 1000 * 60.0, 60.0)
    assert outages.longest_s.tolist() == [60000.0, 0.0]
    assert outages.longest_end_s.tolist() == [60000.0, 0.0]
    assert outages.longest(np.array([5.0, 5.0])) == LongestOutage(0, 60000.0, 0.0, False, 1)


def test_steps_of_a_fraction_of_a_second_add_up_as_one_step_after_another():
    outages = AreaOutages(1)
    total = 0.0
    for k in range(10):  # ten 0.1 s steps: 0.1 added ten times is not 10 x 0.1 in floating point
        outages.update(np.array([1.0]), k * 0.1, 0.1)
        total += 0.1
    assert outages.run_s.tolist() == [total]
    assert total != 1.0


def test_a_step_of_another_length_adds_its_own_length():
    outages = AreaOutages(1)
    for t_s, dt_s in ((0.0, 60.0), (60.0, 60.0), (120.0, 30.0)):  # the same area out, the last step shorter
        outages.update(np.array([1.0]), t_s, dt_s)
    assert outages.run_s.tolist() == [150.0]
    assert outages.longest_end_s.tolist() == [150.0]
