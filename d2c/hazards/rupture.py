"""Finite ruptures: the fault plane of an earthquake and the Joyner-Boore distance to it.

Size from magnitude, Wells & Coppersmith (1994), "New empirical relationships
among magnitude, rupture length, rupture width, rupture area, and surface
displacement", Bull. Seismol. Soc. Am. 84(4), 974-1002, Table 2A, all slip
types: log10 RLD = -2.44 + 0.59 M (subsurface rupture length, km) and
log10 RW = -1.01 + 0.32 M (down-dip width, km). The width is capped by the
seismogenic layer: a fault cannot extend below its bottom.

The rupture is a rectangle centred on the hypocentre, ``length`` along the
strike and ``width`` down the dip. Its surface projection is a rectangle of
``length`` by ``width x cos(dip)`` centred on the epicentre (Aki & Richards
convention: the fault dips to the right of the strike direction). The
Joyner-Boore distance Rjb is the distance to that projection, 0 above the
fault (Joyner & Boore 1981, Bull. Seismol. Soc. Am. 71(6)).

>>> r = Rupture.from_magnitude(6.0, strike_deg=0.0, dip_deg=90.0, depth_km=8.0)
>>> round(r.length_km, 2), float(joyner_boore_km(r, np.array([0.0, 20.0]), np.array([0.0, 0.0]))[0])
(12.59, 0.0)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from d2c.geo import KM_PER_DEG_LAT

__all__ = ["Rupture", "rupture_length_km", "rupture_width_km", "joyner_boore_km", "local_km",
           "SEISMOGENIC_DEPTH_KM", "MECHANISM_DIP_DEG", "MECHANISM_RAKE_DEG"]

# assumed: bottom of the seismogenic layer of the Apennines and Calabrian arc, 15 km
# (range 10-20 km; the 2016 central Italy sequence ruptured the upper 10-12 km).
SEISMOGENIC_DEPTH_KM = 15.0

# assumed: typical dips by mechanism where the scenario gives none (Andersonian
# faulting: normal faults ~60 deg, thrusts ~30 deg, strike-slip vertical; range +-15 deg).
MECHANISM_DIP_DEG = {"normal": 60.0, "reverse": 30.0, "strike-slip": 90.0, "unknown": 90.0}
# rake convention of Aki & Richards (1980): -90 normal, +90 reverse, 0 strike-slip
MECHANISM_RAKE_DEG = {"normal": -90.0, "reverse": 90.0, "strike-slip": 0.0, "unknown": 0.0}


def rupture_length_km(magnitude: float) -> float:
    """Subsurface rupture length, Wells & Coppersmith (1994) Table 2A, all slip types.

    >>> round(rupture_length_km(7.0), 1)
    49.0
    """
    return float(10.0 ** (-2.44 + 0.59 * magnitude))


def rupture_width_km(magnitude: float) -> float:
    """Down-dip rupture width, Wells & Coppersmith (1994) Table 2A, all slip types.

    >>> round(rupture_width_km(6.0), 1)
    8.1
    """
    return float(10.0 ** (-1.01 + 0.32 * magnitude))


@dataclass(frozen=True)
class Rupture:
    """A rectangular fault plane centred on the hypocentre (``lat``, ``lon``, ``depth_km``)."""

    lat: float
    lon: float
    depth_km: float
    length_km: float
    width_km: float
    strike_deg: float
    dip_deg: float

    @classmethod
    def from_magnitude(cls, magnitude: float, strike_deg: float, dip_deg: float, depth_km: float,
                       lat: float = 0.0, lon: float = 0.0) -> "Rupture":
        """The Wells & Coppersmith rupture, its width capped so that it stays in the seismogenic layer."""
        room_km = SEISMOGENIC_DEPTH_KM / max(float(np.sin(np.radians(dip_deg))), 1e-6)
        return cls(lat, lon, depth_km, rupture_length_km(magnitude), min(rupture_width_km(magnitude), room_km),
                   strike_deg, dip_deg)

    @property
    def surface_width_km(self) -> float:
        """Width of the surface projection across the strike."""
        return float(self.width_km * np.cos(np.radians(self.dip_deg)))

    @property
    def surface_area_km2(self) -> float:
        return self.length_km * self.surface_width_km


def local_km(lat_deg, lon_deg, lat0: float, lon0: float) -> tuple[np.ndarray, np.ndarray]:
    """(east, north) in km from (lat0, lon0) on the local tangent plane (equirectangular, fine to ~300 km).

    One degree each way from 60 N: a degree of latitude (111.2 km) north, half of it east (cos 60 = 0.5):

    >>> east, north = local_km(61.0, 14.0, 60.0, 13.0)
    >>> round(float(east), 1), round(float(north), 1)
    (55.6, 111.2)
    """
    north = (np.asarray(lat_deg, dtype=float) - lat0) * KM_PER_DEG_LAT
    east = (np.asarray(lon_deg, dtype=float) - lon0) * KM_PER_DEG_LAT * np.cos(np.radians(lat0))
    return east, north


def joyner_boore_km(rupture: Rupture, lat_deg, lon_deg) -> np.ndarray:
    """Distance (km) from each place to the rupture's surface projection; 0 above the fault.

    A vertical Mw 6 fault striking north (12.59 km long, no surface width) at (0, 0): the
    epicentre is on it, 0.1 deg east is 11.1 km across, 0.1 deg north is 11.1 - 6.3 km beyond its tip:

    >>> r = Rupture.from_magnitude(6.0, strike_deg=0.0, dip_deg=90.0, depth_km=8.0)
    >>> [round(float(d), 1) for d in joyner_boore_km(r, [0.0, 0.0, 0.1], [0.0, 0.1, 0.0])]
    [0.0, 11.1, 4.8]
    """
    east, north = local_km(lat_deg, lon_deg, rupture.lat, rupture.lon)
    strike = np.radians(rupture.strike_deg)
    along = east * np.sin(strike) + north * np.cos(strike)  # along the strike
    across = east * np.cos(strike) - north * np.sin(strike)  # to the right of the strike: down-dip
    half_length = rupture.length_km / 2.0
    half_width = rupture.surface_width_km / 2.0
    d_along = np.maximum(np.abs(along) - half_length, 0.0)
    d_across = np.maximum(np.abs(across) - half_width, 0.0)
    return np.hypot(d_along, d_across)
