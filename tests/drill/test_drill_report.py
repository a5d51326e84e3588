"""The after-action report: every format written, with every section, from a drill's result JSON."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from _drill_helpers import cli_app, drill_file
from d2c.config.scenario import load_scenario
from d2c.drill import Drill, document, load_drill
from d2c.engine import Simulation
from d2c.report import aar
from d2c.report.blocks import Bullets, Grid, Para
from d2c.report.files import write_json

SECTIONS = ("Headline: who had no 112 path", "Exercise overview", "Objectives", "Incident timeline", "Decision timeline", "What failed and why",
            "Effect of the decisions", "D2C's contribution", "Survival over time", "Strengths",
            "Areas for improvement", "Assumptions")


@pytest.fixture
def result_json(tmp_path, small):
    injects = "[{at: T+30m, text: The batteries are draining, effect: grid lost everywhere}]"
    spec = load_drill(drill_file(tmp_path, small, injects=injects, duration="8h"))
    drill = Drill(spec)
    drill.run_minutes(60)
    drill.take("generator", "S1")
    drill.take("roaming")
    drill.take_words(["warning", "Beta", "Boil", "water"])
    drill.run_to_end()
    return write_json(tmp_path / "result.json", document(drill))


def _text(path, fmt):
    text = path.read_text(encoding="utf-8")
    if fmt in ("svg", "html"):  # rich exports text in spans, with entities and no-break spaces
        text = re.sub(r"<[^>]+>", "", text).replace("&#x27;", "'").replace("&#39;", "'").replace("\xa0", " ")
        text = text.replace("&amp;", "&").replace("&#160;", " ").replace("&nbsp;", " ")
    return text


@pytest.mark.parametrize("fmt", ("md", "html", "txt"))
def test_every_format_is_written_with_every_section(tmp_path, result_json, fmt):
    out = tmp_path / "reports" / f"aar.{fmt}"
    out.parent.mkdir()  # d2c creates no folders
    run = CliRunner().invoke(cli_app(), ["report", str(result_json), "--format", fmt, "--out", str(out)])
    assert run.exit_code == 0, run.output
    assert [p.name for p in out.parent.iterdir()] == [out.name]  # written atomically: no temp file left behind
    raw = out.read_text(encoding="utf-8")
    text = _text(out, fmt)
    for section in SECTIONS:
        assert section in text, (fmt, section)
    assert "After-action report: small-drill" in text
    assert "The batteries are draining" in text  # the inject in the incident timeline
    assert "generator" in text and "recorded only" in text  # the decision timeline, honest about roaming
    assert "power" in text  # what failed and why
    if fmt == "html":  # the survival chart as inline SVG
        assert "<html" in raw.lower() and "</html>" in raw.lower() and "<svg" in raw
    else:  # the survival chart in block characters
        assert "█" in text
    if fmt == "md":
        assert "## Exercise overview" in raw and "| decision |" in raw and "```text" in raw
    if fmt in ("md", "txt"):
        assert "\x1b[" not in raw  # plain text, no terminal colour codes


def test_the_svg_is_the_map_and_the_charts(tmp_path, result_json):
    out = tmp_path / "aar.svg"
    run = CliRunner().invoke(cli_app(), ["report", str(result_json), "--out", str(out)])
    assert run.exit_code == 0, run.output
    raw = out.read_text(encoding="utf-8")
    assert raw.lstrip().startswith("<svg") and raw.rstrip().endswith("</svg>")
    for text in ("After-action report: small-drill", "Service at the worst instant", "112 demand served (%)",
                 "sites down (sites)", "time from the start, hours"):
        assert text in raw, text
    assert "Exercise overview" not in raw, "not a capture of the terminal"


def test_report_content_measures_each_decision(result_json):
    doc = aar.load_result(result_json)
    md = aar.markdown(doc)
    effect = next(line for line in md.splitlines() if line.startswith("| generator | S1 |"))
    # S1 has a 4 h battery; the generator arrives at T+3h and keeps it up to T+8h
    assert "| T+03:00 |" in effect and "target up 5.0 h (without: 1.0 h)" in effect
    assert "reached 500 of 500 people" in md
    assert "national roaming" not in md.split("## Strengths")[1].split("## Areas for improvement")[0]
    improvements = md.split("## Areas for improvement")[1].split("## Assumptions")[0]
    assert "roaming (everywhere): recorded, no modelled effect yet" in improvements
    assert "Most site-hours were lost to power" in improvements
    objectives = md.split("## Objectives")[1].split("## Incident timeline")[0]
    assert "| Keep 112 up | emergency_service_survival | >= 99.0% |" in objectives
    assert "| Talk to the operators early | assessed by the players |" in objectives


def test_the_terminal_report_and_a_plain_run_result(tmp_path, small):
    sim = Simulation(load_scenario(small("[{kind: attack, actions: [{at: T+1h, destroy: [S1]}]}]", duration="3h")))
    path = write_json(tmp_path / "run.json", sim.run().to_dict())
    run = CliRunner().invoke(cli_app(), ["report", str(path)])
    assert run.exit_code == 0, run.output
    assert "test (a run, not a drill)" in run.output
    assert "No decisions: this result is not from a drill." in run.output
    assert "first site down by damage: 1" in run.output
    assert "Sites down by cause" in run.output  # the run's own terminal report follows


@pytest.mark.parametrize("args, message", [
    (["missing.json"], "missing.json: expected an existing result JSON file"),
    (["bad.json"], "bad.json:1: expected valid JSON"),
    (["other.json"], "other.json: expected a d2c result (with scenario, summary, timeline), missing scenario"),
    (["result.json", "--format", "pdf", "--out", "x.pdf"], "--format: expected one of md, html, svg, txt, got 'pdf'"),
    (["result.json", "--out", "x.docx"], "--format: expected one of md, html, svg, txt, got 'docx'"),
])
def test_report_errors_are_one_line_and_exit_2(tmp_path, result_json, monkeypatch, args, message):
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "other.json").write_text(json.dumps({"hello": 1}), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    run = CliRunner().invoke(cli_app(), ["report", *args])
    assert run.exit_code == 2
    lines = [line for line in run.output.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0], run.output


def test_the_format_follows_the_file_suffix(tmp_path, result_json):
    out = tmp_path / "aar.md"
    run = CliRunner().invoke(cli_app(), ["report", str(result_json), "--out", str(out)])
    assert run.exit_code == 0, run.output
    assert out.read_text(encoding="utf-8").startswith("# After-action report: small-drill")


def test_survival_chart_bands_follow_the_series(result_json):
    from d2c.report.chart import band, chart_lines, plain, survival_series

    assert band([0.0, 0.5, 1.0], 3, 2, 0.0, 1.0) == ["  █", " ██"]
    assert band([0.25], 2, 1, 0.0, 1.0) == ["▂▂"]  # one step stretched over the width
    doc = aar.load_result(result_json)
    series = survival_series(doc)
    assert [s.label for s in series] == ["decisions, D2C", "decisions, no D2C", "no decisions, D2C",
                                         "no decisions, no D2C"]
    lines = plain(chart_lines(series, doc["timeline"]["t_s"], width=40, height=2)).splitlines()
    assert len(lines) == 4 * 2 + 1 and lines[-1].strip() == "T+00:00" + " " * 26 + "T+07:59"


def _strings(value):
    """Every string inside a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _texts(section):
    """(row label, text) of every paragraph, bullet, header and cell of a section."""
    for block in section.blocks:
        if isinstance(block, Para):
            yield "", block.text
        elif isinstance(block, Bullets):
            yield from (("", item) for item in block.items)
        elif isinstance(block, Grid):
            yield from (("", h) for h in (block.title, *block.headers))
            for row in block.rows:
                yield from ((str(row[0]), str(cell)) for cell in row)


def test_the_italian_report_leaves_no_sentence_of_its_own_in_english(result_json):
    # --lang it: every sentence the report builds is Italian, with Italian figures
    # (129.291,5); only what the drill and scenario files say, and the model's own
    # descriptions (assumptions, hazard, satellite service), stay as written.
    doc = aar.load_result(result_json)
    written = list(_strings({"drill": doc.get("drill"), "scenario": doc["scenario"]}))
    model_rows = {"Scenario", "Threat or hazard", "Satellite fallback"}
    english, italian = aar.sections(doc), aar.sections(doc, lang="it")
    left = []
    for en_sec, it_sec in zip(english, italian):
        if en_sec.title == "Assumptions":
            continue
        for (label, en), (_, it) in zip(_texts(en_sec), _texts(it_sec)):
            if label in model_rows or en != it or not re.search(r"[A-Za-z]{3,} [A-Za-z]{3,}", en):
                continue
            if not any(en.strip('"').rstrip(".") in w for w in written):  # decision text is quoted, cut at ...
                left.append(en)
    assert left == []
    text = "\n".join(it for sec in italian for _, it in _texts(sec))
    assert "ore-persona" in text and "Punti di forza" in [s.title for s in italian]
    percentages = re.findall(r"\d+[.,]\d%", text)
    assert percentages and all("," in p for p in percentages)


def test_italian_sentences_translate_their_parts_and_figures():
    from d2c.report.lang import word

    assert (word("objectives rated: 2 P (performed without challenges), 1 U (unable to be performed)", "it")
            == "valutazione degli obiettivi: 2 P (svolto senza criticità), 1 U (non svolto)")
    assert (word("target up 12.2 h (without: 2.5 h); still down 8.0 h by power, 1.5 h by backhaul", "it")
            == "bersaglio in servizio 12,2 h (senza: 2,5 h); ancora fuori servizio 8,0 h per alimentazione, "
               "1,5 h per trasporto")
    assert word("4.0/12.2/>23.9 h", "it") == "4,0/12,2/>23,9 h"
    assert word("an English sentence nobody wrote a translation for", "it") == (
        "an English sentence nobody wrote a translation for")
