"""Reading YAML with line numbers, one typed field at a time.

PyYAML's composed node tree keeps the line of every value, so each field is
read from a node and checked where it stands: a bad value is reported at its
own line, an unknown key at the key's line. ``Fields`` wraps one mapping; its
``done()`` rejects any key nobody asked for, so typos never fall back to a
default silently.
"""

from __future__ import annotations

import difflib
import math
import os
import re
import stat
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterator, TypeVar

import yaml

from d2c.base import limits
from d2c.base.errors import ConfigError, Found

T = TypeVar("T")

# libyaml when present (much faster on national topologies), marks are kept either way.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))
# C0 control characters other than tab, newline and carriage return, and DEL.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def is_regular_file(path: str | Path) -> bool:
    """True for a regular file (or a link to one); False for anything else, a name too long included."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def read_text(path: str | Path) -> str:
    """The text of an input file, checked first: a regular file, within the size limit, UTF-8, no control characters.

    Every refusal is a ConfigError naming the file (and the line, for bad characters):
    a FIFO or a device is never opened, so it can neither block nor fill memory.
    """
    name = str(path)
    if _CONTROL.search(name):
        raise ConfigError(repr(name)[1:-1], None, "", "a file name without control characters")
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise ConfigError(name, None, "", "an existing file") from None
    except OSError as exc:
        raise ConfigError(name, None, "", "a readable file", Found(exc.strerror or exc.__class__.__name__)) from None
    if not stat.S_ISREG(info.st_mode):
        kind = next((what for test, what in _KINDS if test(info.st_mode)), "not a regular file")
        raise ConfigError(name, None, "", "a regular file", Found(kind))
    max_bytes = limits.max_input_bytes()
    if info.st_size > max_bytes:
        raise ConfigError(name, None, "", f"a file of at most {max_bytes / 1e6:g} MB "
                          "(d2c --max-input-mb N raises the limit)", Found(f"{info.st_size / 1e6:.1f} MB"))
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise ConfigError(name, None, "", "a readable file", Found(exc.strerror or exc.__class__.__name__)) from None
    if len(data) > max_bytes:
        raise ConfigError(name, None, "", f"a file of at most {max_bytes / 1e6:g} MB", Found("a file still growing"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ConfigError(name, line, "", "UTF-8 text", Found(f"the byte 0x{data[exc.start]:02x}")) from None
    bad = _CONTROL.search(text)
    if bad is not None:
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        raise ConfigError(name, line, "", "text without control characters",
                          Found(f"the control character U+{ord(bad.group()):04X} at column {column}"))
    return text


def compose_file(path: str | Path) -> yaml.Node:
    """Parse ``path`` into a node tree, turning I/O and syntax errors into ConfigError."""
    return compose_text(read_text(path), str(path))


def compose_text(text: str, name: str) -> yaml.Node:
    """Parse the text of file ``name`` into a node tree, turning syntax errors into ConfigError."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise ConfigError(name, line, "", f"valid YAML ({exc.problem})") from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1 if isinstance(exc.position, int) else None
        raise ConfigError(name, line, "", "valid YAML characters",
                          Found(f"the character U+{exc.character:04X}" if isinstance(exc.character, int)
                                else "a character YAML does not allow")) from None
    except yaml.YAMLError as exc:
        raise ConfigError(name, None, "", "valid YAML", Found(str(exc).splitlines()[0])) from None
    except RecursionError:
        raise ConfigError(name, None, "", "YAML nested less deeply") from None
    if node is None:
        raise ConfigError(name, 1, "", "a YAML mapping", Found("an empty file"))
    return node


def line_of(node: yaml.Node) -> int:
    return node.start_mark.line + 1


class Ctx:
    """Where a value stands: the file and the dotted field path."""

    __slots__ = ("file", "field")

    def __init__(self, file: str, field: str = ""):
        self.file = file
        self.field = field

    def child(self, key: str | int) -> "Ctx":
        if isinstance(key, int):
            return Ctx(self.file, f"{self.field}[{key}]")
        return Ctx(self.file, f"{self.field}.{key}" if self.field else key)

    def error(self, node: yaml.Node | None, expected: str, got: object = None) -> ConfigError:
        return ConfigError(self.file, line_of(node) if node is not None else None, self.field, expected, got)


Parser = Callable[[yaml.Node, Ctx], Any]


class Fields:
    """Typed access to the keys of one YAML mapping."""

    def __init__(self, node: yaml.Node, ctx: Ctx):
        if not isinstance(node, yaml.MappingNode):
            if not ctx.field:  # the whole file: never echo what it holds (it may be any file)
                what = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
                raise ctx.error(node, "a YAML mapping of fields (is this a d2c file?)", Found(what))
            raise ctx.error(node, "a mapping of fields", _scalar_value(node))
        self.node = node
        self.ctx = ctx
        self.line = line_of(node)
        self._items: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                raise ctx.error(key_node, "a field name")
            if key in self._items:
                raise ctx.child(key).error(key_node, "each field once, it is repeated")
            self._items[key] = (key_node, value_node)
        self._used: set[str] = set()

    def has(self, key: str) -> bool:
        return key in self._items

    def keys(self) -> list[str]:
        """The keys of the mapping in file order (for mappings keyed by name, e.g. per operator)."""
        return list(self._items)

    def node_of(self, key: str) -> yaml.Node | None:
        item = self._items.get(key)
        return item[1] if item else None

    def req(self, key: str, parse: Callable[[yaml.Node, Ctx], T]) -> T:
        self._used.add(key)
        if key not in self._items:
            typo = closest(key, [k for k in self._items if k not in self._used])
            if typo is not None:  # ``magnitud`` for ``magnitude``: report the typo, not a missing field
                raise self._unknown(typo, [key])
            raise ConfigError(self.ctx.file, self.line, self.ctx.child(key).field, "this required field")
        value_node = self._items[key][1]
        return parse(value_node, self.ctx.child(key))

    def opt(self, key: str, parse: Callable[[yaml.Node, Ctx], T], default: T) -> T:
        self._used.add(key)
        if key not in self._items or _is_null(self._items[key][1]):
            return default
        return parse(self._items[key][1], self.ctx.child(key))

    def done(self) -> None:
        for key in self._items:
            if key not in self._used:
                raise self._unknown(key, sorted(self._used))

    def _unknown(self, key: str, known: list[str]) -> ConfigError:
        """An unknown field, with the closest known name when one is close."""
        key_node = self._items[key][0]
        guess = closest(key, known)
        expected = f"a known field (did you mean {guess!r}?)" if guess else f"a known field (one of: {', '.join(known)})"
        return self.ctx.child(key).error(key_node, expected, Found("an unknown field"))


def closest(name: str, candidates: list[str]) -> str | None:
    """The candidate most like ``name`` (a typo's intended word), or None.

    >>> closest("magnitud", ["depth_km", "magnitude", "epicenter"])
    'magnitude'
    >>> closest("colour", ["depth_km"]) is None
    True
    """
    found = difflib.get_close_matches(name, candidates, n=1, cutoff=0.75)
    return found[0] if found else None


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"


def _scalar_value(node: yaml.Node) -> object:
    if isinstance(node, yaml.ScalarNode):
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return "a mapping"


# ---------------------------------------------------------------- scalar parsers

def string(node: yaml.Node, ctx: Ctx) -> str:
    if not isinstance(node, yaml.ScalarNode) or _is_null(node) or node.value == "":
        raise ctx.error(node, "a non-empty string", _scalar_value(node))
    return str(node.value)


def text(node: yaml.Node, ctx: Ctx) -> str:
    """Any scalar as text, empty allowed (descriptions)."""
    if not isinstance(node, yaml.ScalarNode):
        raise ctx.error(node, "text", _scalar_value(node))
    return str(node.value)


def boolean(node: yaml.Node, ctx: Ctx) -> bool:
    if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:bool":
        return node.value.lower() in ("true", "yes", "on")
    raise ctx.error(node, "true or false", _scalar_value(node))


def number(minimum: float | None = None, maximum: float | None = None, *, above: float | None = None) -> Parser:
    """A finite float within bounds (``above`` is exclusive)."""

    def parse(node: yaml.Node, ctx: Ctx) -> float:
        value = _float(node, ctx)
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum) or (
            above is not None and value <= above
        ):
            raise ctx.error(node, "a number " + _bounds(minimum, maximum, above), value)
        return value

    return parse


_NUMERIC_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_INT_TEXT = re.compile(r"^[-+]?(0[xX][0-9a-fA-F]{1,16}|0[oO][0-7]{1,22}|0[bB][01]{1,64}|[0-9]{1,30})$")
_FLOAT_TEXT = re.compile(r"^[-+]?([0-9]{1,400}(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]{1,4})?$")


def _plain_number_text(node: yaml.Node) -> str | None:
    """The text of a scalar written as a number (``1e5`` too, which YAML 1.1 reads as a string), else None."""
    if not isinstance(node, yaml.ScalarNode):
        return None
    if node.tag in _NUMERIC_TAGS or (node.tag == "tag:yaml.org,2002:str" and not node.style):  # plain, unquoted
        return node.value.replace("_", "").strip()
    return None


def whole_number(node: yaml.Node) -> int | None:
    """A whole number as written in YAML (``42``, ``0x2a``, ``0o52``, ``0b101010``, ``1e5``), else None.

    >>> from yaml import ScalarNode
    >>> [whole_number(ScalarNode("tag:yaml.org,2002:int", v)) for v in ("42", "-0x10", "0b101", "1:30")]
    [42, -16, 5, None]
    """
    raw = _plain_number_text(node)
    if raw is None:
        return None
    if _INT_TEXT.match(raw):
        sign = -1 if raw.startswith("-") else 1
        digits = raw.lstrip("+-")
        base = {"0x": 16, "0o": 8, "0b": 2}.get(digits[:2].lower(), 10)
        return sign * int(digits[2:] if base != 10 else digits, base)
    if _FLOAT_TEXT.match(raw):
        value = float(raw)
        if math.isfinite(value) and value.is_integer() and abs(value) < 2.0**63:
            return int(value)
    return None


def integer(minimum: int | None = None, maximum: int | None = None) -> Parser:
    def parse(node: yaml.Node, ctx: Ctx) -> int:
        value = whole_number(node)
        if value is None:
            raise ctx.error(node, "a whole number " + _bounds(minimum, maximum, None), _scalar_value(node))
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            raise ctx.error(node, "a whole number " + _bounds(minimum, maximum, None), value)
        return value

    return parse


latitude = number(-90.0, 90.0)
longitude = number(-180.0, 180.0)


def _float(node: yaml.Node, ctx: Ctx) -> float:
    raw = _plain_number_text(node)
    if raw is not None and _FLOAT_TEXT.match(raw):
        value = float(raw)
        if math.isfinite(value):
            return value
    raise ctx.error(node, "a number", _scalar_value(node))


def _num(x: float) -> str:
    """A bound as written: whole numbers in full (100000000, not 1e+08)."""
    return str(int(x)) if float(x).is_integer() and abs(x) < 1e19 else f"{x:g}"


def _bounds(minimum, maximum, above) -> str:
    parts = []
    if above is not None:
        parts.append(f"> {_num(above)}")
    if minimum is not None:
        parts.append(f">= {_num(minimum)}")
    if maximum is not None:
        parts.append(f"<= {_num(maximum)}")
    return " and ".join(parts) if parts else ""


def one_of(*choices: str) -> Parser:
    def parse(node: yaml.Node, ctx: Ctx) -> str:
        value = string(node, ctx)
        if value not in choices:
            raise ctx.error(node, "one of " + ", ".join(choices), value)
        return value

    return parse


_DURATION = re.compile(r"^\s*(\d{1,30}(?:\.\d{1,30})?(?:[eE][-+]?\d{1,3})?)\s*(s|sec|m|min|h|d)?\s*$")
# The longest time any field may hold: 100 years (scenario durations have their own, smaller limit).
MAX_TIME_S = 100 * 365.25 * 86400.0
_UNIT_S = {None: 1.0, "s": 1.0, "sec": 1.0, "m": 60.0, "min": 60.0, "h": 3600.0, "d": 86400.0}


def duration_s(node: yaml.Node, ctx: Ctx) -> float:
    """A duration: a number of seconds, or text like ``90s``, ``15m``, ``24h``, ``3d``."""
    if isinstance(node, yaml.ScalarNode):
        match = _DURATION.match(str(node.value))
        if match:
            value = float(match.group(1)) * _UNIT_S[match.group(2)]
            if value > MAX_TIME_S:
                raise ctx.error(node, "a duration of at most 100 years", str(node.value))
            return value
    raise ctx.error(node, "a duration like 3600, 90s, 15m, 24h or 3d", _scalar_value(node))


def positive_duration_s(node: yaml.Node, ctx: Ctx) -> float:
    value = duration_s(node, ctx)
    if value <= 0:
        raise ctx.error(node, "a duration > 0", value)
    return value


EARLIEST = datetime(1900, 1, 1, tzinfo=timezone.utc)
LATEST = datetime(2200, 1, 1, tzinfo=timezone.utc)


def utc_time(raw: str, assume_utc: bool = False) -> datetime:
    """An ISO 8601 time in UTC, between 1900 and 2200; ValueError (a short reason) otherwise.

    >>> utc_time("2016-08-24T03:36:00+02:00").isoformat()
    '2016-08-24T01:36:00+00:00'
    """
    text = raw.strip()
    try:
        value = datetime.fromisoformat(text[:-1] + "+00:00" if text[-1:] in ("Z", "z") else text)
    except ValueError:
        raise ValueError("an ISO 8601 time, e.g. 2016-08-24T01:36:00Z") from None
    if value.tzinfo is None:
        if not assume_utc:
            raise ValueError("an ISO 8601 time with a zone, e.g. 2016-08-24T01:36:00Z")
        value = value.replace(tzinfo=timezone.utc)
    try:
        value = value.astimezone(timezone.utc)
    except OverflowError:
        value = None
    if value is None or not EARLIEST <= value < LATEST:
        raise ValueError("a time between 1900-01-01 and 2199-12-31 (UTC)")
    return value


def timestamp(node: yaml.Node, ctx: Ctx) -> datetime:
    """An ISO 8601 time with a zone (``2016-08-24T01:36:00Z``), returned in UTC."""
    if isinstance(node, yaml.ScalarNode) and not _is_null(node):
        raw = str(node.value)
        try:
            return utc_time(raw)
        except ValueError as exc:
            raise ctx.error(node, str(exc), raw.strip()) from None
    raise ctx.error(node, "an ISO 8601 time, e.g. 2016-08-24T01:36:00Z", _scalar_value(node))


def list_of(parse_item: Callable[[yaml.Node, Ctx], T], min_items: int = 0) -> Callable[[yaml.Node, Ctx], list[T]]:
    def parse(node: yaml.Node, ctx: Ctx) -> list[T]:
        if not isinstance(node, yaml.SequenceNode):
            raise ctx.error(node, "a list", _scalar_value(node))
        if len(node.value) < min_items:
            raise ctx.error(node, f"a list of at least {min_items} item(s)", f"{len(node.value)} item(s)")
        return [parse_item(item, ctx.child(i)) for i, item in enumerate(node.value)]

    return parse


def items(node: yaml.Node, ctx: Ctx) -> Iterator[tuple[yaml.Node, Ctx]]:
    """The nodes of a list with their contexts, for lists of mappings."""
    if not isinstance(node, yaml.SequenceNode):
        raise ctx.error(node, "a list", _scalar_value(node))
    for i, item in enumerate(node.value):
        yield item, ctx.child(i)


def point(node: yaml.Node, ctx: Ctx) -> tuple[float, float]:
    """``[lat, lon]`` in degrees."""
    if not isinstance(node, yaml.SequenceNode) or len(node.value) != 2:
        raise ctx.error(node, "a point [lat, lon]", _scalar_value(node))
    return latitude(node.value[0], ctx.child(0)), longitude(node.value[1], ctx.child(1))


polygon = list_of(point, min_items=3)


def moment_s(start: datetime, duration_s: float | None = None) -> Parser:
    """A point in time as seconds from the scenario ``start``.

    Either an ISO 8601 time (``2016-08-24T01:36:00Z``) or an offset from the
    start (``T+2h``, ``+90m``, ``0``). With ``duration_s``, the time must fall
    within the scenario: from its start up to, not including, its end.
    """
    moment = _moment_s(start)
    if duration_s is None:
        return moment

    def parse(node: yaml.Node, ctx: Ctx) -> float:
        t_s = moment(node, ctx)
        if not 0.0 <= t_s < duration_s:
            raise ctx.error(node, f"a time within the scenario (T+0 up to, not including, T+{_hours(duration_s)})",
                            str(node.value))
        return t_s

    return parse


def _hours(seconds: float) -> str:
    return f"{seconds / 3600:g}h"


def _moment_s(start: datetime) -> Parser:
    def parse(node: yaml.Node, ctx: Ctx) -> float:
        if isinstance(node, yaml.ScalarNode):
            raw = str(node.value).strip()
            offset = raw[2:] if raw.upper().startswith("T+") else raw[1:] if raw.startswith("+") else None
            if offset is not None or node.tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
                if offset is not None:
                    node = yaml.ScalarNode("tag:yaml.org,2002:str", offset, node.start_mark, node.end_mark)
                try:
                    return duration_s(node, ctx)
                except ConfigError:
                    pass
            else:
                try:
                    return (timestamp(node, ctx) - start) / timedelta(seconds=1)
                except ConfigError:
                    pass
        raise ctx.error(node, "a time: ISO 8601 (2016-08-24T01:36:00Z) or an offset from the start (T+2h)",
                        _scalar_value(node))

    return parse


def each(fields: Fields, key: str) -> Iterator[tuple[yaml.Node, Ctx]]:
    """The items of an optional list field with their contexts (nothing if absent)."""
    node = fields.opt(key, lambda n, c: n, None)
    return items(node, fields.ctx.child(key)) if node is not None else iter(())


def load_relative(fields: Fields, key: str, loader: Callable[[Path], T], what: str,
                  how_to_get: Callable[[Path], str] | None = None) -> T:
    """Load the file a field names, relative to the file that names it.

    A missing file is reported at the naming field, not as an unreadable path,
    with ``how_to_get(path)`` appended: how to make or fetch the file.
    """
    relative = fields.req(key, string)
    if _CONTROL.search(relative):
        raise fields.ctx.child(key).error(fields.node_of(key), "a file path without control characters", relative)
    path = Path(fields.ctx.file).parent / relative
    try:
        return loader(path)
    except ConfigError as exc:
        if exc.file == str(path) and exc.line is None and "existing file" in exc.expected:
            hint = how_to_get(path) if how_to_get is not None else ""
            got = Found(f"{relative!r}, which does not exist" + (f" ({hint})" if hint else ""))
            raise ConfigError(fields.ctx.file, line_of(fields.node_of(key)), fields.ctx.child(key).field,
                              f"the path of {what}, relative to this file", got) from None
        raise
