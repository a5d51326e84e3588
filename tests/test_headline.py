"""The headline: who has a 112 path, person-hours without one, the worst instant, the longest outage."""

from __future__ import annotations

import io

import numpy as np
import pytest
from rich.console import Console


from conftest import SMALL_TOPOLOGY, TWO_CORES_TOPOLOGY, WITH_GATEWAY, scenario_text, write
from d2c.config.scenario import load_scenario
from d2c.config.topology import load_topology
from d2c.demand import StepDemand
from d2c.engine import Simulation
from d2c.fallback import D2CCapacity, Fallback
from d2c.headline import headline_keys
from d2c.report import headline as report_headline
from d2c.report import sweep as report_sweep
from d2c.report import aar, terminal
from d2c.sweep import FIGURES, SweepResult, run_seed
from d2c.world import World

HOUR = 3600
OFF = "restoration: off"  # hand computations need repairs at the responses' own times, not a crew's
# and every handset outdoors: the hand computations count whole villages on D2C (the indoor
# radio path is tested in tests/test_d2c.py and tests/test_scenarios.py)
OFF += "\npopulation: {indoors: false}"


def _one_step_service(tmp_path, beam_calls: float, beam_sms: float, beam_mbps: float):
    """Both villages without terrestrial service; Alpha under one beam with the given capacity, Beta under none."""
    world = World(load_topology(write(tmp_path, "small.yaml", SMALL_TOPOLOGY)))
    fallback = Fallback(world)
    off = np.zeros(world.n_sites, bool)
    fallback.terrestrial(off, off, off)
    n = len(world.area_ids)
    one = np.ones(n)
    demand = StepDemand(calls=one, call_erlangs=one, sms=one, public_sms=one, responder_erlangs=one, data_mbps=one)
    d2c = D2CCapacity(np.array([0, -1]), np.array([beam_calls]), np.array([beam_sms]), np.array([beam_mbps]),
                      np.ones(n, int), np.ones(n), np.full(n, 60.0))
    return world, fallback.step(demand, d2c)


@pytest.mark.parametrize("calls, sms, mbps, alpha_d2c", [(1.0, 0.0, 0.0, 1.0), (0.0, 1.0, 0.0, 1.0),
                                                         (0.0, 0.0, 5.0, 0.0), (0.0, 0.0, 0.0, 0.0)])
def test_a_d2c_112_path_needs_voice_or_sms_on_the_beam(tmp_path, calls, sms, mbps, alpha_d2c):
    world, s = _one_step_service(tmp_path, calls, sms, mbps)
    alpha, beta = world.area_ids.index("Alpha"), world.area_ids.index("Beta")
    assert s.people_share_terrestrial.tolist() == [0.0, 0.0]
    assert s.people_share_d2c[alpha] == alpha_d2c  # data alone is no 112 path
    assert s.people_share_d2c[beta] == 0.0  # no beam over Beta
    assert s.people_share_no_path[alpha] == 1.0 - alpha_d2c and s.people_share_no_path[beta] == 1.0



@pytest.mark.parametrize("stuck", [1.0, 0.5, 0.0])
def test_handsets_stuck_on_a_dead_core_have_no_terrestrial_path(tmp_path, stuck):
    # TIM's core is down, its radio up. In Beta TIM's S2 (10 calls) and Vodafone's S3 (5 calls) cover:
    # TIM holds 10/15 of Beta's handsets, and the stuck share of those has no 112 path.
    write(tmp_path, "small.yaml", TWO_CORES_TOPOLOGY)
    outage = "[{kind: attack, actions: [{at: 0, cyber: {core: CORE, functions: [voice, sms]}}]}]"
    path = write(tmp_path, "s.yaml", scenario_text(outage, f"demand: {{stuck_on_failed_core: {stuck}}}", "10m"))
    sim = Simulation(load_scenario(path))
    s = sim.step().service
    beta = sim.world.area_ids.index("Beta")
    assert s.people_share_terrestrial[beta] == pytest.approx(1.0 - stuck * 10 / 15)
    assert s.people_share_d2c[beta] == 0.0
    assert s.people_share_no_path[beta] == pytest.approx(stuck * 10 / 15)


# ---------------------------------------------------------------- the headline of a run, by hand

# Beta (500 people) loses S2 at T+1h (S3 hangs off S2), Alpha (1000) loses S1 at T+2h;
# S1 is repaired at T+4h and S2 at T+7h.
ATTACK = "[{kind: attack, actions: [{at: T+1h, destroy: [S2]}, {at: T+2h, destroy: [S1]}%s]}]"
REPAIRS = "responses: [{at: T+4h, repair: S1}, {at: T+7h, repair: S2}]"


def _summary(tmp_path, incidents: str, extra: str = "", duration: str = "8h", topology: str = SMALL_TOPOLOGY):
    """A run on the small topology with restoration off: only the scenario's own responses repair."""
    write(tmp_path, "small.yaml", topology)
    path = write(tmp_path, "scenario.yaml", scenario_text(incidents, extra + "\n" + OFF, duration))
    return Simulation(load_scenario(path)).run()


def test_headline_of_an_attack_with_repairs_by_hand(tmp_path):
    result = _summary(tmp_path, ATTACK % "", REPAIRS)
    sm = result.summary
    # Beta 500 people x 6 h (T+1h..T+7h) + Alpha 1000 x 2 h (T+2h..T+4h)
    assert sm["no_112_person_hours"] == 500 * 6 + 1000 * 2
    # worst instant: from T+2h to T+4h nobody has a 112 path; the first such step is T+2h
    assert sm["worst_no_112_people"] == 1500 and sm["worst_no_112_share"] == 1.0
    assert sm["worst_no_112_at_s"] == 2 * HOUR and sm["worst_no_112_utc"] == "2024-01-01T02:00:00Z"
    # the longest outage: Beta, 6 h from T+1h, over before the end
    assert sm["longest_area_outage_name"] == "Beta" and sm["longest_area_outage_hours"] == 6.0
    assert sm["longest_area_outage_from_s"] == HOUR and not sm["longest_area_outage_ongoing"]
    # restore, from the incident start (T+1h): 1500 lost at worst; 500 still out from T+4h (2/3 back),
    # everyone from T+7h
    assert sm["incident_start_s"] == HOUR
    assert [sm[f"restore_people_{x}_hours"] for x in (50, 90, 95)] == [3.0, 6.0, 6.0]
    # sites: 3 down at worst (S2, S3 by backhaul, S1); 2 still down until T+7h
    assert [sm[f"restore_sites_{x}_hours"] for x in (50, 90, 95)] == [6.0, 6.0, 6.0]
    # no D2C in this scenario: both columns are the same
    for key in ("no_112_person_hours", "worst_no_112_share", "longest_area_outage_hours", "restore_people_95_hours"):
        assert sm[key] == sm[key + "_without_d2c"]
    # the headline comes first in the summary
    assert list(sm)[:2] == ["incident_start_s", "no_112_person_hours"]


def test_with_d2c_until_its_gateway_is_destroyed(tmp_path):
    # D2C carries both villages until its only gateway goes at T+3h.
    # (every handset compatible, so that D2C's share is everyone's: tests/test_offer.py tests the offer)
    d2c = "\nd2c: {provider: starlink-dtc, compatible_handsets: 1.0}"
    with_d2c = _summary(tmp_path, ATTACK % ", {at: T+3h, destroy: [GW]}", REPAIRS + d2c, topology=WITH_GATEWAY).summary
    assert with_d2c["no_112_person_hours"] == 1000 * 1 + 500 * 4  # Alpha T+3h..T+4h, Beta T+3h..T+7h
    assert with_d2c["worst_no_112_at_s"] == 3 * HOUR and with_d2c["worst_no_112_people"] == 1500
    assert with_d2c["longest_area_outage_name"] == "Beta" and with_d2c["longest_area_outage_hours"] == 4.0
    assert [with_d2c[f"restore_people_{x}_hours"] for x in (50, 90, 95)] == [3.0, 6.0, 6.0]
    # without D2C is the terrestrial share of the same run: what a run with no provider at all gives
    cells_only = _summary(tmp_path, ATTACK % ", {at: T+3h, destroy: [GW]}", REPAIRS, topology=WITH_GATEWAY).summary
    for key in headline_keys():
        if key.endswith("_without_d2c"):
            assert with_d2c[key] == cells_only[key.removesuffix("_without_d2c")], key
    # and D2C never makes a headline figure worse
    for key in ("no_112_person_hours", "worst_no_112_share", "longest_area_outage_hours",
                "restore_people_50_hours", "restore_people_95_hours"):
        assert with_d2c[key] <= with_d2c[key + "_without_d2c"], key
    assert with_d2c["no_112_person_hours_without_d2c"] == 500 * 6 + 1000 * 2


def test_an_outage_still_running_at_the_end_is_a_lower_bound(tmp_path):
    # Grid lost for a day, an 8 h run: S1 dies at T+4h (battery), S2 at T+6h (battery + generator).
    result = _summary(tmp_path, "[{kind: blackout, area: everywhere, at: 0, duration: 24h}]")
    sm = result.summary
    assert sm["no_112_person_hours"] == 1000 * 4 + 500 * 2
    assert sm["worst_no_112_at_s"] == 6 * HOUR and sm["worst_no_112_share"] == 1.0
    assert sm["longest_area_outage_name"] == "Alpha" and sm["longest_area_outage_hours"] == 4.0
    assert sm["longest_area_outage_ongoing"]
    assert sm["restore_people_50_hours"] is None and sm["restore_sites_95_hours"] is None
    rows = {row[0].strip(): row[1:] for row in report_headline.rows(sm, result.scenario)}
    assert rows["Longest outage, one area"] == [">=4.0 h", ">=4.0 h"]  # at least: still out at the end
    assert rows["Restore 50/90/95% of people"] == [">8.0 h", ">8.0 h"]  # not back within the 8 h after T+0


def test_nothing_lost_is_an_empty_headline(tmp_path):
    sm = _summary(tmp_path, "[]", duration="1h").summary
    assert sm["no_112_person_hours"] == 0.0 and sm["worst_no_112_people"] == 0
    assert sm["worst_no_112_at_s"] is None and sm["longest_area_outage_area"] is None
    assert sm["restore_people_95_hours"] == 0.0 and sm["restore_sites_95_hours"] == 0.0
    rows = {row[0].strip(): row[1:] for row in report_headline.rows(sm, {"start": "2024-01-01T00:00:00Z",
                                                                           "duration_s": 3600.0})}
    assert rows["No 112 path, worst instant"] == ["0", "0"]
    assert rows["Longest outage, one area"] == ["none", "none"]


def test_the_terminal_report_shows_the_headline_first(tmp_path):
    result = _summary(tmp_path, ATTACK % "", REPAIRS)
    console = Console(record=True, width=100, file=io.StringIO())
    terminal.render(result, console)
    text = console.export_text()
    first = text.split("╰")[0]  # the first panel
    assert "No 112 path, worst instant" in first and "1,500 (100.0%)" in first
    assert "T+02:00 (02:00 UTC)" in first and "5,000" in first and "Beta" in first
    assert "3.0/6.0/6.0 h" in first
    assert text.index("No 112 path") < text.index("Timeline")



def test_the_after_action_report_opens_with_the_headline(tmp_path):
    doc = _summary(tmp_path, ATTACK % "", REPAIRS).to_dict()
    md = aar.markdown(doc)
    summary, first = md.split("## ")[1:3]
    # the executive summary's first figure is the headline's; demand-weighted survival comes after it
    assert summary.index("at the worst instant 100.0% of people had no 112 path") < summary.index("112 demand served")
    assert "5,000 person-hours without one" in summary
    assert first.startswith("Headline: who had no 112 path")
    assert "| headline | with D2C | without D2C |" in first
    assert "| Person-hours, no 112 path | 5,000 | 5,000 |" in first
    assert "| Longest outage, one area | 6.0 h | 6.0 h |" in first

# ---------------------------------------------------------------- sweeps


def test_sweep_percentiles_by_hand():
    runs = [{"seed": s, **{k: v for k in FIGURES}} for s, v in ((1, 4.0), (2, 1.0), (3, 2.0), (4, 3.0), (5, 10.0))]
    runs[4]["restore_people_95_hours"] = None  # seed 5 never got back to 95% within its run
    pct = SweepResult("x", runs).percentiles()
    # sorted 1, 2, 3, 4, 10: rank q/100 x 4, linear between neighbours
    assert pct["no_112_person_hours"] == {"p5": 1.0 + 0.2 * 1.0, "p50": 3.0, "p95": 4.0 + 0.8 * 6.0}
    # with one run not restored: 1, 2, 3, 4, never: p95 leans on "never", the median does not
    assert pct["restore_people_95_hours"] == {"p5": 1.2, "p50": 3.0, "p95": None}
    assert [row["seed"] for row in runs] == [1, 2, 3, 4, 5]


def test_the_sweep_report_shows_the_headline_first():
    runs = [{"seed": s, **{k: 0.25 * s for k in FIGURES}, "hourly_survival": [1.0, 0.5]} for s in (1, 2, 3)]
    runs[2]["restore_sites_95_hours"] = None
    console = Console(record=True, width=100, file=io.StringIO())
    report_sweep.render(SweepResult("x", runs), console)
    text = console.export_text()
    assert text.index("person-hours, no 112 path") < text.index("112 demand served, whole run")
    sites_95 = next(line for line in text.splitlines() if "restore 95% of sites" in line)
    # 0.25, 0.5, never: p5 = 0.25 + 0.1 x 0.25 = 0.275
    assert [cell.strip() for cell in sites_95.split("│")[2:5]] == ["0.3 h", "0.5 h", "not in run"]


def test_run_seed_returns_every_headline_figure(small):
    run = run_seed(str(small("[{kind: blackout, area: everywhere, at: 0, duration: 24h}]", OFF, duration="5h")), 3)
    assert run.figures["no_112_person_hours"] == 1000 * 1  # Alpha from T+4h; Beta holds until T+6h
    assert run.figures["no_112_person_hours_without_d2c"] == 1000 * 1
    assert set(headline_keys()) <= set(run.figures)
