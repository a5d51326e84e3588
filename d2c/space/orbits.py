"""Constellations: named satellites with positions at any UTC time.

Two sources of positions:

* Two-line element sets propagated with SGP4 (``sgp4.api.SatrecArray``, all satellites and
  times in one vectorised call). SGP4 works in the TEME frame.
* Walker-delta shells ``i:t/p/f`` (Walker, "Satellite constellations", J. Br. Interplanet.
  Soc. 37, 559-571, 1984): circular orbits at one altitude with the secular J2 drift of
  the node and of the argument of latitude (Vallado, Fundamentals of Astrodynamics and
  Applications, 4th ed., sec. 9.6; Curtis, Orbital Mechanics for Engineering Students,
  ch. 4). Their inertial frame is the same true-equator frame that GMST rotates to Earth-fixed.

Both are turned Earth-fixed (ECEF, km) by a rotation of GMST about the pole, the TEME to
pseudo-Earth-fixed step of Vallado et al. 2006 ("Revisiting Spacetrack Report #3",
AIAA 2006-6753, the TEME appendix); polar motion (< 20 m) is neglected.

Array shapes: a single time gives ``(n_satellites, 3)``; an array of ``T`` times gives
``(T, n_satellites, 3)``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, Sequence

import numpy as np
from sgp4.api import SatrecArray, Satrec

from d2c.base.limits import MAX_SATELLITES
from d2c.base.reader import read_text

from d2c.constants import DEG, EARTH_J2, EARTH_MU_KM3_S2, WGS84_A_KM
from .timescales import gmst_rad, is_scalar_time, julian_date, seconds_between


# ----------------------------------------------------------------------------------------
# Walker-delta description
# ----------------------------------------------------------------------------------------

_WALKER_RE = re.compile(
    r"^\s*(?P<i>[-+]?\d+(?:\.\d*)?)\s*:\s*(?P<t>\S+?)\s*/\s*(?P<p>\S+?)\s*/\s*(?P<f>\S+?)\s*$"
)


@dataclass(frozen=True)
class WalkerSpec:
    """A Walker-delta pattern ``i:t/p/f``.

    ``t`` satellites in ``p`` equally spaced planes inclined ``i`` degrees, with the
    in-plane phase of plane ``j`` advanced by ``j * f * 360/t`` degrees (Walker 1984).
    """

    inclination_deg: float
    total_satellites: int
    planes: int
    phasing: int

    @property
    def satellites_per_plane(self) -> int:
        """Satellites in each plane, ``t / p``."""
        return self.total_satellites // self.planes

    def __str__(self) -> str:
        return f"{self.inclination_deg:g}:{self.total_satellites}/{self.planes}/{self.phasing}"


def parse_walker(spec: str) -> WalkerSpec:
    """Parse ``"53:600/20/1"`` (inclination deg : total / planes / phasing).

    Raises ValueError naming what is wrong: the form, a non-integer count, ``t`` not a
    multiple of ``p``, a phasing outside ``0..p-1`` or an inclination outside 0..180.
    """
    if not isinstance(spec, str):
        raise ValueError(f"walker spec must be a string like '53:600/20/1', got {spec!r}")
    m = _WALKER_RE.match(spec)
    if m is None:
        raise ValueError(
            f"walker spec {spec!r} is not of the form 'i:t/p/f' "
            "(inclination deg : total satellites / planes / phasing), e.g. '53:600/20/1'"
        )
    inclination = float(m["i"])
    ints = {}
    for key, label in (("t", "total satellites"), ("p", "planes"), ("f", "phasing")):
        try:
            ints[key] = int(m[key])
        except ValueError:
            raise ValueError(
                f"walker spec {spec!r}: {label} must be a whole number, got {m[key]!r}"
            ) from None
    t, p, f = ints["t"], ints["p"], ints["f"]
    if not 0.0 <= inclination <= 180.0:
        raise ValueError(f"walker spec {spec!r}: inclination must be in 0..180 deg, got {inclination:g}")
    if t < 1:
        raise ValueError(f"walker spec {spec!r}: total satellites must be >= 1, got {t}")
    if t > MAX_SATELLITES:
        raise ValueError(f"walker spec {spec!r}: total satellites must be <= {MAX_SATELLITES:,} "
                         f"(more than any constellation filed), got {t:,}")
    if p < 1:
        raise ValueError(f"walker spec {spec!r}: planes must be >= 1, got {p}")
    if t % p != 0:
        raise ValueError(
            f"walker spec {spec!r}: total satellites ({t}) must be a multiple of planes ({p})"
        )
    if not 0 <= f < p:
        raise ValueError(f"walker spec {spec!r}: phasing must be in 0..{p - 1}, got {f}")
    return WalkerSpec(inclination, t, p, f)


# ----------------------------------------------------------------------------------------
# Two-body and J2 formulas
# ----------------------------------------------------------------------------------------


def orbital_period_s(altitude_km: float, body_radius_km: float = WGS84_A_KM) -> float:
    """Keplerian period of a circular orbit, T = 2 pi sqrt(a^3 / mu) (Kepler's third law; Vallado 4th ed. ch. 1)."""
    a = body_radius_km + altitude_km
    return 2.0 * math.pi * math.sqrt(a**3 / EARTH_MU_KM3_S2)


def j2_rates_rad_s(semi_major_axis_km: float, inclination_deg: float) -> tuple[float, float]:
    """Secular J2 rates ``(raan_dot, arg_latitude_dot)`` of a circular orbit, rad/s.

    For e = 0 (so p = a), Vallado 4th ed. sec. 9.6 / Curtis ch. 4:
      dRAAN/dt = -3/2 n J2 (R/a)^2 cos i
      domega/dt = 3/4 n J2 (R/a)^2 (5 cos^2 i - 1)
      dM/dt     = n [1 + 3/4 J2 (R/a)^2 (3 cos^2 i - 1)]
    and the argument of latitude u = omega + M advances at the sum of the last two.
    """
    a = semi_major_axis_km
    n = math.sqrt(EARTH_MU_KM3_S2 / a**3)
    k = EARTH_J2 * (WGS84_A_KM / a) ** 2
    c = math.cos(inclination_deg * DEG)
    raan_dot = -1.5 * n * k * c
    omega_dot = 0.75 * n * k * (5.0 * c * c - 1.0)
    mean_anomaly_dot = n * (1.0 + 0.75 * k * (3.0 * c * c - 1.0))
    return raan_dot, omega_dot + mean_anomaly_dot


def raan_rate_deg_per_day(altitude_km: float, inclination_deg: float) -> float:
    """Nodal precession from J2 of a circular orbit, degrees per day (east positive)."""
    raan_dot, _ = j2_rates_rad_s(WGS84_A_KM + altitude_km, inclination_deg)
    return math.degrees(raan_dot) * 86400.0


def nodal_period_s(altitude_km: float, inclination_deg: float) -> float:
    """Time between ascending-node crossings of a circular orbit with J2 drift."""
    _, u_dot = j2_rates_rad_s(WGS84_A_KM + altitude_km, inclination_deg)
    return 2.0 * math.pi / u_dot


def teme_to_ecef(r_teme_km: np.ndarray, gmst: np.ndarray) -> np.ndarray:
    """Rotate TEME positions (..., T, N, 3) by GMST (T,) about z to Earth-fixed.

    r_ecef = R3(GMST) r_teme (Vallado et al. 2006; polar motion neglected).
    """
    c = np.cos(gmst)[:, None]
    s = np.sin(gmst)[:, None]
    x, y, z = r_teme_km[..., 0], r_teme_km[..., 1], r_teme_km[..., 2]
    return np.stack((c * x + s * y, -s * x + c * y, z), axis=-1)


# ----------------------------------------------------------------------------------------
# Propagators
# ----------------------------------------------------------------------------------------


class _Propagator(Protocol):
    def teme_km(self, jd: np.ndarray, fr: np.ndarray) -> np.ndarray:
        """Positions (T, N, 3) in km at the split Julian dates."""


class _Sgp4Propagator:
    """SGP4 over all satellites and times at once; failed propagations become NaN."""

    def __init__(self, satrecs: Sequence[Satrec]):
        self._array = SatrecArray(list(satrecs))

    def teme_km(self, jd: np.ndarray, fr: np.ndarray) -> np.ndarray:
        err, r, _v = self._array.sgp4(jd, fr)  # (N, T), (N, T, 3)
        r = np.where(err[..., None] == 0, r, np.nan)
        return np.ascontiguousarray(np.swapaxes(r, 0, 1))


class _WalkerPropagator:
    """Circular orbits of a Walker-delta shell with secular J2 drift."""

    def __init__(
        self, spec: WalkerSpec, altitude_km: float, epoch_jd: float, epoch_fr: float,
        raan0_deg: float,
    ):
        s = spec.satellites_per_plane
        plane = np.repeat(np.arange(spec.planes), s)
        slot = np.tile(np.arange(s), spec.planes)
        # Walker 1984: plane j at RAAN0 + j 360/p; slot k at k 360/s + j f 360/t.
        self._raan0 = (raan0_deg + plane * 360.0 / spec.planes) * DEG
        self._u0 = (slot * 360.0 / s + plane * spec.phasing * 360.0 / spec.total_satellites) * DEG
        self._a_km = WGS84_A_KM + altitude_km
        self._cos_i = math.cos(spec.inclination_deg * DEG)
        self._sin_i = math.sin(spec.inclination_deg * DEG)
        self._raan_dot, self._u_dot = j2_rates_rad_s(self._a_km, spec.inclination_deg)
        self._epoch = (epoch_jd, epoch_fr)

    def teme_km(self, jd: np.ndarray, fr: np.ndarray) -> np.ndarray:
        dt = seconds_between(self._epoch[0], self._epoch[1], jd, fr)[:, None]
        raan = self._raan0[None, :] + self._raan_dot * dt
        u = self._u0[None, :] + self._u_dot * dt
        cos_o, sin_o = np.cos(raan), np.sin(raan)
        cos_u, sin_u = np.cos(u), np.sin(u)
        a = self._a_km
        # Orbital elements to position for e = 0: rotate (a cos u, a sin u, 0) by i about x
        # and by RAAN about z (Vallado 4th ed., COE2RV).
        x = a * (cos_o * cos_u - sin_o * sin_u * self._cos_i)
        y = a * (sin_o * cos_u + cos_o * sin_u * self._cos_i)
        z = a * (sin_u * self._sin_i)
        return np.stack((x, y, z), axis=-1)


# ----------------------------------------------------------------------------------------
# Constellation
# ----------------------------------------------------------------------------------------


class Constellation:
    """Named satellites whose positions can be asked for at any UTC time(s).

    Build one with :meth:`walker`, :meth:`from_tle_text` or :meth:`from_tle_file`.
    """

    def __init__(self, names: Sequence[str], propagator: _Propagator, description: str = ""):
        self.names: tuple[str, ...] = tuple(names)
        self.description = description
        self._propagator = propagator

    def __len__(self) -> int:
        return len(self.names)

    def __repr__(self) -> str:
        return f"Constellation({self.description or 'custom'}, {len(self)} satellites)"

    # -- construction ---------------------------------------------------------------------

    @classmethod
    def walker(
        cls,
        spec: str | WalkerSpec,
        altitude_km: float,
        epoch_utc: Any,
        raan0_deg: float = 0.0,
        name_prefix: str = "sat",
    ) -> "Constellation":
        """A Walker-delta shell at ``altitude_km`` above the equatorial radius.

        At ``epoch_utc`` plane 0 has right ascension ``raan0_deg`` and its first satellite
        sits on the ascending node.
        """
        if isinstance(spec, str):
            spec = parse_walker(spec)
        if not altitude_km > 0:
            raise ValueError(f"altitude_km must be > 0, got {altitude_km!r}")
        jd, fr = julian_date(epoch_utc)
        prop = _WalkerPropagator(spec, float(altitude_km), float(jd[0]), float(fr[0]), raan0_deg)
        s = spec.satellites_per_plane
        names = [f"{name_prefix}-p{j:02d}-s{k:02d}" for j in range(spec.planes) for k in range(s)]
        return cls(names, prop, description=f"walker {spec} at {altitude_km:g} km")

    @classmethod
    def from_tle_text(cls, text: str, description: str = "TLE") -> "Constellation":
        """Satellites from two-line (optionally three-line, name first) element sets."""
        lines = [ln.rstrip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
        names: list[str] = []
        satrecs: list[Satrec] = []
        i = 0
        while i < len(lines):
            name = None
            if not lines[i].startswith("1 "):
                name = lines[i].strip()
                if name.startswith("0 "):
                    name = name[2:].strip()
                i += 1
            if i + 1 >= len(lines) or not lines[i].startswith("1 ") or not lines[i + 1].startswith("2 "):
                raise ValueError(
                    f"TLE text: expected a line starting '1 ' followed by one starting '2 ' "
                    f"near line {i + 1}: {lines[min(i, len(lines) - 1)]!r}"
                )
            line1, line2 = lines[i][:69], lines[i + 1][:69]
            satrecs.append(Satrec.twoline2rv(line1, line2))
            names.append(name or f"norad-{line1[2:7].strip()}")
            i += 2
        if not satrecs:
            raise ValueError("TLE text holds no element sets")
        return cls(names, _Sgp4Propagator(satrecs), description=description)

    @classmethod
    def from_tle_file(cls, path: str | Path) -> "Constellation":
        """Satellites from a TLE file (two- or three-line form)."""
        p = Path(path)
        text = read_text(p)  # a regular file within the input size limit, else a ConfigError
        return cls.from_tle_text(text, description=f"TLE {p.name}")

    # -- positions ------------------------------------------------------------------------

    def teme_km(self, t: Any) -> np.ndarray:
        """Positions in the quasi-inertial TEME frame, km.

        ``(N, 3)`` for one time, ``(T, N, 3)`` for an array of times.
        """
        jd, fr = julian_date(t)
        r = self._propagator.teme_km(jd, fr)
        return r[0] if is_scalar_time(t) else r

    def ecef_km(self, t: Any) -> np.ndarray:
        """Earth-fixed positions, km: ``(N, 3)`` for one time, ``(T, N, 3)`` for many."""
        jd, fr = julian_date(t)
        r = teme_to_ecef(self._propagator.teme_km(jd, fr), gmst_rad(jd, fr))
        return r[0] if is_scalar_time(t) else r
