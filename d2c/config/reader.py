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
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterator, TypeVar

import yaml

from d2c.config.errors import ConfigError, Found

T = TypeVar("T")

# libyaml when present (much faster on national topologies), marks are kept either way.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def compose_file(path: str | Path) -> yaml.Node:
    """Parse ``path`` into a node tree, turning I/O and syntax errors into ConfigError."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(name, None, "", "an existing file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(name, None, "", f"a readable UTF-8 file ({exc.__class__.__name__})") from None
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise ConfigError(name, line, "", f"valid YAML ({exc.problem})") from None
    except yaml.YAMLError as exc:
        raise ConfigError(name, None, "", f"valid YAML ({exc})") from None
    if node is None:
        raise ConfigError(name, 1, "", "a YAML mapping, the file is empty")
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


def integer(minimum: int | None = None, maximum: int | None = None) -> Parser:
    def parse(node: yaml.Node, ctx: Ctx) -> int:
        if not (isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:int"):
            raise ctx.error(node, "a whole number " + _bounds(minimum, maximum, None), _scalar_value(node))
        value = int(node.value.replace("_", ""), 0) if node.value.lower().startswith(("0x", "0o")) else int(
            node.value.replace("_", "")
        )
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            raise ctx.error(node, "a whole number " + _bounds(minimum, maximum, None), value)
        return value

    return parse


latitude = number(-90.0, 90.0)
longitude = number(-180.0, 180.0)


def _float(node: yaml.Node, ctx: Ctx) -> float:
    if isinstance(node, yaml.ScalarNode) and node.tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
        try:
            value = float(node.value.replace("_", ""))
        except ValueError:
            value = math.nan
        if math.isfinite(value):
            return value
    raise ctx.error(node, "a number", _scalar_value(node))


def _bounds(minimum, maximum, above) -> str:
    parts = []
    if above is not None:
        parts.append(f"> {above:g}")
    if minimum is not None:
        parts.append(f">= {minimum:g}")
    if maximum is not None:
        parts.append(f"<= {maximum:g}")
    return " and ".join(parts) if parts else ""


def one_of(*choices: str) -> Parser:
    def parse(node: yaml.Node, ctx: Ctx) -> str:
        value = string(node, ctx)
        if value not in choices:
            raise ctx.error(node, "one of " + ", ".join(choices), value)
        return value

    return parse


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d)?\s*$")
_UNIT_S = {None: 1.0, "s": 1.0, "sec": 1.0, "m": 60.0, "min": 60.0, "h": 3600.0, "d": 86400.0}


def duration_s(node: yaml.Node, ctx: Ctx) -> float:
    """A duration: a number of seconds, or text like ``90s``, ``15m``, ``24h``, ``3d``."""
    if isinstance(node, yaml.ScalarNode):
        match = _DURATION.match(str(node.value))
        if match:
            return float(match.group(1)) * _UNIT_S[match.group(2)]
    raise ctx.error(node, "a duration like 3600, 90s, 15m, 24h or 3d", _scalar_value(node))


def positive_duration_s(node: yaml.Node, ctx: Ctx) -> float:
    value = duration_s(node, ctx)
    if value <= 0:
        raise ctx.error(node, "a duration > 0", value)
    return value


def timestamp(node: yaml.Node, ctx: Ctx) -> datetime:
    """An ISO 8601 time with a zone (``2016-08-24T01:36:00Z``), returned in UTC."""
    if isinstance(node, yaml.ScalarNode):
        raw = str(node.value).strip()
        try:
            value = datetime.fromisoformat(raw.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            value = None
        if value is not None and value.tzinfo is not None:
            return value.astimezone(timezone.utc)
        if value is not None:
            raise ctx.error(node, "an ISO 8601 time with a zone, e.g. 2016-08-24T01:36:00Z", raw)
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


def moment_s(start: datetime) -> Parser:
    """A point in time as seconds from the scenario ``start``.

    Either an ISO 8601 time (``2016-08-24T01:36:00Z``) or an offset from the
    start (``T+2h``, ``+90m``, ``0``).
    """

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
