"""The per-step space stage: which areas see which satellites, and where beams point.

Built for national scale (10,000 areas, hundreds of satellites, thousands of steps):

* Areas are binned on a ground grid. Geometry is evaluated once per *cell*, at the
  centroid of its areas, and copied to the areas. Two grids are used: beam cells, a square
  inscribed in one beam footprint (side = radius x sqrt 2, so a beam aimed at the centroid
  covers its cell), and geometry cells, the same grid capped at
  :data:`MAX_GEOMETRY_CELL_KM` so that wide-beam systems still get per-area elevations.
* Only satellites whose sub-satellite point is within reach of the territory are looked
  at: a spherical-cap test on the Earth central angle (Wertz & Larson, SMAD 3rd ed.
  sec. 5.2), conservative by the polar radius and a 0.5 deg margin.
* Elevations and ranges of cells x satellites come from two matrix products per step.

A satellite serves only if it has a feeder path: a gateway with ``gateway_ok`` above the
gateway mask, seen by the satellite itself (bent pipe) or, for providers with
inter-satellite links, by any satellite it can route to. One-way delay is handset ->
satellite [-> laser links, counted as straight lines] -> gateway, at the speed of light.

Its speed is measured by ``d2c.space.bench.bench_space`` (``make bench``).

Deterministic: no randomness anywhere; ties go to the lower index.
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from d2c.constants import DEG, EARTH_MEAN_RADIUS_KM, WGS84_B_KM
from .geometry import earth_central_angle_deg, geodetic_to_ecef_km, propagation_delay_ms, up_unit_vectors
from .orbits import Constellation
from .provider import Provider
from .timescales import utc_datetime

MAX_GEOMETRY_CELL_KM = 50.0
"""Largest ground cell on which elevation and range are evaluated (~1-3 deg of elevation)."""

_KM_PER_DEG = EARTH_MEAN_RADIUS_KM * DEG
_FILTER_MARGIN_DEG = 0.5


# ----------------------------------------------------------------------------------------
# Results
# ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _CellSky:
    """Geometry of one grid's cells against the candidate satellites at one instant."""

    sin_elevation: np.ndarray  # (C, K)
    slant_range_km: np.ndarray  # (C, K)
    eligible: np.ndarray  # (C, K): above mask, feeder path, downlink closes


@dataclass(frozen=True)
class SpaceState:
    """What the sky offers each area at one instant (arrays indexed by area).

    ``elevation_deg``, ``slant_range_km`` and ``delay_ms`` are NaN where no satellite
    with a feeder path is above the mask; ``serving_sat`` is then -1 and ``service`` 0.
    ``feeder_ok`` is indexed by satellite (constellation order). ``serving_sat``,
    ``slant_range_km`` and ``service`` are spread over the areas when first read
    (the engine reads none of them).
    """

    t_utc: _dt.datetime
    satellites_visible: np.ndarray
    elevation_deg: np.ndarray
    delay_ms: np.ndarray
    feeder_ok: np.ndarray
    _candidates: np.ndarray = field(repr=False)
    _beam_sky: _CellSky = field(repr=False)
    _area_cell: np.ndarray = field(repr=False)  # geometry cell of each area
    _cell_sat: np.ndarray = field(repr=False)  # per geometry cell: serving satellite or -1
    _cell_range_km: np.ndarray = field(repr=False)  # per geometry cell: its slant range (NaN: none)
    _radio: Any = field(repr=False)  # the provider's radio link (service class by distance)

    @cached_property
    def serving_sat(self) -> np.ndarray:
        return self._cell_sat[self._area_cell]

    @cached_property
    def slant_range_km(self) -> np.ndarray:
        return self._cell_range_km[self._area_cell]

    @cached_property
    def service(self) -> np.ndarray:
        has = self._cell_sat >= 0
        cell_service = np.zeros(has.size, dtype=np.int8)
        if has.any():
            cell_service[has] = self._radio.service(self._cell_range_km[has])
        return cell_service[self._area_cell]


@dataclass(frozen=True)
class BeamPlan:
    """Where the beams point at one instant and what each carries.

    Per area: ``beam_id`` (-1 if none) and ``under_beam`` (a handset there receives the
    beam's cell broadcast warnings, whatever its operator and whatever spare capacity the
    beam has). Per beam (``beam_*``, length ``n_beams``): satellite, aim point, geometry,
    service class and capacity in concurrent voice calls, SMS per second and Mbit/s.
    """

    beam_id: np.ndarray
    under_beam: np.ndarray
    beam_sat: np.ndarray
    beam_lat_deg: np.ndarray
    beam_lon_deg: np.ndarray
    beam_elevation_deg: np.ndarray
    beam_slant_range_km: np.ndarray
    beam_demand: np.ndarray
    beam_service: np.ndarray
    beam_voice_calls: np.ndarray
    beam_sms_per_s: np.ndarray
    beam_mbps: np.ndarray
    beam_uplink_mbps: np.ndarray

    @property
    def n_beams(self) -> int:
        return int(self.beam_sat.size)


# ----------------------------------------------------------------------------------------
# Ground grid
# ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Grid:
    """Areas binned into cells; each cell located at the centroid of its areas."""

    area_cell: np.ndarray  # (A,)
    lat_deg: np.ndarray  # (C,)
    lon_deg: np.ndarray
    ecef_km: np.ndarray  # (C, 3)
    range_rows: np.ndarray  # (C, 5): [g, |g|^2, 1]
    up_rows: np.ndarray  # (C, 4): [u, -u.g]

    @classmethod
    def build(cls, lat: np.ndarray, lon: np.ndarray, cell_km: float) -> "_Grid":
        # Longitudes relative to their circular mean, so a territory across 180 deg works.
        lon_ref = math.degrees(math.atan2(np.sin(lon * DEG).mean(), np.cos(lon * DEG).mean()))
        rel = (lon - lon_ref + 180.0) % 360.0 - 180.0
        dlat = cell_km / _KM_PER_DEG
        lat0 = lat.min()
        row = np.floor((lat - lat0) / dlat).astype(np.int64)
        row_lat = lat0 + (row + 0.5) * dlat
        dlon = dlat / np.maximum(np.cos(row_lat * DEG), 1e-3)
        col = np.floor((rel - rel.min()) / dlon).astype(np.int64)
        key = row * (col.max() + 1) + col
        _, area_cell = np.unique(key, return_inverse=True)
        area_cell = area_cell.astype(np.int64).ravel()
        count = np.bincount(area_cell).astype(float)
        c_lat = np.bincount(area_cell, weights=lat) / count
        c_lon = (np.bincount(area_cell, weights=rel) / count + lon_ref + 180.0) % 360.0 - 180.0
        return cls.at(area_cell, c_lat, c_lon)

    @classmethod
    def at(cls, area_cell: np.ndarray, lat: np.ndarray, lon: np.ndarray) -> "_Grid":
        g = geodetic_to_ecef_km(lat, lon).reshape(-1, 3)
        u = up_unit_vectors(lat, lon).reshape(-1, 3)
        ones = np.ones((g.shape[0], 1))
        range_rows = np.hstack([g, np.einsum("ck,ck->c", g, g)[:, None], ones])
        up_rows = np.hstack([u, -np.einsum("ck,ck->c", u, g)[:, None]])
        return cls(area_cell, lat, lon, g, range_rows, up_rows)

    def look(self, sats_km: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(sin elevation, slant range km)`` of every cell to every satellite, (C, K).

        With rho = s - g: |rho|^2 = |g|^2 + |s|^2 - 2 g.s and the up component of rho is
        u.s - u.g (ENU projection, Vallado 4th ed. sec. 4.4); each is one matrix product
        of rows augmented with the constant terms.
        """
        k = sats_km.shape[0]
        s_range = np.empty((5, k))
        s_range[:3] = -2.0 * sats_km.T
        s_range[3] = 1.0
        s_range[4] = np.einsum("sk,sk->s", sats_km, sats_km)
        rng = self.range_rows @ s_range
        np.sqrt(rng, out=rng)
        s_up = np.empty((4, k))
        s_up[:3] = sats_km.T
        s_up[3] = 1.0
        sin_el = self.up_rows @ s_up
        sin_el /= rng
        return sin_el, rng


# ----------------------------------------------------------------------------------------
# The stage
# ----------------------------------------------------------------------------------------


def _as_1d(name: str, a: Any, lo: float, hi: float) -> np.ndarray:
    arr = np.asarray(a, dtype=float).ravel()
    if not np.all(np.isfinite(arr)) or np.any(arr < lo) or np.any(arr > hi):
        raise ValueError(f"{name}: expected finite values in [{lo:g}, {hi:g}]")
    return arr


class SpaceSegment:
    """The satellites over a territory, evaluated step by step.

    Parameters are per-area and per-gateway latitude/longitude arrays in WGS 84 degrees;
    ``epoch_utc`` references a Walker shell (ignored for TLEs). ``cell_km`` overrides the
    beam-cell size; ``constellation`` overrides the provider's own.
    """

    def __init__(
        self,
        provider: Provider,
        area_lat_deg: Any,
        area_lon_deg: Any,
        gateway_lat_deg: Any = (),
        gateway_lon_deg: Any = (),
        epoch_utc: Any = None,
        *,
        cell_km: float | None = None,
        constellation: Constellation | None = None,
    ):
        lat = _as_1d("area_lat_deg", area_lat_deg, -90, 90)
        lon = _as_1d("area_lon_deg", area_lon_deg, -180, 180)
        if lat.size != lon.size or lat.size == 0:
            raise ValueError("area_lat_deg and area_lon_deg must be non-empty and of equal length")
        glat = _as_1d("gateway_lat_deg", gateway_lat_deg, -90, 90)
        glon = _as_1d("gateway_lon_deg", gateway_lon_deg, -180, 180)
        if glat.size != glon.size:
            raise ValueError("gateway_lat_deg and gateway_lon_deg must be of equal length")
        if constellation is None:
            if epoch_utc is None and provider.tle_file is None:
                raise ValueError("epoch_utc is required for a Walker-shell provider")
            constellation = provider.constellation(epoch_utc)
        self.provider = provider
        self.constellation = constellation
        self.n_areas = lat.size
        self.n_gateways = glat.size

        self.beam_cell_km = float(cell_km) if cell_km else provider.beam_radius_km * math.sqrt(2.0)
        if not self.beam_cell_km > 0:
            raise ValueError(f"cell_km must be > 0, got {cell_km!r}")
        self.geometry_cell_km = min(self.beam_cell_km, MAX_GEOMETRY_CELL_KM)
        self._beam = _Grid.build(lat, lon, self.beam_cell_km)
        self._geo = (
            self._beam if self.geometry_cell_km == self.beam_cell_km
            else _Grid.build(lat, lon, self.geometry_cell_km)
        )
        self._gw = _Grid.at(np.arange(glat.size), glat, glon)

        self._sin_mask = math.sin(provider.elevation_mask_deg * DEG)
        self._sin_gw_mask = math.sin(provider.gateway_mask_deg * DEG)
        self._dl_max_range_km = _downlink_max_range_km(provider)
        self._isl = bool(provider.inter_satellite_links)

        # Spherical cap holding every cell and gateway: centre and angular radius.
        pts = np.vstack([self._geo.ecef_km, self._beam.ecef_km, self._gw.ecef_km])
        unit = pts / np.linalg.norm(pts, axis=1, keepdims=True)
        centre = unit.sum(axis=0)
        norm = np.linalg.norm(centre)
        self._cap_centre = centre / norm if norm > 1e-9 else np.array([0.0, 0.0, 1.0])
        cap = float(np.arccos(np.clip(unit @ self._cap_centre, -1, 1)).max())
        half_cell = 0.75 * self.beam_cell_km / EARTH_MEAN_RADIUS_KM
        self._cap_rad = cap + half_cell + _FILTER_MARGIN_DEG * DEG
        self._filter_mask_deg = min(provider.elevation_mask_deg, provider.gateway_mask_deg)
        self._states_at: Any = None  # the instant of ``_states``
        self._states: dict[bytes, SpaceState] = {}  # working gateways -> state, at that instant: see ``state``

    # -- helpers ------------------------------------------------------------------------

    @property
    def area_cell(self) -> np.ndarray:
        """Beam cell of each area (the unit beams are pointed at)."""
        return self._beam.area_cell

    @property
    def n_cells(self) -> int:
        return int(self._beam.lat_deg.size)

    def _candidates(self, sats: np.ndarray) -> np.ndarray:
        """Indices of satellites that can be above the mask somewhere in the cap."""
        r = np.linalg.norm(sats, axis=1)
        with np.errstate(invalid="ignore"):
            cos_to_centre = (sats @ self._cap_centre) / r
            reach = np.radians(earth_central_angle_deg(r, self._filter_mask_deg, WGS84_B_KM))
            ok = cos_to_centre >= np.cos(np.minimum(self._cap_rad + reach, np.pi))
        return np.flatnonzero(ok)

    def _feeder_km(self, sats: np.ndarray, gateway_ok: np.ndarray) -> np.ndarray:
        """Feeder path length from each candidate satellite to a working gateway (inf: none)."""
        k = sats.shape[0]
        if self.n_gateways == 0 or k == 0 or not gateway_ok.any():
            return np.full(k, np.inf)
        sin_el, rng = self._gw.look(sats)
        vis = (sin_el >= self._sin_gw_mask) & gateway_ok[:, None]
        direct = np.where(vis, rng, np.inf).min(axis=0)
        land = np.isfinite(direct)
        if not self._isl or not land.any():
            return direct
        # Laser links: route to the landing satellite that minimises hop + feeder length.
        hop = np.linalg.norm(sats[:, None, :] - sats[None, land, :], axis=2)
        return (hop + direct[land][None, :]).min(axis=1)

    def _max_range_km(self, sats: np.ndarray) -> float:
        """Longest slant range at which any of these satellites can be above the mask."""
        r_max = float(np.linalg.norm(sats, axis=1).max())
        lam = math.radians(float(earth_central_angle_deg(r_max, self.provider.elevation_mask_deg, WGS84_B_KM)))
        return math.sqrt(r_max**2 + WGS84_B_KM**2 - 2 * r_max * WGS84_B_KM * math.cos(lam)) + 25.0

    # -- per step -------------------------------------------------------------------------

    def state(self, t_utc: Any, gateway_ok: Any = None) -> SpaceState:
        """The sky over every area at ``t_utc`` given which gateways work.

        The sky depends on nothing else, so a second call with the same time and
        gateways (another seed of the same scenario, or the same provider under a
        denial case, stepped in lockstep by ``d2c compare``) returns the state
        already computed; states of earlier instants are dropped.
        """
        if gateway_ok is None:
            gw_ok = np.ones(self.n_gateways, dtype=bool)
        else:
            gw_ok = np.asarray(gateway_ok, dtype=bool).ravel()
            if gw_ok.size != self.n_gateways:
                raise ValueError(f"gateway_ok: expected {self.n_gateways} values, got {gw_ok.size}")
        at, key = utc_datetime(t_utc), gw_ok.tobytes()
        if at != self._states_at:
            self._states_at, self._states = at, {}
        if key not in self._states:
            self._states[key] = self._state(t_utc, gw_ok)
        return self._states[key]

    def _state(self, t_utc: Any, gw_ok: np.ndarray) -> SpaceState:

        sats_all = self.constellation.ecef_km(t_utc)
        cand = self._candidates(sats_all)
        sats = sats_all[cand]
        feeder_km = self._feeder_km(sats, gw_ok)
        feeder = np.isfinite(feeder_km)

        feeder_all = np.zeros(len(self.constellation), dtype=bool)
        if self._isl and feeder.any():
            feeder_all[:] = True  # any satellite can route over the laser mesh to a landing one
        feeder_all[cand] = feeder

        # Geometry cells: visibility, best server, service class.
        sin_el, rng = self._geo.look(sats)
        visible = sin_el >= self._sin_mask
        eligible = visible & feeder[None, :]
        score = np.where(eligible, sin_el, -2.0)
        c = np.arange(score.shape[0])
        best = score.argmax(axis=1) if score.shape[1] else np.zeros(score.shape[0], dtype=np.int64)
        has = score[c, best] > -1.5 if score.shape[1] else np.zeros(score.shape[0], dtype=bool)
        cell_sat = np.where(has, cand[best] if cand.size else -1, -1)
        cell_el = np.full(c.size, np.nan)
        cell_rng = np.full(c.size, np.nan)
        cell_delay = np.full(c.size, np.nan)
        if has.any():
            hb = best[has]
            r_best = rng[has, hb]
            cell_el[has] = np.degrees(np.arcsin(np.clip(sin_el[has, hb], -1.0, 1.0)))
            cell_rng[has] = r_best
            cell_delay[has] = propagation_delay_ms(r_best + feeder_km[hb])
        cell_count = np.count_nonzero(visible, axis=1).astype(np.int32)

        # Beam cells: who may point a beam where (shares the arrays when the grids coincide).
        if self._beam is self._geo:
            b_sin, b_rng, b_eligible = sin_el, rng, eligible
        else:
            b_sin, b_rng = self._beam.look(sats)
            b_eligible = (b_sin >= self._sin_mask) & feeder[None, :]
        if sats.size and self._dl_max_range_km < self._max_range_km(sats):
            b_eligible = b_eligible & (b_rng <= self._dl_max_range_km)

        a = self._geo.area_cell
        return SpaceState(
            t_utc=utc_datetime(t_utc),
            satellites_visible=cell_count[a],
            elevation_deg=cell_el[a],
            delay_ms=cell_delay[a],
            feeder_ok=feeder_all,
            _candidates=cand,
            _beam_sky=_CellSky(b_sin, b_rng, b_eligible),
            _area_cell=a,
            _cell_sat=cell_sat,
            _cell_range_km=cell_rng,
            _radio=self.provider.radio,
        )

    def plan_beams(self, state: SpaceState, need_mask: Any, demand_weight: Any = 1.0) -> BeamPlan:
        """Point beams at the cells in most need, each satellite at most its beam count.

        Cell demand is the sum of ``demand_weight`` over its areas in ``need_mask``. Cells
        are served neediest first, each by the highest-elevation satellite that still has a
        free beam (a satellite without a feeder path serves nothing).
        """
        need = np.asarray(need_mask, dtype=bool).ravel()
        if need.size != self.n_areas:
            raise ValueError(f"need_mask: expected {self.n_areas} values, got {need.size}")
        weight = np.broadcast_to(np.asarray(demand_weight, dtype=float), need.shape)
        cell_demand = np.bincount(self.area_cell, weights=np.where(need, weight, 0.0), minlength=self.n_cells)
        needy = np.flatnonzero(cell_demand > 0)
        sky = state._beam_sky
        cand = state._candidates
        if needy.size == self.n_cells:  # everyone in need: no copies
            held = _assign_beams(sky.sin_elevation, sky.eligible, cell_demand, self.provider.beams_per_satellite)
        else:
            held = _assign_beams(
                sky.sin_elevation[needy], sky.eligible[needy], cell_demand[needy],
                self.provider.beams_per_satellite,
            )
        got = held >= 0
        cells, cols = needy[got], held[got]
        # Beam ids ordered by satellite, then by demand (neediest first), then cell index.
        order = np.lexsort((cells, -cell_demand[cells], cand[cols]))
        cells, cols = cells[order], cols[order]
        rng = sky.slant_range_km[cells, cols]
        cap = self.provider.radio.beam_capacity(rng)
        cell_beam = np.full(self.n_cells, -1, dtype=np.int64)
        cell_beam[cells] = np.arange(cells.size)
        beam_id = cell_beam[self.area_cell]
        return BeamPlan(
            beam_id=beam_id,
            under_beam=beam_id >= 0,
            beam_sat=cand[cols],
            beam_lat_deg=self._beam.lat_deg[cells],
            beam_lon_deg=self._beam.lon_deg[cells],
            beam_elevation_deg=np.degrees(np.arcsin(np.clip(sky.sin_elevation[cells, cols], -1, 1))),
            beam_slant_range_km=rng,
            beam_demand=cell_demand[cells],
            beam_service=cap.service,
            beam_voice_calls=cap.voice_calls,
            beam_sms_per_s=cap.sms_per_s,
            beam_mbps=cap.downlink_mbps,
            beam_uplink_mbps=cap.uplink_mbps,
        )


def _downlink_max_range_km(provider: Provider) -> float:
    """Largest distance at which a beam's downlink still reaches CQI 1 (for cell broadcast)."""
    return provider.radio.downlink_max_range_km()


def _assign_beams(score: np.ndarray, eligible: np.ndarray, demand: np.ndarray, beams: int) -> np.ndarray:
    """Stable assignment of cells to satellite beams; returns the column per cell or -1.

    Every satellite ranks cells the same way (by demand), so the stable matching is the
    one where cells, neediest first, each take their best satellite with a free beam.
    It is computed by deferred acceptance (Gale & Shapley, Amer. Math. Monthly 69, 1962):
    in each round every unplaced cell proposes to its next satellite by elevation and
    each satellite keeps its ``beams`` neediest proposers, all rounds vectorised.
    """
    n, k = eligible.shape
    held = np.full(n, -1, dtype=np.int64)
    cell_of, sat_of = np.nonzero(eligible)  # cell-major, satellites ascending
    if cell_of.size == 0:
        return held
    # Each cell's options as a contiguous run, best elevation first (ties: lower index):
    # one float key, cell + (1 - sin el) / 4, sorts by cell then by falling elevation.
    order = np.argsort(cell_of + (1.0 - score[cell_of, sat_of]) * 0.25, kind="stable")
    option_sat = sat_of[order]
    n_opts = np.bincount(cell_of, minlength=n)
    start = np.concatenate(([0], np.cumsum(n_opts)[:-1]))
    priority = np.empty(n, dtype=np.int64)
    priority[np.argsort(-demand, kind="stable")] = np.arange(n)
    ptr = np.zeros(n, dtype=np.int64)
    touched = np.zeros(k, dtype=bool)
    for _round in range(cell_of.size + 1):  # bounded: every round advances a pointer or ends
        prop = np.flatnonzero((held < 0) & (ptr < n_opts))
        if prop.size == 0:
            break
        new_sat = option_sat[start[prop] + ptr[prop]]
        touched[:] = False
        touched[new_sat] = True
        holders = np.flatnonzero(touched[held] & (held >= 0))
        pool_c = np.concatenate((holders, prop))
        pool_s = np.concatenate((held[holders], new_sat))
        o = np.argsort(pool_s * n + priority[pool_c])
        pool_c, pool_s = pool_c[o], pool_s[o]
        idx = np.arange(pool_s.size)
        new_group = np.empty(pool_s.size, dtype=bool)
        new_group[0] = True
        np.not_equal(pool_s[1:], pool_s[:-1], out=new_group[1:])
        first = np.maximum.accumulate(np.where(new_group, idx, 0))
        keep = (idx - first) < beams
        held[pool_c] = np.where(keep, pool_s, -1)
        ptr[pool_c[~keep]] += 1
    return held
