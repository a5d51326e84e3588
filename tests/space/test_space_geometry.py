"""Geometry: WGS 84 positions, look angles and the textbook slant range."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import reftable
from d2c.space.geometry import (
    earth_central_angle_deg,
    ecef_to_geodetic,
    geodetic_to_ecef_km,
    look_angles,
    propagation_delay_ms,
    slant_range_km,
)


def test_wgs84_reference_points():
    # NIMA TR8350.2: a = 6378.137 km on the equator, b = 6356.752314 km at the pole.
    assert geodetic_to_ecef_km(0.0, 0.0) == pytest.approx([6378.137, 0.0, 0.0])
    assert geodetic_to_ecef_km(0.0, 90.0) == pytest.approx([0.0, 6378.137, 0.0], abs=1e-9)
    assert geodetic_to_ecef_km(90.0, 0.0) == pytest.approx([0.0, 0.0, 6356.752314], abs=1e-6)


@settings(max_examples=200, deadline=None)
@given(
    st.floats(-89.9, 89.9), st.floats(-179.9, 179.9), st.floats(-0.5, 2000.0),
)
def test_geodetic_round_trip(lat, lon, h):
    lat2, lon2, h2 = ecef_to_geodetic(geodetic_to_ecef_km(lat, lon, h))
    assert float(lat2) == pytest.approx(lat, abs=1e-7)
    assert float(lon2) == pytest.approx(lon, abs=1e-7)
    assert float(h2) == pytest.approx(h, abs=1e-5)


def test_satellite_at_zenith_is_at_90_deg_and_range_equals_height():
    lat, lon, h = 42.7, 13.23, 550.0
    sat = geodetic_to_ecef_km(lat, lon, h)
    look = look_angles(sat[None, :], lat, lon)
    assert look.elevation_deg[0, 0] == pytest.approx(90.0, abs=1e-6)
    assert look.slant_range_km[0, 0] == pytest.approx(h, abs=1e-9)


def test_azimuth_points_north_and_east():
    # A satellite above a point 5 deg north is due north (az 0), 5 deg east is due east-ish.
    north = geodetic_to_ecef_km(5.0, 0.0, 600.0)
    east = geodetic_to_ecef_km(0.0, 5.0, 600.0)
    look = look_angles(np.vstack([north, east]), 0.0, 0.0)
    assert look.azimuth_deg[0, 0] == pytest.approx(0.0, abs=1e-6)
    assert look.azimuth_deg[0, 1] == pytest.approx(90.0, abs=1e-6)
    assert 0 < look.elevation_deg[0, 0] < 90


def test_look_angles_shape_is_ground_by_satellite():
    sats = geodetic_to_ecef_km(np.array([0.0, 10.0, 20.0]), np.array([0.0, 0.0, 0.0]), 550.0)
    look = look_angles(sats, np.array([0.0, 45.0]), np.array([0.0, 9.0]))
    assert look.elevation_deg.shape == (2, 3)


# 3GPP TR 38.821 Table 4.2-2: the maximum satellite-to-UE distance at the minimum elevation (source in the file).
TR38821 = "tr38821_max_distance.csv"
TR38821_MAX_DISTANCE_KM = [(float(r["altitude_km"]), float(r["distance_km"])) for r in reftable.rows(TR38821)]
MIN_ELEVATION_DEG = {float(r["elevation_deg"]) for r in reftable.rows(TR38821)}.pop()


@pytest.mark.parametrize("altitude_km, distance_km", TR38821_MAX_DISTANCE_KM)
def test_slant_range_at_the_minimum_elevation_is_the_tr_38_821_distance(altitude_km, distance_km):
    assert slant_range_km(altitude_km, MIN_ELEVATION_DEG) == pytest.approx(distance_km, **reftable.tolerance(TR38821))


@pytest.mark.parametrize("h", [350.0, 550.0, 1200.0])
def test_slant_range_at_the_zenith_is_the_altitude(h):
    assert slant_range_km(h, 90.0) == pytest.approx(h)


def test_slant_range_leo600_at_30_deg_is_the_tr_38_821_distance():
    # TR 38.821 Table 6.1.3.3-1 uses FSPL 159.1 dB at 2 GHz for LEO-600 at 30 deg, i.e.
    # 10^((159.1 - 66.02 - 32.44)/20) ~ 1075 km.
    assert slant_range_km(600.0, 30.0) == pytest.approx(1075.1, abs=0.2)


def test_slant_range_agrees_with_look_angles_on_a_sphere_scale():
    # The vectorised look angles (ellipsoid) and the spherical formula agree to ~1 %.
    lat, lon, h = 0.0, 0.0, 550.0
    sats = geodetic_to_ecef_km(np.array([0.0, 0.0, 0.0]), np.array([2.0, 6.0, 12.0]), h)
    look = look_angles(sats, lat, lon)
    d = slant_range_km(h, look.elevation_deg[0], earth_radius_km=6378.137)
    assert look.slant_range_km[0] == pytest.approx(d, rel=1e-3)


@pytest.mark.parametrize("altitude_km, distance_km", TR38821_MAX_DISTANCE_KM)
def test_earth_central_angle_of_the_tr_38_821_distance(altitude_km, distance_km):
    # Zenith: the satellite is over the point. At the minimum elevation (10 degrees), the published distance d gives the angle by the
    # law of sines in the triangle (Earth's centre, user, satellite): sin(lambda) = d cos(e) / (R + h), with
    # TR 38.811's R = 6371 km. The published kilometre is worth at most 0.005 degrees of lambda.
    r_km = 6371.0 + altitude_km
    assert earth_central_angle_deg(r_km, 90.0) == pytest.approx(0.0, abs=1e-9)
    expected = math.degrees(math.asin(distance_km * math.cos(math.radians(MIN_ELEVATION_DEG)) / r_km))
    assert earth_central_angle_deg(r_km, MIN_ELEVATION_DEG) == pytest.approx(expected, abs=0.01)


def test_propagation_delay():
    # c = 299,792.458 km/s exactly: 299.792458 km take 1 ms; GEO zenith ~119.3 ms.
    assert propagation_delay_ms(299.792458) == pytest.approx(1.0)
    assert propagation_delay_ms(35786.0) == pytest.approx(119.37, abs=0.01)
