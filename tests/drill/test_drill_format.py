"""The drill file and the decisions file: what they accept, and one clear line for what they do not."""

from __future__ import annotations

import textwrap

import pytest

from _drill_helpers import drill_file
from d2c.base.errors import ConfigError
from d2c.drill import load_decisions, load_drill
from d2c.drill.kinds import KINDS


def test_a_drill_file_is_read_in_full(tmp_path, small):
    injects = "[{at: T+2h, text: Landslide, effect: fibre cut, cut: [L1]}, {at: 2024-01-01T00:30:00Z, text: First}]"
    spec = load_drill(drill_file(tmp_path, small, injects=injects, extra="d2c_standby: true"))
    assert spec.name == "small-drill" and spec.scenario.name == "test" and spec.d2c_standby
    assert [(i.at_s, i.text) for i in spec.injects] == [(1800.0, "First"), (7200.0, "Landslide")]  # in time order
    assert spec.injects[1].cut == ("L1",) and spec.injects[1].effect == "fibre cut"
    assert spec.objectives[0].measure == "emergency_service_survival" and spec.objectives[0].at_least == 0.99
    assert spec.objectives[1].text == "Talk to the operators early" and spec.objectives[1].measure is None
    gen = spec.catalogue["generator"]
    assert (gen.kind.name, gen.delay_s, gen.cost_eur, gen.available, gen.defaults) == \
        ("generator", 7200.0, 1500.0, 2, {"fuel_hours": 6.0})
    assert spec.catalogue["warning"].defaults == {"text": "Stay away from damaged buildings"}
    assert spec.catalogue["cow"].description == KINDS["cell-on-wheels"].summary  # the kind's own words by default


def test_a_scenario_file_drills_with_the_default_catalogue(tmp_path, small):
    spec = load_drill(small())
    assert spec.name == "test-drill" and spec.injects == ()
    assert {d.kind.name for d in spec.catalogue.values()} == set(KINDS)
    assert spec.catalogue["cow"].defaults["backhaul"] == "satellite-operator"  # the small topology has no gateway


def _drill_with(tmp_path, small, body: str):
    small()
    path = tmp_path / "drill.yaml"
    path.write_text("name: d\nscenario: scenario.yaml\n" + textwrap.dedent(body).lstrip("\n"), encoding="utf-8")
    return path


@pytest.mark.parametrize("body, message", [
    ("decisions:\n  gen: {action: generatr, delay: 1h}\n",
     "drill.yaml:4: decisions.gen.action: expected one of cell-on-wheels, generator, repair-link"),
    ("decisions:\n  gen: {action: generator, delay: soon}\n",
     "drill.yaml:4: decisions.gen.delay: expected a duration like 3600, 90s, 15m, 24h or 3d, got 'soon'"),
    ("decisions:\n  gen: {action: generator, fuel_hours: -1}\n",
     "drill.yaml:4: decisions.gen.fuel_hours: expected a number > 0, got -1.0"),
    ("decisions:\n  gen: {action: generator, colour: red}\n",
     "drill.yaml:4: decisions.gen.colour: expected a known field"),
    ("decisions:\n  two words: {action: generator}\n",
     "drill.yaml:4: decisions.two words: expected a decision name of letters, digits"),
    ("decisions:\n  cow: {action: cell-on-wheels, capacity_calls: 10, fuel_hours: 5}\n",
     "drill.yaml:4: decisions.cow.backhaul: expected satellite-operator: the topology has no gateway"),
    ("injects:\n  - {at: T+30h, text: late}\n",
     "drill.yaml:4: injects[0].at: expected a time within the scenario (T+0 to T+12:00), got 'T+30h'"),
    ("injects:\n  - {at: T+1h, text: boom, destroy: [S1, S7]}\n",
     "drill.yaml:4: injects[0].destroy[1]: expected the id of a site, node, core, PSAP, gateway or substation "
     "in the topology, got 'S7'"),
    ("injects:\n  - {at: T+1h}\n", "drill.yaml:4: injects[0].text: expected this required field"),
    ("objectives:\n  - {text: fast, measure: speed, at_least: 1}\n",
     "drill.yaml:4: objectives[0].measure: expected one of emergency_service_survival"),
    ("objectives:\n  - {text: both, measure: cost_eur, at_least: 1, at_most: 2}\n",
     "drill.yaml:4: objectives[0]: expected a measure with exactly one of at_least or at_most"),
    ("d2c_standby: maybe\n", "drill.yaml:3: d2c_standby: expected true or false, got 'maybe'"),
    ("colour: red\n", "drill.yaml:3: colour: expected a known field"),
])
def test_a_bad_drill_file_is_one_clear_line(tmp_path, small, body, message):
    with pytest.raises(ConfigError) as err:
        load_drill(_drill_with(tmp_path, small, body))
    text = str(err.value)
    assert text.startswith(str(tmp_path / "drill.yaml")) and message in text, text
    assert "\n" not in text


def test_a_missing_scenario_points_at_the_drill_file(tmp_path):
    path = tmp_path / "drill.yaml"
    path.write_text("name: d\nscenario: nowhere.yaml\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"drill.yaml:2: scenario: expected the path of a scenario file, relative "
                                          r"to this file, got 'nowhere.yaml'"):
        load_drill(path)


def _decisions(tmp_path, text: str):
    path = tmp_path / "decisions.yaml"
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


@pytest.mark.parametrize("entries, message", [
    ("- {at: T+1h, decision: genrator, target: S1}",
     "decisions.yaml:2: decisions[0].decision: expected one of generator, late-generator, cow"),
    ("- {at: T+1h, decision: cow, target: Gamma}",
     "decisions.yaml:2: decisions[0].target: expected the id of an area in the topology, got 'Gamma'"),
    ("- {at: T+1h, decision: cow, target: Alpah}",
     "decisions.yaml:2: decisions[0].target: expected the id of an area in the topology (did you mean Alpha?), "
     "got 'Alpah'"),
    ("- {at: T+1h, decision: generator, target: S7}",
     "decisions.yaml:2: decisions[0].target: expected the id of a site, node, core, PSAP or gateway in the topology, "
     "got 'S7'"),
    ("- {at: T+1h, decision: generator}",
     "decisions.yaml:2: decisions[0].target: expected a target: site, node, core, PSAP or gateway"),
    ("- {at: T+1h, decision: roaming, target: Alpha}",
     "decisions.yaml:2: decisions[0].target: expected no target for this decision, got 'Alpha'"),
    ("- {at: T+1h, decision: generator, target: S1, fuel_hours: 0}",
     "decisions.yaml:2: decisions[0].fuel_hours: expected a number > 0, got 0.0"),
    ("- {at: T+1h, decision: generator, target: S1, hours: 3}",
     "decisions.yaml:2: decisions[0].hours: expected a known field"),
    ("- {at: T+9h, decision: priority}",
     "decisions.yaml:2: decisions[0].at: expected a time within the scenario (one step before its end, T+0 to T+07:59), got 'T+9h'"),
    ("- {at: T+1h, decision: generator, target: S1}\n- {at: T+2h, decision: generator, target: S2}\n"
     "- {at: T+3h, decision: generator, target: S3}",
     "decisions.yaml:4: decisions[2].decision: expected at most 2 'generator' decision(s), the number available"),
])
def test_a_bad_decisions_file_is_one_clear_line(tmp_path, small, entries, message):
    spec = load_drill(drill_file(tmp_path, small))
    path = _decisions(tmp_path, "decisions:\n" + textwrap.indent(entries, "  "))
    with pytest.raises(ConfigError) as err:
        load_decisions(path, spec)
    assert message in str(err.value), str(err.value)


def test_an_argument_without_a_default_must_be_given(tmp_path, small):
    catalogue = "decisions:\n  gen: {action: generator, delay: 1h}\n"
    spec = load_drill(drill_file(tmp_path, small, catalogue=catalogue))
    path = _decisions(tmp_path, "decisions:\n  - {at: T+1h, decision: gen, target: S1, fuel_hours: 2}\n"
                                "  - {at: T+2h, decision: gen, target: S2}\n")
    with pytest.raises(ConfigError, match=r"decisions.yaml:3: decisions\[1\].fuel_hours: expected this field "
                                          r"\(hours of fuel it brings\): the catalogue gives no default"):
        load_decisions(path, spec)
