"""Physical and geodetic constants, one value per quantity, each with its source.

Units are in the names: ``_KM``, ``_KM3_S2``, ``_RAD_S`` and so on. It imports
nothing from d2c, so every module may use it.

>>> round(EARTH_MEAN_RADIUS_KM * DEG, 3)   # km per degree along a meridian
111.195
"""

from __future__ import annotations

import math

# --- Earth: WGS 84 (NIMA TR8350.2, 3rd ed., 2000, Table 3.1 and 3.3) ---------------------
WGS84_A_KM = 6378.137
"""Semi-major (equatorial) axis of the WGS 84 ellipsoid."""
WGS84_F = 1.0 / 298.257223563
"""Flattening of the WGS 84 ellipsoid."""
WGS84_B_KM = WGS84_A_KM * (1.0 - WGS84_F)
"""Semi-minor (polar) axis, 6356.752314 km."""
WGS84_E2 = WGS84_F * (2.0 - WGS84_F)
"""First eccentricity squared, 6.69437999014e-3."""
EARTH_MU_KM3_S2 = 398600.4418
"""Geocentric gravitational constant GM (WGS 84, TR8350.2 Table 3.1)."""
EARTH_J2 = 1.08262998905e-3
"""Second zonal harmonic J2 (WGS 84 / EGM-96 value, as in the sgp4 'wgs84' constants)."""
EARTH_ROTATION_RAD_S = 7.292115e-5
"""Mean angular velocity of the Earth (WGS 84, TR8350.2 Table 3.1)."""

EARTH_MEAN_RADIUS_KM = 6371.0088
"""The one radius of a spherical Earth in d2c: the mean radius R1 = (2a + b) / 3 of the GRS 80 ellipsoid, as
the IUGG recommends it (H. Moritz, "Geodetic Reference System 1980", Journal of Geodesy 74, 2000,
pp. 128-133). Distances on the ground (great circles, grid joins, the topology builder, rupture distances)
and the space geometry's spherical formulas (slant range, Earth central angle, beam cells). 3GPP TR 38.811
(V15.4.0) sec. 6.6.2 writes R = 6371 km into its slant-range formula, the same radius to the kilometre:
the 8.8 m between them moves a slant range by under 10 m, well within the kilometre TR 38.821 tabulates
its distances to (tests/space/test_space_geometry.py)."""

# --- Time (IAU 1982 GMST as given in Vallado, Fundamentals of Astrodynamics, 4th ed., sec. 3.5)
SECONDS_PER_DAY = 86400.0
JULIAN_DATE_J2000 = 2451545.0
"""Julian date of the J2000.0 epoch, 2000-01-01 12:00 TT (used with UT1 in the GMST formula)."""
JULIAN_DATE_UNIX_EPOCH = 2440587.5
"""Julian date of 1970-01-01 00:00 UTC."""

# --- Electromagnetism ------------------------------------------------------------------------
SPEED_OF_LIGHT_KM_S = 299792.458
"""Speed of light in vacuum, exact by definition of the metre (SI Brochure, 9th ed., 2019)."""
BOLTZMANN_DBW_PER_K_HZ = -228.6
"""10 log10(k), k = 1.380649e-23 J/K (SI 2019); -228.6 dBW/K/Hz as used in 3GPP TR 38.821."""

# --- Handy derived values --------------------------------------------------------------------
DEG = math.pi / 180.0
"""Radians per degree."""
