"""Scripted drills on (a shortened copy of) the shipped Amatrice scenario, through the command."""

from __future__ import annotations

import json
import textwrap

import numpy as np
from typer.testing import CliRunner

from _drill_helpers import HOUR, amatrice_copy, cli_app

SITE = "TIM-3183121-1"  # 2.5 h battery in the blacked-out valley, back when the grid returns

DRILL = """
name: amatrice-test-drill
scenario: amatrice.yaml
{extra}
injects:
  - {{at: T+7m, text: Violent shaking, effect: main shock}}
decisions:
  generator: {{action: generator, delay: 1h, cost_eur: 1500, fuel_hours: 24}}
  d2c-on: {{action: d2c-on, delay: 30m}}
  priority: {{action: priority}}
"""


def _drill(tmp_path, hours=8, extra="", d2c=True):
    amatrice_copy(tmp_path, hours=hours, d2c=d2c)
    path = tmp_path / "drill.yaml"
    path.write_text(textwrap.dedent(DRILL.format(extra=extra)).lstrip("\n"), encoding="utf-8")
    return path


def _decisions(tmp_path, entries: str):
    path = tmp_path / "decisions.yaml"
    path.write_text("decisions:\n" + textwrap.indent(textwrap.dedent(entries).strip("\n"), "  ") + "\n",
                    encoding="utf-8")
    return path


def test_scripted_generator_keeps_a_site_up_past_its_battery(tmp_path):
    drill = _drill(tmp_path, d2c=False)
    decisions = _decisions(tmp_path, f"""
        - {{at: T+30m, decision: generator, target: {SITE}}}
        - {{at: T+1h, decision: priority}}
    """)
    out = tmp_path / "result.json"
    run = CliRunner().invoke(cli_app(), ["drill", str(drill), "--decisions", str(decisions), "--auto",
                                         "--json", str(out)])
    assert run.exit_code == 0, run.output
    doc = json.loads(out.read_text())
    generator, priority = doc["drill"]["decisions"]
    assert (generator["taken_s"], generator["effective_s"]) == (30 * 60, 90 * 60)  # the 1 h delay
    # without the generator the site runs dry just after its 2.5 h battery; with it, it stays up to T+8h
    hours = generator["effect"]["target_hours_in_service"]
    assert hours["with"] == 8 - 1.5
    assert 1.0 < hours["without"] < 1.2
    t = np.asarray(doc["timeline"]["t_s"])
    k = int(np.searchsorted(t, 3 * HOUR))
    power_with = doc["timeline"]["sites_down_by_cause"]["power"][k]
    power_without = doc["counterfactual"]["sites_down_by_cause"]["power"][k]
    assert power_with == power_without - 1
    assert doc["drill"]["totals"]["cost_eur"] == 1500
    assert priority["modelled"] is False and "recorded, no modelled effect yet" in priority["description"]
    assert "generator with 24 h of fuel to TIM-3183121-1" in [d["action"] for d in doc["decisions"]]
    assert "After-action report: amatrice-test-drill" in run.output


def test_replaying_the_recorded_log_gives_the_same_json_bytes(tmp_path):
    drill = _drill(tmp_path, hours=6)
    decisions = _decisions(tmp_path, f"""
        - {{at: T+20m, decision: d2c-on}}
        - {{at: T+45m, decision: generator, target: {SITE}, fuel_hours: 3}}
    """)
    first, log, second = tmp_path / "first.json", tmp_path / "log.yaml", tmp_path / "second.json"
    app = cli_app()
    run = CliRunner().invoke(app, ["drill", str(drill), "--decisions", str(decisions), "--auto", "--json", str(first),
                                   "--log", str(log)])
    assert run.exit_code == 0, run.output
    assert "fuel_hours: 3.0" in log.read_text()
    run = CliRunner().invoke(app, ["drill", str(drill), "--decisions", str(log), "--auto", "--json", str(second)])
    assert run.exit_code == 0, run.output
    assert first.read_bytes() == second.read_bytes()


def test_d2c_on_standby_serves_no_one_until_switched_on(tmp_path):
    drill = _drill(tmp_path, hours=3, extra="d2c_standby: true")
    decisions = _decisions(tmp_path, "- {at: T+70m, decision: d2c-on}")
    out = tmp_path / "result.json"
    run = CliRunner().invoke(cli_app(), ["drill", str(drill), "--decisions", str(decisions), "--auto",
                                         "--json", str(out)])
    assert run.exit_code == 0, run.output
    doc = json.loads(out.read_text())
    t = np.asarray(doc["timeline"]["t_s"])
    on_d2c = np.asarray(doc["timeline"]["population_d2c"])
    assert on_d2c[t < 100 * 60].max() == 0 and on_d2c[t >= 100 * 60].max() > 0  # acts at T+1h40m
    assert max(doc["counterfactual"]["timeline"]["population_d2c"]) == 0
    effect = doc["drill"]["decisions"][0]["effect"]
    assert effect["emergency_service_survival_delta"] > 0
    assert any("on standby in this drill, switched on at T+01:40" in a for a in doc["assumptions"])


def test_a_bad_decisions_file_stops_the_command_with_one_line(tmp_path):
    drill = _drill(tmp_path, hours=2, d2c=False)
    decisions = _decisions(tmp_path, "- {at: T+1h, decision: generator, target: TIM-NOWHERE}")
    run = CliRunner().invoke(cli_app(), ["drill", str(drill), "--decisions", str(decisions), "--auto"])
    assert run.exit_code == 2
    lines = [line for line in run.output.splitlines() if line.strip()]
    assert len(lines) == 1
    assert lines[0].startswith(f"error: {decisions}:2: decisions[0].target: expected the id of a site")
    assert "got 'TIM-NOWHERE'" in lines[0]
