"""How the drill prompt reads a line: a line editor with Tab completion and history on a terminal,
plain ``input`` otherwise (scripted drills, pipes, tests that feed standard input).

The editor is prompt_toolkit's; Tab completes the common start of the candidates
(:func:`d2c.drill.complete.candidates`) and lists them when they differ, as a
shell does, so nothing is drawn over the dashboard until asked. Up and Down walk
this drill session's history. Ctrl-C raises ``KeyboardInterrupt`` and Ctrl-D
``EOFError`` in both modes, so the prompt handles them the same way.
"""

from __future__ import annotations

import sys
from typing import Callable, Iterable

from prompt_toolkit import PromptSession
from prompt_toolkit.completion import Completer, Completion
from prompt_toolkit.history import InMemoryHistory
from prompt_toolkit.shortcuts import CompleteStyle
from rich.console import Console

from d2c.drill.complete import current_word

__all__ = ["line_reader"]


def line_reader(console: Console, complete: Callable[[str], list[str]],
                history: Iterable[str] = ()) -> Callable[[str], str]:
    """A ``read(prompt) -> line`` for the drill; ``complete`` maps the text before the cursor to candidates.
    ``history`` seeds the history (a resumed drill's commands)."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        return lambda prompt: console.input(prompt)
    kept = InMemoryHistory()
    for line in history:
        kept.append_string(line)
    session = PromptSession(history=kept, completer=_Completer(complete), complete_style=CompleteStyle.READLINE_LIKE,
                            complete_while_typing=False, reserve_space_for_menu=0)
    return lambda prompt: session.prompt(prompt)


class _Completer(Completer):
    def __init__(self, complete: Callable[[str], list[str]]):
        self.complete = complete

    def get_completions(self, document, complete_event):
        text = document.text_before_cursor
        start = -len(current_word(text)[1])
        for word in self.complete(text):
            yield Completion(word, start_position=start)
