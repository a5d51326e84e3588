"""Finding things by name in a drill: the ``list`` command's rows, and a place named for a site.

A decision on a site (``generator``, ``fix``) may name a place instead: the
place's area (its name or ID, any case) picks the site that serves it whose
mast stands nearest the place's centre (ties: the lower site ID). The log
records the site's ID, so a replay takes the same decision.
"""

from __future__ import annotations

import numpy as np

from d2c.geo import haversine_km
from d2c.network import CAUSES

__all__ = ["KINDS", "area_index", "site_for_place", "rows", "place_name", "link_rows"]

KINDS = ("sites", "areas", "links", "resources")


def area_index(world, name: str) -> int | None:
    """The area called ``name`` (its ID or its name, any case), or None.

    >>> class W: area_ids, area_names = ["A1", "B2"], ["Alpha", "Beta"]
    >>> area_index(W, "beta"), area_index(W, "Gamma")
    (1, None)
    """
    wanted = name.casefold()
    for i, (ident, label) in enumerate(zip(world.area_ids, world.area_names)):
        if wanted in (ident.casefold(), label.casefold()):
            return i
    return None


def site_for_place(world, name: str) -> str | None:
    """The ID of the site serving place ``name`` nearest its centre; None if no such place or no site serves it."""
    area = area_index(world, name)
    if area is None:
        return None
    serving = np.unique(world.coverage.site[world.coverage.area == area])
    if serving.size == 0:
        return None
    site_sl = world.slices["site"]
    dist = haversine_km(world.equipment_lat_deg[site_sl][serving], world.equipment_lon_deg[site_sl][serving],
                        world.area_lat_deg[area], world.area_lon_deg[area])
    ids = [world.site_ids[i] for i in serving]
    return min(zip(np.round(dist, 6), ids))[1]


def rows(drill, kind: str, text_filter: str = "") -> list[str]:
    """One line per site, area, link or catalogue resource, with its state now; ``text_filter`` keeps
    the lines that contain it (any case). Sites list the places they serve, so a place finds its sites."""
    world, state = drill.world, drill.last
    lines: list[str] = []
    if kind == "sites":
        serves: dict[int, list[str]] = {}
        for s, a in zip(world.coverage.site, world.coverage.area):
            serves.setdefault(int(s), []).append(world.area_names[a])
        ops = world.operators
        for i, ident in enumerate(world.site_ids):
            cause = 0 if state is None else int(state.network.cause[i])
            status = "up" if cause == 0 else f"down ({CAUSES[cause - 1]})"
            places = ", ".join(sorted(serves.get(i, []))) or "no place in reach"
            lines.append(f"{ident}  {ops[world.site_operator[i]]}  {status}  serves {places}")
    elif kind == "areas":
        for i, (ident, label) in enumerate(zip(world.area_ids, world.area_names)):
            if state is None:
                status = "not run yet"
            else:
                status = ("terrestrial" if state.service.terrestrial[i] else
                          "on D2C" if state.service.d2c[i] else "no service")
            name = place_name(ident, label)
            lines.append(f"{name}  {world.area_population[i]:,.0f} people  {status}")
    elif kind == "links":
        lines.extend(link_rows(world))
    elif kind == "resources":
        for d in drill.spec.catalogue.values():
            used = sum(1 for t in drill.taken if t.decision.name == d.name)
            left = "unlimited" if d.available is None else f"{d.available - used} of {d.available} left"
            lines.append(f"{d.name}  {d.kind.name}  {left}  {d.cost_eur:,.0f} EUR each")
    else:
        raise ValueError(f"list what? one of {', '.join(KINDS)}, got {kind!r}")
    wanted = text_filter.casefold()
    return [line for line in lines if wanted in line.casefold()]


def place_name(ident: str, label: str) -> str:
    """A place as the room reads it: its name, with its ID when the two differ.

    >>> place_name("A1", "Amatrice"), place_name("Amatrice", "Amatrice")
    ('Amatrice (A1)', 'Amatrice')
    """
    return label if label == ident else f"{label} ({ident})"


def link_rows(world) -> list[str]:
    """One line per link: its ID, the two nodes it joins and its medium (the same in every view)."""
    nodes = world.graph_node_ids
    return [f"{ident}  {nodes[world.link_a[i]]} - {nodes[world.link_b[i]]}  {world.link_medium[i]}"
            for i, ident in enumerate(world.link_ids)]
