"""Every area is covered: its centroid lies within some site's radius (haversine, checked here)."""

from __future__ import annotations

import numpy as np

from ._checks import covering_sites, haversine_km


def test_haversine_checker_itself():
    # Rome to Milan is about 477 km great-circle.
    d = haversine_km(41.89193, 12.51133, 45.46427, 9.18951)
    assert 470 < d < 485


def test_every_national_area_is_covered(national):
    counts = covering_sites(national["areas"], national["sites"])
    assert counts.min() >= 1, [a["name"] for a, c in zip(national["areas"], counts) if c == 0][:10]


def test_every_operator_covers_every_place_in_a_region_with_its_own_sites(lazio):
    centres = [a for a in lazio["areas"] if "-" not in a["id"]]  # each place's centre point
    towers = {}
    for op in ("TIM", "Vodafone", "WindTre", "Iliad"):
        mine = [s for s in lazio["sites"] if s["operator"] == op]
        assert mine, op
        counts = covering_sites(centres, mine)
        assert counts.min() >= 1, op
        towers[op] = {(s["lat"], s["lon"]) for s in mine}
    # own footprints: no two operators on the same set of towers
    assert len({frozenset(t) for t in towers.values()}) == 4


def test_every_area_in_a_box_is_covered(amatrice):
    assert covering_sites(amatrice["areas"], amatrice["sites"]).min() >= 1


def test_cities_get_many_small_cells_and_the_countryside_few_large_ones(lazio):
    rome = [s for s in lazio["sites"] if s["id"].startswith("S3169070")]  # GeoNames id of Rome
    assert len(rome) > 500
    assert max(s["radius_km"] for s in rome) < 2.0
    radii = np.array([s["radius_km"] for s in lazio["sites"]])
    assert radii.max() <= 10.0 and radii.max() > 5.0
