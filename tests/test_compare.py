"""d2c compare: providers x scenarios x seeds on one shared terrestrial pass, locally and on Dask."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from html.parser import HTMLParser
from dataclasses import replace

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import SMALL_TOPOLOGY, write
from test_documents import chromium
from d2c.cli import app
from d2c.compare import IN_PROCESS, load_comparison, run_comparison
from d2c.compare.plan import plan
from d2c.compare.shared import Variant, run_alone, run_shared
from d2c.config.scenario import D2CSettings, load_scenario
from d2c.engine import Simulation
from d2c.hazards.footprint import Footprint
from d2c.space import Provider
from d2c.space.provider import PRESETS_DIR
from d2c.space.denial import Denial, DeniedSpace
from d2c.space.stage import D2CStage
from d2c.world import World

# The small topology with a satellite gateway next to its core (the D2C feeder path).
TOPOLOGY = SMALL_TOPOLOGY + """
gateways:
  - {id: GW, lat: 42.60, lon: 13.02, core: CORE, battery_hours: 72}
"""

# Every site destroyed ten minutes in: from then on only D2C gives a 112 path.
SCENARIO = """
name: cut-off
topology: small.yaml
start: 2024-01-01T00:00:00Z
duration: 1h
step: 60s
seed: 1
incidents:
  - kind: attack
    actions: [{at: T+10m, destroy: [S1, S2, S3]}]
"""

# An earthquake, so that seeds differ.
QUAKE = """
name: quake
topology: small.yaml
start: 2024-01-01T00:00:00Z
duration: 1h
step: 60s
seed: 5
incidents:
  - {kind: earthquake, at: T+5m, lat: 42.04, lon: 13.0, magnitude: 6.5}
"""

COMPARISON = """
name: test
seeds: 2
reduced_seeds: 1
providers:
  - name: none
  - name: dense
    walker: "53:96/12/1"
    altitude_km: 550
    core: satellite
    cost_eur_per_year: {value: 2.0e+8, source: "test figure"}
  - name: sparse
    walker: "53:24/6/1"
    altitude_km: 550
    core: satellite
    cost_eur_per_year: {value: 5.0e+7, assumed: [1.0e+7, 1.0e+8]}
    payload:
      satellite.beams_per_satellite: {value: 4, assumed: [1, 19]}
scenarios:
  - {file: cut-off.yaml, class: attack, rate_per_year: {value: 0.1, source: "test figure"}}
  - {file: quake.yaml, class: earthquake, return_period_years: {value: 20, assumed: [10, 50]}}
cases:
  - {name: withdrawn, kind: withdrawal, from: T+0}
  - {name: jammed, kind: jamming, area: {circle: {lat: 42.0, lon: 13.0, radius_km: 3}}}
  - {name: no-gateway, kind: gateway_loss, gateways: all, providers: [dense]}
"""


@pytest.fixture
def files(tmp_path):
    write(tmp_path, "small.yaml", TOPOLOGY)
    write(tmp_path, "cut-off.yaml", SCENARIO)
    write(tmp_path, "quake.yaml", QUAKE)
    return write(tmp_path, "comparison.yaml", COMPARISON)


class _HtmlCheck(HTMLParser):
    VOID = {"meta", "br", "img", "link", "input", "hr"}

    def __init__(self):
        super().__init__()
        self.stack, self.tags, self.fetches, self.balanced = [], Counter(), [], True

    def handle_starttag(self, tag, attrs):
        self.tags[tag] += 1
        self.fetches += [v for k, v in attrs if k in ("src", "href") or tag in ("script", "link", "img", "iframe")]
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags[tag] += 1
        self.fetches += [v for k, v in attrs if k in ("src", "href")]

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.balanced = False


def walker(spec: str, beams: int = 19) -> Provider:
    return replace(Provider.from_walker(spec, 550.0), beams_per_satellite=beams)


def test_none_restores_exactly_zero_and_every_planned_run_is_there(files):
    comparison = load_comparison(files)
    result = run_comparison(comparison, scheduler=IN_PROCESS)
    none = result.decision.row("none")
    assert none.annual_restored == 0.0 and none.annual_p5 == 0.0 and none.annual_p95 == 0.0
    assert all(v.restored_mean == 0.0 for v in none.by_scenario.values())
    planned = {(t.scenario, seed, v.key) for t in plan(comparison) for seed, variants in t.seeds for v in variants}
    assert set(result.runs) == planned
    # the cut-off scenario leaves people without 112 under none, and D2C gives some of it back
    assert result.decision.row("dense").by_scenario["cut-off"].restored_mean > 0
    # the tornado: one bar per assumed provider figure, per assumed rate and per assumed cost
    bars = {b.figure: b for b in result.bars}
    assert {f for f, b in bars.items() if b.kind == "parameter"} == {
        f"{p.name} {a.name}" for p in comparison.providers for a in p.assumptions}
    assert {f for f, b in bars.items() if b.kind != "parameter"} == {"rate quake", "cost sparse"}
    beams = bars["sparse satellite.beams_per_satellite"]
    assert (beams.low_value, beams.high_value) == (1, 19) and beams.at_high >= beams.at_low


def _equal_to_runs_alone(comparison, pick) -> int:
    """On the earthquake (random, so its seeds differ), every picked variant run alone as a
    Simulation agrees exactly with the shared run; returns how many were checked."""
    checked = 0
    for task in plan(comparison)[1:]:
        seeds = [(seed, [v for v in variants if pick(v)]) for seed, variants in task.seeds]
        shared = run_shared(task.path, seeds)
        for seed, variants in seeds:
            for variant in variants:
                assert run_alone(task.path, seed, variant) == shared[(seed, variant.key)], (task.scenario, seed, variant.key)
                checked += 1
    return checked


def test_compare_equals_independent_runs_of_each_provider(files):
    """The shared terrestrial pass changes nothing: every provider on every seed, each kind of denial
    case and a sensitivity variant, run alone, agree exactly (every variant: the slow test below)."""
    comparison = load_comparison(files)
    picked = {"none", "dense", "sparse", "dense|case=withdrawn", "sparse|case=jammed", "dense|case=no-gateway",
              "sparse|satellite.beams_per_satellite=high"}
    assert _equal_to_runs_alone(comparison, lambda v: v.key in picked) == 3 * 2 + 4


# The cut-off incident with the operators' own cells on wheels, on air 20 minutes after an area loses its cells.
ON_WHEELS = SCENARIO.replace("name: cut-off", "name: on-wheels") + """
restoration:
  temporary_sites: {per_operator_region: 1, mobilise: 20m}
"""


def test_compare_with_cells_on_wheels_equals_runs_alone(files):
    """A layer over the fallback stage (cells on wheels) is kept in compare: every provider's figures
    are those of its own run, and the cells give back 112 paths that the plain scenario lacks."""
    write(files.parent, "on-wheels.yaml", ON_WHEELS)
    variants = [Variant(p.name, p.name, p.provider, p.core) for p in load_comparison(files).providers]
    shared = run_shared(str(files.parent / "on-wheels.yaml"), [(1, variants)])
    for variant in variants:
        assert run_alone(str(files.parent / "on-wheels.yaml"), 1, variant) == shared[(1, variant.key)], variant.key
    plain = run_shared(str(files.parent / "cut-off.yaml"), [(1, variants[:1])])
    assert shared[(1, "none")].person_hours_without_112 < plain[(1, "none")].person_hours_without_112


@pytest.mark.slow
def test_compare_equals_independent_runs_of_every_variant(files):
    comparison = load_comparison(files)
    assert _equal_to_runs_alone(comparison, lambda v: True) > 3 * 2 + 4


# The cut-off incident with the scenario's own D2C settings: an offer opened at T+30m to TIM's
# subscribers only, and people leaving their buildings. Its provider is "dense" of COMPARISON.
EVACUATED = SCENARIO.replace("name: cut-off", "name: evacuated") + """
population:
  evacuation: {outdoors_share: 0.5, after: 5m}
"""
LATE = EVACUATED.replace("name: evacuated", "name: late") + """
d2c:
  walker: "53:96/12/1"
  altitude_km: 550
  core: satellite
  activation: T+30m
  operators: [TIM]
"""

LATE_COMPARISON = COMPARISON.split("scenarios:")[0] + """scenarios:
  - {file: late.yaml, class: attack, rate_per_year: {value: 0.1, source: "test figure"}, seeds: [1, 2]}
  - {file: evacuated.yaml, class: attack, rate_per_year: {value: 0.1, source: "test figure"}, seeds: [1, 2]}
  - {file: cut-off.yaml, class: attack, rate_per_year: {value: 0.1, source: "test figure"}, seeds: [1, 2]}
"""


def test_compare_gives_the_headline_of_d2c_run_with_the_scenarios_own_d2c_settings(files):
    """compare's figures for a provider are the headline ``d2c run`` prints for the same scenario, seed
    and provider, the scenario's offer, eligible operators and evacuation included; ``none`` gives
    the run's figures without D2C."""
    late = write(files.parent, "late.yaml", LATE)
    write(files.parent, "evacuated.yaml", EVACUATED)
    comparison = load_comparison(write(files.parent, "late-comparison.yaml", LATE_COMPARISON))
    result = run_comparison(comparison, scheduler=IN_PROCESS)
    for seed in (1, 2):
        summary = Simulation(replace(load_scenario(late), seed=seed)).run().summary
        dense, none = result.runs[("late", seed, "dense")], result.runs[("late", seed, "none")]
        assert dense.person_hours_without_112 == summary["no_112_person_hours"]
        assert dense.worst_share_without_112 == summary["worst_no_112_share"]
        assert dense.worst_at_s == summary["worst_no_112_at_s"]
        assert none.person_hours_without_112 == summary["no_112_person_hours_without_d2c"]
        assert none.worst_share_without_112 == summary["worst_no_112_share_without_d2c"]
    # the scenario's settings are honoured: people outdoors close more links; the late, TIM-only offer
    # restores less than the default offer on the same incident
    restored = {name: v.restored_mean for name, v in result.decision.row("dense").by_scenario.items()}
    assert restored["evacuated"] > restored["cut-off"] > 0
    assert 0 < restored["late"] < restored["evacuated"]


def _preset_ranges(name: str) -> dict:
    """Every ``assumed: {low, high}`` of a shipped preset file, read as plain YAML."""
    doc = yaml.safe_load((PRESETS_DIR / f"{name}.yaml").read_text())
    out = {}

    def walk(node, prefix):
        for key, value in node.items():
            if isinstance(value, dict) and "assumed" in value:
                out[prefix + key] = (value["assumed"]["low"], value["assumed"]["high"])
            elif isinstance(value, dict):
                walk(value, f"{prefix}{key}.")
    walk(doc, "")
    return out


def test_the_sensitivity_sweeps_every_figure_a_preset_marks_assumed_and_a_shells_payload(files):
    """No second list: each preset's assumed figures are swept from their low to their high, a shell's
    assumed payload replaces the generic range."""
    text = COMPARISON.replace("""  - name: dense
    walker: "53:96/12/1"
    altitude_km: 550""", """  - name: dense
    preset: national""")
    comparison = load_comparison(write(files.parent, "presets.yaml", text))
    sensitivity = [v for t in plan(comparison)[:1] for _, variants in t.seeds for v in variants if v.parameter]
    swept = {(v.provider, v.parameter, v.side): v for v in sensitivity}
    national = _preset_ranges("national")
    assert {p for name, p, _ in swept if name == "dense"} >= set(national) and len(national) >= 8
    for parameter, (low, high) in national.items():
        for side, value in (("low", low), ("high", high)):
            spec = swept[("dense", parameter, side)].spec
            assert str(spec.values[parameter]) == str(value) or spec.values[parameter] == value, (parameter, side)
    # the shell's payload: beams swept over its own [1, 19], not the generic shell's 7-61
    assert swept[("sparse", "satellite.beams_per_satellite", "low")].spec.beams_per_satellite == 1
    assert swept[("sparse", "satellite.beams_per_satellite", "high")].spec.beams_per_satellite == 19
    assert comparison.provider("sparse").provider.beams_per_satellite == 4


def test_provider_withdrawn_from_start_equals_none(files):
    comparison = load_comparison(files)
    path = comparison.scenarios[0].path
    dense = comparison.provider("dense")
    withdrawn = Variant("w", "dense", dense.provider, dense.core, (Denial("withdrawal", 0.0),))
    runs = run_shared(path, [(1, [Variant("none", "none", None), withdrawn,
                                  Variant("dense", "dense", dense.provider, dense.core)])])
    assert runs[(1, "w")] == runs[(1, "none")]
    assert runs[(1, "dense")].person_hours_without_112 < runs[(1, "none")].person_hours_without_112


def test_jamming_removes_d2c_only_in_the_jammed_area(files):
    """Jamming 3 km around Alpha: Alpha never on D2C; Beta, 10 km away, exactly as without jamming."""
    scenario = replace(load_scenario(files.parent / "cut-off.yaml"), d2c=None)
    world = World(scenario.topology)
    alpha, beta = world.area_ids.index("Alpha"), world.area_ids.index("Beta")
    provider = walker("53:96/12/1")

    def states(denials):
        stage = D2CStage(provider, world, scenario.start, scenario.step_s, "satellite")
        if denials:
            stage = DeniedSpace(stage, denials, world.area_lat_deg, world.area_lon_deg, ("GW",))
        sim = Simulation(replace(scenario, d2c=D2CSettings(provider, "satellite")), world=world, space=stage)
        return [sim.step().service for _ in range(sim.steps)]

    jam = Denial("jamming", 0.0, np.inf, Footprint(circle=(42.0, 13.0, 3.0)))
    free, jammed = states(()), states((jam,))
    assert any(s.d2c[alpha] for s in free), "Alpha uses D2C when nobody jams it"
    assert not any(s.d2c[alpha] for s in jammed)
    assert [s.d2c[beta] for s in jammed] == [s.d2c[beta] for s in free]
    assert [s.people_share_d2c[beta] for s in jammed] == [s.people_share_d2c[beta] for s in free]


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(per_plane=st.integers(1, 3), more=st.integers(1, 3), beams=st.integers(1, 3), more_beams=st.integers(1, 8))
def test_more_satellites_or_more_beams_never_restores_less(files, per_plane, more, beams, more_beams):
    """Same seed: a shell that is a superset of another (more satellites per plane, phasing 0), or the
    same shell with more beams per satellite, never leaves more person-hours without 112."""
    path = str(files.parent / "cut-off.yaml")
    small_shell = walker(f"53:{6 * per_plane}/6/0", beams)
    variants = [
        Variant("base", "base", small_shell, "satellite"),
        Variant("more-sats", "x", walker(f"53:{6 * per_plane * (1 + more)}/6/0", beams), "satellite"),
        Variant("more-beams", "x", walker(f"53:{6 * per_plane}/6/0", beams + more_beams), "satellite"),
    ]
    runs = {key: run for (_, key), run in run_shared(path, [(1, variants)]).items()}
    base = runs["base"].person_hours_without_112
    assert runs["more-sats"].person_hours_without_112 <= base + 1e-9
    assert runs["more-beams"].person_hours_without_112 <= base + 1e-9


def test_local_cluster_and_in_process_give_identical_numbers(files):
    """A real LocalCluster of worker processes gives the same JSON, byte for byte, as the in-process run."""
    comparison = load_comparison(files)
    local = run_comparison(comparison, scheduler=IN_PROCESS)
    progress = []
    dask = run_comparison(comparison, scheduler=None, workers=2, on_progress=lambda d, t: progress.append((d, t)))
    assert json.dumps(dask.to_dict()) == json.dumps(local.to_dict())
    total = sum(t.runs for t in plan(comparison))
    assert progress[0] == (0, total) and progress[-1] == (total, total)


def test_cli_writes_reports_and_bad_input_is_one_line(files, tmp_path):
    runner = CliRunner()
    out = tmp_path / "out"
    out.mkdir()
    result = runner.invoke(app, ["compare", str(files), "--scheduler", "none", "--out", str(out)])
    assert result.exit_code == 0, result.output
    doc = json.loads((out / "comparison.json").read_text())
    assert doc["ranking"][-1] == "none"
    assert doc["answer"].startswith("For the 2 incident(s) modelled") and doc["ranking"][0] in doc["answer"]
    rows = list(csv.reader((out / "comparison.csv").open()))
    assert rows[0][:2] == ["provider", "annual_restored_person_hours"]
    assert [r[0] for r in rows[1:]] == doc["ranking"]
    md = (out / "comparison.md").read_text()
    assert md.startswith("# ") and "## Answer" in md and "## Assumptions" in md
    page = (out / "comparison.html").read_text()
    checker = _HtmlCheck()
    checker.feed(page)
    assert checker.balanced and checker.tags["h1"] == 1 and checker.tags["title"] >= 1 and checker.tags["svg"] >= 3 and checker.tags["h2"] >= 5
    assert "size: A4" in page
    # nothing to fetch: no scripts, links, images, imports or url() (the SVG namespace is only a name)
    assert not checker.fetches and "url(" not in page and "@import" not in page
    # printed by a real browser, offline: A4 pages
    pdf = tmp_path / "comparison.pdf"
    printed = chromium(f"--print-to-pdf={pdf}", "--no-pdf-header-footer", (out / "comparison.html").as_uri())
    assert printed.returncode == 0, printed.stderr[-2000:]
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf.read_bytes())
    assert boxes and all(float(w) == pytest.approx(595.28, abs=1) and float(h) == pytest.approx(841.89, abs=1)
                         for w, h in boxes)
    bad = write(tmp_path, "bad.yaml", COMPARISON.replace("rate_per_year: {value: 0.1", "rate_per_year: {value: -1"))
    for command in (["compare", str(bad), "--scheduler", "none"], ["validate", str(bad)]):
        result = runner.invoke(app, command)
        assert result.exit_code == 2
        line = [text for text in result.output.splitlines() if text.strip()]
        assert len(line) == 1 and f"{bad}:" in line[0] and "rate_per_year.value: expected a number >= 0, got -1" in line[0]
    result = runner.invoke(app, ["validate", str(files)])
    assert result.exit_code == 0 and "comparison test, 3 providers (with none) x 2 scenarios" in result.output
