"""Orbits: periods, J2 drift, ground tracks, SGP4 and GMST against published values."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from sgp4.propagation import gstime

from d2c.constants import EARTH_ROTATION_RAD_S
from d2c.space.geometry import ecef_to_geodetic
from d2c.space.orbits import (
    Constellation,
    WalkerSpec,
    nodal_period_s,
    orbital_period_s,
    parse_walker,
    raan_rate_deg_per_day,
)
from d2c.space.timescales import gmst_rad, julian_date

EPOCH = dt.datetime(2024, 3, 20, 0, 0)  # naive datetimes are UTC


def _ascending_node_times(z_km: np.ndarray, t_s: np.ndarray) -> np.ndarray:
    """Times where z crosses zero upward, linearly interpolated."""
    i = np.flatnonzero((z_km[:-1] < 0) & (z_km[1:] >= 0))
    return t_s[i] - z_km[i] * (t_s[i + 1] - t_s[i]) / (z_km[i + 1] - z_km[i])


# --- Keplerian period -------------------------------------------------------------------


def test_period_350_km_is_91_5_minutes():
    # Kepler's third law T = 2 pi sqrt(a^3/mu) (Vallado 4th ed. ch. 1): 91.5 min for a
    # 350 km circular orbit, a = 6728.137 km, mu = 398600.4418 km^3/s^2 (WGS 84).
    assert orbital_period_s(350.0) / 60.0 == pytest.approx(91.54, abs=0.05)


def test_period_iss_altitude_is_about_92_7_minutes():
    # ISS: ~408-420 km, period ~92.7-92.9 min (NASA ISS facts).
    assert 92.6 < orbital_period_s(408.0) / 60.0 < 92.8
    assert 92.8 < orbital_period_s(420.0) / 60.0 < 93.1


def test_propagated_walker_satellite_returns_to_node_in_nodal_period():
    # The propagator, not the formula: time between ascending nodes of a 53 deg, 350 km
    # orbit equals the J2 nodal period and is within 0.5 % of the Keplerian one.
    c = Constellation.walker("53:1/1/0", 350.0, EPOCH)
    t = np.arange(0, 3 * 5600, 1.0)
    times = [EPOCH + dt.timedelta(seconds=float(s)) for s in t]
    z = c.teme_km(np.array(times, dtype="datetime64[ns]"))[:, 0, 2]
    nodes = _ascending_node_times(z, t)
    assert len(nodes) >= 2
    period = np.diff(nodes).mean()
    assert period == pytest.approx(nodal_period_s(350.0, 53.0), abs=0.05)
    assert period == pytest.approx(orbital_period_s(350.0), rel=5e-3)


# --- J2 ---------------------------------------------------------------------------------


@pytest.mark.parametrize("altitude_km, inclination_deg", [(700.0, 98.19), (800.0, 98.60)])
def test_sun_synchronous_raan_rate(altitude_km, inclination_deg):
    # A sun-synchronous orbit precesses 360 deg per tropical year, +0.9856 deg/day
    # (Vallado 4th ed. sec. 9.6; Curtis, Orbital Mechanics for Engineering Students, ch. 4);
    # 98.19 and 98.60 deg are the commonly tabulated sun-synchronous inclinations at 700
    # and 800 km.
    assert raan_rate_deg_per_day(altitude_km, inclination_deg) == pytest.approx(0.9856, abs=0.005)


def test_propagated_raan_drift_matches_j2_rate():
    # RAAN from the plane normal r_a x r_b of two satellites of one plane (120 deg apart),
    # at the epoch and ten days later.
    c = Constellation.walker("98.19:3/1/0", 700.0, EPOCH)

    def raan_deg(t0):
        r = c.teme_km(t0)
        h = np.cross(r[0], r[1])
        return math.degrees(math.atan2(h[0], -h[1]))

    drift = (raan_deg(EPOCH + dt.timedelta(days=10)) - raan_deg(EPOCH)) % 360.0
    assert drift / 10.0 == pytest.approx(0.9856, abs=0.005)


# --- Ground track -------------------------------------------------------------------------


def test_ground_track_moves_west_by_earth_rotation_over_one_orbit():
    # Successive ascending nodes are displaced west by (omega_E - dRAAN/dt) * T, the
    # ground-track shift of Curtis ch. 4: ~22.9 deg of Earth rotation in 91.5 min.
    c = Constellation.walker("53:1/1/0", 350.0, EPOCH)
    t = np.arange(0, 2 * 5600, 1.0)
    times = np.array([EPOCH + dt.timedelta(seconds=float(s)) for s in t], dtype="datetime64[ns]")
    ecef = c.ecef_km(times)[:, 0]
    nodes = _ascending_node_times(ecef[:, 2], t)[:2]
    lons = []
    for tn in nodes:
        pos = c.ecef_km(np.datetime64(EPOCH.replace(tzinfo=None)) + np.timedelta64(int(tn * 1e9), "ns"))
        lons.append(float(ecef_to_geodetic(pos[0])[1]))
    shift_west = (lons[0] - lons[1]) % 360.0
    period = nodes[1] - nodes[0]
    earth_turn = math.degrees(EARTH_ROTATION_RAD_S * period)
    node_regression = -raan_rate_deg_per_day(350.0, 53.0) * period / 86400.0
    assert shift_west == pytest.approx(earth_turn + node_regression, abs=0.02)
    assert shift_west == pytest.approx(earth_turn, abs=0.5)
    assert 22.5 < shift_west < 23.5


# --- Walker geometry -----------------------------------------------------------------------


def test_walker_planes_and_phasing():
    # 53:24/3/1: planes 120 deg apart in RAAN, inclined 53 deg, 8 satellites 45 deg apart
    # in-plane, and plane j advanced by j * f * 360/t = 15 deg (Walker 1984).
    c = Constellation.walker("53:24/3/1", 550.0, EPOCH)
    r0 = c.teme_km(EPOCH)
    # Plane normal of each satellite from its in-plane neighbour (45 deg ahead).
    ahead = r0.reshape(3, 8, 3)[:, np.r_[1:8, 0], :].reshape(24, 3)
    h = np.cross(r0, ahead)
    h /= np.linalg.norm(h, axis=1, keepdims=True)
    inc = np.degrees(np.arccos(h[:, 2]))
    raan = np.degrees(np.arctan2(h[:, 0], -h[:, 1])) % 360.0
    assert np.allclose(inc, 53.0, atol=1e-6)
    assert np.allclose(np.linalg.norm(r0, axis=1), 6378.137 + 550.0)
    assert np.allclose(raan.reshape(3, 8), np.array([[0.0], [120.0], [240.0]]), atol=1e-6)
    node = np.stack([np.cos(np.radians(raan)), np.sin(np.radians(raan)), np.zeros(24)], axis=1)
    u = np.degrees(np.arctan2(np.einsum("ij,ij->i", np.cross(node, r0), h), np.einsum("ij,ij->i", node, r0)))
    u = (u % 360.0).reshape(3, 8)
    assert np.allclose(np.diff(u[0]), 45.0, atol=1e-6)
    assert np.allclose(u[:, 0], [0.0, 15.0, 30.0], atol=1e-6)


def test_walker_shapes_for_one_and_many_times():
    c = Constellation.walker("53:20/4/1", 550.0, EPOCH)
    assert c.ecef_km(EPOCH).shape == (20, 3)
    many = [EPOCH + dt.timedelta(minutes=m) for m in range(7)]
    assert c.ecef_km(many).shape == (7, 20, 3)
    assert len(c) == len(set(c.names)) == 20


@pytest.mark.parametrize(
    "spec, fragment",
    [
        ("53-600-20-1", "not of the form"),
        ("53:600/7/1", "multiple of planes"),
        ("53:600/20/20", "phasing must be in 0..19"),
        ("200:600/20/1", "inclination must be in 0..180"),
        ("53:6x0/20/1", "total satellites must be a whole number"),
        ("53:0/1/0", "total satellites must be >= 1"),
    ],
)
def test_walker_spec_errors_are_clear(spec, fragment):
    with pytest.raises(ValueError, match=fragment):
        parse_walker(spec)


def test_walker_spec_round_trip():
    assert parse_walker(" 53 : 600 / 20 / 1 ") == WalkerSpec(53.0, 600, 20, 1)
    assert str(parse_walker("97.6:24/6/2")) == "97.6:24/6/2"


# --- SGP4 and GMST ---------------------------------------------------------------------------

# Vallado, Crawford, Hujsak & Kelso, "Revisiting Spacetrack Report #3" (AIAA 2006-6753),
# verification case 00005 and its published output (tcppver.out), TEME km.
TLE_00005 = """\
1 00005U 58002B   00179.78495062  .00000023  00000-0  28098-4 0  4753
2 00005  34.2682 348.7242 1859667 331.7664  19.3264 10.82419157413667
"""
EPOCH_00005 = np.datetime64("2000-06-27T18:50:19.733568", "ns")  # day 179.78495062 of 2000


@pytest.mark.parametrize(
    "minutes, expected_km",
    [
        (0.0, (7022.46529266, -1400.08296755, 0.03995155)),
        (360.0, (-7154.03120202, -3783.17682504, -3536.19412294)),
    ],
)
def test_sgp4_matches_vallado_2006_verification_vector(minutes, expected_km):
    c = Constellation.from_tle_text(TLE_00005)
    t = EPOCH_00005 + np.timedelta64(int(minutes * 60e9), "ns")
    assert c.teme_km(t)[0] == pytest.approx(expected_km, abs=1e-5)


def test_teme_to_ecef_uses_gmst_rotation():
    # ECEF is TEME turned by GMST about the pole; compare against sgp4's own gstime.
    c = Constellation.from_tle_text(TLE_00005)
    t = EPOCH_00005 + np.timedelta64(3600 * 10**9, "ns")
    teme, ecef = c.teme_km(t)[0], c.ecef_km(t)[0]
    jd, fr = julian_date(t)
    theta = gstime(jd[0] + fr[0])
    expected = (
        math.cos(theta) * teme[0] + math.sin(theta) * teme[1],
        -math.sin(theta) * teme[0] + math.cos(theta) * teme[1],
        teme[2],
    )
    # sgp4's gstime takes one float Julian date (~20 us resolution): agree to 0.1 m.
    assert ecef == pytest.approx(expected, abs=1e-4)
    assert c.names == ("norad-00005",)


def test_gmst_matches_vallado_example_3_5():
    # Vallado 4th ed. Example 3-5: 1992 Aug 20, 12:14 UT1 -> GMST = 152.578787886 deg.
    jd, fr = julian_date(dt.datetime(1992, 8, 20, 12, 14))
    assert math.degrees(gmst_rad(jd, fr)[0]) == pytest.approx(152.578787886, abs=1e-6)


def test_tle_text_errors_and_names():
    with pytest.raises(ValueError, match="expected a line starting '1 '"):
        Constellation.from_tle_text("ISS\n1 25544U only one line\n")
    three_line = "MY SAT\n" + TLE_00005
    assert Constellation.from_tle_text(three_line).names == ("MY SAT",)
