"""Where an incident strikes: a circle, a polygon, GeoJSON polygons, or everywhere.

GeoJSON (RFC 7946) is how delineations are published, e.g. by the Copernicus
Emergency Management Service: ``{geojson: FILE}`` reads a file (relative to
the scenario) holding a Polygon, a MultiPolygon, a Feature or a
FeatureCollection of them (their union is the footprint); ``{geojson: {type:
Polygon, coordinates: ...}}`` gives the geometry inline. Positions are
[lon, lat] and every ring must be closed.
"""

from __future__ import annotations

from dataclasses import dataclass

import json
from pathlib import Path

import numpy as np
import shapely
import yaml

from d2c.base import reader as r
from d2c.base.errors import Found
from d2c.geo import haversine_km


@dataclass(frozen=True)
class Footprint:
    """A region on the map. ``contains`` is vectorised over points."""

    circle: tuple[float, float, float] | None = None  # lat, lon, radius_km
    polygon: shapely.Polygon | shapely.MultiPolygon | None = None  # x = lon, y = lat
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
            parts = [shapely.geometry.polygon.orient(p) for p in getattr(self.polygon, "geoms", [self.polygon])]
            rings = [[[[round(x, 5), round(y, 5)] for x, y in ring.coords] for ring in (p.exterior, *p.interiors)]
                     for p in parts]
            return {"type": "Polygon", "coordinates": rings[0]} if len(rings) == 1 else {
                "type": "MultiPolygon", "coordinates": rings}
        lat, lon, radius_km = self.circle
        return {"type": "Polygon", "coordinates": [circle_ring(lat, lon, radius_km, points)]}

    def describe(self) -> str:
        if self.everywhere:
            return "everywhere"
        if self.circle is not None:
            return f"{self.circle[2]:g} km around {self.circle[0]:.3f}N {self.circle[1]:.3f}E"
        parts = getattr(self.polygon, "geoms", [self.polygon])
        points = sum(len(p.exterior.coords) - 1 for p in parts)
        return f"polygon of {points} points" if len(parts) == 1 else f"{len(parts)} polygons of {points} points"


@dataclass(frozen=True)
class AreaSet:
    """A footprint given as the topology's areas it covers (a warning a player sends to named areas).

    ``contains`` answers for the topology's own area points, in their order, as
    ``Footprint.contains`` does for any points.
    """

    mask: np.ndarray

    def contains(self, lat_deg: np.ndarray, lon_deg: np.ndarray) -> np.ndarray:
        return self.mask.copy()


def circle_ring(lat: float, lon: float, radius_km: float, points: int = 64) -> list[list[float]]:
    """A closed counter-clockwise ring of ``points`` vertices around a circle, as [lon, lat] pairs.

    A radius of 111.32 km is one degree on the equator (east, north, west, south, and back):

    >>> circle_ring(0.0, 13.0, 111.32, points=4)
    [[14.0, 0.0], [13.0, 1.0], [12.0, 0.0], [13.0, -1.0], [14.0, 0.0]]
    """
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
    """``{circle: {lat, lon, radius_km}}``, ``{polygon: [[lat, lon], ...]}``, ``{geojson: FILE or geometry}``
    or ``everywhere``."""
    if isinstance(node, yaml.ScalarNode) and node.value == "everywhere":
        return Footprint(everywhere=True)
    f = r.Fields(node, ctx)
    if sum(f.has(k) for k in ("circle", "polygon", "geojson")) != 1:
        raise ctx.error(node, "exactly one of circle: {lat, lon, radius_km}, polygon: [[lat, lon], ...] or "
                        "geojson: FILE")
    if f.has("geojson"):
        footprint = Footprint(polygon=f.req("geojson", _geojson))
        f.done()
        return footprint
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


def _geojson(node: yaml.Node, ctx: r.Ctx) -> shapely.Polygon | shapely.MultiPolygon:
    """A GeoJSON polygon area: a file relative to the scenario, or an inline geometry."""
    if isinstance(node, yaml.ScalarNode):
        relative = r.string(node, ctx)
        path = Path(ctx.file).parent / relative
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ctx.error(node, "the path of a GeoJSON file, relative to this file",
                            Found(f"{relative!r}, which does not exist")) from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ctx.error(node, "a readable GeoJSON file", Found(f"{relative!r} ({exc.__class__.__name__})")) from None
        where = relative
    else:
        document = yaml.safe_load(yaml.serialize(node))
        where = "the inline geometry"
    try:
        return geojson_area(document)
    except ValueError as exc:
        raise ctx.error(node, f"GeoJSON polygons ({where}: {exc})") from None


def geojson_area(document: object) -> shapely.Polygon | shapely.MultiPolygon:
    """The union of the (Multi)Polygons in a GeoJSON geometry, Feature or FeatureCollection.

    Raises ValueError naming the first rule broken: [lon, lat] in range, closed
    rings of at least four positions, valid (non self-crossing) polygons.

    >>> geojson_area({"type": "Polygon", "coordinates": [[[13, 42], [13.1, 42], [13.1, 42.1], [13, 42]]]}).area > 0
    True
    """
    polygons = [_polygon(rings, f"{path}") for path, rings in _polygon_rings(document, "")]
    if not polygons:
        raise ValueError("no Polygon or MultiPolygon in it")
    area = shapely.union_all(polygons)
    if area.is_empty or area.area == 0:
        raise ValueError("polygons of zero area")
    return area


def _polygon_rings(obj: object, path: str):
    if not isinstance(obj, dict) or "type" not in obj:
        raise ValueError(f"{path or 'the document'}: expected a GeoJSON object with a type")
    kind = obj["type"]
    if kind == "FeatureCollection":
        for k, feature in enumerate(obj.get("features") or []):
            yield from _polygon_rings(feature, f"features[{k}]")
    elif kind == "Feature":
        if obj.get("geometry") is not None:
            yield from _polygon_rings(obj["geometry"], f"{path}.geometry".lstrip("."))
    elif kind == "Polygon":
        yield path or "Polygon", obj.get("coordinates")
    elif kind == "MultiPolygon":
        for k, rings in enumerate(obj.get("coordinates") or []):
            yield f"{path}.coordinates[{k}]".lstrip("."), rings
    elif kind == "GeometryCollection":
        for k, geometry in enumerate(obj.get("geometries") or []):
            yield from _polygon_rings(geometry, f"{path}.geometries[{k}]".lstrip("."))
    # points and lines have no area: they are not part of a footprint


def _polygon(rings: object, path: str) -> shapely.Polygon:
    if not isinstance(rings, list) or not rings:
        raise ValueError(f"{path}: expected a list of linear rings")
    checked = []
    for k, ring in enumerate(rings):
        if not isinstance(ring, list) or len(ring) < 4:
            raise ValueError(f"{path}[{k}]: expected a ring of at least 4 positions")
        for position in ring:
            if (not isinstance(position, list) or len(position) < 2
                    or not all(isinstance(v, (int, float)) for v in position[:2])):
                raise ValueError(f"{path}[{k}]: expected positions [lon, lat], got {position!r}")
            lon, lat = position[:2]
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                raise ValueError(f"{path}[{k}]: expected [lon, lat] in degrees, got {position!r}")
        if ring[0][:2] != ring[-1][:2]:
            raise ValueError(f"{path}[{k}]: expected a closed ring (last position = first)")
        checked.append([tuple(p[:2]) for p in ring])
    polygon = shapely.Polygon(checked[0], checked[1:])
    if not polygon.is_valid:
        raise ValueError(f"{path}: expected a valid polygon (edges must not cross)")
    return polygon
