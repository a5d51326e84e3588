"""One seed, one network: identical dicts and files for a seed, different ones for another."""

from __future__ import annotations

from d2c.topology import build_topology, dump_topology

from ._checks import AMATRICE_BOX


def test_same_seed_same_topology(amatrice):
    again = build_topology(country="IT", bbox=AMATRICE_BOX, seed=1)
    assert again == amatrice
    assert dump_topology(again) == dump_topology(amatrice)


def test_other_seed_other_topology_same_people(amatrice):
    other = build_topology(country="IT", bbox=AMATRICE_BOX, seed=2)
    assert other != amatrice
    # the random parts change (batteries, generators, grid orientation) ...
    assert [s["battery_hours"] for s in other["sites"]] != [s["battery_hours"] for s in amatrice["sites"]]
    # ... the real data does not
    assert other["areas"] == amatrice["areas"]


def test_national_build_is_reproducible(national):
    assert build_topology(seed=1) == national
