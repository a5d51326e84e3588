"""The Europe bench's stored topology: a .npz of plain arrays, read without pickle, rebuilt when damaged."""

from __future__ import annotations

import zipfile

import numpy as np
import pytest

from d2c import bench

# A small stand-in for the Europe-sized parameters: the same generator, a few thousand sites.
SMALL = {"n_sites": 2_000, "n_areas": 400, "n_links": 2_300, "median_people": 1930.0}


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("D2C_CACHE_DIR", str(tmp_path))
    return tmp_path


def _no_drawing(*args, **kwargs):
    raise AssertionError("drew the topology again instead of reading the stored entry")


def test_the_entry_is_plain_arrays_and_the_next_load_reads_it_instead_of_drawing(cache, monkeypatch):
    first = bench.europe_topology(params=SMALL)
    path = bench.europe_cache_path(SMALL)
    assert path.suffix == ".npz" and path.parent == cache / "bench"
    with np.load(path, allow_pickle=False) as npz:  # raises on any object array
        assert all(npz[k].dtype.kind in "fi" for k in npz.files)
        assert len(npz["site_lat"]) == 2_000 and len(npz["area_lat"]) == 400
    assert not list(path.parent.glob("*.tmp"))  # written through a temporary file renamed over it
    monkeypatch.setattr(bench, "_synthetic_arrays", _no_drawing)
    assert bench.europe_topology(params=SMALL) == first
    assert len(first.sites) == 2_000 and len(first.areas) == 400 and len(first.links) == 2_300


def test_the_key_follows_the_parameters_and_the_format_version(cache, monkeypatch):
    base = bench.europe_cache_path(SMALL)
    assert bench.europe_cache_path({**SMALL, "n_sites": 2_001}) != base
    monkeypatch.setattr(bench, "EUROPE_FORMAT_VERSION", bench.EUROPE_FORMAT_VERSION + 1)
    assert bench.europe_cache_path(SMALL) != base


@pytest.mark.parametrize("damage", ["truncated", "flipped", "member missing", "object array"])
def test_a_damaged_entry_is_detected_and_drawn_again(cache, damage):
    expected = bench.europe_topology(params=SMALL)
    path = bench.europe_cache_path(SMALL)
    data = path.read_bytes()
    if damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "flipped":  # one byte inside the first member's data: its CRC no longer matches
        with zipfile.ZipFile(path) as z:
            offset = z.infolist()[0].header_offset + 30 + len(z.infolist()[0].filename) + 200
        path.write_bytes(data[:offset] + bytes([data[offset] ^ 0xFF]) + data[offset + 1:])
    elif damage == "member missing":
        with np.load(path) as npz:
            kept = {k: npz[k] for k in npz.files if k != "site_lon"}
        np.savez(path, **kept)
    else:  # something that would need pickle to read
        with np.load(path) as npz:
            kept = {k: npz[k] for k in npz.files}
        kept["site_lat"] = np.array([object()] * len(kept["site_lat"]), dtype=object)
        np.savez(path, **kept)
    assert bench.europe_topology(params=SMALL) == expected
    with np.load(path, allow_pickle=False) as npz:  # and the entry was rewritten whole
        assert set(npz.files) >= {"site_lat", "site_lon"} and npz["site_lat"].dtype.kind == "f"
