"""UTC instants as Julian dates, and the Earth's rotation angle (GMST).

Everything in ``d2c.space`` takes times as a :class:`datetime.datetime` (naive ones are
read as UTC), a :class:`numpy.datetime64`, or a sequence/array of either. Internally a
time is a Julian date split in two float64 parts, ``jd`` (whole or half days) and ``fr``
(fraction of a day), the form ``sgp4`` expects, so that sub-millisecond resolution
survives the float arithmetic.

UT1 is taken equal to UTC: |UT1 - UTC| < 0.9 s by the definition of UTC (IERS), which
moves the Earth by at most ~0.4 km at the equator, well below the resolution of the
coverage questions asked here.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import numpy as np

from d2c.constants import JULIAN_DATE_J2000, JULIAN_DATE_UNIX_EPOCH, SECONDS_PER_DAY

_NS_PER_DAY = 86_400 * 1_000_000_000


def _as_datetime64_ns(t: Any) -> np.ndarray:
    """Any supported time (or array of them) as a datetime64[ns] array, UTC."""
    if isinstance(t, _dt.datetime):
        if t.tzinfo is not None:
            t = t.astimezone(_dt.timezone.utc).replace(tzinfo=None)
        return np.array([np.datetime64(t, "ns")])
    if isinstance(t, np.datetime64):
        return np.array([t.astype("datetime64[ns]")])
    arr = np.asarray(t)
    if arr.dtype.kind == "M":
        return arr.astype("datetime64[ns]").ravel()
    if arr.dtype == object:
        return np.concatenate([_as_datetime64_ns(x) for x in arr.ravel()]) if arr.size else (
            np.array([], dtype="datetime64[ns]")
        )
    raise TypeError(
        f"expected a datetime, numpy.datetime64 or an array of them, got {type(t).__name__}"
    )


def is_scalar_time(t: Any) -> bool:
    """True when ``t`` is a single instant rather than an array of instants.

    >>> from datetime import datetime
    >>> is_scalar_time(datetime(2016, 8, 24, 1, 36)), is_scalar_time(np.array(["2016-08-24"], dtype="datetime64[D]"))
    (True, False)
    """
    return isinstance(t, (_dt.datetime, np.datetime64)) or (
        isinstance(t, np.ndarray) and t.ndim == 0
    )


def julian_date(t: Any) -> tuple[np.ndarray, np.ndarray]:
    """Split Julian date ``(jd, fr)`` of UTC instants, each a 1-D float64 array.

    ``jd`` holds the Julian date of the preceding midnight (ending in .5) and ``fr`` the
    fraction of the day, exactly as ``sgp4.api.jday`` splits it.

    Noon of 1 January 2000 is the J2000 epoch, Julian date 2451545.0:

    >>> from datetime import datetime
    >>> jd, fr = julian_date(datetime(2000, 1, 1, 12))
    >>> float(jd[0]), float(fr[0])
    (2451544.5, 0.5)
    """
    ns = _as_datetime64_ns(t).astype(np.int64)
    days, rem = np.divmod(ns, _NS_PER_DAY)
    jd = JULIAN_DATE_UNIX_EPOCH + days.astype(np.float64)
    fr = rem.astype(np.float64) / _NS_PER_DAY
    return jd, fr


def seconds_between(jd0: float, fr0: float, jd: np.ndarray, fr: np.ndarray) -> np.ndarray:
    """Seconds elapsed from ``(jd0, fr0)`` to each ``(jd, fr)``.

    From noon to the next midnight:

    >>> seconds_between(2451544.5, 0.5, np.array([2451545.5]), np.array([0.0])).tolist()
    [43200.0]
    """
    return ((jd - jd0) + (fr - fr0)) * SECONDS_PER_DAY


def gmst_rad(jd: np.ndarray, fr: np.ndarray) -> np.ndarray:
    """Greenwich mean sidereal time, radians in [0, 2*pi), IAU 1982 model.

    GMST(s) = 67310.54841 + (876600 h + 8640184.812866 s) T + 0.093104 T^2 - 6.2e-6 T^3,
    with T the Julian centuries of UT1 from J2000 (Vallado, Fundamentals of Astrodynamics
    and Applications, 4th ed., sec. 3.5, sidereal time; the same model Spacetrack Report #3 and
    Vallado et al. 2006, "Revisiting Spacetrack Report #3", use to rotate TEME to the
    Earth-fixed frame).

    At J2000 (T = 0) GMST is the constant term, 67310.54841 s = 18h 41m 50.54841s = 280.4606 deg:

    >>> round(float(np.degrees(gmst_rad(2451545.0, 0.0))), 4)
    280.4606
    """
    t_cent = ((np.asarray(jd) - JULIAN_DATE_J2000) + np.asarray(fr)) / 36525.0
    gmst_s = (
        67310.54841
        + (876600.0 * 3600.0 + 8640184.812866) * t_cent
        + 0.093104 * t_cent**2
        - 6.2e-6 * t_cent**3
    )
    return np.mod(gmst_s, SECONDS_PER_DAY) * (2.0 * np.pi / SECONDS_PER_DAY)


def utc_ns(t: Any) -> int:
    """A single instant as whole nanoseconds since 1970-01-01 UTC (the key of a precomputed sky).

    One day after the epoch is 86,400 s; 01:00 at UTC+1 is the epoch itself:

    >>> from datetime import datetime, timedelta, timezone
    >>> utc_ns(datetime(1970, 1, 2)), utc_ns(datetime(1970, 1, 1, 1, tzinfo=timezone(timedelta(hours=1))))
    (86400000000000, 0)
    """
    return int(_as_datetime64_ns(t)[0].astype(np.int64))


def utc_datetime(t: Any) -> _dt.datetime:
    """A single instant as a timezone-aware UTC :class:`datetime.datetime`.

    >>> utc_datetime(np.datetime64("2016-08-24T01:36:32")).isoformat()
    '2016-08-24T01:36:32+00:00'
    """
    ns = int(_as_datetime64_ns(t)[0].astype(np.int64))
    return _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc) + _dt.timedelta(
        microseconds=ns // 1000
    )
