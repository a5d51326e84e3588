"""A heading: the document's title (level 1) or a section's (level 2)."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from rich.rule import Rule
from rich.text import Text

__all__ = ["Heading", "anchor"]


def anchor(text: str) -> str:
    """An HTML id for a heading.

    >>> anchor("D2C's contribution")
    'd2c-s-contribution'
    """
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")


@dataclass
class Heading:
    """``anchor``: the HTML id of a section's heading (default: from its text)."""

    text: str
    level: int = 2
    anchor: str = ""

    def terminal(self) -> Rule:
        if self.level == 1:
            return Rule(Text(self.text, style="bold"), style="bold")
        return Rule(Text(self.text, style="bold cyan"), align="left", style="cyan")

    def markdown(self) -> list[str]:
        return [f"{'#' * self.level} {self.text}", ""]

    def html(self) -> str:
        if self.level == 1:
            return f"<h1>{escape(self.text)}</h1>"
        return f'<h{self.level} id="{self.anchor or anchor(self.text)}">{escape(self.text)}</h{self.level}>'
