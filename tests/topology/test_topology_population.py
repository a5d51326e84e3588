"""Demand areas are exactly the GeoNames places, with their population."""

from __future__ import annotations

from ._checks import AMATRICE_BOX

# GeoNames admin1 code -> region, as the builder must name them.
LAZIO = "07"


def test_national_areas_are_every_italian_place(national, source_it):
    areas = national["areas"]
    assert len(areas) == len(source_it)
    # what the package ships today: 11,854 places, 58,774,541 people
    assert 11_000 < len(areas) < 13_000
    assert sum(a["population"] for a in areas) == sum(c["population"] for c in source_it)
    assert 55_000_000 < sum(a["population"] for a in areas) < 62_000_000
    assert {a["id"] for a in areas} == {f"A{c['geonameid']}" for c in source_it}


def test_each_area_keeps_its_source_name_position_and_population(national, source_it):
    by_id = {f"A{c['geonameid']}": c for c in source_it}
    for a in national["areas"]:
        c = by_id[a["id"]]
        assert a["name"] == c["name"]
        assert a["population"] == c["population"]
        assert abs(a["lat"] - c["latitude"]) < 1e-5 and abs(a["lon"] - c["longitude"]) < 1e-5


def test_area_ids_are_unique_even_where_names_repeat(national):
    ids = [a["id"] for a in national["areas"]]
    names = [a["name"] for a in national["areas"]]
    assert len(set(ids)) == len(ids)
    assert len(set(names)) < len(names)  # e.g. several "San Giorgio"s: the id must not be the name


def test_region_population_matches_source(lazio, source_it):
    src = [c for c in source_it if c["admin1code"] == LAZIO]
    assert len(lazio["areas"]) == len(src)
    assert sum(a["population"] for a in lazio["areas"]) == sum(c["population"] for c in src)
    assert {a["region"] for a in lazio["areas"]} == {"Lazio"}


def test_bbox_population_matches_source(amatrice, source_it):
    s, w, n, e = AMATRICE_BOX
    src = [c for c in source_it if s <= c["latitude"] <= n and w <= c["longitude"] <= e]
    assert len(src) > 50
    assert {a["id"] for a in amatrice["areas"]} == {f"A{c['geonameid']}" for c in src}
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
