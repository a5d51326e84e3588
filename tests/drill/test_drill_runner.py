"""The drill on the small topology: decisions, delays, errors that leave the drill going, replay."""

from __future__ import annotations

import json

import pytest

from _drill_helpers import HOUR, drill_file, states_to_end
from d2c.drill import DecisionError, Drill, decisions_yaml, document, load_decisions, load_drill
from d2c.network import CAUSE_CODE, IN_SERVICE


def site(drill, state, ident):
    return int(state.network.cause[drill.world.site_ids.index(ident)])


def at(states, t_s):
    return next(s for s in states if s.t_s == t_s)


def test_generator_keeps_a_site_up_past_its_battery(tmp_path, small):
    # Grid lost at T+0; S1 has a 4 h battery. A generator taken at T+1h arrives at T+3h (2 h delay).
    spec = load_drill(drill_file(tmp_path, small))
    without = Drill(spec)
    base = states_to_end(without)
    assert site(without, at(base, 4 * HOUR), "S1") == CAUSE_CODE["power"]

    drill = Drill(spec)
    drill.run_minutes(60)
    taken = drill.take("generator", "S1")
    assert taken.effective_s == 3 * HOUR and taken.decision.args == {"fuel_hours": 6.0}
    states = states_to_end(drill)
    assert all(site(drill, s, "S1") == IN_SERVICE for s in states)  # up to the end at T+8h
    doc = document(drill)
    effect = doc["drill"]["decisions"][0]["effect"]
    assert effect["target_hours_in_service"] == {"with": 5.0, "without": 1.0, "from_s": 3 * HOUR}
    assert "target_hours_down_by_cause" not in effect  # never down with the generator
    assert effect["person_hours_terrestrial_delta"] == pytest.approx(1000 * 4.0)  # Alpha kept 4 more hours


def test_a_decision_acts_only_after_its_delay(tmp_path, small):
    # 5 h delay: taken at T+1h, acts at T+6h. S1 runs dry at T+4h, is dark for two hours, then back.
    drill = Drill(load_drill(drill_file(tmp_path, small)))
    drill.run_minutes(60)
    drill.take("late-generator", "S1")
    states = states_to_end(drill)
    assert site(drill, at(states, 4 * HOUR - 60), "S1") == IN_SERVICE
    assert site(drill, at(states, 4 * HOUR), "S1") == CAUSE_CODE["power"]
    assert site(drill, at(states, 6 * HOUR - 60), "S1") == CAUSE_CODE["power"]
    assert site(drill, at(states, 6 * HOUR), "S1") == IN_SERVICE
    applied = drill.sim.result().decisions
    assert [d.to_dict() for d in applied] == [{"t_s": 6 * HOUR, "action": "generator with 6 h of fuel to S1"}]


@pytest.mark.parametrize("words, message", [
    (["genrator", "S1"], "no decision 'genrator' in the catalogue (one of: generator, late-generator, cow, warning, "
                         "roaming, priority, d2c-on, fibre, fix); did you mean generator?"),
    (["generator", "S9"], "generator: no site, node, core, PSAP or gateway 'S9' in the topology"),
    (["cow", "Alpah"], "cow: no area 'Alpah' in the topology (did you mean Alpha?)"),
    (["fibre", "L9"], "fibre: no link 'L9' in the topology"),
    (["generator"], "generator: needs a target: site, node, core, PSAP or gateway"),
    (["generator", "S1", "lots"], "generator: fuel_hours: expected a number (hours of fuel it brings), got 'lots'"),
    (["generator", "S1", "-2"], "generator: fuel_hours: expected a number > 0 (hours of fuel it brings), got '-2'"),
    (["generator", "S1", "6", "7"], "generator: too many arguments from '7'"),
    (["roaming", "Alpha"], "roaming: takes no target, got 'Alpha'"),
    (["generator", "S1", "colour=red"], "generator: unknown argument 'colour' (known: fuel_hours)"),
    (["cow", "Beta", "backhaul=wifi"], "cow: backhaul: expected one of gateway, satellite-operator, got 'wifi'"),
])
def test_bad_decisions_get_a_clear_error_and_the_drill_goes_on(tmp_path, small, words, message):
    drill = Drill(load_drill(drill_file(tmp_path, small)))
    drill.run_minutes(30)
    with pytest.raises(DecisionError) as err:
        drill.take_words(words)
    assert message in str(err.value)
    assert "\n" not in str(err.value)
    assert drill.taken == [] and drill.sim._scheduled == []
    drill.take_words(["generator", "S1", "3"])  # and the drill goes on
    drill.run_minutes(30)
    assert drill.t_s == HOUR and len(drill.taken) == 1


def test_no_more_of_a_decision_than_available(tmp_path, small):
    drill = Drill(load_drill(drill_file(tmp_path, small)))
    drill.take("generator", "S1")
    drill.take("generator", "S2")
    with pytest.raises(DecisionError, match="no generator left: 2 available, all taken"):
        drill.take("generator", "S3")


def test_decisions_the_engine_cannot_express_are_recorded_and_marked(tmp_path, small):
    drill = Drill(load_drill(drill_file(tmp_path, small)))
    roaming = drill.take("roaming")
    priority = drill.take_words(["priority", "everywhere"])
    d2c = drill.take("d2c-on")
    assert not roaming.modelled and not priority.modelled and not d2c.modelled
    doc = document(drill)
    log = [d["action"] for d in doc["decisions"]]
    assert "national roaming opened (recorded, no modelled effect yet: 112 already uses any operator's site in the " \
           "model and ordinary traffic is not modelled)" in log
    assert any(a.startswith("emergency traffic given absolute priority (recorded, no modelled effect yet") for a in log)
    assert "D2C switched on (recorded, no modelled effect: the scenario has no D2C provider)" in log
    for entry in doc["drill"]["decisions"]:
        assert entry["modelled"] is False and entry["effect"]["measured"] is False
        assert entry["note"].startswith("recorded, no modelled effect")


def test_cell_on_wheels_serves_an_area_whose_sites_are_gone(tmp_path, small):
    path = drill_file(tmp_path, small, incidents="[{kind: attack, actions: [{at: 0, destroy: [S1]}]}]", duration="4h")
    drill = Drill(load_drill(path))
    drill.run_minutes(30)
    drill.take("cow", "Alpha")  # 1 h delay: acts at T+1h30m
    states = states_to_end(drill)
    alpha = drill.world.area_ids.index("Alpha")
    assert not at(states, 90 * 60 - 60).service.terrestrial[alpha]
    later = at(states, 90 * 60).service
    assert later.terrestrial[alpha] and later.warning_reach[alpha]
    assert later.capacity_calls[alpha] == 20  # the COW's capacity, S1 being gone
    assert later.calls_served_terrestrial[alpha] == pytest.approx(later.calls_offered[alpha])
    doc = document(drill)
    assert doc["timeline"]["population_unserved"][89] == 1000 and doc["timeline"]["population_unserved"][90] == 0
    effect = doc["drill"]["decisions"][0]["effect"]
    assert effect["target_hours_in_service"]["with"] == 2.5 and effect["target_hours_in_service"]["without"] == 0.0
    assert effect["emergency_service_survival_delta"] > 0


def test_cell_on_wheels_needs_its_satellite_backhaul(tmp_path, small):
    # A gateway backhaul lands at GW; when an inject destroys GW, the COW stops serving.
    from conftest import SMALL_TOPOLOGY

    catalogue = """
    decisions:
      cow: {action: cell-on-wheels, delay: 0, capacity_calls: 20, fuel_hours: 12, backhaul: gateway}
    """
    path = drill_file(tmp_path, small, incidents="[{kind: attack, actions: [{at: 0, destroy: [S1]}]}]", duration="3h",
                      injects="[{at: T+2h, text: The teleport floods, destroy: [GW]}]", catalogue=catalogue)
    (tmp_path / "small.yaml").write_text(SMALL_TOPOLOGY + "gateways:\n  - {id: GW, lat: 42.3, lon: 13.3, core: CORE}\n", encoding="utf-8")
    drill = Drill(load_drill(path))
    drill.take("cow", "Alpha")
    states = states_to_end(drill)
    alpha = drill.world.area_ids.index("Alpha")
    assert at(states, HOUR).service.terrestrial[alpha]
    assert not at(states, 2 * HOUR).service.terrestrial[alpha]


def test_warnings_reach_only_areas_with_a_broadcast_path(tmp_path, small):
    path = drill_file(tmp_path, small, incidents="[{kind: attack, actions: [{at: 0, destroy: [S1]}]}]", duration="2h")
    drill = Drill(load_drill(path))
    drill.take_words(["warning", "everywhere", "Evacuate", "the", "old", "town"])
    drill.run_to_end()
    doc = document(drill)
    warning = doc["drill"]["warnings"][0]
    assert warning["text"] == "Evacuate the old town"
    assert warning["people_targeted"] == 1500 and warning["people_reached"] == 500  # Beta only: Alpha has no site
    assert warning["first_reached_s"] == 600.0  # the 10 min delay
    assert doc["drill"]["totals"]["warning_reach_fraction"] == pytest.approx(1 / 3, abs=1e-6)


def test_injects_come_due_in_order_and_can_break_things(tmp_path, small):
    injects = ("[{at: T+30m, text: Batteries are draining}, "
               "{at: T+2h, text: A landslide cuts both fibres, cut: [L1, L2], effect: backhaul lost}]")
    drill = Drill(load_drill(drill_file(tmp_path, small, injects=injects, duration="4h")))
    assert [i.text for i in drill.to_next_inject()] == ["Batteries are draining"]
    assert drill.t_s == 30 * 60
    due = drill.to_next_inject()
    assert drill.t_s == 2 * HOUR and due[0].effect == "backhaul lost"
    drill.next_step()
    assert site(drill, drill.last, "S1") == CAUSE_CODE["backhaul"]
    assert drill.to_next_inject() == [] and drill.t_s == 2 * HOUR + 60  # none left: nothing happens
    drill.take("fibre", "L1")  # acts at T+3h01m
    states = states_to_end(drill)
    assert site(drill, at(states, 3 * HOUR + 60), "S1") == IN_SERVICE
    # the injects break things in the run without the players' decisions too
    doc = document(drill)
    assert max(doc["counterfactual"]["sites_down_by_cause"]["backhaul"]) == 3


def test_a_recorded_log_replays_to_the_same_bytes(tmp_path, small):
    spec = load_drill(drill_file(tmp_path, small, duration="6h"))
    drill = Drill(spec)
    drill.run_minutes(37)
    drill.take("generator", "S1", {"fuel_hours": 2.5})
    drill.take_words(["warning", "Beta", "Boil water"])
    drill.run_minutes(61)
    drill.take("cow", "Alpha")
    drill.take("roaming")
    drill.run_to_end()
    first = json.dumps(document(drill), indent=1)
    log = tmp_path / "log.yaml"
    log.write_text(drill.log_yaml(), encoding="utf-8")
    replayed = Drill.play(spec, load_decisions(log, spec))
    assert [t.decision for t in replayed.taken] == drill.decisions
    assert json.dumps(document(replayed), indent=1) == first


def test_the_log_reads_back_as_the_same_decisions(tmp_path, small):
    spec = load_drill(drill_file(tmp_path, small))
    from d2c.drill import Decision

    decisions = [Decision(90.0, "generator", "S2", {"fuel_hours": 1.25}),
                 Decision(3600.0, "warning", "everywhere", {"text": "Line: with 'quotes' and # signs"}),
                 Decision(7200.0, "priority", None, {})]
    path = tmp_path / "log.yaml"
    path.write_text(decisions_yaml(decisions, spec.name), encoding="utf-8")
    assert load_decisions(path, spec) == decisions


def test_a_warning_is_handed_to_the_traffic_stage_as_a_broadcast(tmp_path, small):
    drill = Drill(load_drill(drill_file(tmp_path, small, duration="1h")))
    drill.take_words(["warning", "Beta", "Boil water"])  # acts at T+10m
    drill.run_minutes(30)
    assert drill.sim.warnings_between(0, 600) == ()
    (due,) = drill.sim.warnings_between(600, 660)
    message_id, text, mask = due
    assert text == "Boil water" and mask.tolist() == [False, True] and 4370 <= message_id <= 4383
