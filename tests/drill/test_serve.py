"""Facilitator and player views: a served drill, a player attached over a real socket.

The facilitator's drill and the player's terminal run as real processes (``d2c drill --serve`` and
``d2c drill --attach``), typed into through their standard input and read back from their output;
no wall-clock asserts, generous timeouts, every process killed at the end.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from _drill_helpers import cli_app, drill_file
from d2c.drill import Drill, load_drill
from d2c.drill.playerview import player_view
from d2c.drill.prompt import Session
from d2c.drill.serve import RoomServer
from d2c.drill.wire import parse_address, receive, send

CATALOGUE = """
decisions:
  generator: {action: generator, delay: 10m, fuel_hours: 6, role: civil-protection}
  fix: {action: repair-equipment, delay: 10m, role: operators}
"""
# S1 is destroyed at T+30m by the first inject; the second inject's text must never reach a player early.
INJECTS = ("[{at: T+30m, text: The mayor of Alpha calls, effect: MODEL-NOTE S1 destroyed, destroy: [S1]},"
           " {at: T+225m, text: LATER-INJECT the dam gives way}]")
LAUNCH = "import typer; from d2c.drill.cli import drill; typer.run(drill)"
TIMEOUT_S = 120.0


def _drill(tmp_path, small) -> Path:
    return drill_file(tmp_path, small, incidents="[]", duration="4h", injects=INJECTS, catalogue=CATALOGUE,
                      extra="operator_report_delay: 2h")


class _Process:
    """``d2c drill ARGS`` with a pipe to type into and its output gathered as it comes."""

    def __init__(self, cwd: Path, *args: str):
        env = dict(os.environ, COLUMNS="200", LINES="50", PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen([sys.executable, "-c", LAUNCH, *args], cwd=cwd, env=env, text=True,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.out = ""
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._gather, daemon=True)
        self._reader.start()

    def _gather(self) -> None:
        for chunk in iter(lambda: self.proc.stdout.read(1), ""):
            with self._lock:
                self.out += chunk

    def type(self, line: str) -> None:
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def wait_for(self, text: str, after: int = 0) -> int:
        """Wait until ``text`` appears in the output after offset ``after``; its offset."""
        deadline = time.monotonic() + TIMEOUT_S
        while time.monotonic() < deadline:
            with self._lock:
                found = self.out.find(text, after)
            if found >= 0:
                return found
            if self.proc.poll() is not None:
                time.sleep(0.5)
                with self._lock:
                    found = self.out.find(text, after)
                if found >= 0:
                    return found
                raise AssertionError(f"exited ({self.proc.returncode}) without {text!r}:\n{self.out[-3000:]}")
            time.sleep(0.1)
        raise AssertionError(f"never saw {text!r}:\n{self.out[-3000:]}")

    def finish(self) -> int:
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        code = self.proc.wait(timeout=TIMEOUT_S)
        self._reader.join(timeout=TIMEOUT_S)  # the last of its output, read after it exited (a busy machine)
        return code

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=TIMEOUT_S)


@pytest.fixture
def processes():
    made: list[_Process] = []

    def start(cwd, *args):
        made.append(_Process(cwd, *args))
        return made[-1]

    yield start
    for process in made:
        process.kill()


def _wait_for_socket(path: Path, facilitator: _Process) -> None:
    deadline = time.monotonic() + TIMEOUT_S
    while not path.exists():
        assert facilitator.proc.poll() is None, facilitator.out
        assert time.monotonic() < deadline, f"{path} never appeared:\n{facilitator.out}"
        time.sleep(0.1)


def _last_view(out: str) -> str:
    """The last view the player's terminal printed (views start with the drill's title line)."""
    return out[out.rindex("d2c drill small-drill"):]


def test_a_player_sees_only_what_the_role_knows_and_decides_into_the_facilitators_log(tmp_path, small, processes):
    path = _drill(tmp_path, small)
    sock = tmp_path / "room.sock"
    facilitator = processes(tmp_path, path.name, "--serve", str(sock), "--log", "log.yaml")
    _wait_for_socket(sock, facilitator)
    player = processes(tmp_path, "--attach", str(sock), "--role", "civil-protection")
    player.wait_for("YOUR DECISIONS")
    assert "generator SITE fuel_hours" in player.out and "fix SITE" not in player.out  # its role's catalogue

    facilitator.type("r 2h")  # stops at the inject at T+30m: S1 is destroyed then
    facilitator.type("r 1h")  # to T+1h30m: S1 down for an hour, not yet reported (2 h late)
    at = player.wait_for("step 90/240")
    view = _last_view(player.out[:player.wait_for("YOUR DECISIONS", at)])
    assert "The mayor of Alpha calls" in view  # the inject that came due, as read to the room
    assert "SITES DOWN: 0 of 3" in view and "S1  TIM" not in view  # down, but not reported yet

    mark = len(player.out)
    player.type("d fix S1")  # the operators' decision: refused for this role, as at the prompt
    player.wait_for("error: fix is a decision of operators, not of civil-protection", mark)
    player.type("d generator Alpha 5")  # a place for a site, as at the prompt
    player.wait_for("decided: generator S1", mark)

    facilitator.type("r 2h")  # T+3h30m: the network of T+1h30m is reported, S1 with it
    at = player.wait_for("step 210/240")
    view = _last_view(player.out[:player.wait_for("YOUR DECISIONS", at)])
    assert "SITES DOWN: 1 of 3" in view and "S1  TIM  serves Alpha" in view
    assert "generator S1 5  acts T+01:40" in view  # the room's decisions board

    facilitator.type("q")
    player.wait_for("the facilitator ended the drill")
    assert player.finish() == 0 and facilitator.finish() == 0
    # never the later inject, the model's note on an inject, the causes or the people without service
    for hidden in ("LATER-INJECT", "MODEL-NOTE", "damage", "no service", "terrestrial"):
        assert hidden not in player.out, hidden
    log = (tmp_path / "log.yaml").read_text()
    assert "decision: generator\n  target: S1\n  fuel_hours: 5.0" in log and "at: T+90m" in log
    assert "player civil-protection: decided: generator S1" in facilitator.out


def test_the_operators_see_their_own_alarms_now_the_others_as_reported(tmp_path, small):
    drill = Drill(load_drill(_drill(tmp_path, small)))
    drill.advance(3600.0)  # S1 destroyed at T+30m
    operators, centre = player_view(drill, "operators"), player_view(drill, "112-centre")
    assert [(s.site, s.cause) for s in operators.sites_down.sites] == [("S1", "damage")]
    assert centre.sites_down.count == 0 and "no operator report yet" in centre.sites_down.as_of
    assert "calls_answered" in centre.to_dict() and "calls_answered" not in operators.to_dict()
    drill.advance(2 * 3600.0 + 31 * 60.0)  # reported as the network was at T+31m, two hours late
    reported = player_view(drill, "112-centre").to_dict()["sites_down"]
    assert [s["site"] for s in reported["sites"]] == ["S1"] and "cause" not in reported["sites"][0]
    assert reported["as_of"].startswith("as the operators reported them: the network at T+00:31")
    text = json.dumps(player_view(drill, None).to_dict())
    assert "LATER-INJECT" not in text and "MODEL-NOTE" not in text and "The mayor of Alpha calls" in text


def test_a_view_crosses_the_socket_as_json_and_is_read_back_field_by_field(tmp_path, small):
    from d2c.drill.view import PlayerView, ViewError

    drill = Drill(load_drill(_drill(tmp_path, small)))
    drill.advance(3600.0)
    for role in ("operators", "112-centre", None):
        view = player_view(drill, role)
        wire = json.loads(json.dumps(view.to_dict()))
        assert PlayerView.from_dict(wire, "view") == view
    wire["sites_down"]["sites"] = [{"site": "S1", "operator": "A", "serves": "Alpha"}]
    with pytest.raises(ViewError, match=r"^view\.sites_down\.sites\[0\]\.serves: expected a list of text, got 'Alpha'$"):
        PlayerView.from_dict(wire, "view")


def _served(tmp_path, small) -> tuple[RoomServer, Path]:
    session = Session(Drill(load_drill(_drill(tmp_path, small))), Console(file=open(os.devnull, "w")))
    sock = tmp_path / "s.sock"
    server = RoomServer(session, parse_address(str(sock)))
    server.open()
    return server, sock


def test_a_wrong_role_or_a_bad_line_is_refused_in_one_line_and_the_drill_goes_on(tmp_path, small, monkeypatch):
    server, sock = _served(tmp_path, small)
    try:
        monkeypatch.chdir(tmp_path)
        run = CliRunner().invoke(cli_app(), ["drill", "--attach", str(sock), "--role", "mayor"])
        assert run.exit_code == 2 and run.output.strip().splitlines() == [
            "error: --role: no role 'mayor' in this drill (roles: civil-protection, operators; all for every "
            "decision)"]
        raw = socket.socket(socket.AF_UNIX)
        raw.connect(str(sock))
        stream = raw.makefile("rwb")
        send(stream, {"hello": {"role": "operators"}})
        assert "welcome" in receive(stream) and "view" in receive(stream)
        stream.write(b"not json\n")
        stream.flush()
        assert receive(stream) == {"reply": "error: expected a JSON object on one line"}
        raw.close()
        # the drill still serves: a new player attaches and decides
        again = socket.socket(socket.AF_UNIX)
        again.connect(str(sock))
        stream = again.makefile("rwb")
        send(stream, {"hello": {"role": "operators"}})
        receive(stream), receive(stream)
        send(stream, {"decide": "fix S2"})
        while "reply" not in (answer := receive(stream)):
            pass
        assert answer["reply"].startswith("decided: fix S2")
        again.close()
        assert [t.line() for t in server.session.drill.taken] == ["fix S2"]
    finally:
        server.close()


@pytest.mark.parametrize("args, expected", [
    (["--serve", "10.0.0.1:8765"], "error: --serve: expected a socket path (e.g. /tmp/room.sock) or "
                                   "127.0.0.1:PORT on this machine, got '10.0.0.1:8765'"),
    (["--serve", "room"], "error: --serve: expected a socket path"),
    (["--serve", "127.0.0.1:0"], "error: --serve: a port from 1 to 65535, got '0'"),
    (["--serve", "drill.yaml.sock", "--auto"], "error: --serve: players attach to the interactive drill"),
    (["--serve", "drill.yaml"], "error: --serve: expected a socket path"),
])
def test_bad_serve_addresses_are_refused_in_one_line(tmp_path, small, monkeypatch, args, expected):
    path = _drill(tmp_path, small)
    monkeypatch.chdir(tmp_path)
    run = CliRunner().invoke(cli_app(), ["drill", path.name, *args], input="q\n")
    assert run.exit_code == 2 and len(run.output.strip().splitlines()) == 1, run.output
    assert run.output.startswith(expected), run.output


def test_serving_where_a_file_is_or_another_drill_serves_is_refused(tmp_path, small, monkeypatch):
    path = _drill(tmp_path, small)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "taken.sock").write_text("a file")
    run = CliRunner().invoke(cli_app(), ["drill", path.name, "--serve", "taken.sock"], input="q\n")
    assert run.exit_code == 2 and run.output.strip().splitlines() == [
        "error: --serve: cannot serve at taken.sock: a file that is not a socket is there (choose another path)"]
    server, sock = _served(tmp_path, small)
    try:
        run = CliRunner().invoke(cli_app(), ["drill", path.name, "--serve", str(sock)], input="q\n")
        assert run.exit_code == 2 and run.output.strip().splitlines() == [
            f"error: --serve: cannot serve at {sock}: another drill is already served there"]
    finally:
        server.close()


def test_attaching_where_nothing_listens_or_with_the_facilitators_options_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    for args, expected in (
            (["--attach", str(tmp_path / "none.sock")], f"error: --attach: cannot attach to {tmp_path / 'none.sock'}: "
                                                        "no such socket"),
            (["--attach", f"127.0.0.1:{port}"], f"error: --attach: cannot attach to 127.0.0.1:{port}: nothing is "
                                                "listening there"),
            (["--attach", "example.org:80"], "error: --attach: expected a socket path"),
            (["drill.yaml", "--attach", "x.sock"], "error: --attach: the drill is the facilitator's; a player "
                                                   "gives only --role, got a drill file"),
            ([], "error: drill: expected a drill file (or --attach ADDR to join a served drill), got none")):
        run = CliRunner().invoke(cli_app(), ["drill", *args])
        assert run.exit_code == 2 and len(run.output.strip().splitlines()) == 1, run.output
        assert run.output.startswith(expected), run.output


def test_a_player_attaches_over_a_loopback_tcp_port_and_decides(tmp_path, small, monkeypatch):
    session = Session(Drill(load_drill(_drill(tmp_path, small))), Console(file=open(os.devnull, "w")))
    with socket.socket() as probe:  # a free loopback port, named explicitly as a facilitator would
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = RoomServer(session, parse_address(f"localhost:{port}"))
    server.open()
    try:
        monkeypatch.chdir(tmp_path)
        run = CliRunner().invoke(cli_app(), ["drill", "--attach", f"127.0.0.1:{port}", "--role", "operators"],
                                 input="list sites S2\nd fix S2\nq\n")
    finally:
        server.close()
    assert run.exit_code == 0, run.output
    assert "list sites matching 'S2' (1)\n  S2  TIM  not known yet  serves Beta" in run.output
    assert "decided: fix S2: taken at T+00:00, acts at T+00:10" in run.output
    assert run.output.rstrip().endswith("left the drill (it goes on without you)")
    assert [t.line() for t in session.drill.taken] == ["fix S2"]


def test_a_player_that_stops_reading_is_dropped_and_the_drill_goes_on(tmp_path, small, monkeypatch):
    from d2c.drill import serve

    monkeypatch.setattr(serve, "SEND_TIMEOUT_S", 1)  # the real figure is 10 s; the behaviour is the same
    server, sock = _served(tmp_path, small)
    try:
        stuck = socket.socket(socket.AF_UNIX)
        stuck.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        stuck.connect(str(sock))
        stream = stuck.makefile("rwb")
        send(stream, {"hello": {"role": "operators"}})
        assert "welcome" in receive(stream)  # attached; from now on it reads nothing
        deadline = time.monotonic() + TIMEOUT_S
        while server.roles_attached() != ["operators"]:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        published = 0
        while server.roles_attached():  # views pile up unread until the buffers are full, then it is dropped
            assert published < 100_000 and time.monotonic() < deadline
            server.publish()
            published += 1
        assert published > 1 and server.players == []
        server.session.handle("n")  # the facilitator's drill goes on
        assert server.session.drill.sim.index == 1
        stuck.close()
    finally:
        server.close()
