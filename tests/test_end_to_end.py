"""The shipped example, run the way a user runs it."""

import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT
from d2c.report.files import write_atomic

SCENARIO = ROOT / "scenarios" / "amatrice-2016.yaml"
TIMELINE_KEYS = ("t_s", "sites_in_service", "population_terrestrial", "population_d2c", "population_unserved",
                 "emergency_offered", "emergency_served")


def d2c(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "d2c", *map(str, args)], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, "COLUMNS": "160"})


@pytest.fixture(scope="module")
def amatrice(tmp_path_factory):
    out = tmp_path_factory.mktemp("run") / "amatrice.json"
    proc = d2c("run", SCENARIO, "--json", out)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout, json.loads(out.read_text()), out


def test_report_shows_the_sections_a_planner_reads(amatrice):
    stdout, _, _ = amatrice
    headings = ("No 112 path, worst instant", "112 demand served, whole run", "Timeline", "Sites down by cause",
                "Worst-hit areas", "Assumptions")
    for heading in headings:
        assert heading in stdout
    assert [stdout.index(h) for h in headings] == sorted(stdout.index(h) for h in headings)  # the headline first
    assert "ITA10" in stdout  # the assumptions say which ground-motion model was used


def test_json_has_the_documented_shape(amatrice):
    _, doc, _ = amatrice
    sc = doc["scenario"]
    assert sc["name"] == "amatrice-2016" and sc["step_s"] == 60 and sc["steps"] == 1440
    assert sc["start"] == "2016-08-24T01:30:00Z"
    tl = doc["timeline"]
    for key in TIMELINE_KEYS:
        assert len(tl[key]) == sc["steps"], key
    assert set(tl["sites_down_by_cause"]) == {"damage", "power", "jamming", "backhaul", "core"}
    for series in tl["sites_down_by_cause"].values():
        assert len(series) == sc["steps"]
    sm = doc["summary"]
    for key in ("no_112_person_hours", "no_112_person_hours_without_d2c", "worst_no_112_share", "worst_no_112_at_s",
                "longest_area_outage_hours", "restore_people_95_hours", "restore_sites_95_hours",
                "emergency_service_survival", "emergency_service_survival_without_d2c", "peak_sites_down_fraction",
                "population_total", "sites_total"):
        assert key in sm
    assert 0.0 <= sm["emergency_service_survival"] <= 1.0


def test_the_amatrice_story(amatrice):
    _, doc, _ = amatrice
    tl, sm = doc["timeline"], doc["summary"]
    minute = {t: i for i, t in enumerate(tl["t_s"])}
    before_quake = minute[5 * 60]  # 01:35 UTC
    after_shocks = minute[70 * 60]  # after the 03:36 main shock and the 04:33 aftershock (local)
    causes = tl["sites_down_by_cause"]
    assert tl["sites_in_service"][before_quake] == sm["sites_total"]
    # broken by the shaking (the draw of this seed breaks sites with the aftershock: one
    # between-event residual per shock moves every site together, so a shock may break none)
    assert causes["damage"][after_shocks] > 0
    # batteries run out through the morning: power outages grow from the shock to mid-morning
    assert causes["power"][minute[8 * 3600]] > causes["power"][minute[3600]]
    assert sm["population_total"] == 310_069  # the GeoNames places of the topology
    # every person is either on terrestrial, on D2C or unserved, at every step
    for k in range(0, len(tl["t_s"]), 97):
        assert tl["population_terrestrial"][k] + tl["population_d2c"][k] + tl["population_unserved"][k] == \
            pytest.approx(sm["population_total"])
    # the worst-hit place is one of the towns of the epicentral valleys
    assert doc["worst_areas"][0]["name"] in {"Amatrice", "Accumoli", "Arquata del Tronto", "Norcia", "Cascia"}
    # D2C serves the areas that lost their cells: survival with it is higher than without
    assert sm["emergency_service_survival"] > sm["emergency_service_survival_without_d2c"]
    assert sm["d2c_population_peak"] > 0


def test_same_seed_same_json(amatrice, tmp_path):
    _, _, first = amatrice
    again = tmp_path / "again.json"
    assert d2c("run", SCENARIO, "--json", again, "--quiet").returncode == 0
    assert again.read_bytes() == first.read_bytes()


def test_validate_the_shipped_files():
    proc = d2c("validate", SCENARIO, ROOT / "topologies" / "centro-italia.yaml")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("ok") == 2


def test_outputs_are_written_atomically(tmp_path, monkeypatch):
    target = tmp_path / "result.json"
    target.write_text("old")

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError):
        write_atomic(target, "new")
    monkeypatch.undo()
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["result.json"]  # no temp file left behind
    write_atomic(target, "new")
    assert target.read_text() == "new"
