"""A chart: block characters in the terminal and the Markdown, an SVG figure in HTML.

The text form is ``d2c.report.chart``'s lines of (text, style) segments; the
HTML form is drawn by ``svg`` when the HTML is written (``Figure``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from rich.text import Text

from d2c.report.blocks.figure import figure_html
from d2c.report.chart import Line, plain, rich_text

__all__ = ["Chart"]


@dataclass
class Chart:
    lines: list[Line]
    svg: Callable[[], str] | None = None
    caption: str = ""

    def terminal(self) -> Text:
        return rich_text(self.lines)

    def markdown(self) -> list[str]:
        return ["```text", plain(self.lines), "```"]

    def html(self) -> str | None:
        return None if self.svg is None else figure_html(self.svg(), self.caption, "chart")

    def translated(self, lang: str) -> "Chart":
        return self
