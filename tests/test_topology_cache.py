"""The compiled topology cache: the same topology and the same results, faster; damage is detected."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT, SMALL_TOPOLOGY, scenario_text, write
from d2c.config import topology_cache
from d2c.base.errors import ConfigError
from d2c.config.topology import load_topology


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("D2C_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_a_cached_topology_is_the_parsed_one(cache):
    path = ROOT / "topologies" / "centro-italia.yaml"
    parsed = load_topology(path, cache=False)
    first = load_topology(path)  # parses and stores
    entry = topology_cache.entry_path(path.read_text(encoding="utf-8"))
    assert entry.is_file()
    cached = load_topology(path)  # from the entry
    assert parsed == first == cached and cached.path == str(path)
    assert [s.power for s in cached.sites] == [s.power for s in parsed.sites]


def test_a_run_from_the_cache_writes_the_same_bytes(tmp_path, cache):
    write(tmp_path, "small.yaml", SMALL_TOPOLOGY)
    scenario = write(tmp_path, "s.yaml", scenario_text("[{kind: blackout, area: everywhere, at: T+1h, duration: 3h}]",
                                                       duration="6h"))
    outs = []
    for k in range(2):  # the first run parses the YAML, the second loads the entry
        out = tmp_path / f"run{k}.json"
        proc = subprocess.run([sys.executable, "-m", "d2c", "run", str(scenario), "--no-traffic", "--quiet",
                               "--json", str(out)], capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr
        outs.append(out.read_bytes())
        assert len(list(cache.glob("*.json"))) == 1
    assert outs[0] == outs[1]


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage"])
def test_a_damaged_entry_is_detected_and_rebuilt(tmp_path, cache, damage):
    path = write(tmp_path, "small.yaml", SMALL_TOPOLOGY)
    good = load_topology(path)
    entry = topology_cache.entry_path(path.read_text(encoding="utf-8"))
    body = entry.read_text(encoding="utf-8")
    broken = {"truncate": body[: len(body) // 2],
              "flip": body.replace("4.0", "9.0", 1),  # still valid JSON, one battery changed
              "garbage": "\x00not json"}[damage]
    assert broken != body
    entry.write_text(broken, encoding="utf-8")
    assert topology_cache.load(path.read_text(encoding="utf-8"), str(path)) is None  # detected
    assert load_topology(path) == good  # parsed again from the YAML ...
    assert entry.read_text(encoding="utf-8") == body  # ... and the entry rewritten whole


def test_an_edited_file_never_reads_the_old_entry(tmp_path, cache):
    path = write(tmp_path, "small.yaml", SMALL_TOPOLOGY)
    assert load_topology(path).areas[0].population == 1000
    path.write_text(path.read_text().replace("population: 1000", "population: 1234"), encoding="utf-8")
    assert load_topology(path).areas[0].population == 1234
    assert len(list(cache.glob("*.json"))) == 2


def test_a_file_with_a_mistake_is_never_cached(tmp_path, cache):
    path = write(tmp_path, "small.yaml", SMALL_TOPOLOGY.replace("population: 1000", "population: -5"))
    with pytest.raises(ConfigError, match=r"small\.yaml:\d+: areas\[0\]\.population"):
        load_topology(path)
    assert not cache.exists() or not list(cache.glob("*.json"))


def test_a_cache_that_cannot_be_written_is_skipped(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache directory should be")
    monkeypatch.setenv("D2C_CACHE_DIR", str(blocker / "cache"))
    path = write(tmp_path, "small.yaml", SMALL_TOPOLOGY)
    assert load_topology(path).name == "small"
