"""A terminal map of the territory: areas by how they are served, sites down by cause.

The grid is scaled to the bounding box of the areas and sites, with a
character cell taken as twice as tall as it is wide. Each cell shows the
nearest area within reach (1.5 cells, at least 3.5 km), so villages read as
patches of territory rather than single dots: ``░`` terrestrial service,
``▒`` on D2C, ``█`` no service. A site that is down is drawn over it by the
letter of its cause (``D`` damage, ``P`` power, ``J`` jamming, ``B``
backhaul, ``C`` core); ``W`` marks a working cell on wheels. North is up.

Over that: ``+`` traces the edge of each incident's footprint and ``*`` marks
an epicentre (``d2c.hazards.geometry``); ``@`` marks the middle of each D2C
beam's areas while D2C is on; and the names of the worst-hit places (most
people without service; before the first step, the most populous) are
written beside them where they fit.
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from rich.text import Text

from d2c.hazards.geometry import incident_geometries
from d2c.network import CAUSES

KM_PER_DEG = 111.32
REACH_KM = 3.5
AREA_GLYPH = {0: ("█", "bold red"), 1: ("▒", "cyan"), 2: ("░", "green")}
UNKNOWN = ("·", "dim")
CAUSE_LETTER = {"damage": "D", "power": "P", "jamming": "J", "backhaul": "B", "core": "C"}
SHORT = {"damage": "dmg", "jamming": "jam"}
EDGE = ("+", "magenta")
EPICENTRE = ("*", "bold magenta")
BEAM = ("@", "bold cyan")
LABEL_STYLE = "bold white"
CAUSE_STYLE = {"damage": "bold red", "power": "bold yellow", "jamming": "bold magenta", "backhaul": "bold cyan",
               "core": "bold blue"}


class TerritoryMap:
    """The map for a box of ``width`` x ``height`` characters; ``incidents`` (a scenario's) for their footprints."""

    def __init__(self, world, width: int, height: int, incidents=()):
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
        self.edge_cells, self.epicentre_cells = self._footprints(incidents)

    def _footprints(self, incidents) -> tuple[np.ndarray, np.ndarray]:
        """Cells on the edge of each incident's area (inside it, beside a cell outside), and epicentres' cells."""
        n = self.rows * self.cols
        col, row = np.arange(n) % self.cols, np.arange(n) // self.cols
        lon = self.lon_min + (col + 0.5) * self.cell_km / self.kx
        lat = self.lat_max - (row + 0.5) * 2.0 * self.cell_km / KM_PER_DEG
        edge = np.zeros(n, dtype=bool)
        points = []
        for item in incident_geometries(incidents):
            geometry = item["geometry"]
            if geometry["type"] == "Point":
                x, y = self._xy(geometry["coordinates"][1], geometry["coordinates"][0])
                if 0 <= x < self.cols * self.cell_km and 0 <= y < self.rows * 2.0 * self.cell_km:
                    points.append(int(self._cell(np.atleast_1d(x), np.atleast_1d(y))[0]))
                continue
            inside = shapely.contains_xy(shapely.geometry.shape(geometry), lon, lat).reshape(self.rows, self.cols)
            if inside.all():
                continue  # covers the whole map: no edge to draw
            pad = np.pad(inside, 1, constant_values=True)  # the map's own border is no edge
            outside_near = ~(pad[:-2, 1:-1] & pad[2:, 1:-1] & pad[1:-1, :-2] & pad[1:-1, 2:])
            edge |= (inside & outside_near).ravel()
        return np.nonzero(edge)[0], np.asarray(points, dtype=np.int64)

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

    def render(self, state=None, cow_areas: np.ndarray | None = None, names: int = 4, width: int = 0) -> Text:
        """The map for one step's state (None: before the first step), with up to ``names`` place names;
        a name may run past the map's right edge up to ``width`` characters (0: the map's own width)."""
        n = self.rows * self.cols
        glyph = [(" ", None)] * n
        if state is None:
            level = None
        else:
            s = state.service
            level = np.where(s.terrestrial, 2, np.where(s.d2c, 1, 0))
        for k in np.nonzero(self.cell_area >= 0)[0]:
            glyph[k] = UNKNOWN if level is None else AREA_GLYPH[int(level[self.cell_area[k]])]
        for k in self.edge_cells:
            glyph[k] = EDGE
        for k in self.epicentre_cells:
            glyph[k] = EPICENTRE
        if state is not None and state.d2c is not None and state.d2c.area_beam.size:
            for k in self._beam_cells(state.d2c.area_beam):
                glyph[k] = BEAM
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
        pad = [(" ", None)] * max(0, width - self.cols)
        rows = [glyph[r * self.cols:(r + 1) * self.cols] + pad for r in range(self.rows)]
        self._label(rows, state, names)
        text = Text()
        for r, row in enumerate(rows):
            while len(row) > self.cols and row[-1][0] == " ":
                row.pop()
            for ch, style in row:
                text.append(ch, style=style or "")
            if r < self.rows - 1:
                text.append("\n")
        return text


    def _beam_cells(self, area_beam: np.ndarray) -> np.ndarray:
        """The cell of each beam's middle: the area of the beam nearest the mean position of its areas."""
        beam = np.asarray(area_beam)
        on = beam >= 0
        if not on.any():
            return np.zeros(0, dtype=np.int64)
        lat, lon = self.world.area_lat_deg[on], self.world.area_lon_deg[on]
        ids, which = np.unique(beam[on], return_inverse=True)
        count = np.bincount(which)
        mid_lat, mid_lon = np.bincount(which, lat) / count, np.bincount(which, lon) / count
        d2 = (lat - mid_lat[which]) ** 2 + (lon - mid_lon[which]) ** 2
        order = np.lexsort((d2, which))  # by beam, nearest its middle first
        first = order[np.r_[0, np.nonzero(np.diff(which[order]))[0] + 1]]
        return self.area_cell[np.nonzero(on)[0][first]]

    def worst_places(self, state, n: int) -> list[int]:
        """The ``n`` worst-hit areas: most people without service now, then (none, or before the first
        step) most people."""
        pop = np.asarray(self.world.area_population, dtype=float)
        hit = np.zeros_like(pop) if state is None else np.where(state.service.terrestrial | state.service.d2c, 0.0, pop)
        order = np.lexsort((np.arange(pop.size), -pop, -hit))
        return [int(a) for a in order[:n]]

    def _label(self, rows: list[list], state, n: int) -> None:
        """Write the names of the worst-hit places beside them, right (else left) of their cell, a gap allowed, never over
        another name, the place's own cell, a site down, a cell on wheels, a beam or an epicentre."""
        width = len(rows[0]) if rows else 0
        keep = set(CAUSE_LETTER.values()) | {"W", EPICENTRE[0], BEAM[0]}
        taken = np.array([[ch in keep for ch, _ in row] for row in rows], dtype=bool).reshape(len(rows), width)
        for a in self.worst_places(state, max(n, 0) * 4):
            if n <= 0:
                break
            name = self.world.area_names[a]
            r, c = divmod(int(self.area_cell[a]), self.cols)
            for start in (*range(c + 1, c + 6), c - len(name) - 1, c - len(name) - 2):
                lo, hi = max(start - 1, 0), min(start + len(name) + 1, width)
                if start < 0 or start + len(name) > width or taken[r, lo:hi].any():
                    continue
                taken[r, lo:hi] = True
                taken[r, c] = True
                rows[r][start:start + len(name)] = [(ch, LABEL_STYLE) for ch in name]
                n -= 1
                break


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
    _marks(text)
    return text


def short_legend() -> Text:
    """The legend on one line, for a small screen."""
    text = Text()
    for key, word in ((2, "terr"), (1, "D2C"), (0, "none")):
        ch, style = AREA_GLYPH[key]
        text.append(ch, style=style)
        text.append(f" {word} ")
    for name in CAUSES:
        text.append(CAUSE_LETTER[name], style=CAUSE_STYLE[name])
    text.append(" down ")
    text.append("W", style="bold white on blue")
    text.append(" cow ")
    _marks(text)
    return text


def _marks(text: Text) -> None:
    for (ch, style), word in ((EDGE, "hazard"), (EPICENTRE, "epicentre"), (BEAM, "beam")):
        text.append(ch, style=style)
        text.append(f" {word} ")
