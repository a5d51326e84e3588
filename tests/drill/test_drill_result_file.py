"""A mangled result file is refused by the one loader, in one line naming the field; ``d2c report`` never guesses.

The file is a real drill's result JSON (a generator, roaming and a warning, so
every block is there: drill, decisions with their effects, counterfactual,
restoration off), with one field changed the way a careless edit or a broken
tool would change it.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from _drill_helpers import cli_app, drill_file
from d2c.drill import Drill, document, load_drill
from d2c.report.files import write_json


@pytest.fixture(scope="module")
def drill_doc(tmp_path_factory):
    from conftest import SMALL_TOPOLOGY, scenario_text, write

    folder = tmp_path_factory.mktemp("drill-doc")
    write(folder, "small.yaml", SMALL_TOPOLOGY)

    def small(incidents, duration, extra=""):
        return write(folder, "scenario.yaml", scenario_text(incidents, extra, duration))

    drill = Drill(load_drill(drill_file(folder, small, duration="4h")))
    drill.run_minutes(60)
    drill.take("generator", "S1")
    drill.take("roaming")
    drill.take_words(["warning", "Beta", "Boil", "water"])
    drill.run_to_end()
    return json.loads(json.dumps(document(drill)))


def _set(doc: dict, path: str, value) -> dict:
    """``doc`` with the field at ``path`` (dots and [k]) set to ``value``; ``...`` deletes it."""
    keys = [int(k) if k.isdigit() else k for k in path.replace("[", ".").replace("]", "").split(".")]
    node = doc
    for key in keys[:-1]:
        node = node[key]
    if value is ...:
        del node[keys[-1]]
    else:
        node[keys[-1]] = value
    return doc


@pytest.mark.parametrize("path, value, fragment", [
    # a drill's own blocks, which the report reads but no dataclass holds
    ("drill.decisions[0].effect.measured", "yes", "drill.decisions[0].effect.measured: expected true or false"),
    ("drill.decisions[0].effect.emergency_served_delta", ..., "drill.decisions[0].effect.emergency_served_delta: "
                                                               "expected a number, got nothing"),
    ("drill.decisions[2].effect.people_reached", ..., "drill.decisions[2].effect.people_reached"),
    ("drill.objectives[0].at_least", None, "drill.objectives[0]: expected a value and one target"),
    ("drill.injects", {"t_s": 0}, "drill.injects: expected a list"),
    ("drill.decisions", ..., "drill.decisions: expected a list, got nothing"),  # the effects are set against the
    ("drill.catalogue[0].cost_eur", ..., "drill.catalogue[0].cost_eur"),        # counterfactual: they must be there
    ("drill.decisions[0].args.fuel_hours", "six", "drill.decisions[0].args.fuel_hours: expected a number"),
    ("counterfactual.timeline.emergency_served", [1.0], "counterfactual.timeline.emergency_served: expected one "
                                                        "value per step"),
    ("counterfactual.summary.emergency_service_survival", "high", "counterfactual.summary.emergency_service_survival: "
                                                                  "expected a number"),
    # the run's blocks: types, cross-field sense and bounds that would overflow a date or a float
    ("summary.worst_no_112_at_s", (None, "summary.worst_no_112_people", 5), "summary.worst_no_112_at_s: expected "
                                                                               "a time, as people had no 112 path"),
    ("summary.peak_sites_down_at_s", 1e18, "summary.peak_sites_down_at_s: expected seconds within 100 years"),
    ("scenario.start", "9999-12-31T23:30:00Z", "scenario.start: expected a time between 1900-01-01 and 2199-12-31"),
    ("timeline.sites_down_by_cause.power", [10 ** 400], "timeline.sites_down_by_cause.power: expected a list of "
                                                        "integers"),
    ("timeline.t_s", [], "timeline.t_s: expected the step times, increasing, at least one"),
    ("decisions", [{"t_s": "T+1h", "action": "x"}], "decisions[0].t_s: expected a number"),
])
def test_a_mangled_result_is_refused_in_one_line(tmp_path, drill_doc, path, value, fragment):
    doc = json.loads(json.dumps(drill_doc))
    if isinstance(value, tuple):  # a second field changed with it: (value, other path, other value)
        value, other, other_value = value
        _set(doc, other, other_value)
    doc = _set(doc, path, value)
    result = write_json(tmp_path / "result.json", doc)
    run = CliRunner().invoke(cli_app(), ["report", str(result), "--format", "md", "--out", str(tmp_path / "r.md")])
    assert run.exit_code == 2, (run.exit_code, run.output[-500:], repr(run.exception))
    lines = [line for line in run.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in run.output, run.output
    assert lines[0].startswith(f"error: {result}: expected a d2c result JSON: "), lines[0]
    assert fragment in lines[0], lines[0]
    assert not (tmp_path / "r.md").exists()


def test_the_unmangled_drill_result_renders(tmp_path, drill_doc):
    result = write_json(tmp_path / "result.json", drill_doc)
    run = CliRunner().invoke(cli_app(), ["report", str(result), "--format", "md", "--out", str(tmp_path / "r.md")])
    assert run.exit_code == 0, run.output
    assert "## Effect of the decisions" in (tmp_path / "r.md").read_text(encoding="utf-8")


def test_a_drill_result_is_read_typed_and_written_back_byte_for_byte(tmp_path, drill_doc):
    from d2c.result import load_result

    first = write_json(tmp_path / "first.json", drill_doc)
    result = load_result(first)
    generator, roaming, warning = result.drill.decisions
    assert (generator.decision, generator.target, generator.effect.measured) == ("generator", "S1", True)
    assert generator.effect.target_hours_in_service.from_s == generator.effective_s
    assert roaming.effect.reach is None and warning.effect.deltas is None
    assert warning.effect.reach == result.drill.warnings[0].reach, "the decision's effect is its broadcast's reach"
    assert result.drill.totals.decisions == 3 and result.counterfactual.summary.sites_total == 3
    again = write_json(tmp_path / "again.json", result.to_dict())
    assert again.read_bytes() == first.read_bytes()


@pytest.mark.parametrize("path, value, fragment", [
    ("drill.warnings[0].people_reached", "many", "drill.warnings[0].people_reached: expected a number"),
    ("drill.totals.decisions", 2.5, "drill.totals.decisions: expected an integer"),
    ("drill.objectives[0].role", None, "drill.objectives[0].role: expected text, got None"),
    ("drill.decisions[0].effect.target_hours_down_by_cause", {"flood": 1.0},
     "drill.decisions[0].effect.target_hours_down_by_cause.flood: expected hours by cause"),
    ("drill.decisions[0].effect.target_hours_in_service.with", ..., "target_hours_in_service.with: expected a number"),
    ("drill.effect_of_all_decisions.person_hours_unserved_delta", "-", "person_hours_unserved_delta: expected a number"),
])
def test_a_bad_value_in_the_drill_block_is_refused_in_one_line(tmp_path, drill_doc, path, value, fragment):
    doc = _set(json.loads(json.dumps(drill_doc)), path, value)
    result = write_json(tmp_path / "result.json", doc)
    run = CliRunner().invoke(cli_app(), ["report", str(result), "--format", "md", "--out", str(tmp_path / "r.md")])
    assert run.exit_code == 2, (run.exit_code, run.output[-500:], repr(run.exception))
    lines = [line for line in run.output.splitlines() if line.strip()]
    assert len(lines) == 1 and fragment in lines[0], run.output
    assert not (tmp_path / "r.md").exists()
