"""A figure drawn as SVG (``d2c.report.figures``), shown in the HTML document only.

The terminal and the Markdown have their own text charts (``Chart``); a map
has no text form. The SVG is drawn only when the HTML is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Callable

__all__ = ["Figure", "figure_html"]


def figure_html(svg: str, caption: str, kind: str) -> str:
    """An inline SVG with its caption; ``kind`` is its CSS class (map, chart).

    >>> figure_html("<svg/>", "A & B", "chart")
    '<figure class="chart"><svg/><figcaption>A &amp; B</figcaption></figure>'
    """
    return f'<figure class="{kind}">{svg}<figcaption>{escape(caption)}</figcaption></figure>'


@dataclass
class Figure:
    """``draw`` returns the SVG; the caption stays as written in every language."""

    draw: Callable[[], str]
    caption: str
    kind: str = "chart"

    def terminal(self) -> None:
        return None

    def markdown(self) -> None:
        return None

    def html(self) -> str:
        return figure_html(self.draw(), self.caption, self.kind)

    def translated(self, lang: str) -> "Figure":
        return self
