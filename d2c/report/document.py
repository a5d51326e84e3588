"""The after-action report in the format asked for (``d2c report --format``).

- ``md``: Markdown (``d2c.report.aar.markdown``);
- ``html``: a printable, self-contained HTML document with SVG charts and a map
  (``d2c.report.aar.html``);
- ``svg``: the map and the charts as one standalone SVG image
  (``d2c.report.figures.figure_sheet_svg``);
- ``txt``: plain text, every line whole.
"""

from __future__ import annotations

from d2c.report import aar, figures
from d2c.result import Result, as_result

__all__ = ["FORMATS", "render"]

FORMATS = ("md", "html", "svg", "txt")


def render(doc: dict | Result, fmt: str, lang: str = "en") -> str:
    """The report of a result document in one of ``FORMATS``, its fixed text in ``lang`` (en, it)."""
    if fmt == "md":
        return aar.markdown(doc, lang=lang)
    if fmt == "html":
        return aar.html(doc, lang)
    if fmt == "svg":
        return figures.figure_sheet_svg(as_result(doc), aar.title_of(doc, lang))
    if fmt == "txt":
        return aar.plain_text(doc, lang=lang)
    raise ValueError(f"format: expected one of {', '.join(FORMATS)}, got {fmt!r}")
