"""Who is indoors, in which buildings, and how many indoor handsets still close a D2C link.

Three figures, each cited or assumed with a range (docs/FORMATS.md, ``population:``):

* the share of people indoors by local hour (:data:`INDOOR_SHARE_BY_HOUR`);
* the building mix: the share of thermally-efficient buildings
  (:data:`THERMALLY_EFFICIENT_SHARE`), the rest traditional (ITU-R P.2109 classes);
* an evacuation, when a scenario declares one: a share of the people indoors in the
  areas an incident reaches moves outdoors (camps, open spaces, cars).

A handset outdoors keeps the class its beam offers. A handset indoors loses a
building-entry loss drawn from ITU-R P.2109 at the beam's elevation; it keeps class k
if that loss fits the class's margin (:meth:`d2c.space.linkbudget.RadioLink.margin_db`).
:class:`LinkShareTable` tabulates, per provider, P(loss <= margin) on a grid of
elevations and margins once, so each step is a table lookup per beam.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from .entry_loss import BUILDING_TYPES, entry_loss_cdf

__all__ = [
    "INDOOR_SHARE_BY_HOUR",
    "INDOOR_SHARE_RANGE",
    "THERMALLY_EFFICIENT_SHARE",
    "THERMALLY_EFFICIENT_SHARE_RANGE",
    "Indoors",
    "LinkShareTable",
    "default_utc_offset_hours",
    "local_hour",
]

INDOOR_SHARE_BY_HOUR: tuple[float, ...] = (
    # 00    01    02    03    04    05    06    07    08    09    10    11
    0.97, 0.97, 0.97, 0.97, 0.97, 0.97, 0.93, 0.86, 0.86, 0.88, 0.88, 0.88,
    # 12    13    14    15    16    17    18    19    20    21    22    23
    0.86, 0.86, 0.87, 0.87, 0.87, 0.84, 0.84, 0.84, 0.91, 0.91, 0.95, 0.95,
)
"""Share of people indoors (home or another building) by local clock hour.

Assumed shape, anchored on published figures: at night nearly everyone is at home
(American Time Use Survey 2003-07: 94 % of people asleep at 3 am, as summarised by
the US Bureau of Labor Statistics); over a whole day people spend 88.9 % of their
time indoors, 5.8 % outdoors and 5.3 % in vehicles (Canadian Human Activity Pattern
Survey 2, Matz et al., Int. J. Environ. Res. Public Health 11(2), 2108-2124, 2014,
Table 3) and 86.9 % indoors in the US NHAPS (Klepeis et al., J. Expo. Anal. Environ.
Epidemiol. 11, 231-252, 2001). Vehicles count as outdoors here (their loss is a few dB,
not modelled). The daily mean of this profile is 0.90. Range: :data:`INDOOR_SHARE_RANGE`.
"""

INDOOR_SHARE_RANGE: tuple[float, float] = (0.80, 0.99)
"""Assumed low-high of any hour's indoor share (day low, night high)."""

THERMALLY_EFFICIENT_SHARE = 0.10
"""Share of Italian homes in thermally-efficient buildings (P.2109 class: metallised
glazing, foil-backed insulation). Assumed: energy-performance rules (Legislative Decree
192/2005) apply to buildings from 2005 on, and most of the Italian housing stock is
older (ISTAT 2011 census, dwellings by period of construction); retrofitted low-emissivity
glazing adds some older homes. Range: :data:`THERMALLY_EFFICIENT_SHARE_RANGE`."""

THERMALLY_EFFICIENT_SHARE_RANGE: tuple[float, float] = (0.05, 0.25)

_EL_STEP_DEG = 1.0
_MARGIN_STEP_DB = 0.25
_MARGIN_MAX_DB = 100.0


def local_hour(t_utc: datetime, utc_offset_hours: float) -> int:
    """Clock hour 0..23 at a fixed offset from UTC.

    >>> from datetime import datetime, timezone
    >>> local_hour(datetime(2003, 9, 28, 1, 27, tzinfo=timezone.utc), 2.0)
    3
    """
    return int(math.floor(t_utc.timestamp() / 3600.0 + utc_offset_hours)) % 24


@dataclass(frozen=True)
class LinkShareTable:
    """P(building-entry loss <= margin) for indoor handsets, by elevation and margin.

    ``share[e, m]``: elevation ``e`` degrees (0..90), margin ``m`` x 0.25 dB (0..100 dB),
    averaged over the building mix at one frequency.
    """

    frequency_mhz: float
    thermally_efficient_share: float
    share: np.ndarray

    @classmethod
    def build(cls, frequency_mhz: float, thermally_efficient_share: float) -> "LinkShareTable":
        el = np.arange(0.0, 90.0 + _EL_STEP_DEG, _EL_STEP_DEG)[:, None]
        margin = np.arange(0.0, _MARGIN_MAX_DB + _MARGIN_STEP_DB, _MARGIN_STEP_DB)[None, :]
        f_ghz = frequency_mhz / 1000.0
        weights = {BUILDING_TYPES[0]: 1.0 - thermally_efficient_share, BUILDING_TYPES[1]: thermally_efficient_share}
        share = sum(w * entry_loss_cdf(margin, f_ghz, el, b) for b, w in weights.items())
        return cls(frequency_mhz, thermally_efficient_share, np.asarray(share))

    def lookup(self, elevation_deg: np.ndarray, margin_db: np.ndarray) -> np.ndarray:
        """Share of indoor handsets that close a link with ``margin_db`` at ``elevation_deg``
        (broadcast; a negative margin closes nothing, NaN elevation gives 0)."""
        el = np.asarray(elevation_deg, dtype=float)
        m = np.asarray(margin_db, dtype=float)
        ok = np.isfinite(el) & (m >= 0)
        ei = np.clip(np.rint(np.nan_to_num(el) / _EL_STEP_DEG), 0, self.share.shape[0] - 1).astype(np.int64)
        mi = np.clip(np.floor(np.nan_to_num(m) / _MARGIN_STEP_DB), 0, self.share.shape[1] - 1).astype(np.int64)
        return np.where(ok, self.share[ei, mi], 0.0)


class Indoors:
    """The share of each area's people indoors at each step.

    ``by_hour``: 24 shares by local hour; ``utc_offset_hours``: the territory's clock;
    ``evacuation``: ``(outdoors_share, after_s, lasting_s)`` or None, applied to the areas
    from ``affected_area_s`` (when the incident reaches each area) on.
    """

    def __init__(self, by_hour: tuple[float, ...], utc_offset_hours: float, affected_area_s: np.ndarray,
                 evacuation: tuple[float, float, float] | None = None):
        if len(by_hour) != 24:
            raise ValueError(f"by_hour: expected 24 shares, got {len(by_hour)}")
        self.by_hour = np.asarray(by_hour, dtype=float)
        self.utc_offset_hours = float(utc_offset_hours)
        self.affected_area_s = np.asarray(affected_area_s, dtype=float)
        self.evacuation = evacuation

    def share(self, t_utc: datetime, t_s: float) -> np.ndarray:
        """Per area, the share of people indoors at ``t_utc`` (``t_s`` into the run)."""
        base = self.by_hour[local_hour(t_utc, self.utc_offset_hours)]
        if self.evacuation is None:
            return np.broadcast_to(base, self.affected_area_s.shape)  # one share everywhere (read-only)
        out = np.full(self.affected_area_s.shape, base)
        outdoors, after_s, lasting_s = self.evacuation
        since = t_s - self.affected_area_s - after_s
        out[(since >= 0) & (since < lasting_s)] *= 1.0 - outdoors
        return out


def default_utc_offset_hours(lon_deg: np.ndarray) -> float:
    """The standard-time zone of a territory's mean longitude, whole hours (15 deg per hour).

    >>> default_utc_offset_hours(np.array([7.0, 18.0]))
    1.0
    """
    lon = np.radians(np.asarray(lon_deg, dtype=float))
    mean = math.degrees(math.atan2(float(np.sin(lon).mean()), float(np.cos(lon).mean())))
    return float(round(mean / 15.0))
