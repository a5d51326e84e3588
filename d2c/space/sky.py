"""What is overhead: the satellites one place sees at one instant (for ``d2c sky``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .geometry import look_angles, propagation_delay_ms
from .orbits import Constellation


@dataclass(frozen=True)
class SkyEntry:
    """One satellite above the horizon mask, as seen from the ground."""

    name: str
    elevation_deg: float
    azimuth_deg: float
    slant_range_km: float
    delay_ms: float
    """One-way handset-to-satellite propagation delay."""


def sky(
    lat_deg: float,
    lon_deg: float,
    at_utc: Any,
    constellation: Constellation,
    mask_deg: float = 0.0,
) -> list[SkyEntry]:
    """Satellites at or above ``mask_deg`` from (lat, lon) at ``at_utc``, highest first."""
    if not -90.0 <= lat_deg <= 90.0 or not -180.0 <= lon_deg <= 180.0:
        raise ValueError(f"position ({lat_deg}, {lon_deg}) is outside lat [-90, 90], lon [-180, 180]")
    look = look_angles(constellation.ecef_km(at_utc), lat_deg, lon_deg)
    el, az, rng = look.elevation_deg[0], look.azimuth_deg[0], look.slant_range_km[0]
    with np.errstate(invalid="ignore"):
        up = np.flatnonzero(el >= mask_deg)
    up = up[np.lexsort((up, -el[up]))]  # highest first, ties by constellation order
    delay = propagation_delay_ms(rng[up])
    return [
        SkyEntry(constellation.names[i], float(el[i]), float(az[i]), float(rng[i]), float(d))
        for i, d in zip(up, delay)
    ]
