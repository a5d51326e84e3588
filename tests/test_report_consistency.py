"""A report never contradicts itself: a share shown as 97.0% meets a 97% target,
counts and their share agree, no "no change" beside a measured change, no row
for a bearer nobody called on, no "0.0 attempts"."""

from __future__ import annotations

import copy
import json

import pytest

from d2c.drill.result import _objective
from d2c.drill.spec import Objective
from d2c.report import aar_sections
from d2c.result import COUNTERFACTUAL_SERIES, Result
from d2c.report.text import count_of, percent
from d2c.report.traffic import renderables as traffic_tables

from conftest import SMALL_TOPOLOGY, scenario_text, write


@pytest.mark.parametrize("value, target, shown, met", [
    (0.96968, 0.97, "97.0%", True),    # shown as 97.0%: meets a 97% target
    (0.96949, 0.97, "96.9%", False),   # shown as 96.9%: does not
    (0.9999, 1.0, "100.0%", True),
])
def test_one_rounding_rule_for_what_is_shown_and_what_is_compared(value, target, shown, met, run_doc):
    entry = _objective(Objective("keep 112 up", "emergency_service_survival", at_least=target),
                       {"emergency_service_survival": value}, None)
    assert percent(value) == shown
    assert entry.met is met
    row = aar_sections.objectives(_with_blocks(run_doc, drill={"objectives": [entry.to_dict()]})).blocks[0].rows[0]
    assert row[3] == shown and row[4] == ("MET" if met else "NOT MET")


def _with_blocks(doc: dict, **blocks) -> Result:
    """The run's result with a drill's blocks (only the parts a test sets), read as ``d2c report`` reads them."""
    return Result.from_dict({**doc, **blocks})


def test_counts_and_their_share_agree():
    text = count_of(104.6, 105)
    assert text == "104.6 of 105.0 (99.6%)"
    assert count_of(105, 105) == "105 of 105 (100.0%)"


@pytest.fixture(scope="module")
def run_doc(tmp_path_factory):
    from d2c.config.scenario import load_scenario
    from d2c.engine import Simulation
    from d2c.traffic.stage import EngineTraffic
    from d2c.world import World

    folder = tmp_path_factory.mktemp("consistency")
    write(folder, "small.yaml", SMALL_TOPOLOGY)
    sc = load_scenario(write(folder, "s.yaml", scenario_text(
        "[{kind: attack, actions: [{at: T+1h, destroy: [S1]}]}]", duration="3h")))
    world = World(sc.topology)
    sim = Simulation(sc, world=world, traffic=EngineTraffic(sc, world, sample=1.0))
    return json.loads(json.dumps(sim.run().to_dict()))


def test_no_row_for_a_bearer_nobody_called_on(run_doc):
    from d2c.metrics import Result

    assert run_doc["traffic"]["calls"]["d2c"]["attempts"] == 0, "no D2C in this scenario"
    result = Result(**{k: run_doc.get(k) for k in ("scenario", "timeline", "summary", "worst_areas", "assumptions",
                                                   "decisions", "traffic")})
    calls = traffic_tables(result)[0]
    bearers = list(calls.columns[0].cells)
    assert "d2c" not in bearers
    attempts = dict(zip(bearers, calls.columns[1].cells))
    assert all(n not in ("0", "") for n in attempts.values()) or bearers == ["no 112 call in the sample"]
    doc = copy.deepcopy(run_doc)
    doc["traffic"]["calls"]["terrestrial"]["attempts"] = doc["traffic"]["calls"]["all"]["attempts"] = 7
    result = Result(**{k: doc.get(k) for k in ("scenario", "timeline", "summary", "worst_areas", "assumptions",
                                               "decisions", "traffic")})
    bearers = list(traffic_tables(result)[0].columns[0].cells)
    assert bearers == ["all", "terrestrial"]


def test_a_measured_change_is_never_called_no_change(run_doc):
    doc = copy.deepcopy(run_doc)
    nothing = {"no_112_person_hours_delta": 0.0, "no_112_person_hours_without_d2c_delta": 0.0,
               "emergency_service_survival_delta": 0.0, "emergency_service_survival_without_d2c_delta": 0.0,
               "emergency_served_delta": 0.0, "person_hours_terrestrial_delta": 0.0, "person_hours_unserved_delta": 0.0}
    effect = {"measured": True, "method": "the same drill without this decision", **nothing,
              "emergency_service_survival_delta": 0.0366, "emergency_served_delta": 3.0}
    doc["drill"] = {"decisions": [{"taken_s": 0.0, "effective_s": 600.0, "decision": "priority", "action": "priority",
                                   "target": None, "args": {}, "cost_eur": 0.0, "modelled": True, "effect": effect}],
                    "effect_of_all_decisions": {**nothing, "emergency_service_survival_delta": 0.0366}}
    doc["counterfactual"] = {"summary": doc["summary"], "timeline": {k: doc["timeline"][k] for k in COUNTERFACTUAL_SERIES},
                             "sites_down_by_cause": doc["timeline"]["sites_down_by_cause"]}
    grid = aar_sections.effects(_with_blocks(doc)).blocks[1]
    row = dict(zip(grid.headers, grid.rows[0]))
    assert row["112 served"] == "+3.66 pp" and "no change" not in row["detail"]
    effect["emergency_service_survival_delta"] = 0.0
    effect["emergency_served_delta"] = 0.0
    grid = aar_sections.effects(_with_blocks(doc)).blocks[1]
    assert dict(zip(grid.headers, grid.rows[0]))["detail"] == "no change"


def test_no_zero_attempts_sentence(run_doc):
    doc = copy.deepcopy(run_doc)
    doc["summary"].update(d2c_population_peak=120, d2c_blocked=0.0)
    text = " ".join(aar_sections.d2c_contribution(Result.from_dict(doc)).blocks[0].items)
    assert "0.0 112 attempts" not in text and "every 112 attempt on D2C fitted the beams" in text


def test_hseep_form_and_the_italian_version(run_doc):
    from d2c.report.document import render

    doc = copy.deepcopy(run_doc)
    doc["drill"] = {"name": "prova", "objectives": [
        _objective(Objective("keep 112 up", "emergency_service_survival", at_least=0.97),
                   {"emergency_service_survival": 0.80}, None).to_dict()]}
    md = render(doc, "md")
    headings = [line[3:] for line in md.splitlines() if line.startswith("## ")]
    assert headings[:2] == ["Executive summary", "Headline: who had no 112 path"]
    for heading in ("Objectives and capability ratings", "Strengths", "Areas for improvement", "Improvement plan"):
        assert heading in headings
    assert "| keep 112 up | emergency_service_survival | >= 97.0% | 80.0% | NOT MET | U: unable to be performed |" in md
    plan = md.split("## Improvement plan")[1]
    assert "| issue | corrective action | capability | owner | due |" in plan
    assert "objective rated U: keep 112 up" in plan
    italian = render(doc, "md", "it")
    assert italian.startswith("# Rapporto post-esercitazione: prova")
    for heading in ("## Sintesi", "## Obiettivi e valutazione delle capacità", "## Piano di miglioramento"):
        assert heading in italian
    assert "| NON RAGGIUNTO | U: non svolto |" in italian
    assert '<html lang="it">' in render(doc, "html", "it")
