"""Consoles for the command line: a terminal gets rich output at its width;
a pipe or a file gets full lines, never wrapped at 80 columns.

Rich falls back to 80 columns when stdout is not a terminal, which cuts table
rows, names and sentences. ``stdout_console`` gives such outputs a wide page,
and ``print_parts`` prints each renderable at the width it needs (a table at
its natural width, a panel around its content), so piped output keeps every
line whole and carries no colour codes.
"""

from __future__ import annotations

import io

from rich.console import Console
from rich.measure import Measurement
from rich.rule import Rule
from rich.table import Table

__all__ = ["PIPED_WIDTH", "fitted_text", "print_fitted", "print_parts", "stderr_console", "stdout_console"]

PIPED_WIDTH = 4000  # columns for piped output: more than any report line needs
RULE_WIDTH = 100  # a section rule in piped output


def stdout_console(**options) -> Console:
    """The console for a command's output: the terminal's width, or full lines when piped.

    Emoji codes are never expanded: user text such as ``:fire:`` prints as written.
    """
    options.setdefault("emoji", False)
    console = Console(**options)
    return console if console.is_terminal else Console(width=PIPED_WIDTH, soft_wrap=True, **options)


def stderr_console(**options) -> Console:
    return stdout_console(stderr=True, **options)


def print_parts(console: Console, parts) -> None:
    """Print renderables; on a pipe, each at the width it needs rather than the page's."""
    for part in parts:
        if console.is_terminal:
            console.print(part)
        else:
            print_fitted(console, part)


def print_fitted(console: Console, part) -> None:
    """Print one renderable at the width its content needs (up to the console's), so nothing wraps."""
    if isinstance(part, str):
        console.print(part, highlight=False)
        return
    if isinstance(part, Rule):  # a rule fills any width: give it a page's
        console.print(part, width=min(RULE_WIDTH, console.width))
        return
    need = Measurement.get(console, console.options, part).maximum
    if isinstance(part, Table):  # a title or caption wider than the columns would wrap
        need = max(need, *(len(str(x)) for x in (part.title, part.caption) if x), 0)
    console.print(part, width=max(1, min(need, console.width)), soft_wrap=False)


def fitted_text(parts) -> str:
    """Renderables as plain text, each at the width it needs: no line wrapped, no trailing spaces."""
    console = Console(record=True, width=PIPED_WIDTH, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor", legacy_windows=False, emoji=False)
    for part in parts:
        print_fitted(console, part)
    return "\n".join(line.rstrip() for line in console.export_text(styles=False).splitlines()) + "\n"
