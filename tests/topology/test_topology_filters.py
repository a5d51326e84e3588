"""--region and --bbox keep only the places inside, and accept the usual spellings."""

from __future__ import annotations

import re

import pytest

from d2c.topology import build_topology

from ._checks import AMATRICE_BOX


def test_bbox_keeps_only_places_inside(amatrice, national):
    s, w, n, e = AMATRICE_BOX
    assert all(s <= a["lat"] <= n and w <= a["lon"] <= e for a in amatrice["areas"])
    inside = [a for a in national["areas"] if s <= a["lat"] <= n and w <= a["lon"] <= e]
    assert sorted(a["id"] for a in inside) == sorted(a["id"] for a in amatrice["areas"])
    # the box straddles four regions, each with its answering point
    assert {a["region"] for a in amatrice["areas"]} == {"Lazio", "Umbria", "Marche", "Abruzzo"}


def test_region_keeps_only_its_places(lazio, national):
    assert {a["region"] for a in lazio["areas"]} == {"Lazio"}
    assert sorted(a["id"] for a in lazio["areas"]) == sorted(a["id"] for a in national["areas"] if a["region"] == "Lazio")
    assert {p["region"] for p in lazio["psaps"]} == {"Lazio"}


def test_region_sites_serve_only_that_region(lazio):
    # every site is hosted at a place of the region (its id carries the GeoNames id)
    area_gids = {a["id"][1:] for a in lazio["areas"]}
    for s in lazio["sites"]:
        host = re.match(r"S(\d+)", s["id"]).group(1)
        assert host in area_gids, s["id"]


@pytest.mark.parametrize("spelling", ["lazio", "LAZIO", " Lazio ", "07", "IT.07"])
def test_region_spellings(spelling, lazio):
    topo = build_topology(region=spelling)
    assert [a["id"] for a in topo["areas"]] == [a["id"] for a in lazio["areas"]]


def test_english_region_names_are_accepted():
    topo = build_topology(region="Aosta Valley")
    assert {a["region"] for a in topo["areas"]} == {"Valle d'Aosta"}
    assert topo["name"] == "italia-valle-d-aosta"


def test_country_code_is_case_insensitive(lazio):
    assert build_topology(country="it", region="Lazio") == lazio
