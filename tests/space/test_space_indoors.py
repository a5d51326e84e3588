"""Who is indoors (d2c/space/indoors.py): the clock, the evacuation and the indoor link-share table.

The table's figures come from the building-entry loss of ITU-R P.2109 (``entry_loss_cdf``, held to the
Recommendation in tests/space/test_space_entry_loss.py); here the building mix is the test's own.
"""

from __future__ import annotations

import math
from datetime import datetime, timezone

import numpy as np
import pytest

from d2c.space.entry_loss import entry_loss_cdf
from d2c.space.indoors import Indoors, LinkShareTable, default_utc_offset_hours, local_hour

UTC = timezone.utc
HOURS = tuple(h / 100 for h in range(24))  # hour h: h % indoors, so the hour read is visible


@pytest.mark.parametrize("utc, offset, hour", [
    (datetime(2016, 8, 24, 1, 36, tzinfo=UTC), 2.0, 3),  # Amatrice, 03:36 summer time
    (datetime(2016, 8, 24, 23, 10, tzinfo=UTC), 2.0, 1),  # past midnight
    (datetime(2016, 8, 24, 2, 0, tzinfo=UTC), -5.0, 21),  # the day before
    (datetime(2016, 8, 24, 0, 45, tzinfo=UTC), 5.5, 6),  # 06:15
    (datetime(2016, 8, 24, 0, 10, tzinfo=UTC), -0.5, 23),  # 23:40 the day before
    (datetime(2016, 8, 24, 12, 59, 59, tzinfo=UTC), 0.0, 12),
])
def test_the_local_clock_hour(utc, offset, hour):
    assert local_hour(utc, offset) == hour


@pytest.mark.parametrize("lon, offset", [
    ([12.5], 1.0),  # Rome: CET
    ([7.0, 18.0], 1.0),  # Italy's west and east ends: 12.5 deg
    ([-75.0], -5.0),  # New York: EST
    ([170.0, -170.0], 12.0),  # either side of the date line: 180 deg, not 0
    ([0.0, 20.0, 40.0], 1.0),  # 20 deg = 1.33 h
    ([21.0, 24.0], 2.0),  # 22.5 deg = 1.5 h, rounded to even
])
def test_the_standard_time_zone_of_a_territory(lon, offset):
    assert default_utc_offset_hours(np.array(lon)) == offset


def test_the_share_indoors_follows_the_local_hour():
    indoors = Indoors(HOURS, 1.0, np.array([0.0, 50.0]))
    assert indoors.share(datetime(2024, 1, 1, 10, 30, tzinfo=UTC), 0.0).tolist() == [0.11, 0.11]
    assert indoors.share(datetime(2024, 1, 1, 23, 0, tzinfo=UTC), 9e9).tolist() == [0.0, 0.0]


def test_an_evacuation_moves_people_out_for_its_window_from_when_each_area_is_hit():
    # 40% of the people indoors go out 10 min after their area is hit, for an hour. Area 0 is hit at
    # 0 s, area 1 at 1,000 s, area 2 never. At 11 h local, 0.11 indoors; evacuated 0.11 x 0.6 = 0.066.
    indoors = Indoors(HOURS, 0.0, np.array([0.0, 1000.0, math.inf]), evacuation=(0.4, 600.0, 3600.0))
    at = datetime(2024, 1, 1, 11, 0, tzinfo=UTC)
    assert indoors.share(at, 599.0) == pytest.approx([0.11, 0.11, 0.11])
    assert indoors.share(at, 600.0) == pytest.approx([0.066, 0.11, 0.11])  # area 0, from its first second
    assert indoors.share(at, 1600.0) == pytest.approx([0.066, 0.066, 0.11])
    assert indoors.share(at, 4199.0) == pytest.approx([0.066, 0.066, 0.11])
    assert indoors.share(at, 4200.0) == pytest.approx([0.11, 0.066, 0.11])  # area 0's hour is over
    assert indoors.share(at, 5200.0) == pytest.approx([0.11, 0.11, 0.11])


def test_a_profile_of_whole_numbers_is_read_as_shares():
    # everyone indoors at every hour, written as 1; 40% of them evacuated: 0.6
    indoors = Indoors((1,) * 24, 0.0, np.array([0.0, math.inf]), evacuation=(0.4, 0.0, 3600.0))
    assert indoors.share(datetime(2024, 1, 1, 3, 0, tzinfo=UTC), 60.0) == pytest.approx([0.6, 1.0])


def test_an_hourly_profile_needs_24_hours():
    with pytest.raises(ValueError, match="24 shares, got 23"):
        Indoors(HOURS[:23], 0.0, np.zeros(1))


@pytest.fixture
def table():
    # 2 GHz (the TR 38.821 reference frequency), a quarter of the buildings thermally efficient. Built
    # in each test (40 ms), so that a test is tied to the build it reads.
    return LinkShareTable.build(2000.0, 0.25)


def _mix(margin_db, elevation_deg, efficient=0.25):
    return ((1 - efficient) * entry_loss_cdf(margin_db, 2.0, elevation_deg, "traditional")
            + efficient * entry_loss_cdf(margin_db, 2.0, elevation_deg, "thermally-efficient"))


@pytest.mark.parametrize("elevation, margin", [(0.0, 0.0), (30.0, 10.0), (45.0, 20.25), (60.0, 35.5),
                                               (90.0, 100.0), (90.0, 25.0), (89.0, 30.0), (17.0, 12.75)])
def test_the_table_holds_the_building_mix_at_its_grid_points(table, elevation, margin):
    assert table.lookup(np.array([elevation]), np.array([margin]))[0] == pytest.approx(_mix(margin, elevation))


def test_the_table_reads_the_nearest_degree_and_the_quarter_decibel_below(table):
    # 30.4 deg reads 30 and 30.6 reads 31; 10.2 dB and 10.24 dB read 10 dB (never a margin not there)
    got = table.lookup(np.array([30.4, 30.6, 30.4]), np.array([10.2, 10.24, 10.25]))
    assert got == pytest.approx([_mix(10.0, 30.0), _mix(10.0, 31.0), _mix(10.25, 30.0)])


def test_the_table_ends(table):
    # no margin closes nothing; a margin past the table's 100 dB reads its last column; no elevation is no
    # link; elevations past the zenith read 90
    got = table.lookup(np.array([45.0, 45.0, np.nan, 95.0, -3.0]), np.array([-0.1, 250.0, 30.0, 30.0, 30.0]))
    assert got == pytest.approx([0.0, _mix(100.0, 45.0), 0.0, _mix(30.0, 90.0), _mix(30.0, 0.0)])
    assert _mix(100.0, 45.0) > 0.99  # 100 dB is past nearly every building's loss


def test_the_table_broadcasts_one_elevation_over_many_margins(table):
    got = table.lookup(np.array([[20.0], [70.0]]), np.array([5.0, 15.0, 25.0]))
    assert got.shape == (2, 3)
    assert got[1] == pytest.approx([_mix(m, 70.0) for m in (5.0, 15.0, 25.0)])


@pytest.mark.parametrize("efficient, building", [(0.0, "traditional"), (1.0, "thermally-efficient")])
def test_a_single_building_type(efficient, building):
    t = LinkShareTable.build(2000.0, efficient)
    assert (t.frequency_mhz, t.thermally_efficient_share) == (2000.0, efficient)
    assert t.lookup(np.array([40.0]), np.array([18.0]))[0] == pytest.approx(entry_loss_cdf(18.0, 2.0, 40.0, building))


def test_the_table_is_read_at_its_own_frequency():
    t = LinkShareTable.build(1500.0, 0.0)
    assert t.lookup(np.array([40.0]), np.array([18.0]))[0] == pytest.approx(
        entry_loss_cdf(18.0, 1.5, 40.0, "traditional"))


def test_thermally_efficient_buildings_let_fewer_handsets_through():
    # P.2109: thermally-efficient buildings lose far more (metallised glass); more of them, fewer links
    el, m = np.array([30.0]), np.array([20.0])
    shares = [LinkShareTable.build(2000.0, s).lookup(el, m)[0] for s in (0.0, 0.25, 1.0)]
    assert shares[0] > shares[1] > shares[2]
