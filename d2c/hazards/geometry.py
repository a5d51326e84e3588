"""Where each incident of a scenario lies on the map, as GeoJSON geometries.

For reports (the map of the HTML document) and GIS exports: earthquake
epicentres with their rupture reach, flood zones, blackout and jamming areas.
Coordinates are [lon, lat], rings closed, as GeoJSON (RFC 7946) requires.
"""

from __future__ import annotations

from d2c.hazards.attack import Attack, Jam
from d2c.hazards.blackout import Blackout
from d2c.hazards.earthquake import Earthquake, rupture_half_length_km
from d2c.hazards.flood import Flood
from d2c.hazards.footprint import circle_ring

__all__ = ["incident_geometries"]


def incident_geometries(incidents) -> list[dict]:
    """``[{"kind", "label", "geometry"}]`` for every located part of the incidents (in order).

    A Mw 6 earthquake gives its epicentre and a circle of half its 12.6 km rupture:

    >>> from d2c.hazards.earthquake import Shock
    >>> quake = Earthquake((Shock(0.0, 42.70, 13.23, 8.0, 6.0),), "normal", "median")
    >>> [(g["kind"], g["label"]) for g in incident_geometries([quake])]
    [('epicentre', 'main shock Mw 6'), ('rupture', 'rupture half-length 6 km')]
    """
    out: list[dict] = []
    for incident in incidents:
        if isinstance(incident, Earthquake):
            for k, shock in enumerate(incident.shocks):
                label = f"{'main shock' if k == 0 else 'aftershock'} Mw {shock.magnitude:g}"
                out.append({"kind": "epicentre", "label": label,
                            "geometry": {"type": "Point", "coordinates": [round(shock.lon, 5), round(shock.lat, 5)]}})
                if k == 0:  # the fault's reach: half the rupture length (Wells & Coppersmith 1994)
                    radius_km = max(rupture_half_length_km(shock.magnitude), 1.0)
                    out.append({"kind": "rupture", "label": f"rupture half-length {radius_km:.0f} km",
                                "geometry": {"type": "Polygon",
                                             "coordinates": [circle_ring(shock.lat, shock.lon, radius_km)]}})
        elif isinstance(incident, Flood):
            for zone in incident.zones:
                _add(out, "flood", "flood zone", zone.footprint)
        elif isinstance(incident, Blackout):
            _add(out, "blackout", "grid blackout", incident.area)
        elif isinstance(incident, Attack):
            for action in incident.actions:
                if isinstance(action, Jam):
                    _add(out, "jamming", "jamming", action.area)
    return out


def _add(out: list, kind: str, label: str, footprint) -> None:
    geometry = footprint.geojson()
    if geometry is not None:
        out.append({"kind": kind, "label": label, "geometry": geometry})
