"""The report's blocks render themselves in every output: what each one shows where."""

from __future__ import annotations

import io

from rich.console import Console

from d2c.report.blocks import Bullets, Chart, Document, Figure, Grid, Para, Section
from d2c.report.console import fitted_text


def test_a_figure_is_drawn_in_the_html_only_and_only_when_written():
    drawn = []

    def draw():
        drawn.append(1)
        return "<svg>map</svg>"

    section = Section("Map", [Para("Before."), Figure(draw, "The map.", "map")])
    md = "\n".join(section.markdown())
    text = fitted_text(section.terminal())
    assert "Before." in md and "Before." in text
    assert "map" not in md.replace("Map", "") and drawn == []  # no trace, nothing drawn
    assert '<figure class="map"><svg>map</svg><figcaption>The map.</figcaption></figure>' in section.html()
    assert drawn == [1]


def test_a_table_without_headers_is_labelled_rows():
    grid = Grid(["", ""], [["Exercise", "small-drill"], ["Clock", "8 h"]])
    html = grid.html()
    assert "<thead>" not in html and '<th scope="row">Exercise</th><td>small-drill</td>' in html
    assert grid.markdown()[:2] == ["|  |  |", "|---|---|"]
    text = fitted_text([grid.terminal()])
    assert "Exercise" in text and "small-drill" in text


def test_a_table_marks_results_and_right_aligned_columns():
    grid = Grid(["objective", "result", "EUR"], [["Keep 112 up", "NOT MET", "1,000"], ["Warn", "MET", "5"]],
                right=(2,), title="Objectives")
    html = grid.html()
    assert "<caption>Objectives</caption>" in html
    assert '<td class="notmet">NOT MET</td>' in html and '<td class="met">MET</td>' in html
    assert '<th scope="col" class="num">EUR</th>' in html and '<td class="num">1,000</td>' in html
    assert grid.markdown()[:4] == ["**Objectives**", "", "| objective | result | EUR |", "|---|---|---:|"]
    console = Console(file=io.StringIO(), force_terminal=True, color_system="truecolor", width=60)
    console.print(grid.terminal())
    assert "\x1b[1;31mNOT MET" in console.file.getvalue()  # bold red in the terminal


def test_a_pipe_in_a_cell_does_not_break_the_markdown_table():
    assert Grid(["a"], [["x | y"]]).markdown()[2] == "| x \\| y |"


def test_text_is_escaped_in_html():
    assert Para("<b> & co").html() == "<p>&lt;b&gt; &amp; co</p>"
    assert Bullets(["a < b"]).html() == "<ul><li>a &lt; b</li></ul>"


def test_a_section_translates_its_fixed_text_and_keeps_what_it_cannot():
    section = Section("Strengths", [Para("No site went down."), Grid(["cause"], [["power"]]),
                                    Bullets(["Amatrice"])]).translated("it")
    assert section.title == "Punti di forza"
    assert section.blocks[0].text == "Nessun sito è andato fuori servizio."
    assert section.blocks[1].headers == ["causa"] and section.blocks[1].rows == [["alimentazione"]]
    assert section.blocks[2].items == ["Amatrice"]  # a place's name stays as written


def test_a_chart_is_text_in_the_terminal_and_markdown_and_its_figure_in_html():
    chart = Chart([[("label ", "bold"), ("▁▄█", "green")]], lambda: "<svg>curve</svg>", "Survival.")
    assert chart.markdown() == ["```text", "label ▁▄█", "```"]
    assert chart.terminal().plain == "label ▁▄█"
    assert chart.html() == '<figure class="chart"><svg>curve</svg><figcaption>Survival.</figcaption></figure>'


def test_a_document_has_one_title_and_its_sections_in_order():
    doc = Document("Report", [Section("One", [Para("a")]), Section("Two", [Para("b")])], "it")
    md = doc.markdown()
    assert md.startswith("# Report\n\n## One\n\na\n\n## Two\n\nb\n")
    html = doc.html()
    assert html.startswith("<!DOCTYPE html>\n<html lang=\"it\">") and html.count("<h1>") == 1
    assert html.index('<h2 id="one">One</h2>') < html.index('<h2 id="two">Two</h2>')
    text = fitted_text(doc.terminal())
    assert text.index("Report") < text.index("One") < text.index("a") < text.index("Two")
