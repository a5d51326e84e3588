"""Bad input fails early with a ValueError that says what was wrong."""

from __future__ import annotations

import math

import pytest

from d2c.topology import build_topology


@pytest.mark.parametrize("country, message", [
    ("XX", "unknown country"),
    ("Italy", "unknown country"),
    ("", "country"),
    (None, "country"),
    ("FR", "no network model"),
])
def test_bad_country(country, message):
    with pytest.raises(ValueError, match=message):
        build_topology(country=country)


@pytest.mark.parametrize("region", ["Atlantis", "Bavaria", "", "21"])
def test_unknown_region_lists_the_valid_ones(region):
    with pytest.raises(ValueError) as err:
        build_topology(region=region)
    assert "region" in str(err.value)
    if region:
        assert "Lombardia" in str(err.value)


@pytest.mark.parametrize("bbox, message", [
    ((43.0, 12.0, 42.0, 13.0), "south .* must be less than north"),
    ((42.0, 13.0, 43.0, 12.0), "west .* must be less than east"),
    ((42.0, 12.0, 43.0), "four numbers"),
    ((42.0, 12.0, 43.0, 13.0, 1.0), "four numbers"),
    ((42.0, "x", 43.0, 13.0), "four numbers"),
    ((math.nan, 12.0, 43.0, 13.0), "finite"),
    ((-95.0, 12.0, 43.0, 13.0), "latitudes"),
    ((42.0, 12.0, 43.0, 190.0), "longitudes"),
    (5, "four numbers"),
])
def test_bad_bbox(bbox, message):
    with pytest.raises(ValueError, match=message):
        build_topology(bbox=bbox)


def test_bbox_without_places():
    with pytest.raises(ValueError, match="no IT places"):
        build_topology(bbox=(39.0, 11.0, 39.5, 11.5))  # Tyrrhenian Sea


def test_region_and_bbox_together():
    with pytest.raises(ValueError, match="not both"):
        build_topology(region="Lazio", bbox=(41.0, 12.0, 42.0, 13.0))


@pytest.mark.parametrize("seed", [-1, 1.5, "1", True])
def test_bad_seed(seed):
    with pytest.raises(ValueError, match="seed"):
        build_topology(region="Molise", seed=seed)
