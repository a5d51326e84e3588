"""A terminal map of the territory: areas by how they are served, sites down by cause.

The grid is scaled to the bounding box of the areas and sites, with a
character cell taken as twice as tall as it is wide. Each cell shows the
nearest area within reach (1.5 cells, at least 3.5 km), so villages read as
patches of territory rather than single dots: ``░`` terrestrial service,
``▒`` on D2C, ``█`` no service. A site that is down is drawn over it by the
letter of its cause (``D`` damage, ``P`` power, ``J`` jamming, ``B``
backhaul, ``C`` core); ``W`` marks a working cell on wheels. North is up.
"""

from __future__ import annotations

import math

import numpy as np
from rich.text import Text

from d2c.network import CAUSES

KM_PER_DEG = 111.32
REACH_KM = 3.5
AREA_GLYPH = {0: ("█", "bold red"), 1: ("▒", "cyan"), 2: ("░", "green")}
UNKNOWN = ("·", "dim")
CAUSE_LETTER = {"damage": "D", "power": "P", "jamming": "J", "backhaul": "B", "core": "C"}
SHORT = {"damage": "dmg", "jamming": "jam"}
CAUSE_STYLE = {"damage": "bold red", "power": "bold yellow", "jamming": "bold magenta", "backhaul": "bold cyan",
               "core": "bold blue"}


class TerritoryMap:
    def __init__(self, world, width: int, height: int):
        self.world = world
        site = world.slices["site"]
        lat = np.concatenate([world.area_lat_deg, world.equipment_lat_deg[site]])
        lon = np.concatenate([world.area_lon_deg, world.equipment_lon_deg[site]])
        self.lat_max = float(lat.max()) + 0.01
        self.lon_min = float(lon.min()) - 0.01
        lat_min, lon_max = float(lat.min()) - 0.01, float(lon.max()) + 0.01
        self.kx = KM_PER_DEG * math.cos(math.radians((self.lat_max + lat_min) / 2))
        w_km = (lon_max - self.lon_min) * self.kx
        h_km = (self.lat_max - lat_min) * KM_PER_DEG
        self.cell_km = max(w_km / max(width, 1), h_km / (2.0 * max(height, 1)), 1e-6)
        self.cols = max(1, min(width, math.ceil(w_km / self.cell_km)))
        self.rows = max(1, min(height, math.ceil(h_km / (2.0 * self.cell_km))))
        ax, ay = self._xy(world.area_lat_deg, world.area_lon_deg)
        self.area_cell = self._cell(ax, ay)
        self.cell_area = self._nearest(ax, ay)
        sx, sy = self._xy(world.equipment_lat_deg[site], world.equipment_lon_deg[site])
        self.site_cell = self._cell(sx, sy)

    def _xy(self, lat, lon) -> tuple[np.ndarray, np.ndarray]:
        return (np.asarray(lon) - self.lon_min) * self.kx, (self.lat_max - np.asarray(lat)) * KM_PER_DEG

    def _cell(self, x, y) -> np.ndarray:
        c = np.clip((x / self.cell_km).astype(int), 0, self.cols - 1)
        r = np.clip((y / (2.0 * self.cell_km)).astype(int), 0, self.rows - 1)
        return r * self.cols + c

    def _nearest(self, ax, ay) -> np.ndarray:
        """For each cell, the nearest area within reach (-1: none), in chunks of cells."""
        n = self.rows * self.cols
        cx = ((np.arange(n) % self.cols) + 0.5) * self.cell_km
        cy = ((np.arange(n) // self.cols) + 0.5) * 2.0 * self.cell_km
        reach = max(REACH_KM, 1.5 * self.cell_km)
        out = np.full(n, -1, dtype=np.int64)
        chunk = max(1, 2_000_000 // max(ax.size, 1))
        for start in range(0, n, chunk):
            sl = slice(start, start + chunk)
            d2 = (cx[sl, None] - ax[None, :]) ** 2 + (cy[sl, None] - ay[None, :]) ** 2
            best = np.argmin(d2, axis=1)
            ok = d2[np.arange(best.size), best] <= reach * reach
            out[sl] = np.where(ok, best, -1)
        out[self.area_cell] = np.arange(ax.size)  # every area shows, however close its neighbours
        return out

    def render(self, state=None, cow_areas: np.ndarray | None = None) -> Text:
        """The map for one step's state (None: before the first step)."""
        n = self.rows * self.cols
        glyph = [(" ", None)] * n
        if state is None:
            level = None
        else:
            s = state.service
            level = np.where(s.terrestrial, 2, np.where(s.d2c, 1, 0))
        for k in np.nonzero(self.cell_area >= 0)[0]:
            glyph[k] = UNKNOWN if level is None else AREA_GLYPH[int(level[self.cell_area[k]])]
        if cow_areas is not None:
            for a in np.nonzero(cow_areas)[0]:
                glyph[self.area_cell[a]] = ("W", "bold white on blue")
        if state is not None:
            cause = np.asarray(state.network.cause)
            down = np.nonzero(cause > 0)[0]
            # most severe cause first wins the cell (damage > power > jamming > backhaul > core)
            for i in down[np.argsort(-cause[down], kind="stable")]:
                name = CAUSES[int(cause[i]) - 1]
                glyph[self.site_cell[i]] = (CAUSE_LETTER[name], CAUSE_STYLE[name])
        text = Text()
        for r in range(self.rows):
            row = glyph[r * self.cols:(r + 1) * self.cols]
            for ch, style in row:
                text.append(ch, style=style or "")
            if r < self.rows - 1:
                text.append("\n")
        return text


def legend() -> Text:
    """Two short lines: area glyphs, then the letters of sites down."""
    text = Text()
    for key in (2, 1, 0):
        ch, style = AREA_GLYPH[key]
        text.append(ch, style=style)
        text.append({2: " terrestrial  ", 1: " D2C  ", 0: " no service  "}[key])
    text.append("W", style="bold white on blue")
    text.append(" cell on wheels\ndown: ")
    for name in CAUSES:
        text.append(CAUSE_LETTER[name], style=CAUSE_STYLE[name])
        text.append(f" {SHORT.get(name, name)} ")
    return text
