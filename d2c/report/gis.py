"""GIS exports of a result: areas and sites with their status and cause per hour.

Read from the result's ``places`` block (``d2c.snapshots``), so no second run:

- GeoJSON (RFC 7946): a FeatureCollection of Points for areas and sites and
  Polygons/Points for the incidents; coordinates [lon, lat] in WGS 84, rings
  closed; per-hour properties ``service_HH`` / ``cause_HH`` (areas) and
  ``state_HH`` (sites), HH the hour from the start;
- CSV: one row per place per hour (long format), with UTC time;
- KML 2.2: one Placemark per place per hour with a TimeSpan, so Google Earth
  and QGIS can play the hours; styles by status.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from xml.sax.saxutils import escape

from d2c.result import Places, Result, as_result
from d2c.snapshots import AREA_STATUS, SITE_STATE

__all__ = ["EXPORT_FORMATS", "NoPlaces", "export", "to_csv", "to_geojson", "to_kml"]

EXPORT_FORMATS = ("geojson", "csv", "kml")
AREA_CAUSE = {**SITE_STATE, ".": "", "-": "no covering site"}
KML_COLOURS = {"terrestrial": "ff327d2e", "D2C only": "ffc06515", "no 112 path": "ff2828c6", "in service": "ff327d2e",
               "down": "ff2828c6"}


class NoPlaces(ValueError):
    """The result has no ``places`` block (written by an older d2c)."""


def _places(result: Result) -> Places:
    if result.places is None:
        raise NoPlaces("expected a result with a places block (run the scenario again with this d2c)")
    return result.places


def _hours(result: Result, places: Places) -> list[tuple[int, float, str, str]]:
    """(hour index, t_s, UTC begin, UTC end) for each snapshot."""
    start = result.scenario.start_utc
    out = []
    for k, t_s in enumerate(places.hours_t_s):
        begin = start + timedelta(seconds=t_s)
        out.append((k, t_s, begin.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    (begin + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")))
    return out


def _hour_key(t_s: float) -> str:
    return f"{int(round(t_s / 3600.0)):02d}"


def to_geojson(result: Result | dict) -> dict:
    """The result as a GeoJSON FeatureCollection (areas, sites, incidents)."""
    result = as_result(result)
    places = _places(result)
    keys = [_hour_key(t) for t in places.hours_t_s]
    a, s = places.areas, places.sites
    features = []
    for i, ident in enumerate(a.id):
        props = {"kind": "area", "id": ident, "name": a.name[i], "population": a.population[i]}
        for k, key in enumerate(keys):
            props[f"service_{key}"] = AREA_STATUS[a.hourly_service[i][k]]
            props[f"cause_{key}"] = AREA_CAUSE[a.hourly_cause[i][k]]
        features.append(_point(a.lon[i], a.lat[i], props))
    for i, ident in enumerate(s.id):
        props = {"kind": "site", "id": ident, "operator": s.operator[i]}
        for k, key in enumerate(keys):
            props[f"state_{key}"] = SITE_STATE[s.hourly_state[i][k]]
        features.append(_point(s.lon[i], s.lat[i], props))
    for item in places.incidents:
        features.append({"type": "Feature", "geometry": item.geometry,
                         "properties": {"kind": item.kind, "label": item.label}})
    return {"type": "FeatureCollection", "name": result.scenario.name,
            "hours_from_start": [int(k) for k in keys], "start": result.scenario.start, "features": features}


def _point(lon: float, lat: float, props: dict) -> dict:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": props}


def to_csv(result: Result | dict) -> str:
    """One row per place per hour: kind, id, name, lon, lat, hour, utc, status, cause."""
    result = as_result(result)
    places = _places(result)
    hours = _hours(result, places)
    a, s = places.areas, places.sites
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\n")
    out.writerow(["kind", "id", "name", "operator", "population", "lon", "lat", "hour", "utc", "status", "cause"])
    for i, ident in enumerate(a.id):
        for k, t_s, utc, _ in hours:
            out.writerow(["area", ident, a.name[i], "", a.population[i], a.lon[i], a.lat[i],
                          _hour_key(t_s), utc, AREA_STATUS[a.hourly_service[i][k]],
                          AREA_CAUSE[a.hourly_cause[i][k]]])
    for i, ident in enumerate(s.id):
        for k, t_s, utc, _ in hours:
            letter = s.hourly_state[i][k]
            out.writerow(["site", ident, "", s.operator[i], "", s.lon[i], s.lat[i], _hour_key(t_s), utc,
                          "in service" if letter == "." else "down", "" if letter == "." else SITE_STATE[letter]])
    return buffer.getvalue()


def to_kml(result: Result | dict) -> str:
    """KML 2.2: a Placemark per place per hour, in a TimeSpan, styled by status."""
    result = as_result(result)
    places = _places(result)
    hours = _hours(result, places)
    a, s = places.areas, places.sites
    parts = ['<?xml version="1.0" encoding="UTF-8"?>', '<kml xmlns="http://www.opengis.net/kml/2.2">',
             f"<Document><name>{escape(result.scenario.name)}</name>"]
    for name, colour in KML_COLOURS.items():
        parts.append(f'<Style id="{_style(name)}"><IconStyle><color>{colour}</color><scale>0.6</scale></IconStyle>'
                     "</Style>")
    parts.append("<Folder><name>areas</name>")
    for i, ident in enumerate(a.id):
        for k, t_s, begin, end in hours:
            status = AREA_STATUS[a.hourly_service[i][k]]
            cause = AREA_CAUSE[a.hourly_cause[i][k]]
            parts.append(_placemark(a.name[i], f"{status}{', cells down by ' + cause if cause else ''}; "
                                    f"{a.population[i]:,} people", status, begin, end, a.lon[i], a.lat[i]))
    parts.append("</Folder><Folder><name>sites</name>")
    for i, ident in enumerate(s.id):
        for k, t_s, begin, end in hours:
            letter = s.hourly_state[i][k]
            status = "in service" if letter == "." else "down"
            text = "in service" if letter == "." else f"down by {SITE_STATE[letter]}"
            parts.append(_placemark(ident, f"{s.operator[i]}: {text}", status, begin, end, s.lon[i], s.lat[i]))
    parts.append("</Folder></Document></kml>")
    return "\n".join(parts) + "\n"


def _style(name: str) -> str:
    return name.replace(" ", "-").lower()


def _placemark(name: str, text: str, status: str, begin: str, end: str, lon: float, lat: float) -> str:
    return (f"<Placemark><name>{escape(name)}</name><description>{escape(text)}</description>"
            f"<TimeSpan><begin>{begin}</begin><end>{end}</end></TimeSpan><styleUrl>#{_style(status)}</styleUrl>"
            f"<Point><coordinates>{lon},{lat}</coordinates></Point></Placemark>")


def export(result: Result, fmt: str) -> str:
    """The export in one of ``EXPORT_FORMATS`` as text."""
    if fmt == "geojson":
        return json.dumps(to_geojson(result), separators=(",", ":")) + "\n"
    if fmt == "csv":
        return to_csv(result)
    if fmt == "kml":
        return to_kml(result)
    raise ValueError(f"format: expected one of {', '.join(EXPORT_FORMATS)}, got {fmt!r}")
