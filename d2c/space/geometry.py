"""Where a satellite is in a ground observer's sky: WGS 84 positions and look angles.

Vectorised over satellites x ground points: every function takes arrays and returns
arrays shaped ``(n_ground, n_satellites)`` where both are involved.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from d2c.constants import (
    DEG,
    EARTH_MEAN_RADIUS_KM,
    SPEED_OF_LIGHT_KM_S,
    WGS84_A_KM,
    WGS84_B_KM,
    WGS84_E2,
)


def geodetic_to_ecef_km(
    lat_deg: np.ndarray | float, lon_deg: np.ndarray | float, height_km: np.ndarray | float = 0.0
) -> np.ndarray:
    """WGS 84 geodetic latitude, longitude and ellipsoidal height to ECEF, km, shape (..., 3).

    x = (N + h) cos(lat) cos(lon), y = (N + h) cos(lat) sin(lon), z = (N (1 - e^2) + h) sin(lat),
    N = a / sqrt(1 - e^2 sin^2(lat)) (NIMA TR8350.2 ch. 4; Vallado 4th ed. ch. 3, site position).

    On the equator at Greenwich the point is a = 6378.137 km out along x; at the pole it is
    b = 6356.752 km up along z (TR8350.2: a is a defining parameter, b derived from a and f):

    >>> [round(float(v), 3) for v in geodetic_to_ecef_km(0.0, 0.0)]
    [6378.137, 0.0, 0.0]
    >>> [round(float(v), 3) for v in geodetic_to_ecef_km(90.0, 0.0)]
    [0.0, 0.0, 6356.752]
    """
    lat = np.asarray(lat_deg, dtype=float) * DEG
    lon = np.asarray(lon_deg, dtype=float) * DEG
    h = np.asarray(height_km, dtype=float)
    sin_lat = np.sin(lat)
    n = WGS84_A_KM / np.sqrt(1.0 - WGS84_E2 * sin_lat**2)
    cos_lat = np.cos(lat)
    return np.stack(
        ((n + h) * cos_lat * np.cos(lon), (n + h) * cos_lat * np.sin(lon), (n * (1.0 - WGS84_E2) + h) * sin_lat),
        axis=-1,
    )


def ecef_to_geodetic(ecef_km: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """ECEF (..., 3) km to WGS 84 ``(lat_deg, lon_deg, height_km)``.

    Bowring's closed-form latitude (Bowring 1976, Survey Review 23(181)), refined by two
    fixed-point steps so that it stays sub-millimetre from the ground out to GEO.

    The inverse of :func:`geodetic_to_ecef_km`: a point near Amatrice, 900 m up, comes back to the nanodegree.

    >>> lat, lon, h = ecef_to_geodetic(geodetic_to_ecef_km(42.63, 13.29, 0.9))
    >>> round(float(lat), 9), round(float(lon), 9), round(float(h), 9)
    (42.63, 13.29, 0.9)
    """
    r = np.asarray(ecef_km, dtype=float)
    x, y, z = r[..., 0], r[..., 1], r[..., 2]
    a, b, e2 = WGS84_A_KM, WGS84_B_KM, WGS84_E2
    ep2 = (a * a - b * b) / (b * b)
    p = np.hypot(x, y)
    theta = np.arctan2(z * a, p * b)
    lat = np.arctan2(z + ep2 * b * np.sin(theta) ** 3, p - e2 * a * np.cos(theta) ** 3)
    for _ in range(2):  # refine: tan(lat) = (z + e^2 N sin lat) / p (Vallado 4th ed., ECEF to lat/lon)
        sin_lat = np.sin(lat)
        lat = np.arctan2(z + e2 * (a / np.sqrt(1.0 - e2 * sin_lat**2)) * sin_lat, p)
    sin_lat = np.sin(lat)
    n = a / np.sqrt(1.0 - e2 * sin_lat**2)
    cos_lat = np.cos(lat)
    with np.errstate(invalid="ignore", divide="ignore"):
        h = np.where(np.abs(cos_lat) > 1e-10, p / cos_lat - n, np.abs(z) - b)
    return np.degrees(lat), np.degrees(np.arctan2(y, x)), h


def up_unit_vectors(lat_deg: np.ndarray, lon_deg: np.ndarray) -> np.ndarray:
    """Local vertical (ellipsoid normal) unit vectors in ECEF, shape (..., 3).

    On the equator at 90 deg E, up is the ECEF y axis:

    >>> [round(float(v), 6) for v in up_unit_vectors(0.0, 90.0)]
    [0.0, 1.0, 0.0]
    """
    lat = np.asarray(lat_deg, dtype=float) * DEG
    lon = np.asarray(lon_deg, dtype=float) * DEG
    return np.stack((np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)), axis=-1)


@dataclass(frozen=True)
class LookAngles:
    """Elevation, azimuth (from north, clockwise) and range of satellites seen from ground points.

    Arrays are shaped ``(n_ground, n_satellites)``.
    """

    elevation_deg: np.ndarray
    azimuth_deg: np.ndarray
    slant_range_km: np.ndarray


def look_angles(
    sat_ecef_km: np.ndarray,
    ground_lat_deg: np.ndarray | float,
    ground_lon_deg: np.ndarray | float,
    ground_height_km: np.ndarray | float = 0.0,
) -> LookAngles:
    """Topocentric look angles from every ground point to every satellite.

    The line of sight is projected on the local east-north-up axes of the WGS 84 normal
    (Vallado 4th ed. sec. 4.4, the SEZ/ENU rotation; elevation = asin(up / range)).

    A satellite 600 km straight above a point on the equator is at the zenith, 600 km away:

    >>> la = look_angles(np.array([[6378.137 + 600.0, 0.0, 0.0]]), 0.0, 0.0)
    >>> la.elevation_deg.shape, round(float(la.elevation_deg[0, 0]), 6), round(float(la.slant_range_km[0, 0]), 6)
    ((1, 1), 90.0, 600.0)
    """
    sats = np.atleast_2d(np.asarray(sat_ecef_km, dtype=float))
    lat = np.atleast_1d(np.asarray(ground_lat_deg, dtype=float))
    lon = np.atleast_1d(np.asarray(ground_lon_deg, dtype=float))
    g = geodetic_to_ecef_km(lat, lon, ground_height_km)  # (G, 3)
    rho = sats[None, :, :] - g[:, None, :]  # (G, S, 3)
    lat_r, lon_r = lat * DEG, lon * DEG
    east = np.stack((-np.sin(lon_r), np.cos(lon_r), np.zeros_like(lon_r)), axis=-1)
    north = np.stack(
        (-np.sin(lat_r) * np.cos(lon_r), -np.sin(lat_r) * np.sin(lon_r), np.cos(lat_r)), axis=-1
    )
    up = up_unit_vectors(lat, lon)
    e = np.einsum("gsk,gk->gs", rho, east)
    n = np.einsum("gsk,gk->gs", rho, north)
    u = np.einsum("gsk,gk->gs", rho, up)
    rng = np.sqrt(e * e + n * n + u * u)
    elev = np.degrees(np.arctan2(u, np.hypot(e, n)))
    azim = np.mod(np.degrees(np.arctan2(e, n)), 360.0)
    return LookAngles(elev, azim, rng)


def slant_range_km(
    altitude_km: np.ndarray | float,
    elevation_deg: np.ndarray | float,
    earth_radius_km: float = EARTH_MEAN_RADIUS_KM,
) -> np.ndarray:
    """Distance to a satellite at altitude h seen at elevation e over a spherical Earth.

    d = sqrt((R + h)^2 - (R cos e)^2) - R sin e (3GPP TR 38.811 eq. 6.6-3, which writes R = 6371 km;
    Maral & Bousquet, Satellite Communications Systems). LEO-600 at 10 degrees, TR 38.821's farthest user:

    >>> round(float(slant_range_km(600.0, 10.0)))
    1932
    """
    h = np.asarray(altitude_km, dtype=float)
    e = np.asarray(elevation_deg, dtype=float) * DEG
    r = earth_radius_km
    return np.sqrt((r + h) ** 2 - (r * np.cos(e)) ** 2) - r * np.sin(e)


def earth_central_angle_deg(
    orbit_radius_km: np.ndarray | float,
    elevation_deg: np.ndarray | float,
    earth_radius_km: float = EARTH_MEAN_RADIUS_KM,
) -> np.ndarray:
    """Angle at the Earth's centre between a satellite and a ground point seeing it at ``e``.

    lambda = arccos(R cos e / r) - e (Wertz & Larson, Space Mission Analysis and Design,
    3rd ed., sec. 5.2, Earth geometry viewed from space). The coverage radius is R * lambda.

    A geostationary satellite (r = 42164 km) seen on the horizon is arccos(6371 / 42164)
    away, the familiar 81.3 deg limit of GEO coverage:

    >>> round(float(earth_central_angle_deg(42164.0, 0.0)), 1)
    81.3
    """
    r = np.asarray(orbit_radius_km, dtype=float)
    e = np.asarray(elevation_deg, dtype=float) * DEG
    ratio = np.clip(earth_radius_km * np.cos(e) / r, -1.0, 1.0)
    return np.degrees(np.arccos(ratio) - e)


def propagation_delay_ms(distance_km: np.ndarray | float) -> np.ndarray:
    """One-way free-space propagation delay, d / c, in milliseconds.

    Up to a geostationary satellite overhead (35,786 km), 35786 / 299792.458 s:

    >>> f"{float(propagation_delay_ms(35786.0)):.1f}"
    '119.4'
    """
    return np.asarray(distance_km, dtype=float) / SPEED_OF_LIGHT_KM_S * 1000.0
