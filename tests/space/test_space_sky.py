"""`sky`: what one place sees overhead, sorted by elevation."""

from __future__ import annotations

import datetime as dt

import pytest

from d2c.space.geometry import ecef_to_geodetic
from d2c.space.orbits import Constellation
from d2c.space.sky import sky

T = dt.datetime(2016, 8, 24, 1, 36)  # Amatrice earthquake, 03:36 local (INGV)


def test_sky_is_sorted_and_above_the_mask():
    c = Constellation.walker("53:648/36/1", 360.0, T)
    entries = sky(42.70, 13.23, T, c, mask_deg=10.0)
    assert entries, "a 648-satellite 53 deg shell always has something above 10 deg at 42.7 N"
    el = [e.elevation_deg for e in entries]
    assert el == sorted(el, reverse=True)
    assert min(el) >= 10.0
    for e in entries:
        # One-way delay is range / c (c = 299,792.458 km/s, SI).
        assert e.delay_ms == pytest.approx(e.slant_range_km / 299792.458 * 1000.0)
        assert 360.0 <= e.slant_range_km < 2000.0
        assert 0.0 <= e.azimuth_deg < 360.0
        assert e.name in c.names


def test_satellite_straight_overhead():
    c = Constellation.walker("0:1/1/0", 600.0, T)
    lat, lon, _ = ecef_to_geodetic(c.ecef_km(T)[0])
    (entry,) = sky(float(lat), float(lon), T, c, mask_deg=45.0)
    assert entry.elevation_deg == pytest.approx(90.0, abs=1e-4)
    assert entry.slant_range_km == pytest.approx(600.0, abs=1e-6)
    assert entry.delay_ms == pytest.approx(2.0014, abs=1e-4)  # 600 km / c


def test_sky_rejects_bad_positions():
    c = Constellation.walker("0:1/1/0", 600.0, T)
    with pytest.raises(ValueError, match="outside"):
        sky(95.0, 0.0, T, c)
