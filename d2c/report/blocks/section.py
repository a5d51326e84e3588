"""A section: a heading over blocks."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from d2c.report.blocks.heading import Heading
from d2c.report.lang import word

__all__ = ["Section"]


@dataclass
class Section:
    """``blocks`` render themselves (``d2c.report.blocks``); a block with nothing to show in an
    output (``None``) is left out of it."""

    title: str
    blocks: list = field(default_factory=list)

    def terminal(self) -> list:
        shown = (block.terminal() for block in self.blocks)
        return [Heading(self.title).terminal(), *(part for part in shown if part is not None)]

    def markdown(self) -> list[str]:
        lines = Heading(self.title).markdown()
        for block in self.blocks:
            shown = block.markdown()
            if shown is not None:
                lines += shown + [""]
        return lines

    def html(self) -> str:
        shown = (block.html() for block in self.blocks)
        return "\n".join([f"<section>{Heading(self.title).html()}", *(h for h in shown if h is not None),
                          "</section>"])

    def translated(self, lang: str) -> "Section":
        return replace(self, title=word(self.title, lang), blocks=[b.translated(lang) for b in self.blocks])
