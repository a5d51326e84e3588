"""User text in errors and reports prints as written: no rich markup, no emoji codes, no crash."""

from __future__ import annotations

from rich.console import Console

from d2c.report import terminal
from d2c.engine import Simulation
from d2c.config.scenario import load_scenario

from .conftest import SMALL_TOPOLOGY, d2c, refused, scenario_text, write


def test_markup_and_emoji_codes_in_a_value_are_printed_as_written(tmp_path):
    write(tmp_path, "small.yaml", SMALL_TOPOLOGY)
    bad = scenario_text().replace("seed: 7", "seed: '[/bold] [red]secret root:x:0'")
    line = refused(d2c("validate", write(tmp_path, "s.yaml", bad)), "[/bold] [red]secret root:x:0")
    assert ":6: seed:" in line


def test_line_number_100_stays_a_number(tmp_path):
    write(tmp_path, "small.yaml", SMALL_TOPOLOGY)
    padding = "#\n" * 94  # the scenario's seed line moves to line 100
    bad = padding + scenario_text().lstrip("\n").replace("seed: 7", "seed: many")
    line = refused(d2c("run", write(tmp_path, "s.yaml", bad)), "s.yaml:100: seed:")
    assert "💯" not in line


def test_a_file_name_with_brackets_in_an_error_of_report(tmp_path):
    refused(d2c("report", tmp_path / "[red]result:x:.json"), "[red]result:x:.json")


def test_names_in_the_terminal_report_are_not_markup(tmp_path):
    topo = SMALL_TOPOLOGY.replace("name: Alpha", "name: '[/bold]Alpha :x:'")
    write(tmp_path, "small.yaml", topo)
    blackout = "[{kind: blackout, at: T+0, area: everywhere, duration: 6h}]"
    sc = load_scenario(write(tmp_path, "s.yaml", scenario_text(blackout, duration="10h").replace(
        "name: test", "name: '[red]drill:fire:'")))
    console = Console(record=True, width=200, file=open("/dev/null", "w"))
    terminal.render(Simulation(sc).run(), console)
    text = console.export_text()
    assert "[/bold]Alpha :x:" in text    # the worst-hit area, as named
    assert "[red]drill:fire:" in text    # the scenario name in the headline


def test_dollar_signs_in_names_do_not_break_the_html_report(tmp_path):
    # matplotlib would read "$" in a place name as mathtext: unbalanced, the figure fails to draw
    import json

    from d2c.report.document import render

    topo = SMALL_TOPOLOGY.replace("name: Alpha", "name: 'Costa $ud {$ <b>'")
    write(tmp_path, "small.yaml", topo)
    blackout = "[{kind: blackout, at: T+0, area: everywhere, duration: 6h}]"
    sc = load_scenario(write(tmp_path, "s.yaml", scenario_text(blackout, duration="6h").replace(
        "name: test", "name: 'fuel $5 [red]'")))
    doc = json.loads(json.dumps(Simulation(sc).run().to_dict()))
    html = render(doc, "html")
    assert "Costa $ud {$" in html              # in the map's labels, as written
    assert "<b>" not in html.split("<body>")[1]  # and never as HTML
