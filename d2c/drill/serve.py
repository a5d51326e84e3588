"""Serving a drill to the players' terminals: ``d2c drill FILE --serve ADDR``.

The facilitator's terminal keeps the dashboard (the model's truth, the next
inject's text) and the prompt. ``RoomServer`` listens on a local socket
(``d2c.drill.wire``) in a thread of its own; each player attached with
``d2c drill --attach ADDR [--role ROLE]`` gets a thread that reads the player's
lines. After every command of the facilitator, and after every player's
decision, each player is sent the view of their role
(``d2c.drill.playerview.player_view``): never the model's hidden truth, never
an inject still to come. A player's decision goes through the facilitator's
own prompt (``Session.player_decides``): the same parsing, the same refusals
(another role's decision is refused), the same log, and it shows on the
facilitator's screen. Nothing a player sends can stop the drill: a bad line is
answered with one line of error and the player stays attached.
"""

from __future__ import annotations

import os
import shlex
import socket
import stat
import struct
import threading

from d2c.drill.playerview import player_rows, player_view
from d2c.drill.prompt import Session
from d2c.drill.wire import Address, AddressError, receive, send

__all__ = ["RoomServer"]

HELLO_TIMEOUT_S = 30.0  # a connection that does not say hello in this time is closed
SEND_TIMEOUT_S = 10  # a player whose terminal reads nothing this long, its buffer full, is dropped


class _Player:
    """One attached terminal: its socket, its role and a lock so views and replies never interleave."""

    def __init__(self, sock: socket.socket, role: str | None = None):
        # a terminal that stops reading must not stall the facilitator's drill: once its socket's buffer is
        # full, a send gives up after SEND_TIMEOUT_S and the player is dropped (reads keep no timeout)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, struct.pack("ll", int(SEND_TIMEOUT_S), 0))
        self.sock = sock
        self.stream = sock.makefile("rwb")
        self.role = role
        self.write_lock = threading.Lock()
        self.welcomed = False

    def send(self, message: dict) -> bool:
        with self.write_lock:
            try:
                send(self.stream, message)
                return True
            except (OSError, ValueError):
                return False

    def close(self) -> None:
        # shut the socket first: a thread reading the stream returns, so the stream can close
        for closing in (lambda: self.sock.shutdown(socket.SHUT_RDWR), self.stream.close, self.sock.close):
            try:
                closing()
            except OSError:
                pass


class RoomServer:
    """The drill of ``session`` served at ``address``: ``open()``, then ``publish()`` after changes, ``close()``."""

    def __init__(self, session: Session, address: Address):
        self.session = session
        self.address = address
        self.players: list[_Player] = []
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._closed = threading.Event()

    # ------------------------------------------------------------- lifetime

    def open(self) -> None:
        """Listen at the address, and accept players from now on; AddressError (one line) when it cannot."""
        a = self.address
        if a.path:
            _clear_stale_socket(a)
        sock = socket.socket(a.family, socket.SOCK_STREAM)
        if not a.path:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(a.target)
            sock.listen(8)
        except OSError as exc:
            sock.close()
            raise AddressError(f"cannot serve at {a}: {exc.strerror or exc}") from None
        self._listener = sock
        threading.Thread(target=self._accept, name="drill-serve", daemon=True).start()

    def close(self, farewell: str = "the facilitator ended the drill") -> None:
        """Tell every player the drill is over, close their connections and stop listening."""
        if self._closed.is_set():
            return
        self._closed.set()
        with self._lock:
            players, self.players = self.players, []
        for player in players:
            player.send({"end": farewell})
            player.close()
        if self._listener is not None:
            try:
                self._listener.close()
            except OSError:
                pass
        if self.address.path:
            try:
                os.unlink(self.address.path)
            except OSError:
                pass

    # ------------------------------------------------------------- views

    def publish(self) -> None:
        """Send every attached player the view of their role, as the drill is now."""
        with self._lock:
            players = [p for p in self.players if p.welcomed]
        views: dict = {}
        for player in players:
            if player.role not in views:
                with self.session.lock:
                    views[player.role] = player_view(self.session.drill, player.role).to_dict()
            if not player.send({"view": views[player.role]}):
                self._drop(player)

    def roles_attached(self) -> list[str]:
        with self._lock:
            return [p.role or "all" for p in self.players if p.welcomed]

    # ------------------------------------------------------------- threads

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                sock, _ = self._listener.accept()
            except OSError:
                return
            player = _Player(sock)
            with self._lock:
                self.players.append(player)
            threading.Thread(target=self._serve, args=(player,), name="drill-player", daemon=True).start()

    def _serve(self, player: _Player) -> None:
        try:
            if self._hello(player):
                self._talk(player)
        except (OSError, ValueError):
            pass
        finally:
            self._drop(player)

    def _hello(self, player: _Player) -> bool:
        player.sock.settimeout(HELLO_TIMEOUT_S)
        try:
            message = receive(player.stream)
        except (socket.timeout, ValueError):
            message = {}
        player.sock.settimeout(None)
        hello = message.get("hello") if isinstance(message, dict) else None
        if not isinstance(hello, dict):
            player.send({"refused": "expected a hello line first (d2c drill --attach ADDR [--role ROLE])"})
            return False
        role = hello.get("role")
        roles = self.session.drill.spec.roles
        if role in ("all", None):
            role = None
        elif not isinstance(role, str) or role not in roles:
            known = ", ".join(roles) if roles else "none: the catalogue gives no decision a role"
            player.send({"refused": f"--role: no role {role!r} in this drill (roles: {known}; all for every "
                                    "decision)"})
            return False
        player.role = role
        with self.session.lock:
            view = player_view(self.session.drill, role)
        player.welcomed = player.send({"welcome": {"drill": view.drill, "role": role or "all"}}) and \
            player.send({"view": view.to_dict()})
        if player.welcomed:
            self.session.note(f"player attached as {role or 'all'} ({len(self.roles_attached())} attached)")
        return player.welcomed

    def _talk(self, player: _Player) -> None:
        while not self._closed.is_set():
            try:
                message = receive(player.stream)
            except ValueError as exc:
                player.send({"reply": f"error: expected {exc}"})
                return  # the stream is mid-line: start again by attaching again
            if message is None:
                return
            if "decide" in message and isinstance(message["decide"], str):
                reply = self.session.player_decides(player.role, message["decide"])
                player.send({"reply": reply})
            elif "list" in message and isinstance(message["list"], str):
                player.send(self._rows(player, message["list"]))
            elif "bye" in message:
                return
            else:
                player.send({"reply": "error: expected {\"decide\": TEXT}, {\"list\": TEXT} or {\"bye\": null}"})

    def _rows(self, player: _Player, text: str) -> dict:
        try:
            words = shlex.split(text)
        except ValueError as exc:
            return {"reply": f"error: {exc} (close the quotes)"}
        kind = words[0].lower() if words else ""
        text_filter = " ".join(words[1:])
        try:
            with self.session.lock:
                rows = player_rows(self.session.drill, player.role, kind, text_filter)
        except ValueError as exc:
            return {"reply": f"error: {exc}"}
        return {"rows": rows, "title": f"{kind}" + (f" matching {text_filter!r}" if text_filter else "")
                + f" ({len(rows)})"}

    def _drop(self, player: _Player) -> None:
        with self._lock:
            if player not in self.players:
                return
            self.players.remove(player)
        if player.welcomed and not self._closed.is_set():
            self.session.note(f"player {player.role or 'all'} left ({len(self.roles_attached())} attached)")
        player.close()


def _clear_stale_socket(address: Address) -> None:
    """A socket file left by a drill that died may be reused; anything else at the path is refused."""
    path = address.path
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise AddressError(f"cannot serve at {path}: {exc.strerror or exc}") from None
    if not stat.S_ISSOCK(mode):
        raise AddressError(f"cannot serve at {path}: a file that is not a socket is there (choose another path)")
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        probe.connect(path)
    except OSError:
        os.unlink(path)  # nobody listens: a stale socket
        return
    finally:
        probe.close()
    raise AddressError(f"cannot serve at {path}: another drill is already served there")
