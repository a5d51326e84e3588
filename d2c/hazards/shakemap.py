"""ShakeMap grids: recorded (or modelled) shaking of a real event, as USGS and INGV publish it.

The ``grid.xml`` format of ShakeMap (USGS ShakeMap Manual, "Grid XML" product;
INGV publishes the same format for Italian events): a ``grid_specification``
with the bounding box and ``nlon`` x ``nlat`` points, ``grid_field`` entries
naming the columns (``LON``, ``LAT``, ``PGA`` in %g, ...) and ``grid_data``
rows, north to south, west to east. PGA at any place is interpolated
bilinearly between the four nodes around it; outside the grid there is no
shaking.

>>> grid = ShakeMapGrid(np.array([13.0, 13.5]), np.array([42.5, 43.0]), np.array([[10.0, 20.0], [30.0, 40.0]]))
>>> [round(float(v), 3) for v in grid.pga_g(np.array([42.75, 44.0]), np.array([13.25, 13.25]))]
[0.25, 0.0]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import xml.etree.ElementTree as ET

__all__ = ["ShakeMapGrid", "read_grid", "grid_xml"]

_NAMESPACE = "http://earthquake.usgs.gov/eqcenter/shakemap"
_MAX_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class ShakeMapGrid:
    """PGA in %g on a regular grid: ``pga_pctg[i, j]`` at ``lat_deg[i]``, ``lon_deg[j]`` (both increasing)."""

    lon_deg: np.ndarray
    lat_deg: np.ndarray
    pga_pctg: np.ndarray
    event: dict = field(default_factory=dict)

    def pga_g(self, lat_deg, lon_deg) -> np.ndarray:
        """Bilinear PGA (g) at each place; 0 outside the grid."""
        lat = np.asarray(lat_deg, dtype=float)
        lon = np.asarray(lon_deg, dtype=float)
        inside = (lat >= self.lat_deg[0]) & (lat <= self.lat_deg[-1]) & (lon >= self.lon_deg[0]) & \
                 (lon <= self.lon_deg[-1])
        i = np.clip(np.searchsorted(self.lat_deg, lat, side="right") - 1, 0, self.lat_deg.size - 2)
        j = np.clip(np.searchsorted(self.lon_deg, lon, side="right") - 1, 0, self.lon_deg.size - 2)
        u = np.clip((lat - self.lat_deg[i]) / (self.lat_deg[i + 1] - self.lat_deg[i]), 0.0, 1.0)
        v = np.clip((lon - self.lon_deg[j]) / (self.lon_deg[j + 1] - self.lon_deg[j]), 0.0, 1.0)
        p = self.pga_pctg
        value = ((1 - u) * (1 - v) * p[i, j] + (1 - u) * v * p[i, j + 1]
                 + u * (1 - v) * p[i + 1, j] + u * v * p[i + 1, j + 1])
        return np.where(inside, value / 100.0, 0.0)


def read_grid(path: str | Path) -> ShakeMapGrid:
    """Read a ShakeMap ``grid.xml``; ``ValueError`` with what is wrong otherwise."""
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"expected a ShakeMap grid.xml file, got {str(path)!r}")
    if path.stat().st_size > _MAX_BYTES:
        raise ValueError(f"a ShakeMap grid of at most {_MAX_BYTES // 2**20} MB, got {path.stat().st_size:,} bytes")
    text = path.read_text(encoding="utf-8", errors="replace")
    if re.search(r"<!(DOCTYPE|ENTITY)", text):
        raise ValueError("a ShakeMap grid without DOCTYPE or ENTITY declarations")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise ValueError(f"well-formed XML ({exc})") from None

    def find(tag: str):
        return root.find(f"{{{_NAMESPACE}}}{tag}") if root.find(tag) is None else root.find(tag)

    spec = find("grid_specification")
    data = find("grid_data")
    if spec is None or data is None:
        raise ValueError("a ShakeMap grid with grid_specification and grid_data")
    fields = [el for el in root.iter() if el.tag.rsplit("}", 1)[-1] == "grid_field"]
    names = {el.get("name", "").upper(): int(el.get("index", "0")) - 1 for el in fields}
    if not {"LON", "LAT", "PGA"} <= set(names):
        raise ValueError("grid_field entries for LON, LAT and PGA")
    try:
        nlon, nlat = int(spec.get("nlon")), int(spec.get("nlat"))
        values = np.array((data.text or "").split(), dtype=float)
    except (TypeError, ValueError):
        raise ValueError("numeric nlon, nlat and grid_data") from None
    ncol = len(fields)
    if nlon < 2 or nlat < 2 or values.size != nlon * nlat * ncol:
        raise ValueError(f"{nlon} x {nlat} rows of {ncol} numbers in grid_data, got {values.size} numbers")
    rows = values.reshape(nlat * nlon, ncol)
    lon = rows[:, names["LON"]].reshape(nlat, nlon)
    lat = rows[:, names["LAT"]].reshape(nlat, nlon)
    pga = rows[:, names["PGA"]].reshape(nlat, nlon)
    order = np.argsort(lat[:, 0])  # rows run north to south in the format
    lat_deg, lon_deg, pga = lat[order, 0], lon[0], pga[order]
    if np.any(np.diff(lat_deg) <= 0) or np.any(np.diff(lon_deg) <= 0) or np.any(pga < 0):
        raise ValueError("a regular grid (increasing LON along rows, LAT across them) of PGA >= 0")
    ev = find("event")
    event = dict(ev.attrib) if ev is not None else {}
    return ShakeMapGrid(lon_deg, lat_deg, pga, event)


def grid_xml(grid: ShakeMapGrid) -> str:
    """The grid in ShakeMap's ``grid.xml`` format (LON, LAT, PGA), rows north to south as ShakeMap writes them.

    The northern row (43 N) comes first, west to east:

    >>> grid = ShakeMapGrid(np.array([13.0, 13.5]), np.array([42.5, 43.0]), np.array([[10.0, 20.0], [30.0, 40.0]]))
    >>> grid_xml(grid).split("<grid_data>\\n")[1].split("\\n</grid_data>")[0].splitlines()
    ['13.0000 43.0000 30.0000', '13.5000 43.0000 40.0000', '13.0000 42.5000 10.0000', '13.5000 42.5000 20.0000']
    """
    ev = " ".join(f'{k}="{v}"' for k, v in grid.event.items())
    lines = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
        f'<shakemap_grid xmlns="{_NAMESPACE}" shakemap_event_type="SCENARIO" map_status="RELEASED">',
        f"<event {ev} />",
        f'<grid_specification lon_min="{grid.lon_deg[0]:.4f}" lat_min="{grid.lat_deg[0]:.4f}" '
        f'lon_max="{grid.lon_deg[-1]:.4f}" lat_max="{grid.lat_deg[-1]:.4f}" '
        f'nominal_lon_spacing="{np.diff(grid.lon_deg).mean():.6f}" nominal_lat_spacing="{np.diff(grid.lat_deg).mean():.6f}" '
        f'nlon="{grid.lon_deg.size}" nlat="{grid.lat_deg.size}" />',
        '<grid_field index="1" name="LON" units="dd" />',
        '<grid_field index="2" name="LAT" units="dd" />',
        '<grid_field index="3" name="PGA" units="pctg" />',
        "<grid_data>",
    ]
    for i in range(grid.lat_deg.size - 1, -1, -1):
        lines += [f"{lon:.4f} {grid.lat_deg[i]:.4f} {grid.pga_pctg[i, j]:.4f}" for j, lon in enumerate(grid.lon_deg)]
    lines += ["</grid_data>", "</shakemap_grid>", ""]
    return "\n".join(lines)
