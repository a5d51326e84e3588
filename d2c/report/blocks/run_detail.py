"""The run's own terminal report (``d2c.report.terminal``), closing every form of the document.

The terminal shows it as rich renderables; the Markdown and the HTML as its
plain text, every line whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from d2c.report import terminal
from d2c.report.blocks.heading import Heading
from d2c.report.console import fitted_text
from d2c.result import Result

__all__ = ["RunDetail", "fitted_run_detail"]


def fitted_run_detail(result: Result) -> str:
    """The run's terminal report as plain text, every line whole."""
    return fitted_text(terminal.renderables(result)).rstrip()


@dataclass
class RunDetail:
    """A section of its own: ``title`` is its heading in the document's language."""

    result: Result
    title: str = "Run detail"

    def terminal(self) -> list:
        return [Heading(self.title).terminal(), *terminal.renderables(self.result)]

    def markdown(self) -> list[str]:
        return [*Heading(self.title).markdown(), "```text", fitted_run_detail(self.result), "```", ""]

    def html(self) -> str:
        return (f'<section>{Heading(self.title, anchor="run-detail").html()}'
                '<p>The run\'s own terminal report, as in the Markdown version.</p>'
                f"<pre>{escape(fitted_run_detail(self.result))}</pre></section>")
