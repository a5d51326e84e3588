"""The after-action report of a drill (or of any run), from its result: the entry points.

The content is ``d2c.report.aar_sections``'s (one builder per section, from a
typed ``Result``); the blocks it is made of render themselves
(``d2c.report.blocks``). Here the sections become a ``Document`` for an
output: rich renderables (the terminal, and plain text), Markdown, or a
printable HTML page (its shell in ``d2c.report.blocks.document``: A4, charts
and the map as inline SVG, nothing fetched from the network); every form ends
with the run's terminal report
(``d2c.report.terminal.renderables``). ``d2c.report.document.render`` picks the
format.
"""

from __future__ import annotations

from pathlib import Path

from d2c.report.aar_sections import CHART_WIDTH
from d2c.report.aar_sections import sections as build_sections
from d2c.report.blocks import Document, RunDetail, Section
from d2c.report.console import fitted_text
from d2c.report.lang import word
from d2c.result import Result, ResultFileError, as_result, load_document  # noqa: F401 - ResultFileError: for callers

__all__ = ["CHART_WIDTH", "EXPORT_WIDTH", "document", "html", "load_result", "markdown", "plain_text",
           "renderables", "sections", "title_of"]

EXPORT_WIDTH = 118
CHART_MARGIN = 28  # the series label and scale left of the chart


def load_result(path: str | Path) -> dict:
    """A result JSON written by ``d2c drill --json`` or ``d2c run --json``, checked (``d2c.result``)."""
    return load_document(path)


def sections(doc: dict | Result, chart_width: int = CHART_WIDTH, lang: str = "en") -> list[Section]:
    """The report's content, independent of the output format, its fixed text in ``lang``."""
    return build_sections(as_result(doc), chart_width, lang)


def title_of(doc: dict | Result, lang: str = "en") -> str:
    result = as_result(doc)
    name = (result.drill and result.drill.name) or result.scenario.name
    return f"{word('After-action report', lang)}: {name}"


def document(doc: dict | Result, detail: bool = True, chart_width: int = CHART_WIDTH, lang: str = "en") -> Document:
    """The whole report as a ``Document``; ``detail`` closes it with the run's terminal report."""
    result = as_result(doc)
    parts: list = build_sections(result, chart_width, lang)
    if detail:
        parts.append(RunDetail(result, word("Run detail", lang)))
    return Document(title_of(result, lang), parts, lang)


def renderables(doc: dict | Result, detail: bool = True, width: int = EXPORT_WIDTH, lang: str = "en") -> list:
    """The report as rich renderables (terminal, text) for a console ``width`` wide;
    ``detail`` adds the run's terminal report."""
    chart_width = max(24, min(CHART_WIDTH + 18, width - CHART_MARGIN))
    return document(doc, detail, chart_width, lang).terminal()


def markdown(doc: dict | Result, detail: bool = True, lang: str = "en") -> str:
    """The report as plain Markdown (charts and the run detail in text blocks); ``detail`` adds the run detail."""
    return document(doc, detail, lang=lang).markdown()


def plain_text(doc: dict | Result, width: int = EXPORT_WIDTH, lang: str = "en") -> str:
    """The report as plain text, every line whole."""
    return fitted_text(renderables(doc, width=width, lang=lang))


def html(doc: dict | Result, lang: str = "en") -> str:
    """The report as one self-contained HTML5 page people can read, print and edit, its fixed text in ``lang``."""
    return document(doc, lang=lang).html()
