"""The sky over a territory for a block of instants at once: a step of the space stage is a lookup.

A run asks the space segment for the sky at ``t``, ``t + step``, ``t + 2 step``... so the
segment works out a block of those instants in one pass (:class:`SkyBlock`):

* the positions of every satellite at every instant of the block, one call
  (``Constellation.ecef_km`` over an array of times: SGP4's array API for TLEs, the
  Walker shell's closed form over a time axis);
* each instant's candidates (the satellites that can be above the mask somewhere in the
  territory's cap), stacked one instant after another into one list of columns;
* the elevation and range of every ground cell to every column (one matrix product per
  instant, of the shape the instant alone would have: a BLAS library may round a wider
  product's edge columns differently);
* then, for one set of working gateways (:meth:`SkyBlock.for_gateways`), each instant's
  feeder paths, visible counts, best server and the beam cells' eligibility, as array
  operations over (instants, cells, candidates) at once, each instant's candidates padded
  to the block's widest with columns no cell can see.

Every figure is the one the per-instant computation gives, to the bit: the same float
operations are applied to the same operands, only over more of them at once (each
column of a matrix product is computed on its own; minima and argmaxima are exact).

The block's length is capped so that its (cells x columns) tables stay small
(:data:`MAX_BLOCK_ENTRIES`); nothing here is saved in a checkpoint: a block is derived
from the constellation, the grids and the instant, and is rebuilt when next asked.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from d2c.constants import WGS84_B_KM
from .geometry import earth_central_angle_deg, propagation_delay_ms

__all__ = ["MAX_BLOCK_ENTRIES", "MAX_BLOCK_STEPS", "SkyBlock", "GatewaySky"]

MAX_BLOCK_STEPS = 16
"""Most instants worked out together (16 one-minute steps; longer blocks measured slower, their
tables falling out of the processor's cache)."""

MAX_BLOCK_ENTRIES = 2_000_000
"""Most (ground cells x candidate columns) entries of one block's tables: 16 MB per float table."""


@dataclass(frozen=True)
class GatewaySky:
    """One block's sky for one set of working gateways; columns are each instant's candidates.

    Per column (``(n_cols,)``): ``feeder_km`` (inf: no feeder path). Per geometry cell and
    instant (``(steps, cells)``): ``cell_sat``, ``cell_range_km``, ``cell_elevation_deg``,
    ``cell_delay_ms``, ``cell_count``; the same spread over the areas (``(steps, areas)``):
    ``area_count``, ``area_elevation_deg``, ``area_delay_ms``. Per beam cell and column:
    ``beam_eligible``. Per instant and satellite: ``feeder_ok`` (``(steps, satellites)``).
    """

    feeder_km: np.ndarray
    feeder_ok: np.ndarray
    cell_sat: np.ndarray
    cell_range_km: np.ndarray
    cell_elevation_deg: np.ndarray
    cell_delay_ms: np.ndarray
    cell_count: np.ndarray
    area_count: np.ndarray
    area_elevation_deg: np.ndarray
    area_delay_ms: np.ndarray
    beam_eligible: np.ndarray


class SkyBlock:
    """The gateway-independent sky of ``n_steps`` instants; see the module's docstring.

    ``start_ns``: the first instant (UTC, ns since 1970); ``step_ns``: the spacing.
    Instant ``i``'s candidates are ``cand[i, :count[i]]`` (ascending constellation indices);
    ``geo_sin``/``geo_rng`` (and ``beam_sin``/``beam_rng`` when the beam grid differs) are
    (instants, cells, width), the columns past ``count[i]`` padding.
    """

    def __init__(self, segment: Any, start_ns: int, step_ns: int, max_steps: int):
        self.segment = segment
        n = max(1, int(max_steps))
        times = np.int64(start_ns) + np.int64(step_ns) * np.arange(n, dtype=np.int64)
        sats = segment.constellation.ecef_km(times.astype("datetime64[ns]"))  # (n, N, 3)
        ok = _candidate_mask(segment, sats)  # (n, N)
        per_step = ok.sum(axis=1)
        cells = segment.geometry_cells + (0 if segment.beam_grid_is_geometry else segment.n_cells)
        # keep the first instants whose tables fit (at least one)
        fits = (np.cumsum(per_step) * max(cells, 1) <= MAX_BLOCK_ENTRIES) & (
            np.arange(1, n + 1) * segment.n_areas <= MAX_BLOCK_ENTRIES)
        n = max(1, int(np.count_nonzero(fits)))
        self.n_steps = n
        self.start_ns, self.step_ns = int(start_ns), int(step_ns)
        self.times_ns = times[:n]
        self.n_satellites = sats.shape[1]
        # instant i's candidates sit in columns i*width ... i*width + count[i] - 1 (ascending
        # constellation indices); the rest of its columns are padding that no cell can see
        count = per_step[:n].astype(np.int64)
        self.count = count
        self.width = width = max(1, int(count.max()))
        step_of, cand = np.nonzero(ok[:n])  # instant-major, satellites ascending
        run_start = np.concatenate(([0], np.cumsum(count)))
        slot = np.arange(cand.size) - run_start[step_of]
        self.valid = np.zeros((n, width), dtype=bool)
        self.valid[step_of, slot] = True
        self.cand = np.full((n, width), -1, dtype=np.int64)
        self.cand[step_of, slot] = cand
        self.sats = np.zeros((n, width, 3))
        self.sats[step_of, slot] = sats[step_of, cand]
        self.geo_sin, self.geo_rng = self._look(segment._geo, sats[step_of, cand], run_start)
        if segment.beam_grid_is_geometry:
            self.beam_sin, self.beam_rng = self.geo_sin, self.geo_rng
        else:
            self.beam_sin, self.beam_rng = self._look(segment._beam, sats[step_of, cand], run_start)
        self.gw_sin, self.gw_rng = (self._look(segment._gw, sats[step_of, cand], run_start) if segment.n_gateways
                                    else (None, None))
        # the downlink range limit applies at an instant whose candidates could be seen beyond it
        self.range_limited = _range_limited(segment, sats[step_of, cand], run_start)
        self._by_gateways: dict[bytes, GatewaySky] = {}

    def _look(self, grid: Any, sats: np.ndarray, run_start: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return grid.look_runs(sats, run_start, self.width)

    def step_index(self, t_ns: int) -> int | None:
        """Index of instant ``t_ns`` in the block, None if it is not one of them."""
        d = int(t_ns) - self.start_ns
        if d < 0 or (self.step_ns == 0 and d != 0):
            return None
        i = d // self.step_ns if self.step_ns else 0
        return i if i < self.n_steps and i * self.step_ns == d else None

    def for_gateways(self, gw_ok: np.ndarray) -> GatewaySky:
        """The block's sky with these gateways working (kept for the block's life)."""
        key = gw_ok.tobytes()
        sky = self._by_gateways.get(key)
        if sky is None:
            sky = self._by_gateways[key] = self._gateway_sky(gw_ok)
        return sky

    def _gateway_sky(self, gw_ok: np.ndarray) -> GatewaySky:
        seg = self.segment
        n = self.n_steps
        feeder_km = self._feeder_km(gw_ok)  # (n, width)
        feeder = np.isfinite(feeder_km)
        feeder_ok = np.zeros((n, self.n_satellites), dtype=bool)
        if seg.inter_satellite_links:
            feeder_ok[feeder.any(axis=1)] = True  # any satellite can route over the laser mesh to a landing one
        feeder_ok[np.nonzero(self.valid)[0], self.cand[self.valid]] = feeder[self.valid]

        # geometry cells: visibility, best server (the first candidate of the highest score)
        visible = self.geo_sin >= seg.sin_mask  # (n, cells, width)
        eligible = visible & feeder[:, None, :]
        if feeder[self.valid].all():
            # every candidate has a feeder path: the highest satellite serves where it is above the mask
            # (padding is at -2, below any mask)
            best = self.geo_sin.argmax(axis=2)  # (n, cells)
            has = np.take_along_axis(self.geo_sin, best[:, :, None], axis=2)[:, :, 0] >= seg.sin_mask
        else:
            score = np.where(eligible, self.geo_sin, -2.0)
            best = score.argmax(axis=2)
            has = np.take_along_axis(score, best[:, :, None], axis=2)[:, :, 0] > -1.5
        cell_count = np.count_nonzero(visible, axis=2).astype(np.int32)
        n_geo = visible.shape[1]
        cell_sat = np.full((n, n_geo), -1, dtype=np.int64)
        cell_el = np.full((n, n_geo), np.nan)
        cell_rng = np.full((n, n_geo), np.nan)
        cell_delay = np.full((n, n_geo), np.nan)
        steps, cells = np.nonzero(has)
        hb = best[steps, cells]
        r_best = self.geo_rng[steps, cells, hb]
        cell_sat[steps, cells] = self.cand[steps, hb]
        cell_el[steps, cells] = np.degrees(np.arcsin(np.clip(self.geo_sin[steps, cells, hb], -1.0, 1.0)))
        cell_rng[steps, cells] = r_best
        cell_delay[steps, cells] = propagation_delay_ms(r_best + feeder_km[steps, hb])

        # beam cells: who may point a beam where
        if seg.beam_grid_is_geometry:
            beam_eligible = eligible
        else:
            beam_eligible = (self.beam_sin >= seg.sin_mask) & feeder[:, None, :]
        if self.range_limited.any():
            beam_eligible = beam_eligible & ((self.beam_rng <= seg.downlink_max_range_km)
                                             | ~self.range_limited[:, None, None])
        a = seg.geometry_area_cell
        return GatewaySky(feeder_km, feeder_ok, cell_sat, cell_rng, cell_el, cell_delay, cell_count,
                          np.take(cell_count, a, axis=1), np.take(cell_el, a, axis=1), np.take(cell_delay, a, axis=1),
                          beam_eligible)

    def _feeder_km(self, gw_ok: np.ndarray) -> np.ndarray:
        """Feeder path length from each candidate to a working gateway, (instants, width) (inf: none)."""
        seg = self.segment
        if seg.n_gateways == 0 or not self.valid.any() or not gw_ok.any():
            return np.full((self.n_steps, self.width), np.inf)
        vis = (self.gw_sin >= seg.sin_gw_mask) & gw_ok[None, :, None]
        direct = np.where(vis, self.gw_rng, np.inf).min(axis=1)
        land = np.isfinite(direct)
        if not seg.inter_satellite_links or not land.any():
            return direct
        # Laser links: route to the landing satellite of the same instant that minimises hop + feeder length.
        hop = np.linalg.norm(self.sats[:, :, None, :] - self.sats[:, None, :, :], axis=3)
        routed = np.where(land[:, None, :], hop + direct[:, None, :], np.inf).min(axis=2)
        return np.where(self.valid, routed, np.inf)


def _candidate_mask(segment: Any, sats: np.ndarray) -> np.ndarray:
    """(instants, satellites): whether each satellite can be above the mask somewhere in the cap."""
    r = np.linalg.norm(sats, axis=-1)
    with np.errstate(invalid="ignore"):
        cos_to_centre = (sats.reshape(-1, 3) @ segment.cap_centre).reshape(r.shape) / r
        reach = np.radians(earth_central_angle_deg(r, segment.filter_mask_deg, WGS84_B_KM))
        return cos_to_centre >= np.cos(np.minimum(segment.cap_rad + reach, np.pi))


def _range_limited(segment: Any, sats: np.ndarray, run_start: np.ndarray) -> np.ndarray:
    """Per instant: whether its candidates could be seen above the mask beyond the downlink's reach.

    The longest slant range at the elevation mask from the highest candidate (Wertz & Larson,
    SMAD 3rd ed. sec. 5.2), plus 25 km; an instant without candidates is not limited.
    """
    n = run_start.size - 1
    out = np.zeros(n, dtype=bool)
    filled = np.flatnonzero(np.diff(run_start) > 0)
    if filled.size == 0:
        return out
    r_max = np.maximum.reduceat(np.linalg.norm(sats, axis=1), run_start[filled])
    mask_deg = segment.provider.elevation_mask_deg
    for i, r in zip(filled.tolist(), r_max.tolist()):  # one scalar formula per instant
        lam = math.radians(float(earth_central_angle_deg(r, mask_deg, WGS84_B_KM)))
        longest = math.sqrt(r**2 + WGS84_B_KM**2 - 2 * r * WGS84_B_KM * math.cos(lam)) + 25.0
        out[i] = segment.downlink_max_range_km < longest
    return out

