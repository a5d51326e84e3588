"""Demand areas are the GeoNames places, with their population: a town's spread over its points."""

from __future__ import annotations

from collections import defaultdict

from d2c.topology import params as P

from ._checks import AMATRICE_BOX


def _places(areas) -> dict[str, list[dict]]:
    """Areas by the place they belong to (a point's id is its place's id with a -n suffix)."""
    out = defaultdict(list)
    for a in areas:
        out[a["id"].split("-")[0]].append(a)
    return out

# GeoNames admin1 code -> region, as the builder must name them.
LAZIO = "07"


def test_national_areas_are_every_italian_place(national, source_it):
    places = _places(national["areas"])
    assert len(places) == len(source_it)
    # what the package ships today: 11,854 places, 58,774,541 people
    assert 11_000 < len(places) < 13_000
    assert sum(a["population"] for a in national["areas"]) == sum(c["population"] for c in source_it)
    assert 55_000_000 < sum(a["population"] for a in national["areas"]) < 62_000_000
    assert set(places) == {f"A{c['geonameid']}" for c in source_it}


def test_each_place_keeps_its_source_name_position_and_population(national, source_it):
    by_id = {f"A{c['geonameid']}": c for c in source_it}
    for ident, points in _places(national["areas"]).items():
        c = by_id[ident]
        centre = points[0]
        assert centre["id"] == ident and centre["name"] == c["name"]
        assert abs(centre["lat"] - c["latitude"]) < 1e-5 and abs(centre["lon"] - c["longitude"]) < 1e-5
        assert sum(a["population"] for a in points) == c["population"]


def test_towns_are_spread_over_several_points_and_villages_are_one(national, source_it):
    by_id = {f"A{c['geonameid']}": c for c in source_it}
    places = _places(national["areas"])
    rome = places["A3169070"]
    assert 0.9 * P.TOWN_MAX_POINTS <= len(rome) <= P.TOWN_MAX_POINTS  # a point no site reaches is folded back
    assert max(a["population"] for a in rome) < 1.1 * by_id["A3169070"]["population"] / len(rome)
    assert all(len(p) == 1 for i, p in places.items() if by_id[i]["population"] < P.TOWN_MIN_POPULATION)
    assert rome[1]["name"] == f"Rome (2/{len(rome)})"


def test_area_ids_are_unique_even_where_names_repeat(national):
    ids = [a["id"] for a in national["areas"]]
    names = [a["name"] for a in national["areas"]]
    assert len(set(ids)) == len(ids)
    assert len(set(names)) < len(names)  # e.g. several "San Giorgio"s: the id must not be the name


def test_region_population_matches_source(lazio, source_it):
    src = [c for c in source_it if c["admin1code"] == LAZIO]
    assert len(_places(lazio["areas"])) == len(src)
    assert sum(a["population"] for a in lazio["areas"]) == sum(c["population"] for c in src)
    assert {a["region"] for a in lazio["areas"]} == {"Lazio"}


def test_bbox_population_matches_source(amatrice, source_it):
    s, w, n, e = AMATRICE_BOX
    src = [c for c in source_it if s <= c["latitude"] <= n and w <= c["longitude"] <= e]
    assert len(src) > 50
    assert set(_places(amatrice["areas"])) == {f"A{c['geonameid']}" for c in src}
    assert sum(a["population"] for a in amatrice["areas"]) == sum(c["population"] for c in src)


def test_regions_follow_geonames_admin1_codes(national, source_it):
    # Spot checks against well-known places (region from the GeoNames admin1 code).
    by_gid = {f"A{c['geonameid']}": c for c in source_it}
    expected = {"Rome": "Lazio", "Milan": "Lombardia", "Naples": "Campania", "Bari": "Puglia",
                "Cagliari": "Sardegna", "Palermo": "Sicilia", "Florence": "Toscana", "Aosta": "Valle d'Aosta",
                "Trento": "Trentino-Alto Adige", "Trieste": "Friuli-Venezia Giulia", "Venice": "Veneto"}
    seen = {}
    for a in national["areas"]:
        if a["name"] in expected and by_gid[a["id"]]["population"] > 30_000:
            seen[a["name"]] = a["region"]
    assert seen == expected
    assert len({a["region"] for a in national["areas"]}) == 20
