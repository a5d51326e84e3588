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

Its speed is measured by ``d2c.bench.space.bench_space`` (``make bench``).

Deterministic: no randomness anywhere; ties go to the lower index.
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from d2c.constants import DEG, EARTH_MEAN_RADIUS_KM
from .geometry import geodetic_to_ecef_km, up_unit_vectors
from .orbits import Constellation
from .linkbudget import BeamCapacity
from .provider import Provider
from .skyblock import MAX_BLOCK_STEPS, GatewaySky, SkyBlock
from .timescales import utc_datetime, utc_ns

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
    beam_cell_index: np.ndarray = field(repr=False)  # per beam cell: its beam, or n_beams for none

    @cached_property
    def under_beam(self) -> np.ndarray:
        return self.beam_id >= 0

    def per_area(self, per_beam: np.ndarray, area_cell: np.ndarray) -> np.ndarray:
        """``per_beam`` (rows x (n_beams + 1), the last column for areas under no beam) spread over
        the areas of ``area_cell`` (each area's beam cell)."""
        return np.take(np.take(per_beam, self.beam_cell_index, axis=1), area_cell, axis=1)

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
        sin_el, rng = self.look_runs(sats_km, np.array([0, k]), k)
        return sin_el[0], rng[0]

    def look_runs(self, sats_km: np.ndarray, run_start: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`look` of runs of satellites (instant ``i``: ``sats_km[run_start[i]:run_start[i + 1]]``),
        as (instants, C, width): run ``i``'s columns first, then padding at sin elevation -2.

        One matrix product per run, of the run's own shape, so that each figure is the one
        :meth:`look` of that run alone gives, to the bit (a BLAS library may take another
        kernel for a wider product and round its edge columns differently).
        """
        k = sats_km.shape[0]
        s_range = np.empty((5, k))
        s_range[:3] = -2.0 * sats_km.T
        s_range[3] = 1.0
        s_range[4] = np.einsum("sk,sk->s", sats_km, sats_km)
        s_up = np.empty((4, k))
        s_up[:3] = sats_km.T
        s_up[3] = 1.0
        n, c = run_start.size - 1, self.range_rows.shape[0]
        if n == 1 and width == k:  # one run, no padding: the products are the arrays
            rng = (self.range_rows @ s_range)[None]
            sin_el = (self.up_rows @ s_up)[None]
            np.sqrt(rng, out=rng)
            sin_el /= rng
            return sin_el, rng
        rng = np.ones((n, c, width))  # padding: range 1, so that sin elevation stays -2 below
        sin_el = np.full((n, c, width), -2.0)
        for i, (a, b) in enumerate(zip(run_start[:-1].tolist(), run_start[1:].tolist())):
            if b > a:
                rng[i, :, :b - a] = self.range_rows @ np.ascontiguousarray(s_range[:, a:b])
                sin_el[i, :, :b - a] = self.up_rows @ np.ascontiguousarray(s_up[:, a:b])
        np.sqrt(rng, out=rng)
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
    beam-cell size; ``constellation`` overrides the provider's own. ``step_s``: the spacing of
    the instants a run will ask for, so that the sky is worked out a block of them at a time
    (None: each instant alone).
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
        step_s: float | None = None,
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

        self.sin_mask = math.sin(provider.elevation_mask_deg * DEG)
        self.sin_gw_mask = math.sin(provider.gateway_mask_deg * DEG)
        self.downlink_max_range_km = _downlink_max_range_km(provider)
        self.inter_satellite_links = bool(provider.inter_satellite_links)

        # Spherical cap holding every cell and gateway: centre and angular radius.
        pts = np.vstack([self._geo.ecef_km, self._beam.ecef_km, self._gw.ecef_km])
        unit = pts / np.linalg.norm(pts, axis=1, keepdims=True)
        centre = unit.sum(axis=0)
        norm = np.linalg.norm(centre)
        self.cap_centre = centre / norm if norm > 1e-9 else np.array([0.0, 0.0, 1.0])
        cap = float(np.arccos(np.clip(unit @ self.cap_centre, -1, 1)).max())
        half_cell = 0.75 * self.beam_cell_km / EARTH_MEAN_RADIUS_KM
        self.cap_rad = cap + half_cell + _FILTER_MARGIN_DEG * DEG
        self.filter_mask_deg = min(provider.elevation_mask_deg, provider.gateway_mask_deg)
        if step_s is not None and not (math.isfinite(step_s) and step_s >= 0):
            raise ValueError(f"step_s must be a finite number of seconds >= 0, got {step_s!r}")
        # the spacing of the instants a run asks for (blocks of them are worked out at once); None: one at a time
        self.step_ns = 0 if step_s is None else int(round(float(step_s) * 1e9))

    @cached_property
    def _sky(self) -> _SkyCache:
        """The instants worked out ahead and this instant's states (derived from constants: a
        checkpoint does not hold them, and they are rebuilt when next asked)."""
        return _SkyCache()

    # -- helpers ------------------------------------------------------------------------

    @property
    def area_cell(self) -> np.ndarray:
        """Beam cell of each area (the unit beams are pointed at)."""
        return self._beam.area_cell

    @property
    def n_cells(self) -> int:
        return int(self._beam.lat_deg.size)

    @property
    def geometry_cells(self) -> int:
        """Cells on which elevation and range are evaluated (as many as beam cells, or more)."""
        return int(self._geo.lat_deg.size)

    @property
    def geometry_area_cell(self) -> np.ndarray:
        """Geometry cell of each area."""
        return self._geo.area_cell

    @property
    def beam_grid_is_geometry(self) -> bool:
        return self._beam is self._geo

    # -- per step -------------------------------------------------------------------------

    def state(self, t_utc: Any, gateway_ok: Any = None) -> SpaceState:
        """The sky over every area at ``t_utc`` given which gateways work.

        The sky is worked out a block of instants at a time (``t_utc``, ``t_utc + step_s``,
        ...: :class:`d2c.space.skyblock.SkyBlock`), so that the instants a run steps
        through are lookups; a time outside the block starts a new one. A second call with
        the same time and gateways (another seed of the same scenario, or the same provider
        under a denial case, stepped in lockstep by ``d2c compare``) returns the same state.
        """
        if gateway_ok is None:
            gw_ok = np.ones(self.n_gateways, dtype=bool)
        else:
            gw_ok = np.asarray(gateway_ok, dtype=bool).ravel()
            if gw_ok.size != self.n_gateways:
                raise ValueError(f"gateway_ok: expected {self.n_gateways} values, got {gw_ok.size}")
        cache = self._sky
        t_ns, key = utc_ns(t_utc), gw_ok.tobytes()
        if t_ns != cache.states_at:
            cache.states_at, cache.states = t_ns, {}
        state = cache.states.get(key)
        if state is None:
            block, i = cache.block_at(self, t_ns)
            state = cache.states[key] = self._state_of(block, i, block.for_gateways(gw_ok), utc_datetime(t_utc))
        return state

    def _state_of(self, block: SkyBlock, i: int, sky: GatewaySky, t_utc: _dt.datetime) -> SpaceState:
        k = int(block.count[i])
        return SpaceState(
            t_utc=t_utc,
            satellites_visible=sky.area_count[i],
            elevation_deg=sky.area_elevation_deg[i],
            delay_ms=sky.area_delay_ms[i],
            feeder_ok=sky.feeder_ok[i],
            _candidates=block.cand[i, :k],
            _beam_sky=_CellSky(block.beam_sin[i, :, :k], block.beam_rng[i, :, :k], sky.beam_eligible[i, :, :k]),
            _area_cell=self._geo.area_cell,
            _cell_sat=sky.cell_sat[i],
            _cell_range_km=sky.cell_range_km[i],
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
        areas = np.flatnonzero(need)
        weight = np.asarray(demand_weight, dtype=float)
        return self.plan_beams_at(state, areas, weight if weight.ndim == 0 else weight.ravel()[areas])

    def plan_beams_at(self, state: SpaceState, areas: np.ndarray, weight: Any) -> BeamPlan:
        """:meth:`plan_beams` given the indices of the areas in need (ascending) and their
        demand weights (or one weight for all): the areas not in need are never read."""
        weight = np.broadcast_to(np.asarray(weight, dtype=float), areas.shape)
        cell_demand = np.bincount(self.area_cell[areas], weights=weight, minlength=self.n_cells)
        needy = np.flatnonzero(cell_demand > 0)
        sky = state._beam_sky
        cand = state._candidates
        if needy.size == self.n_cells:  # everyone in need: no copies
            held = assign_beams(sky.sin_elevation, sky.eligible, cell_demand, self.provider.beams_per_satellite)
        else:
            held = assign_beams(
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
        return BeamPlan(
            beam_id=np.take(cell_beam, self.area_cell),
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
            beam_cell_index=np.where(cell_beam >= 0, cell_beam, cells.size),
        )


    def plan_lanes(self, state: SpaceState, need_mask: np.ndarray, demand_weight: np.ndarray,
                   max_entries: int | None = None) -> "LanePlans | None":
        """:meth:`plan_beams` for several lanes (rows of ``need_mask`` and ``demand_weight``, lanes x
        areas) under one sky, in one assignment: each lane's needy cells against its own copy of the
        satellites (a block diagonal, so no lane takes another's beams), so that each lane gets the
        beams it would get alone. None when the stacked assignment would hold more than
        ``max_entries`` (cells x satellites) entries.
        """
        need = np.asarray(need_mask, dtype=bool)
        n_lanes, n_areas = need.shape
        if n_areas != self.n_areas:
            raise ValueError(f"need_mask: expected {self.n_areas} values a lane, got {n_areas}")
        weight = np.broadcast_to(np.asarray(demand_weight, dtype=float), need.shape)
        sky, cand = state._beam_sky, state._candidates
        n_cells, k = self.n_cells, cand.size
        area_cell = self.area_cell
        # each lane's cell demand (as plan_beams: the weights of its areas in need, per cell)
        lane_of_area = np.repeat(np.arange(n_lanes), n_areas)
        cell_demand = np.bincount(lane_of_area * n_cells + np.tile(area_cell, n_lanes),
                                  weights=np.where(need, weight, 0.0).ravel(),
                                  minlength=n_lanes * n_cells).reshape(n_lanes, n_cells)
        lane, cell = np.nonzero(cell_demand > 0)  # lane-major: each lane's needy cells, ascending
        if max_entries is not None and lane.size * n_lanes * k > max_entries:
            return None
        score = np.zeros((lane.size, n_lanes * k))
        eligible = np.zeros((lane.size, n_lanes * k), dtype=bool)
        cols = lane[:, None] * k + np.arange(k)[None, :]
        rows = np.arange(lane.size)[:, None]
        score[rows, cols] = sky.sin_elevation[cell]
        eligible[rows, cols] = sky.eligible[cell]
        held = assign_beams(score, eligible, cell_demand[lane, cell], self.provider.beams_per_satellite)
        got = held >= 0
        b_lane, b_cell, b_col = lane[got], cell[got], held[got] - lane[got] * k
        # beam ids: per lane by satellite, then by demand (neediest first), then cell, as plan_beams
        order = np.lexsort((b_cell, -cell_demand[b_lane, b_cell], cand[b_col], b_lane))
        b_lane, b_cell, b_col = b_lane[order], b_cell[order], b_col[order]
        n_beams = np.bincount(b_lane, minlength=n_lanes)
        beam_start = np.concatenate(([0], np.cumsum(n_beams)[:-1]))
        rng = sky.slant_range_km[b_cell, b_col]
        cell_beam = np.full((n_lanes, n_cells), -1, dtype=np.int64)
        cell_beam[b_lane, b_cell] = np.arange(b_lane.size) - beam_start[b_lane]
        return LanePlans(
            beam_id=cell_beam[:, area_cell],
            n_beams=n_beams,
            beam_start=beam_start,
            beam_sat=cand[b_col],
            beam_elevation_deg=np.degrees(np.arcsin(np.clip(sky.sin_elevation[b_cell, b_col], -1, 1))),
            beam_slant_range_km=rng,
            capacity=self.provider.radio.beam_capacity(rng),
        )


@dataclass(frozen=True)
class LanePlans:
    """The beams of several lanes planned together under one sky (:meth:`SpaceSegment.plan_lanes`).

    ``beam_id`` (lanes x areas): each area's beam, numbered within its lane (-1: none). Lane
    ``i``'s beams are ``beam_start[i]`` to ``beam_start[i] + n_beams[i] - 1`` of the ``beam_*``
    arrays and of ``capacity``, in the order :meth:`SpaceSegment.plan_beams` gives them alone.
    """

    beam_id: np.ndarray
    n_beams: np.ndarray
    beam_start: np.ndarray
    beam_sat: np.ndarray
    beam_elevation_deg: np.ndarray
    beam_slant_range_km: np.ndarray
    capacity: BeamCapacity


class _SkyCache:
    """A segment's block of instants worked out ahead, and the states of the instant last asked."""

    def __init__(self) -> None:
        self.block: SkyBlock | None = None
        self.used = 0  # instants of ``block`` asked for so far (the furthest one, plus one)
        self.states_at: int | None = None
        self.states: dict[bytes, SpaceState] = {}

    def block_at(self, segment: "SpaceSegment", t_ns: int) -> tuple[SkyBlock, int]:
        """The block holding instant ``t_ns`` (a new one from it if needed) and its index there."""
        block = self.block
        i = block.step_index(t_ns) if block is not None else None
        if i is None:
            # a run steps on: the next block is as long as the last one proved useful, doubled
            if block is None:
                length = MAX_BLOCK_STEPS
            elif self.used >= block.n_steps:
                length = min(MAX_BLOCK_STEPS, 2 * block.n_steps)
            else:
                length = max(1, self.used)
            length = length if segment.step_ns else 1
            block = self.block = SkyBlock(segment, t_ns, segment.step_ns, length)
            self.used, i = 0, 0
        self.used = max(self.used, i + 1)
        return block, i


def _downlink_max_range_km(provider: Provider) -> float:
    """Largest distance at which a beam's downlink still reaches CQI 1 (for cell broadcast)."""
    return provider.radio.downlink_max_range_km()


def assign_beams(score: np.ndarray, eligible: np.ndarray, demand: np.ndarray, beams: int) -> np.ndarray:
    """Stable assignment of cells (rows) to satellite beams (columns); the column per cell or -1.

    Every satellite ranks cells the same way (by demand), so the stable matching (Gale &
    Shapley, Amer. Math. Monthly 69, 1962) is the one where cells, neediest first (ties: the
    lower row), each take their best satellite with a free beam: the highest ``score``, ties
    to the lower column. It is computed a satellite at a time: every cell still unplaced takes
    its best satellite still open; the first cell (in need order) to find its satellite's
    ``beams`` already taken closes it and every other satellite full by then, the cells before
    it keep their choice, and the rest choose again. At most one pass per satellite.

    >>> elig = np.ones((3, 2), dtype=bool)
    >>> assign_beams(np.array([[0.9, 0.5], [0.8, 0.6], [0.7, 0.2]]), elig, np.array([1.0, 3.0, 2.0]), 1).tolist()
    [-1, 0, 1]
    """
    n, k = eligible.shape
    held = np.full(n, -1, dtype=np.int64)
    if n == 0 or k == 0:
        return held
    # Each cell's options, best first: one float key, row + (1 - score) / 4, ordered as the
    # stable sort of the earlier implementation ordered them (ties: the lower column).
    key = np.where(eligible, np.arange(n)[:, None] + (1.0 - score) * 0.25, np.inf)
    order = np.argsort(-demand, kind="stable")  # need order
    key = key[order]
    free = np.full(k, beams, dtype=np.int64)
    rows = np.arange(n)
    sats = np.arange(k)
    for _pass in range(k + 1):  # bounded: every pass but the last closes a satellite
        choice = key.argmin(axis=1)
        has = np.isfinite(key[rows, choice])
        # running count of each satellite's takers, in need order
        taken = np.cumsum(has[:, None] & (choice[:, None] == sats[None, :]), axis=0)
        over = has & (taken[rows, choice] > free[choice])
        if not over.any():
            held[order[has]] = choice[has]
            break
        p = int(over.argmax())
        keep = has[:p]
        held[order[:p][keep]] = choice[:p][keep]
        if p:
            free -= taken[p - 1]
        # every satellite full by cell p's turn closes (cell p's own choice among them)
        order, key, rows = order[p:], key[p:], rows[:n - p]
        key[:, free <= 0] = np.inf
        n -= p
    return held
