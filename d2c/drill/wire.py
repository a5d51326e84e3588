"""The socket between the facilitator's drill and the players' terminals: addresses and JSON lines.

An address is a Unix domain socket path (``/tmp/room.sock``, or ``unix:NAME``)
or a TCP port on this machine's loopback (``127.0.0.1:8765``, ``localhost:8765``):
the drill is served to terminals in the same room, never to the network.
Each message is one JSON object on one line (UTF-8, ``\\n``-terminated):

    player -> drill   {"hello": {"role": "operators"}}       first, once (role null: every role)
    drill -> player   {"welcome": {...}} or {"refused": "one line"} (then the drill closes)
    drill -> player   {"view": {...}}                        after every change (d2c.drill.view.PlayerView)
    player -> drill   {"decide": "generator Amatrice 12"}    the words after ``d`` at the prompt
    player -> drill   {"list": "sites Amatrice"}             the words after ``list``
    drill -> player   {"reply": "decided: ..."} / {"reply": "error: ..."} / {"rows": [...], "title": "..."}
    drill -> player   {"end": "one line"}                    the drill finished; the drill closes
"""

from __future__ import annotations

import json
import socket
from dataclasses import dataclass

__all__ = ["Address", "AddressError", "MAX_LINE_BYTES", "parse_address", "connect", "send", "receive"]

LOOPBACK = {"127.0.0.1": "127.0.0.1", "localhost": "127.0.0.1"}
MAX_LINE_BYTES = 4 << 20  # a view of a national topology's sites fits with room to spare
# sun_path holds 108 bytes on Linux, 104 on the BSDs and macOS, with its terminating NUL
MAX_UNIX_PATH_BYTES = 103


class AddressError(ValueError):
    """An address that cannot be served or attached; the message is one line."""


@dataclass(frozen=True)
class Address:
    """Where the drill is served: a Unix socket ``path``, or ``port`` on the loopback ``host``."""

    path: str = ""
    host: str = ""
    port: int = 0

    @property
    def family(self) -> int:
        return socket.AF_UNIX if self.path else socket.AF_INET

    @property
    def target(self):
        return self.path if self.path else (self.host, self.port)

    def __str__(self) -> str:
        return self.path or f"{self.host}:{self.port}"


def parse_address(text: str) -> Address:
    """A socket path or a loopback ``HOST:PORT``; AddressError with what was expected.

    >>> parse_address("/tmp/room.sock"), parse_address("localhost:8765")
    (Address(path='/tmp/room.sock', host='', port=0), Address(path='', host='127.0.0.1', port=8765))
    >>> parse_address("10.0.0.1:80")
    Traceback (most recent call last):
    ...
    d2c.drill.wire.AddressError: expected a socket path (e.g. /tmp/room.sock) or 127.0.0.1:PORT on this machine, got '10.0.0.1:80'
    """
    raw = text.strip()
    expected = "expected a socket path (e.g. /tmp/room.sock) or 127.0.0.1:PORT on this machine"
    if raw.startswith("unix:") or "/" in raw or raw.endswith(".sock"):
        path = raw[5:] if raw.startswith("unix:") else raw
        if not path or "\0" in path:
            raise AddressError(f"{expected}, got {text!r}")
        if len(path.encode("utf-8")) > MAX_UNIX_PATH_BYTES:
            raise AddressError(f"a socket path of at most {MAX_UNIX_PATH_BYTES} bytes, got {len(path.encode())} "
                               f"bytes ({text!r}): use a shorter folder")
        return Address(path=path)
    host, colon, port = raw.rpartition(":")
    if not colon or host.strip("[]") not in LOOPBACK or not port.isdigit():
        raise AddressError(f"{expected}, got {text!r}")
    if not 1 <= int(port) <= 65535:
        raise AddressError(f"a port from 1 to 65535, got {port!r}")
    return Address(host=LOOPBACK[host.strip("[]")], port=int(port))


def connect(address: Address, timeout_s: float = 10.0) -> socket.socket:
    """A connection to a drill served at ``address``; AddressError when nothing listens there."""
    sock = socket.socket(address.family, socket.SOCK_STREAM)
    sock.settimeout(timeout_s)
    try:
        sock.connect(address.target)
    except (FileNotFoundError, ConnectionRefusedError, socket.timeout, OSError) as exc:
        sock.close()
        why = "no such socket" if isinstance(exc, FileNotFoundError) else (
            "nothing is listening there" if isinstance(exc, ConnectionRefusedError) else exc.strerror or str(exc))
        raise AddressError(f"cannot attach to {address}: {why} (the facilitator starts it with "
                           f"d2c drill DRILL --serve {address})") from None
    sock.settimeout(None)
    return sock


def send(stream, message: dict) -> None:
    """One message as a JSON line on a binary stream (a socket's ``makefile('wb')``)."""
    stream.write(json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n")
    stream.flush()


def receive(stream) -> dict | None:
    """The next message of a binary stream; None at its end. ValueError for a line that is not a JSON
    object, or longer than MAX_LINE_BYTES."""
    line = stream.readline(MAX_LINE_BYTES + 1)
    if not line:
        return None
    if len(line) > MAX_LINE_BYTES:
        raise ValueError(f"a message of at most {MAX_LINE_BYTES} bytes")
    try:
        message = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ValueError("a JSON object on one line") from None
    if not isinstance(message, dict):
        raise ValueError("a JSON object on one line")
    return message
