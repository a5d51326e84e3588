"""The facilitator's prompt: read a command, act on the drill, redraw the dashboard.

Commands (``h`` lists them): ``n`` (or Enter) next step, ``i`` jump to the next
inject, ``r 30`` or ``run 2h`` run that long, ``e`` run to the end, ``d NAME
TARGET [ARGS]`` take a decision, ``list`` sites, areas, links or resources, ``c`` show or hide the catalogue, ``q`` finish
(the rest of the scenario runs with no further decisions). Running forward
stops at every inject, shows it in full and waits for the next command. A bad
command or decision prints one line and the drill goes on. Ctrl-C, at the prompt
or while the clock runs (the clock then stops after the step in progress), asks
whether to finish and write the outputs, save to resume later, quit without
writing, or go on.
"""

from __future__ import annotations

import shlex
import signal
import threading
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Callable, Iterator

from rich.console import Console

from d2c.base import reader
from d2c.base.errors import ConfigError

from d2c.drill import dashboard, lookup
from d2c.drill.complete import candidates
from d2c.drill.lineinput import line_reader
from d2c.drill.decisions import DecisionError
from d2c.drill.mapview import TerritoryMap
from d2c.drill.runner import Drill
from d2c.drill.save import save_yaml
from d2c.timetext import offset_text
from d2c.report.files import write_atomic

HELP_LINES = [
    "n or Enter: next step   i: to the next inject   r 30 / run 2h: run that long   e: to the end (r, e stop at injects)",
    "d NAME TARGET [ARGS]: take a decision, e.g. d generator SITE-ID 12  ·  d warning Amatrice Leave the old town",
    "list sites|areas|links|resources [FILTER]: names and state now; a site decision may name a place: d generator Amatrice",
    "undo: withdraw the last decision if it has not acted yet (the log keeps it under withdrawn:)",
    "inject TEXT: an inject of your own, now: shown to the room, kept in the log and the after-action report",
    "role [NAME|all]: play as a role: its decisions only (the catalogue says whose each is); all: every decision",
    "save [FILE]: save the drill now; later d2c drill DRILL --resume FILE goes on from here, same state, same future",
    "c: show/hide the catalogue   q: finish (the rest runs without decisions) and write the outputs   Ctrl-C: asks",
]
COMMANDS = ["n", "i", "r", "run", "e", "d", "undo", "list", "inject", "role", "save", "c", "h", "q"]
# The same on a small screen, a line each within 80 columns.
HELP_SHORT = [
    "n/Enter next step · i next inject · r 30, run 2h run that long · e to the end",
    "d NAME TARGET [ARGS] decide (a site may be a place: d generator Amatrice)",
    "list sites|areas|links|resources [FILTER] · undo the last decision",
    "inject TEXT your own inject · role NAME|all · save [FILE], later --resume FILE",
    "c catalogue · q finish and write the outputs · Ctrl-C asks · Tab completes",
]
RUNS = ("n", "i", "r", "run", "e")  # commands that run the clock (they take the lock step by step)
QUIT = object()
ABANDON = object()  # Ctrl-C, then x: quit without writing any output
_GO_ON = object()  # Ctrl-C, then Enter: back to the prompt, nothing done


class Session:
    """One interactive drill: its screen state and the commands."""

    def __init__(self, drill: Drill, console: Console, log_out: Path | None = None):
        self.drill = drill
        self.console = console
        self.log_out = log_out
        self.save_default = Path(f"{drill.spec.name}.save.yaml")
        self.saved_to: Path | None = None  # where Ctrl-C, then p, saved the drill
        self._maps: dict[tuple[int, int], TerritoryMap] = {}
        self.show_catalogue: bool | None = None  # None: on a wide screen only
        self.listing: tuple[str, list[str]] | None = None  # the last ``list``: its title and rows
        self.clock_stopped_by_ctrl_c = False  # the last Ctrl-C came while the clock ran
        self.lock = threading.RLock()  # held while the drill changes: players may decide from another thread
        self.notes: list[str] = []  # lines from the players' side, shown once at the next redraw
        self.facilitator = False  # a served drill: this screen is the facilitator's alone (the next inject's text)
        self.on_change: Callable[[], None] | None = None  # called after every command (a served drill's views)
        self.messages = [f"Drill {drill.spec.name} on {drill.spec.scenario.name}. h for help."] + drill.skipped
        if drill.records.resumed:
            self.messages.append(f"resumed at {offset_text(drill.t_s)} from {drill.records.resumed[-1].file}")

    def map_for(self, width: int, height: int) -> TerritoryMap:
        """The map for a box of this size, built once per size (the terminal may be resized)."""
        key = (width, height)
        if key not in self._maps:
            if len(self._maps) > 8:
                self._maps.clear()
            self._maps[key] = TerritoryMap(self.drill.world, width, height, self.drill.spec.scenario.incidents)
        return self._maps[key]

    def draw(self) -> None:
        width, height = self.console.size
        with self.lock:
            screen = dashboard.render(self.drill, self.map_for, self.messages + self.notes, self.show_catalogue,
                                      width, height, self.listing, self.facilitator)
            self.notes = []  # shown once
        self.console.clear()
        self.console.print(screen)

    def loop(self, read: Callable[[str], str] | None = None) -> bool:
        """Read commands until ``q`` (or end of input); True when the outputs are to be written,
        False when the facilitator chose, after Ctrl-C, to quit without writing."""
        read = read or line_reader(self.console, self.complete)
        while True:
            try:  # Ctrl-C at the prompt, or while the clock runs (it stops between two steps)
                self.draw()
                try:
                    line = read("drill> ")
                except EOFError:
                    line = "q"
                if self.handle(line) is QUIT:
                    break
                continue
            except KeyboardInterrupt:
                line = self._interrupted(read)
            if line is ABANDON:
                return False
            if line is _GO_ON:
                continue
            if self.handle(line) is QUIT:
                break
        self.drill.run_to_end()
        return True

    def complete(self, text: str) -> list[str]:
        """What Tab offers for the text before the cursor (see d2c/drill/complete.py)."""
        return candidates(self.drill, text, COMMANDS, self.drill.spec.roles + ["all"])

    def _interrupted(self, read: Callable[[str], str]):
        """Ctrl-C at the prompt: finish and write (s), save to resume later (p), quit without writing (x),
        or go on (Enter). A second Ctrl-C quits without writing."""
        self.console.print()
        if self.clock_stopped_by_ctrl_c:
            self.console.print(f"Ctrl-C: the clock stopped at {offset_text(self.drill.t_s)}", highlight=False)
        while True:
            try:
                answer = read(f"Ctrl-C: s save the log and finish (outputs written) · p save to {self.save_default} "
                              "and stop, resume later · x quit without writing · Enter go on> ").strip().lower()
            except KeyboardInterrupt:
                return ABANDON
            except EOFError:
                answer = "s"
            if answer in ("s", "save"):
                return "q"
            if answer in ("x", "quit"):
                return ABANDON
            if answer in ("p", "pause"):
                message = self._save([])
                if message.startswith("error"):
                    self.console.print(message)
                    continue
                self.saved_to = self.save_default
                return ABANDON
            if answer in ("", "g", "go"):
                self.messages = ["going on" + (f" (the clock stopped at {offset_text(self.drill.t_s)}: r or e to run on)"
                                              if self.clock_stopped_by_ctrl_c else "")]
                return _GO_ON
            self.console.print(f"error: s, p, x or Enter, got {answer!r}")

    def handle(self, line: str):
        """Act on one command; return QUIT to finish. Messages go to ``self.messages``.

        A command holds the drill's lock (players attached to a served drill decide through it too,
        ``player_decides``); running the clock takes it step by step, so a player's decision comes
        between two steps, as a scripted one does."""
        head = line.split(maxsplit=1)[:1]
        runs = not head or head[0].lower() in RUNS
        with nullcontext() if runs else self.lock:
            outcome = self._handle(line)
        if self.on_change is not None:
            self.on_change()
        return outcome

    def player_decides(self, role: str | None, text: str) -> str:
        """A decision typed by a player attached with ``role`` (None: every role): the prompt's own
        path (the same parsing, refusals and log), marked as the player's on the facilitator's screen."""
        try:
            words = shlex.split(text)
        except ValueError as exc:
            return f"error: {exc} (close the quotes)"
        with self.lock:
            message = self._decide(words, role)
            if not message.startswith("error"):
                self.notes.append(f"player {role or 'all'}: {message}")
        if self.on_change is not None:
            self.on_change()
        return message

    def note(self, message: str) -> None:
        """A line for the facilitator's screen from elsewhere (a player attached or left), shown at the next redraw."""
        with self.lock:
            self.notes.append(message)

    def _handle(self, line: str):
        drill = self.drill
        try:
            words = shlex.split(line)
        except ValueError as exc:
            self.messages = [f"error: {exc} (close the quotes)"]
            return None
        command, args = (words[0].lower(), words[1:]) if words else ("n", [])
        before = len(drill.skipped)
        self.listing = None
        if command == "q":
            return QUIT
        self.clock_stopped_by_ctrl_c = False
        if command == "n":
            self._advance(drill.t_s + drill.step_s)
            self.messages = []
        elif command == "i":
            upcoming = drill.upcoming(1)
            due = self._advance(upcoming[0].at_s) if upcoming else []
            drill.just_due = due
            self.messages = [] if due else ["no more injects: r MINUTES or e to run on"]
        elif command in ("r", "run"):
            minutes = _minutes(args)
            if minutes is None:
                self.messages = [f"error: {command} needs a time > 0: minutes or 90s, 30m, 2h, e.g. {command} 30"]
                return None
            target_s = drill.t_s + minutes * 60.0
            due = self._advance(target_s, stop_at_inject=True)
            self.messages = _stopped(drill, due, target_s)
        elif command == "e":
            due = self._advance(float("inf"), stop_at_inject=True)
            self.messages = _stopped(drill, due, None) if not drill.done else [
                "end of the scenario: q writes the outputs"]
        elif command == "d":
            self.messages = [self._decide(args)]
        elif command in ("u", "undo"):
            self.messages = [self._undo(args)]
        elif command == "inject":
            self.messages = [self._inject(line.strip()[len(words[0]):])]
        elif command == "role":
            self.messages = [self._role(args)]
        elif command == "save":
            self.messages = [self._save(args)]
        elif command in ("l", "list"):
            self.messages = self._list(args)
        elif command == "c":
            shown = self.show_catalogue
            if shown is None:
                shown = dashboard.is_wide(*self.console.size)
            self.show_catalogue = not shown
            self.messages = []
        elif command in ("h", "?", "help"):
            self.messages = list(HELP_LINES if dashboard.is_wide(*self.console.size) else HELP_SHORT)
        else:
            self.messages = [f"error: unknown command {command!r}; h for help"]
        self.messages += drill.skipped[before:]
        if drill.done and command in ("n", "i", "r"):
            self.messages.append("end of the scenario: q writes the outputs")
        return None

    def _advance(self, until_s: float, stop_at_inject: bool = False) -> list:
        """``Drill.advance``, one step at a time, with Ctrl-C held until the step in progress is done.

        A Ctrl-C while the clock runs raises KeyboardInterrupt between two steps, never inside
        one, so that going on (or saving) after the question continues from a whole step.
        """
        drill, due = self.drill, []
        with _ctrl_c_between_steps() as pressed:
            while not drill.done and drill.t_s < until_s:
                with self.lock:
                    due += drill.advance(min(until_s, drill.t_s + drill.step_s))
                if stop_at_inject and due:
                    break
                if pressed():
                    drill.just_due = due
                    self.clock_stopped_by_ctrl_c = True
                    raise KeyboardInterrupt
        drill.just_due = due
        return due

    def _list(self, args: list[str]) -> list[str]:
        kind = args[0].lower() if args else ""
        if kind not in lookup.KINDS:
            return [f"error: list what? list {'|'.join(lookup.KINDS)} [FILTER], got {kind or 'nothing'!r}"]
        text_filter = " ".join(args[1:])
        found = lookup.rows(self.drill, kind, text_filter)
        self.listing = (f"{kind}" + (f" matching {text_filter!r}" if text_filter else "") + f" ({len(found)})", found)
        return [] if found else [f"no {kind} match {text_filter!r}"]

    def _role(self, args: list[str]) -> str:
        roles = self.drill.spec.roles
        if not args:
            now = self.drill.role or "all (every decision)"
            return f"role: {now}; roles in this drill: {', '.join(roles) or 'none'}"
        if len(args) > 1:
            return f"error: role takes one name ({', '.join(roles) or 'no roles in this drill'}), got {' '.join(args)!r}"
        try:
            self.drill.set_role(args[0])
        except DecisionError as exc:
            return f"error: {exc}"
        return f"role: {self.drill.role or 'all (every decision)'}"

    def _inject(self, text: str) -> str:
        try:
            inject = self.drill.add_inject(text)
        except DecisionError as exc:
            return f"error: {exc}"
        if self.log_out is not None:
            write_atomic(self.log_out, self.drill.log_yaml())
        return f"inject added at {offset_text(inject.at_s)}: in the log and the after-action report"

    def _save(self, args: list[str]) -> str:
        if len(args) > 1:
            return f"error: save takes one file name (quote it if it has spaces), got {len(args)} words"
        path = Path(args[0]) if args else self.save_default
        if path.suffix.lower() not in (".yaml", ".yml"):
            return f"error: save FILE: expected a .yaml file name, got {str(path)!r}"
        if path.is_dir() or not path.parent.is_dir():
            return f"error: save FILE: expected a file in an existing folder, got {str(path)!r}"
        try:
            write_atomic(path, save_yaml(self.drill, str(path)))
        except OSError as exc:
            self.drill.records.saved.pop()
            return f"error: save {path}: {exc.strerror or exc}"
        if self.log_out is not None:
            write_atomic(self.log_out, self.drill.log_yaml())
        return (f"saved at {offset_text(self.drill.t_s)} to {path}: resume with "
                f"d2c drill {self.drill.spec.path or 'DRILL'} --resume {path}")

    def _undo(self, args: list[str]) -> str:
        if args:
            return f"error: undo takes nothing: it withdraws the last decision, got {' '.join(args)!r}"
        try:
            taken = self.drill.undo()
        except DecisionError as exc:
            return f"error: {exc}"
        if self.log_out is not None:
            write_atomic(self.log_out, self.drill.log_yaml())
        return f"withdrawn: {self.drill.describe_taken(taken)}"

    def _decide(self, words: list[str], role: str | None | object = ...) -> str:
        try:
            taken = self.drill.take_words(words, role)
        except DecisionError as exc:
            return f"error: {exc}"
        if self.log_out is not None:
            write_atomic(self.log_out, self.drill.log_yaml())
        extra = "" if taken.modelled or not taken.note else f"  [{taken.note}]"
        return f"decided: {self.drill.describe_taken(taken)}{extra}"


@contextmanager
def _ctrl_c_between_steps() -> Iterator[Callable[[], bool]]:
    """While inside, SIGINT only sets a flag; the caller checks ``pressed()`` between steps.

    Outside the main thread (no signal handlers there) Ctrl-C keeps its usual effect.
    """
    if threading.current_thread() is not threading.main_thread():
        yield lambda: False
        return
    pressed = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: pressed.append(signum))
    try:
        yield lambda: bool(pressed)
    finally:
        signal.signal(signal.SIGINT, previous)


def _minutes(args: list[str]) -> float | None:
    """Minutes from ``30`` (minutes) or a duration with its unit (``90s``, ``30m``, ``2h``); None if not > 0."""
    if len(args) != 1:
        return None
    try:
        value = float(args[0])
    except ValueError:
        try:
            value = reader.duration_s(reader.compose_text(args[0], "prompt"), reader.Ctx("prompt")) / 60.0
        except ConfigError:
            return None
    return value if 0 < value < float("inf") else None


def _stopped(drill: Drill, due: list, target_s: float | None) -> list[str]:
    """What to tell the room after running forward: why the clock stopped, and how to run on."""
    if not due or drill.done:
        return []
    left = "" if target_s is None or target_s <= drill.t_s else f" ({dashboard.span_text(target_s - drill.t_s)} of the run left)"
    return [f"clock stopped at the inject: discuss, decide, then r or e to run on{left}"]
