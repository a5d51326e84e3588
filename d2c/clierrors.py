"""Command-line usage errors on one line, like every other d2c error.

Typer prints a usage block and a boxed message for a bad option value; d2c
prints ``error: --format: expected one of md, html, svg, txt, got 'pdf'`` and
exits with status 2, as it does for a bad YAML field. Ctrl-C exits with 1.
"""

from __future__ import annotations

import re
import sys

import typer
from typer.core import TyperGroup

__all__ = ["OneLineErrors", "usage_line"]

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


class OneLineErrors(TyperGroup):
    """The root command group: usage errors become one line and exit status 2."""

    def main(self, *args, standalone_mode: bool = True, **kwargs):
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)
        except typer.TyperException as exc:
            if type(exc).__name__ == "NoArgsIsHelpError":  # `d2c` or `d2c topology` alone: the help
                typer.echo(exc.ctx.get_help(), err=True)
            else:
                typer.echo(f"error: {usage_line(exc)}", err=True)
            sys.exit(getattr(exc, "exit_code", 2))
        except (typer.Abort, KeyboardInterrupt):
            typer.echo("interrupted", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)
