"""Build a plausible national (or regional) mobile network from real population.

    build_topology(country="IT", region=None, bbox=None, seed=1, name=None) -> dict
    write_topology(topology, path)

The dict follows docs/FORMATS.md key for key and in the documented order;
``yaml.safe_dump`` writes it. The model and its sources: docs/TOPOLOGY_MODEL.md.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import yaml

from d2c.report.files import write_atomic
from d2c.topology import params as P
from d2c.topology.planar import pairs_within
from d2c.topology.places import POPULATION_SOURCE, check_bbox, country_model, resolve_region, select
from d2c.topology.points import TownPoints, town_points
from d2c.topology.substations import node_batteries, place_substations, site_batteries
from d2c.topology.radio import OPS, build_sites
from d2c.topology.transport import Transport, build_transport, country_context, site_id, slug

__all__ = ["build_command", "build_topology", "dump_topology", "summarize", "write_topology"]

# Independent random streams, one per stage, so a change in one stage's draws
# never shifts another's.
_STREAMS = ("radio", "transport", "power", "anchoring")


def build_command(country: str = "IT", region: str | None = None, bbox=None, seed: int = 1,
                  name: str | None = None, out: str | None = None) -> str:
    """The ``d2c topology build`` command line that reproduces a build (quoted for a POSIX shell).

    >>> build_command(bbox=(37.75, 15.05, 38.6, 16.2), name="stretto di messina")
    "d2c topology build --country IT --bbox 37.75,15.05,38.6,16.2 --name 'stretto di messina' --seed 1"
    """
    parts = ["d2c", "topology", "build", "--country", country.upper()]
    if region is not None:
        parts += ["--region", _quote(region)]
    if bbox is not None:
        parts += ["--bbox", ",".join(f"{float(v):g}" for v in bbox)]
    if name is not None:
        parts += ["--name", _quote(name)]
    if out is not None:
        parts += ["--out", _quote(out)]
    parts += ["--seed", str(seed)]
    return " ".join(parts)


def _quote(text: str) -> str:
    return text if re.fullmatch(r"[A-Za-z0-9_.,/:+-]+", text) else "'" + text.replace("'", "'\\''") + "'"


def build_topology(country: str = "IT", region: str | None = None,
                   bbox: tuple[float, float, float, float] | None = None,
                   seed: int = 1, name: str | None = None) -> dict:
    """A topology dict for ``country``, optionally cut to a region or a (S, W, N, E) box.

    Raises ValueError for an unknown country or region, a malformed box, a box
    with no places, a bad seed or both a region and a box.
    """
    model = country_model(country)
    if region is not None and bbox is not None:
        raise ValueError("give a region or a bbox, not both")
    region_name = resolve_region(model, region) if region is not None else None
    box = check_bbox(bbox) if bbox is not None else None
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed: expected an integer >= 0, got {seed!r}")
    if name is not None and (not isinstance(name, str) or not name.strip()):
        raise ValueError(f"name: expected a non-empty string, got {name!r}")

    ctx = country_context(model.code)
    places = ctx.places
    sel = select(places, region_name, box)
    # Readable order: by region, then largest place first (ties by GeoNames id).
    sel = sel[np.lexsort((places.gid[sel], -places.pop[sel], places.region[sel]))]
    if sel.size == 0:
        where = f"region {region_name}" if region_name else f"bbox {box}"
        raise ValueError(f"no {model.code} places of {P.MIN_PLACE_POPULATION}+ people in {where}")

    streams = dict(zip(_STREAMS, (np.random.default_rng(s) for s in np.random.SeedSequence(int(seed)).spawn(len(_STREAMS)))))
    lat, lon, pop, gid = places.lat[sel], places.lon[sel], places.pop[sel], places.gid[sel]
    towers, sites = build_sites(lat, lon, pop, gid, model.lat_ref_deg, streams["radio"])
    net = build_transport(ctx, sel, towers, sites, streams["transport"])

    # ---- power: substations over every piece of equipment
    s_lat, s_lon = towers.lat[sites.tower], towers.lon[sites.tower]
    others = [(n.lat, n.lon) for n in net.nodes] + [(e.lat, e.lon) for e in (*net.cores, *net.psaps, *net.gateways)]
    o_lat = np.array([p[0] for p in others])
    o_lon = np.array([p[1] for p in others])
    subs = place_substations(np.concatenate([s_lat, o_lat]), np.concatenate([s_lon, o_lon]),
                             np.r_[np.ones(s_lat.size, bool), np.zeros(o_lat.size, bool)], model.lat_ref_deg)
    feed = [subs.ids[i] for i in subs.feed.tolist()]
    battery, generator = site_batteries(sites.op, towers.cls[sites.tower], net.site_is_hub, streams["power"])
    node_battery = node_batteries([n.kind for n in net.nodes], streams["power"])
    anchored = streams["anchoring"].random(sites.op.size) < P.ANCHORED_SHARE

    command = build_command(model.code, region_name, box, int(seed), name)
    if name is None:
        name = model.name if region_name is None and box is None else (
            f"{model.name}-{slug(region_name).lower()}" if region_name else
            f"{model.name}-bbox-" + "_".join(f"{v:g}" for v in box))
    scope = region_name or (f"box S,W,N,E = {','.join(f'{v:g}' for v in box)}" if box else "the whole country")
    description = (
        f"Synthetic mobile network for {model.code} ({scope}) built by d2c from real population, "
        f"{int(pop.sum()):,} people in {sel.size:,} places. Population: {POPULATION_SOURCE}. "
        f"Network: modelled, not real operator data (docs/TOPOLOGY_MODEL.md). Built with: {command}"
    )

    region_of = places.regions
    topo: dict = {
        "name": name,
        "description": description,
        # each operator's share of the handsets: AGCOM's human-SIM shares (d2c/topology/params.py)
        "operators": [{"name": o, "market_share": round(P.OPERATOR_SHARE[o], 6)} for o in OPS],
        "areas": _areas(places, sel, town_points(lat, lon, pop, s_lat, s_lon, sites.radius_km)),
        "substations": [
            {"id": i, "lat": float(a), "lon": float(b)} for i, a, b in zip(subs.ids, subs.lat.tolist(), subs.lon.tolist())
        ],
        "sites": _sites(towers, sites, net, feed[: s_lat.size], battery, generator, anchored),
    }
    k = s_lat.size
    nodes, k = _with_power(
        ({"id": n.id, "lat": n.lat, "lon": n.lon, "kind": n.kind} for n in net.nodes),
        ({"battery_hours": b, "generator_hours": n.generator_hours} for n, b in zip(net.nodes, node_battery.tolist())),
        feed, k)
    topo["transport"] = {"nodes": nodes, "links": [_link(l) for l in net.links]}
    topo["cores"], k = _with_power(
        ({"id": c.id, "lat": c.lat, "lon": c.lon, "operator": c.extra["operator"],
          "functions": list(c.extra["functions"])} for c in net.cores),
        (P.CORE_POWER for _ in net.cores), feed, k)
    topo["psaps"], k = _with_power(
        ({"id": p.id, "lat": p.lat, "lon": p.lon, "cores": list(p.extra["cores"]), "region": p.extra["region"]}
         for p in net.psaps),
        (P.PSAP_POWER for _ in net.psaps), feed, k)
    topo["gateways"], k = _with_power(
        ({"id": g.id, "lat": g.lat, "lon": g.lon, "core": g.extra["core"]} for g in net.gateways),
        (P.GATEWAY_POWER for _ in net.gateways), feed, k)
    _self_check(topo)
    return topo


def _areas(places, sel: np.ndarray, points: TownPoints) -> list[dict]:
    """One area per point: a place's centre keeps its name and id, its other points are numbered."""
    out = []
    for i, r, k, a, b, n in zip(points.place.tolist(), points.rank.tolist(), points.count.tolist(),
                                points.lat.tolist(), points.lon.tolist(), points.pop.tolist()):
        g = sel[i]
        name, ident = places.name[g], f"A{places.gid[g]}"
        if r:
            name, ident = f"{name} ({r + 1}/{k})", f"{ident}-{r + 1}"
        out.append({"name": name, "id": ident, "lat": a, "lon": b, "population": n,
                    "region": places.regions[places.region[g]]})
    return out


def _sites(towers, sites, net: Transport, feed, battery, generator, anchored) -> list[dict]:
    labels = towers.label
    out = []
    for i, (t, o) in enumerate(zip(sites.tower.tolist(), sites.op.tolist())):
        site = {
            "id": site_id(labels[t], o),
            "lat": float(towers.lat[t]),
            "lon": float(towers.lon[t]),
            "operator": OPS[o],
            "radius_km": float(sites.radius_km[i]),
            "capacity_calls": int(sites.calls[i]),
            "capacity_mbps": float(sites.mbps[i]),
            "backhaul": net.site_backhaul[i],
            "substation": feed[i],
            "battery_hours": float(battery[i]),
            "generator_hours": float(generator[i]),
        }
        if not anchored[i]:  # anchored is the format's default
            site["anchored"] = False
        out.append(site)
    return out


def _with_power(items, power, feed, k):
    out = []
    for item, pw in zip(items, power):
        item = dict(item)
        item["substation"] = feed[k]
        item["battery_hours"] = float(pw["battery_hours"])
        item["generator_hours"] = float(pw["generator_hours"])
        out.append(item)
        k += 1
    return out, k


def _link(link) -> dict:
    d = {"id": link.id, "a": link.a, "b": link.b, "medium": link.medium}
    if link.route:
        d["route"] = [[round(a, P.LATLON_DECIMALS), round(b, P.LATLON_DECIMALS)] for a, b in link.route]
    return d


def _self_check(topo: dict) -> None:
    """Cheap invariants: unique ids; every area reached by some site; every place's centre by every operator."""
    ids = [x["id"] for key in ("areas", "substations", "sites", "cores", "psaps", "gateways") for x in topo[key]]
    ids += [x["id"] for x in topo["transport"]["nodes"]] + [x["id"] for x in topo["transport"]["links"]]
    if len(ids) != len(set(ids)):
        raise RuntimeError("topology builder: duplicate ids")
    a_lat = np.array([a["lat"] for a in topo["areas"]])
    a_lon = np.array([a["lon"] for a in topo["areas"]])
    centre = np.array(["-" not in a["id"] for a in topo["areas"]])
    s_op = np.array([s["operator"] for s in topo["sites"]])
    s_lat = np.array([s["lat"] for s in topo["sites"]])
    s_lon = np.array([s["lon"] for s in topo["sites"]])
    s_r = np.array([s["radius_km"] for s in topo["sites"]]) - P.COVERAGE_MARGIN_KM
    qi, _, _ = pairs_within(a_lat, a_lon, s_lat, s_lon, s_r)
    if np.unique(qi).size != a_lat.size:
        raise RuntimeError("topology builder: an area is left uncovered")
    for op in OPS:
        mine = s_op == op
        qi, _, _ = pairs_within(a_lat[centre], a_lon[centre], s_lat[mine], s_lon[mine], s_r[mine])
        if np.unique(qi).size != int(centre.sum()):
            raise RuntimeError(f"topology builder: {op} leaves places uncovered")


def summarize(topology: dict) -> dict:
    """Counts worth printing after a build (for the CLI and reports).

    >>> s = summarize({"areas": [{"population": 500}, {"population": 1500}]})
    >>> s["areas"], s["population"], s["sites"]
    (2, 2000, 0)
    """
    sites = topology.get("sites", [])
    transport = topology.get("transport", {})
    per_op: dict[str, int] = {}
    for s in sites:
        per_op[s["operator"]] = per_op.get(s["operator"], 0) + 1
    kinds: dict[str, int] = {}
    for n in transport.get("nodes", []):
        kinds[n.get("kind", "aggregation")] = kinds.get(n.get("kind", "aggregation"), 0) + 1
    media: dict[str, int] = {}
    for link in transport.get("links", []):
        media[link.get("medium", "fibre")] = media.get(link.get("medium", "fibre"), 0) + 1
    site_ids = {s["id"] for s in sites}
    return {
        "areas": len(topology.get("areas", [])),
        "population": sum(a["population"] for a in topology.get("areas", [])),
        "sites": len(sites),
        "sites_per_operator": per_op,
        "towers": len({(s["lat"], s["lon"]) for s in sites}),
        "microwave_chained_sites": sum(1 for s in sites if s["backhaul"] in site_ids),
        "substations": len(topology.get("substations", [])),
        "transport_nodes": kinds,
        "links": media,
        "cores": len(topology.get("cores", [])),
        "psaps": len(topology.get("psaps", [])),
        "gateways": len(topology.get("gateways", [])),
    }


# ------------------------------------------------------------------ writing


def dump_topology(topology: dict) -> str:
    """The YAML text: block style for structure, one flow-style line per element.

    >>> print(dump_topology({"name": "t", "areas": [{"id": "A1", "population": 500}]}), end="")
    name: t
    areas:
    - {id: A1, population: 500}
    """
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(topology, Dumper=dumper, sort_keys=False, default_flow_style=None,
                     allow_unicode=True, width=100_000)


def write_topology(topology: dict, path, *, command: str | None = None) -> Path:
    """Write ``topology`` as YAML to ``path`` atomically, with a header saying how it was built.

    The header names the build command (from the description unless given),
    its seed and the population source. Written to a temporary file in the
    same directory, then renamed over ``path``, so a reader never sees half a file.
    """
    path = Path(path)
    if command is None:
        match = re.search(r"Built with: (d2c topology build .*)$", str(topology.get("description", "")))
        command = match.group(1) if match else "build_topology (d2c.topology)"
        if match and "--out" not in command:
            out = path.name if path.is_absolute() else str(path)
            command = command.replace(" --seed", f" --out {_quote(out)} --seed")
    seed = re.search(r"--seed (\d+)", command)
    header = [
        f"# d2c topology: {topology.get('name', '')}",
        "# Built by d2c.topology.build_topology: a modelled network on real population,",
        "# see docs/TOPOLOGY_MODEL.md. Not real operator data.",
        f"# Command: {command}",
        f"# Seed: {seed.group(1) if seed else 'unknown'}",
        f"# Population: {POPULATION_SOURCE}",
        f"# Areas: {len(topology.get('areas', []))}, sites: {len(topology.get('sites', []))}, "
        f"transport nodes: {len(topology.get('transport', {}).get('nodes', []))}, "
        f"links: {len(topology.get('transport', {}).get('links', []))}",
    ]
    text = "\n".join(header) + "\n" + dump_topology(topology)
    write_atomic(path, text)
    return path
