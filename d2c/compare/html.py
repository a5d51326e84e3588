"""The comparison as a printable HTML document: A4 pages, tables, inline SVG charts, nothing fetched."""

from __future__ import annotations

import math
from html import escape

from d2c.compare import svg
from d2c.compare.result import CompareResult
from d2c.compare.spec import NONE
from d2c.compare.tables import tables, worst_scenario_series
from d2c.compare.words import answer, assumptions

__all__ = ["html"]

STYLE = """
@page { size: A4; margin: 16mm 14mm; }
body { font-family: sans-serif; font-size: 10.5pt; line-height: 1.35; color: #111; max-width: 182mm; margin: auto; }
h1 { font-size: 18pt; margin-bottom: 2mm; } h2 { font-size: 13pt; margin-top: 7mm; border-bottom: 1px solid #999; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0; font-size: 9pt; page-break-inside: auto; }
th, td { border: 1px solid #bbb; padding: 1mm 1.5mm; text-align: right; vertical-align: top; }
th:first-child, td:first-child { text-align: left; } th { background: #eee; }
tr { page-break-inside: avoid; } figure { margin: 3mm 0; page-break-inside: avoid; }
figcaption, .note { font-size: 8.5pt; color: #444; } .answer { font-size: 11.5pt; background: #f4f4f4; padding: 3mm; }
"""


def _table(table) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in table.header)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>" for row in table.rows)
    note = f'<p class="note">{escape(table.note)}</p>' if table.note else ""
    return f"<h2>{escape(table.title)}</h2><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{note}"


def _figure(chart: str, caption: str) -> str:
    return f"<figure>{chart}<figcaption>{escape(caption)}</figcaption></figure>"


def html(result: CompareResult) -> str:
    rows = [r for r in result.decision.rows if r.provider != NONE]
    charts = [_figure(svg.bars("Person-hours of 112 service restored a year",
                               [(r.provider, r.annual_restored, r.annual_p5, r.annual_p95) for r in rows]),
                      "Expected person-hours of 112 service restored a year against no D2C; the line is p5-p95.")]
    priced = [r for r in rows if math.isfinite(r.eur_per_person_hour)]
    if priced:
        charts.append(_figure(svg.bars("EUR per person-hour restored",
                                       [(r.provider, r.eur_per_person_hour, None, None) for r in priced], " EUR"),
                              "The D2C part of each provider's cost a year over the person-hours it restores a year."))
    scenario, seed, series = worst_scenario_series(result)
    charts.append(_figure(svg.lines(f"People without any 112 path, {scenario}", series, "hours from the start",
                                    "people"),
                          f"{scenario}, seed {seed}: people with no 112 path, hour by hour, for each provider."))
    bars = result.bars[:12]
    tornado = ""
    if bars:
        tornado = _figure(svg.tornado("Sensitivity", [(b.figure, b.at_low, b.base, b.at_high) for b in bars]),
                          "How far each assumed figure moves its measure at the ends of its range (widest first).")
    c = result.comparison
    parts = [f"<h1>Which direct-to-cell option: {escape(c.name)}</h1>"]
    if c.description:
        parts.append(f"<p>{escape(c.description)}</p>")
    parts.append(f'<h2>Answer</h2><p class="answer">{escape(answer(result))}</p>')
    parts += charts
    for table in tables(result):
        parts.append(_table(table))
        if table.key == "tornado" and tornado:
            parts.append(tornado)
    parts.append("<h2>Assumptions</h2><ul>" + "".join(f"<li>{escape(a)}</li>" for a in assumptions(result))
                 + "</ul>")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{escape(c.name)}: which D2C option</title><style>{STYLE}</style></head>"
            f"<body>{''.join(parts)}</body></html>\n")
