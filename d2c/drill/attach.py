"""A player's terminal: ``d2c drill --attach ADDR [--role ROLE]``.

It connects to a drill the facilitator serves (``d2c.drill.serve``), says which
role it plays, and shows each view the drill sends (``d2c.drill.playerview``)
as it comes. The player types ``d NAME TARGET [ARGS]`` to decide (as at the
facilitator's prompt; the drill answers ``decided: ...`` or one line of error),
``list sites|areas|links|resources [FILTER]`` to find names, Enter to show the
view again, ``h`` for help and ``q`` (or Ctrl-D, Ctrl-C) to leave; the drill
goes on without them. A refused role or an address where nothing listens is one
line (``AddressError``).
"""

from __future__ import annotations

import queue
import signal
import socket
import sys
import threading
from contextlib import nullcontext
from typing import Callable

from prompt_toolkit.patch_stdout import patch_stdout

from rich.console import Console

from d2c.drill.playerview import render
from d2c.drill.view import PlayerView, ViewError
from d2c.drill.wire import Address, AddressError, connect, receive, send

__all__ = ["attach", "PLAYER_HELP"]

PLAYER_HELP = [
    "d NAME TARGET [ARGS]: decide, e.g. d generator Amatrice 12 (your role's decisions: the list below the view)",
    "list sites|areas|links|resources [FILTER]: names, and the sites' state as you know it",
    "Enter: the view again   h: this help   q: leave (the drill goes on)",
]
REPLY_TIMEOUT_S = 600.0  # the facilitator's clock may be running a long step; a reply waits for it
WELCOME_TIMEOUT_S = 60.0
_CLOSED = object()


def attach(address: Address, role: str | None, console: Console,
           read: Callable[[str], str] | None = None) -> str:
    """Play the drill served at ``address`` as ``role`` until the player leaves or the drill ends;
    the last line to show. AddressError (one line) when nothing listens there or the role is refused."""
    sock = connect(address)
    stream = sock.makefile("rwb")
    try:
        send(stream, {"hello": {"role": role}})
        sock.settimeout(WELCOME_TIMEOUT_S)
        try:
            first = receive(stream)
        except (OSError, ValueError):
            first = None
        sock.settimeout(None)
        if first is None or "welcome" not in first:
            refused = first.get("refused") if isinstance(first, dict) else None
            raise AddressError(str(refused) if refused else f"{address}: the drill did not answer as a d2c drill does")
        # on a terminal, views that arrive while the player types are printed above the prompt,
        # which is drawn again below them (prompt_toolkit's patch_stdout; rich writes to sys.stdout)
        interactive = sys.stdin.isatty() and sys.stdout.isatty()
        with patch_stdout(raw=True) if interactive else nullcontext():
            return _Room(stream, console, read).play()
    finally:
        # shut the socket first: the listening thread's pending read returns, and the stream can close
        for closing in (lambda: sock.shutdown(socket.SHUT_RDWR), stream.close, sock.close):
            try:
                closing()
            except OSError:
                pass


class _Room:
    """The attached terminal: a thread shows the views as they come; the player's lines are sent."""

    def __init__(self, stream, console: Console, read: Callable[[str], str] | None):
        self.stream = stream
        self.console = console
        self.read = read or (lambda prompt: console.input(prompt))
        self.answers: queue.Queue = queue.Queue()
        self.view: PlayerView | None = None
        self.ended = ""
        self._print_lock = threading.Lock()
        self._reading = False  # the main thread waits for the player's line
        self._reading_lock = threading.Lock()
        threading.Thread(target=self._listen, name="drill-attach", daemon=True).start()

    def play(self) -> str:
        try:
            return self._play()
        except KeyboardInterrupt:  # the drill ended while the player was typing (``_wake``), or Ctrl-C
            return self.ended or "left the drill (it goes on without you)"

    def _play(self) -> str:
        while not self.ended:
            try:
                with self._reading_lock:
                    self._reading = True
                line = self.read("player> ")
            except (EOFError, KeyboardInterrupt):
                break
            finally:
                with self._reading_lock:
                    self._reading = False
            if self.ended:
                break
            words = line.split(maxsplit=1)
            command, rest = (words[0].lower(), words[1] if len(words) > 1 else "") if words else ("", "")
            if command in ("q", "quit"):
                break
            if command == "":
                self._show_view()
            elif command in ("d", "decide"):
                self._ask({"decide": rest})
            elif command in ("l", "list"):
                self._ask({"list": rest})
            elif command in ("h", "?", "help"):
                self._print(PLAYER_HELP)
            else:
                self._print([f"error: unknown command {command!r}; h for help"])
        if not self.ended:
            try:
                send(self.stream, {"bye": None})
            except (OSError, ValueError):
                pass
            return "left the drill (it goes on without you)"
        return self.ended

    def _ask(self, message: dict) -> None:
        try:
            send(self.stream, message)
            answer = self.answers.get(timeout=REPLY_TIMEOUT_S)
        except (OSError, ValueError):
            answer = _CLOSED
        except queue.Empty:
            answer = {"reply": "error: the drill did not answer in time (is the facilitator's clock running?)"}
        if answer is _CLOSED:
            self.ended = self.ended or "the drill closed the connection"
            return
        if "rows" in answer:
            rows = answer["rows"]
            self._print([f"list {answer.get('title', '')}"] + [f"  {row}" for row in rows[:200]]
                        + ([f"  +{len(rows) - 200} more: add a filter"] if len(rows) > 200 else []))
        else:
            self._print([str(answer.get("reply", ""))])

    def _listen(self) -> None:
        while True:
            try:
                message = receive(self.stream)
            except (OSError, ValueError):
                message = None
            if message is None:
                self.ended = self.ended or "the drill closed the connection"
                self.answers.put(_CLOSED)
                self._wake()
                return
            if "view" in message:
                try:
                    self.view = PlayerView.from_dict(message["view"], "view")
                except ViewError as exc:  # not this version's view: say so, keep the last good one
                    self._print([f"error: the drill sent a view this terminal cannot read ({exc})"])
                    continue
                self._show_view()
            elif "end" in message:
                self.ended = str(message["end"])
                self._print([self.ended])
            else:
                self.answers.put(message)

    def _wake(self) -> None:
        """Stop the player's pending read: the drill is over. A SIGINT to the main thread interrupts its
        blocking read, which ``play`` takes as the end."""
        with self._reading_lock:
            if self._reading and threading.current_thread() is not threading.main_thread():
                signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)

    def _show_view(self) -> None:
        if self.view is not None:
            self._print(render(self.view), clear=True)

    def _print(self, lines: list[str], clear: bool = False) -> None:
        with self._print_lock:
            if clear and self.console.is_terminal:
                self.console.clear()
            elif clear:
                self.console.print("-" * 40, highlight=False, markup=False)
            for line in lines:
                self.console.print(line, highlight=False, markup=False, soft_wrap=True)
            self.console.file.flush()
