"""A paragraph: one line of text, plain or dimmed (a note)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from html import escape

from rich.text import Text

from d2c.report.lang import word

__all__ = ["Para"]


@dataclass
class Para:
    """``style``: a rich style for the terminal; ``"dim"`` also dims it in HTML.

    >>> Para("Nothing failed.", "dim").html()
    '<p class="dim">Nothing failed.</p>'
    """

    text: str
    style: str = ""

    def terminal(self) -> Text:
        return Text(self.text, style=self.style)

    def markdown(self) -> list[str]:
        return [self.text]

    def html(self) -> str:
        css = ' class="dim"' if self.style == "dim" else ""
        return f"<p{css}>{escape(self.text)}</p>"

    def translated(self, lang: str) -> "Para":
        return replace(self, text=word(self.text, lang))
