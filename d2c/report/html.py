"""The after-action report as an HTML document people can read, print and edit.

The same sections as the Markdown (``d2c.report.aar``), as real HTML: a
title, headings, paragraphs, lists, tables with header rows, and the charts
and the map as inline SVG (``d2c.report.figures``); each block writes its own
HTML (``d2c.report.blocks``), and the page (``blocks.document``) prints on A4
and loads nothing from the network.
"""

from __future__ import annotations

from d2c.report import aar
from d2c.result import Result

__all__ = ["html_document"]


def html_document(doc: dict | Result, lang: str = "en") -> str:
    """The report as one self-contained HTML5 document, its fixed text in ``lang``."""
    return aar.document(doc, lang=lang).html()
