"""Why a place lost service: the chain from the place to its sites, to their
power, backhaul and core, with times, in plain words (``d2c explain``).

The hourly states come from the result's ``places`` block (``d2c.snapshots``);
which sites cover the place and what each hangs from come from the scenario's
topology (``d2c.world.World``), loaded again from the scenario file.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import numpy as np

from d2c.timetext import offset_text
from d2c.snapshots import AREA_STATUS, SITE_STATE
from d2c.world import World

__all__ = ["UnknownPlace", "explain", "find_area", "runs"]

MAX_SITES = 8
CAUSE_WORDS = {
    "damage": "broken by the incident itself",
    "power": "no power: the grid feed was lost, then the battery (and any generator) ran out",
    "jamming": "its radio was jammed",
    "backhaul": "standing and powered, but cut off from every core: a link or an upstream node or site was lost",
    "core": "it reached a core, but no working voice core delivered to a working answering point",
}


class UnknownPlace(ValueError):
    """No area of that name or id; the message suggests the closest names."""


@dataclass(frozen=True)
class Run:
    letter: str
    from_s: float
    to_s: float | None  # None: until the end


def runs(letters: str, hours_t_s: list[float]) -> list[Run]:
    """Consecutive hours with the same letter.

    >>> [(r.letter, r.from_s, r.to_s) for r in runs("TTNND", [0, 3600, 7200, 10800, 14400])]
    [('T', 0, 7200), ('N', 7200, 14400), ('D', 14400, None)]
    """
    out: list[Run] = []
    for k, letter in enumerate(letters):
        if out and out[-1].letter == letter:
            continue
        if out:
            out[-1] = Run(out[-1].letter, out[-1].from_s, hours_t_s[k])
        out.append(Run(letter, hours_t_s[k], None))
    return out


def _span(run: Run) -> str:
    return f"from {offset_text(run.from_s)}" + (f" to {offset_text(run.to_s)}" if run.to_s is not None else
                                                  " to the end")


def find_area(places: dict, place: str) -> int:
    """The index of the area named (or with the id) ``place``, case and accents as written or not."""
    names = places["areas"]["name"]
    ids = places["areas"]["id"]
    wanted = place.strip().casefold()
    for i, (name, ident) in enumerate(zip(names, ids)):
        if name.casefold() == wanted or str(ident).casefold() == wanted:
            return i
    close = difflib.get_close_matches(place, names, n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    raise UnknownPlace(f"expected the name or id of an area of this result, got {place!r}{hint}")


def explain(doc: dict, place: str, world: World) -> list[str]:
    """Plain-words lines: what happened to ``place`` and why, hour by hour."""
    places = doc["places"]
    hours = places["hours_t_s"]
    i = find_area(places, place)
    a = places["areas"]
    name, population = a["name"][i], a["population"][i]
    lines = [f"{name} ({population:,} people) in {doc['scenario']['name']}, hour by hour from the start:"]
    covering = world.coverage.site[world.coverage.area == i]
    for run in runs(a["hourly_service"][i], hours):
        what = AREA_STATUS[run.letter]
        cause = ""
        if run.letter != "T":
            in_run = [k for k, t in enumerate(hours) if run.from_s <= t and (run.to_s is None or t < run.to_s)]
            states = places["sites"]["hourly_state"]
            causes = {states[int(j)][k] for j in covering for k in in_run} - {"."}
            cause = ("; its cells were down by " + ", ".join(SITE_STATE[c] for c in SITE_STATE if c in causes)
                     if causes else "; no cell site covers it")
        via = {"T": "112 over its own cells", "D": "112 over a D2C satellite beam (its cells were down)",
               "N": "at least half its people without 112: no cell, no satellite beam with room, or handsets stuck "
               "on an operator whose core failed"}[run.letter]
        lines.append(f"- {_span(run)}: {what}, {via}{cause}.")
    lines += _sites(places, i, world, hours)
    incidents = [item["label"] for item in places.get("incidents") or []]
    if incidents:
        lines.append("Incidents on the map: " + "; ".join(incidents) + ".")
    return lines


def _sites(places: dict, area: int, world: World, hours: list[float]) -> list[str]:
    cov = world.coverage
    mine = cov.site[cov.area == area]
    if mine.size == 0:
        return ["No cell site covers this place: it never had terrestrial service in the model."]
    share = cov.share[cov.area == area]
    order = mine[np.argsort(-share, kind="stable")]
    topo = world.topology
    s = places["sites"]
    lines = [f"It is covered by {mine.size} site(s)" + (f"; the {MAX_SITES} that carry most of it:" if mine.size >
                                                        MAX_SITES else ":")]
    for k in order[:MAX_SITES]:
        site = topo.sites[int(k)]
        states = runs(s["hourly_state"][int(k)], hours)
        down = [r for r in states if r.letter != "."]
        chain = _chain(world, int(k))
        power = site.power
        feed = (f"fed from substation {power.substation}" if power.substation else "no grid feed") + (
            f", battery {power.battery_hours:g} h" + (f", generator {power.generator_hours:g} h"
                                                      if power.generator_hours else ", no generator"))
        if not down:
            lines.append(f"- {site.id} ({site.operator}) stayed in service; {feed}; backhaul {chain}.")
            continue
        spans = "; ".join(f"down by {SITE_STATE[r.letter]} {_span(r)}" for r in down)
        lines.append(f"- {site.id} ({site.operator}): {spans}; {feed}; backhaul {chain}.")
        for letter in dict.fromkeys(r.letter for r in down):
            lines.append(f"    {SITE_STATE[letter]}: {CAUSE_WORDS[SITE_STATE[letter]]}"
                         + _upstream(places, world, int(k), letter, hours) + ".")
    return lines


def _chain(world: World, k: int) -> str:
    """The site's way to a core: the sites it hangs from, then its transport node."""
    topo = world.topology
    hops = []
    j = k
    while world.site_parent_site[j] >= 0 and len(hops) < 20:
        j = int(world.site_parent_site[j])
        hops.append(topo.sites[j].id)
    hops.append(topo.sites[j].backhaul)
    return " -> ".join([topo.sites[k].id, *hops]) + " -> core"


def _upstream(places: dict, world: World, k: int, letter: str, hours: list[float]) -> str:
    if letter != "b" or world.site_parent_site[k] < 0:
        return ""
    parent = int(world.site_parent_site[k])
    states = [r for r in runs(places["sites"]["hourly_state"][parent], hours) if r.letter != "."]
    if not states:
        return ""
    first = states[0]
    return (f"; it hangs off {world.topology.sites[parent].id}, down by {SITE_STATE[first.letter]} "
            f"{_span(first)}")
