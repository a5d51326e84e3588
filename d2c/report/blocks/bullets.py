"""A bulleted list."""

from __future__ import annotations

from dataclasses import dataclass, replace
from html import escape

from rich.console import Group
from rich.text import Text

from d2c.report.lang import word

__all__ = ["Bullets"]


@dataclass
class Bullets:
    """One line of text per item.

    >>> Bullets(["a", "b & c"]).markdown(), Bullets(["a", "b & c"]).html()
    (['- a', '- b & c'], '<ul><li>a</li><li>b &amp; c</li></ul>')
    """

    items: list[str]

    def terminal(self) -> Group:
        return Group(*[Text(f"• {item}") for item in self.items])

    def markdown(self) -> list[str]:
        return [f"- {item}" for item in self.items]

    def html(self) -> str:
        return "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in self.items) + "</ul>"

    def translated(self, lang: str) -> "Bullets":
        return replace(self, items=[word(i, lang) for i in self.items])
