"""A real terminal for the drill tests: a tmux server of its own, typed into and read back."""

from __future__ import annotations

import itertools
import os
import shutil
import shlex
import subprocess
import sys
import time

import pytest

LAUNCH = "import typer; from d2c.drill.cli import drill; typer.run(drill)"
_TERMINALS = itertools.count()


def drill_command(*args: str) -> str:
    """The shell command that runs ``d2c drill ARGS`` in the pane, its own size (not an exported
    COLUMNS/LINES), then prints its exit status and stays open so the screen can be read."""
    command = " ".join(shlex.quote(a) for a in (sys.executable, "-c", LAUNCH, *args))
    return f"unset COLUMNS LINES; {command}; echo DRILL-EXIT=$?; sleep 120"


class Terminal:
    """A tmux session of its own (its own server socket), ``width`` x ``height``."""

    def __init__(self, cwd, command: str, width: int = 160, height: int = 50):
        socket = f"d2c-drill-test-{os.getpid()}-{next(_TERMINALS)}"
        self.base = ["tmux", "-L", socket]
        self.width, self.height = width, height
        subprocess.run(self.base + ["new-session", "-d", "-s", "drill", "-x", str(width), "-y", str(height),
                                    "-c", str(cwd), command], check=True)

    def screen(self) -> str:
        return subprocess.run(self.base + ["capture-pane", "-p", "-t", "drill"], check=True, capture_output=True,
                              text=True).stdout

    def keys(self, *keys: str) -> None:
        subprocess.run(self.base + ["send-keys", "-t", "drill", *keys], check=True)

    def send(self, text: str) -> None:
        """Type ``text`` without pressing Enter."""
        subprocess.run(self.base + ["send-keys", "-t", "drill", "-l", text], check=True)

    def type(self, line: str) -> None:
        self.send(line)
        self.keys("Enter")

    def wait_for(self, *texts: str, timeout_s: float = 120.0) -> str:
        """The screen once it shows every one of ``texts`` (polled: the machine may be busy)."""
        deadline = time.monotonic() + timeout_s
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if all(t in screen for t in texts):
                return screen
            time.sleep(0.2)
        raise AssertionError(f"never saw {texts!r} on the screen:\n{screen}")

    def close(self) -> None:
        subprocess.run(self.base + ["kill-server"], capture_output=True)


@pytest.fixture
def tmux():
    """Start real terminals for a test (``tmux(cwd, command, width, height)``); all closed after it."""
    if shutil.which("tmux") is None:
        pytest.fail("the interactive drill tests need tmux: make test installs it (Makefile: tools)")
    made = []

    def start(cwd, command, width: int = 160, height: int = 50):
        terminal = Terminal(cwd, command, width, height)
        made.append(terminal)
        return terminal

    yield start
    for terminal in made:
        terminal.close()
