"""The dict is the FORMATS.md topology: documented keys in documented order, valid references."""

from __future__ import annotations

import math

import yaml

from d2c.topology import build_topology

from ._checks import all_ids, decimals

# Key order of docs/FORMATS.md (optional keys may be absent, order must hold).
POWER = ["substation", "battery_hours", "generator_hours", "site_class"]
ORDER = {
    "top": ["name", "description", "operators", "areas", "substations", "sites", "transport", "cores", "psaps", "gateways"],
    "areas": ["name", "id", "lat", "lon", "population", "region"],
    "substations": ["id", "lat", "lon"],
    "sites": ["id", "lat", "lon", "operator", "radius_km", "capacity_calls", "capacity_mbps", "backhaul", *POWER,
              "anchored"],
    "nodes": ["id", "lat", "lon", "kind", *POWER],
    "links": ["id", "a", "b", "medium", "route"],
    "cores": ["id", "lat", "lon", "operator", "functions", *POWER],
    "psaps": ["id", "lat", "lon", "cores", "region", *POWER],
    "gateways": ["id", "lat", "lon", "core", *POWER],
}
REQUIRED = {
    "areas": {"name", "lat", "lon", "population"},
    "substations": {"id", "lat", "lon"},
    "sites": {"id", "lat", "lon", "operator", "radius_km", "capacity_calls", "capacity_mbps", "backhaul"},
    "nodes": {"id", "lat", "lon"},
    "links": {"id", "a", "b"},
    "cores": {"id", "lat", "lon"},
    "psaps": {"id", "lat", "lon", "cores"},
    "gateways": {"id", "lat", "lon", "core"},
}


def _in_order(keys, documented):
    assert set(keys) <= set(documented), set(keys) - set(documented)
    positions = [documented.index(k) for k in keys]
    return positions == sorted(positions)


def _items(topo):
    for key in ("areas", "substations", "sites", "cores", "psaps", "gateways"):
        for x in topo.get(key, []):
            yield key, x
    for x in topo["transport"]["nodes"]:
        yield "nodes", x
    for x in topo["transport"]["links"]:
        yield "links", x


def test_keys_are_documented_required_and_in_order(national):
    assert _in_order(list(national), ORDER["top"])
    assert list(national["transport"]) == ["nodes", "links"]
    for kind, item in _items(national):
        assert _in_order(list(item), ORDER[kind]), (kind, list(item))
        assert REQUIRED[kind] <= set(item), (kind, item)


def test_values_have_documented_types_and_ranges(national):
    for kind, item in _items(national):
        if "lat" in item:
            assert -90 <= item["lat"] <= 90 and -180 <= item["lon"] <= 180
            assert decimals(item["lat"]) <= 5 and decimals(item["lon"]) <= 5, item
        for key in ("battery_hours", "generator_hours"):
            if key in item:
                assert isinstance(item[key], float) and item[key] >= 0
        assert all(isinstance(v, (str, int, float, list)) and (k == "anchored") == isinstance(v, bool)
                   for k, v in item.items()), item
    for a in national["areas"]:
        assert isinstance(a["population"], int) and a["population"] >= 0
    for s in national["sites"]:
        assert s["radius_km"] > 0 and math.isfinite(s["radius_km"])
        assert isinstance(s["capacity_calls"], int) and s["capacity_calls"] > 0
        assert s["capacity_mbps"] > 0
        assert s["operator"] in {"TIM", "Vodafone", "WindTre", "Iliad"}
    assert {n["kind"] for n in national["transport"]["nodes"]} <= {"access", "aggregation", "regional", "national"}
    assert {link["medium"] for link in national["transport"]["links"]} <= {"fibre", "microwave"}
    for c in national["cores"]:
        assert set(c["functions"]) <= {"voice", "sms", "data", "cbc"}


def test_ids_are_unique_across_the_whole_topology(national):
    dup = {k: v for k, v in all_ids(national).items() if len(v) > 1}
    assert not dup


def test_every_reference_names_an_existing_element_of_the_right_kind(national, lazio, amatrice):
    for topo in (national, lazio, amatrice):
        kinds = {k: v[0] for k, v in all_ids(topo).items()}
        for kind, item in _items(topo):
            if "substation" in item:
                assert kinds.get(item["substation"]) == "substations", item["id"]
        for s in topo["sites"]:
            assert kinds.get(s["backhaul"]) in ("nodes", "cores", "sites"), s["id"]
            assert s["backhaul"] != s["id"]
        for link in topo["transport"]["links"]:
            assert kinds.get(link["a"]) in ("nodes", "cores", "gateways"), link["id"]
            assert kinds.get(link["b"]) in ("nodes", "cores", "gateways"), link["id"]
            assert link["a"] != link["b"]
        for p in topo["psaps"]:
            assert p["cores"] and all(kinds.get(c) == "cores" for c in p["cores"])
        for g in topo["gateways"]:
            assert kinds.get(g["core"]) in ("cores", "nodes")


def test_every_substation_feeds_something(lazio):
    used = {x["substation"] for _, x in _items(lazio) if "substation" in x}
    assert used == {s["id"] for s in lazio["substations"]}


def test_safe_dump_round_trips():
    molise = build_topology(region="Molise")
    text = yaml.safe_dump(molise, sort_keys=False, allow_unicode=True)
    assert yaml.safe_load(text) == molise
