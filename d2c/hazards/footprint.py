"""Where an incident strikes: a circle, a polygon, or everywhere."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
import yaml

from d2c.config import reader as r
from d2c.geo import haversine_km


@dataclass(frozen=True)
class Footprint:
    """A region on the map. ``contains`` is vectorised over points."""

    circle: tuple[float, float, float] | None = None  # lat, lon, radius_km
    polygon: shapely.Polygon | None = None  # x = lon, y = lat
    everywhere: bool = False

    def contains(self, lat_deg: np.ndarray, lon_deg: np.ndarray) -> np.ndarray:
        lat = np.asarray(lat_deg, dtype=float)
        lon = np.asarray(lon_deg, dtype=float)
        if self.everywhere:
            return np.ones(lat.shape, dtype=bool)
        if self.circle is not None:
            clat, clon, radius_km = self.circle
            return haversine_km(lat, lon, clat, clon) <= radius_km
        return shapely.contains_xy(self.polygon, lon, lat) | shapely.intersects_xy(self.polygon.boundary, lon, lat)

    def crosses(self, route_latlon: np.ndarray) -> bool:
        """Whether a cable route (an (n, 2) array of lat, lon) passes through the footprint."""
        if self.everywhere:
            return True
        if self.polygon is not None:
            return bool(shapely.LineString(route_latlon[:, ::-1]).intersects(self.polygon))
        # circle: densify the route so that no segment skips over the circle
        dense = _densify(route_latlon, step_km=max(self.circle[2] / 4.0, 0.05))
        return bool(self.contains(dense[:, 0], dense[:, 1]).any())

    def geojson(self, points: int = 64) -> dict | None:
        """The footprint as a GeoJSON Polygon ([lon, lat], closed ring); None for ``everywhere``.

        >>> ring = Footprint(circle=(42.0, 13.0, 10.0)).geojson(8)["coordinates"][0]
        >>> len(ring), ring[0] == ring[-1]
        (9, True)
        """
        if self.everywhere:
            return None
        if self.polygon is not None:
            ring = [[round(x, 5), round(y, 5)] for x, y in shapely.geometry.polygon.orient(self.polygon).exterior.coords]
            return {"type": "Polygon", "coordinates": [ring]}
        lat, lon, radius_km = self.circle
        return {"type": "Polygon", "coordinates": [circle_ring(lat, lon, radius_km, points)]}

    def describe(self) -> str:
        if self.everywhere:
            return "everywhere"
        if self.circle is not None:
            return f"{self.circle[2]:g} km around {self.circle[0]:.3f}N {self.circle[1]:.3f}E"
        return f"polygon of {len(self.polygon.exterior.coords) - 1} points"


def circle_ring(lat: float, lon: float, radius_km: float, points: int = 64) -> list[list[float]]:
    """A closed counter-clockwise ring of ``points`` vertices around a circle, as [lon, lat] pairs."""
    angle = np.linspace(0.0, 2.0 * np.pi, points, endpoint=False)
    dlat = radius_km / 111.32 * np.sin(angle)
    dlon = radius_km / (111.32 * np.cos(np.radians(lat))) * np.cos(angle)
    ring = [[round(float(lon + x), 5), round(float(lat + y), 5)] for x, y in zip(dlon, dlat)]
    return ring + [ring[0]]


def _densify(route: np.ndarray, step_km: float) -> np.ndarray:
    points = [route[:1]]
    for a, b in zip(route[:-1], route[1:]):
        n = max(int(np.ceil(float(haversine_km(a[0], a[1], b[0], b[1])) / step_km)), 1)
        t = np.linspace(0.0, 1.0, n + 1)[1:, None]
        points.append(a + (b - a) * t)
    return np.vstack(points)


def parse_footprint(node: yaml.Node, ctx: r.Ctx) -> Footprint:
    """``{circle: {lat, lon, radius_km}}``, ``{polygon: [[lat, lon], ...]}`` or ``everywhere``."""
    if isinstance(node, yaml.ScalarNode) and node.value == "everywhere":
        return Footprint(everywhere=True)
    f = r.Fields(node, ctx)
    if f.has("circle") == f.has("polygon"):
        raise ctx.error(node, "exactly one of circle: {lat, lon, radius_km} or polygon: [[lat, lon], ...]")
    if f.has("circle"):
        c = r.Fields(f.req("circle", lambda n, c: n), ctx.child("circle"))
        circle = (c.req("lat", r.latitude), c.req("lon", r.longitude), c.req("radius_km", r.number(above=0.0)))
        c.done()
        f.done()
        return Footprint(circle=circle)
    points = f.req("polygon", r.polygon)
    poly = shapely.Polygon([(lon, lat) for lat, lon in points])
    if not poly.is_valid or poly.area == 0:
        raise ctx.child("polygon").error(f.node_of("polygon"), "a simple polygon (edges must not cross)")
    f.done()
    return Footprint(polygon=poly)
