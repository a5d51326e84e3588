"""What every d2c command shares: plain-text consoles, one-line failures and their exit statuses.

User-provided text (file names, ids, values, messages) is never read as rich
markup or emoji codes: a value holding ``[/bold]`` prints as written, a line
number 100 stays ``100``. Failures print one line, ``error: ...``, and exit
with a documented status (docs/FORMATS.md, "Exit statuses").
"""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.text import Text
from typer.core import TyperGroup

from d2c.config.errors import ConfigError
from d2c.report.files import OutputError, check_writable

__all__ = ["EXIT_BAD_INPUT", "EXIT_INTERRUPTED", "PlainErrors", "check_output", "console", "errors", "fail",
           "interrupted", "plain"]

EXIT_BAD_INPUT = 2      # bad input, or an output that cannot be written
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT), as shells report it

console = Console(emoji=False)
errors = Console(stderr=True, emoji=False, highlight=False)


def plain(value: object) -> str:
    """User text made safe inside rich markup: its brackets print as written.

    >>> plain("[red]secret")
    '\\\\[red]secret'
    """
    return escape(str(value))


def fail(message: str, status: int = EXIT_BAD_INPUT) -> NoReturn:
    """Print ``error: MESSAGE`` on one line (the message as plain text) and exit with ``status``."""
    errors.print(Text.assemble(("error: ", "bold red"), str(message)), soft_wrap=True)
    raise typer.Exit(status)


def interrupted() -> NoReturn:
    errors.print(Text("interrupted: outputs not yet written were left as they were"), soft_wrap=True)
    raise typer.Exit(EXIT_INTERRUPTED)


def check_output(*paths: Path | None) -> None:
    """Before any work: every output path given can be written (else one line, exit 2)."""
    for path in paths:
        if path is not None:
            try:
                check_writable(path)
            except OutputError as exc:
                fail(str(exc))


class PlainErrors(TyperGroup):
    """The command group: bad input, an unwritable output or Ctrl-C end in one line, never a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (ConfigError, OutputError) as exc:
            fail(str(exc))
        except KeyboardInterrupt:
            interrupted()
