"""What every d2c command shares: plain-text consoles, one-line failures and their exit statuses.

User-provided text (file names, ids, values, messages) is never read as rich
markup or emoji codes: a value holding ``[/bold]`` prints as written, a line
number 100 stays ``100``. Failures print one line, ``error: ...``, and exit
with a documented status (docs/FORMATS.md, "Exit statuses"); the parser's own
usage errors (an unknown option, a value outside a choice) too. Output sent to
a pipe or a file keeps whole lines (``d2c.report.console``).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import NoReturn

import typer
from rich.markup import escape
from rich.text import Text
from typer.core import TyperGroup

from d2c.cluster import ClusterError
from d2c.base.errors import ConfigError
from d2c.report.console import stderr_console, stdout_console
from d2c.report.files import OutputError, check_writable, is_stdout

__all__ = ["EXIT_BAD_INPUT", "EXIT_INTERRUPTED", "PlainErrors", "check_output", "console", "error_line", "errors",
           "fail", "interrupted", "plain", "usage_line"]

EXIT_BAD_INPUT = 2      # bad input, or an output that cannot be written
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT), as shells report it

console = stdout_console()
errors = stderr_console(highlight=False)


def plain(value: object) -> str:
    """User text made safe inside rich markup: its brackets print as written.

    >>> plain("[red]secret")
    '\\\\[red]secret'
    """
    return escape(str(value))


def error_line(message: object) -> None:
    """Print ``error: MESSAGE`` on one line of standard error, the message as plain text (the only place that does)."""
    errors.print(Text.assemble(("error: ", "bold red"), str(message)), soft_wrap=True)


def fail(message: object, status: int = EXIT_BAD_INPUT) -> NoReturn:
    """The one way a command refuses: ``error: MESSAGE`` on one line (``file:line: field: expected ..., got
    ...`` for bad input, as ``ConfigError`` and ``ResultFileError`` word it), then exit with ``status``."""
    error_line(message)
    raise typer.Exit(status)


def interrupted() -> NoReturn:
    errors.print(Text("interrupted: outputs not yet written were left as they were"), soft_wrap=True)
    raise typer.Exit(EXIT_INTERRUPTED)


def check_output(*paths: Path | None) -> None:
    """Before any work: every output path given can be written (else one line, exit 2); ``-`` is stdout."""
    for path in paths:
        if path is not None and not is_stdout(path):
            try:
                check_writable(path)
            except OutputError as exc:
                fail(str(exc))


_NOT_ONE_OF = re.compile(r"'(.*)' is not one of (.*?)\.?\s*$")


def usage_line(exc: Exception) -> str:
    """One line for a usage error: the option, what it expects, what it got.

    >>> usage_line(typer.BadParameter("Value error, 'pdf' is not one of 'md', 'html'."))
    "expected one of md, html, got 'pdf'"
    """
    param = getattr(exc, "param", None)
    name = ""
    if param is not None and getattr(param, "opts", None):
        name = next((o for o in param.opts if o.startswith("--")), param.opts[0])
    found = _NOT_ONE_OF.search(getattr(exc, "message", "") or "")
    if found:
        choices = ", ".join(c.strip().strip("'") for c in found.group(2).split(","))
        text = f"expected one of {choices}, got {found.group(1)!r}"
    elif isinstance(exc, typer.BadParameter) and name and exc.message:
        text = exc.message.removeprefix("Value error, ")
    else:
        name = ""
        text = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        ctx = getattr(exc, "ctx", None)
        if ctx is not None:
            text += f" (see `{ctx.command_path} -h`)"
    text = " ".join(text.split())
    return f"{name}: {text}" if name else text


class PlainErrors(TyperGroup):
    """The command group: bad input, a bad option, an unwritable output or Ctrl-C end in one line, never a traceback."""

    def make_context(self, *args, **kwargs):
        try:
            return super().make_context(*args, **kwargs)
        except KeyboardInterrupt:
            interrupted()

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (ConfigError, OutputError, ClusterError) as exc:
            fail(str(exc))
        except KeyboardInterrupt:
            interrupted()

    def main(self, *args, standalone_mode: bool = True, **kwargs):
        """Typer's usage block and boxed message become ``error: --format: expected ..., got ...``."""
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)
        except typer.TyperException as exc:
            if type(exc).__name__ == "NoArgsIsHelpError":  # `d2c` or `d2c topology` alone: the help
                typer.echo(exc.ctx.get_help(), err=True)
            else:
                error_line(usage_line(exc))
            sys.exit(getattr(exc, "exit_code", EXIT_BAD_INPUT))
        except (typer.Abort, KeyboardInterrupt):
            errors.print(Text("interrupted"), soft_wrap=True)
            sys.exit(EXIT_INTERRUPTED)
        sys.exit(code if isinstance(code, int) else 0)
