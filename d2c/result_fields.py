"""How each field of a result file is checked: its kind, its bounds, and the one-line error.

``d2c.result`` reads its dataclasses with ``typed`` (each field checked by its
annotation, a kind of ``KINDS``) and the blocks it keeps as written with
``shape``. A problem raises ``ResultFileError`` as one line, ``file: expected a
d2c result JSON: field: expected ..., got ...``. Beyond its type, a field whose
name ends in ``_s`` holds seconds and must lie within ``MAX_TIME_S`` of the
start (as every time a user writes), and an integer must fit a 64-bit count,
so that no figure a report computes from a file can overflow.

>>> shape({"t_s": 60.0, "name": "x"}, {"t_s": "float", "?note": "str"}, "block", "r.json")
>>> try:
...     shape({"t_s": 1e18}, {"t_s": "float"}, "block", "r.json")
... except ResultFileError as exc:
...     print(exc)
r.json: expected a d2c result JSON: block.t_s: expected seconds within 100 years, got 1e+18
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from d2c.base.reader import MAX_TIME_S

__all__ = ["KINDS", "MAX_COUNT", "OrNull", "ResultFileError", "bad", "check", "integer", "json_kind", "number",
           "shape", "shown", "typed", "values"]

MAX_COUNT = 2**63  # any count in a result (people, sites, steps) is far below it; beyond is a mangled file


class ResultFileError(ValueError):
    """The result file cannot be read; the message is one line."""


@dataclass(frozen=True)
class OrNull:
    """A shape that may also be null (``OrNull({"p50": "float"})``)."""

    spec: Any


def number(value: Any) -> bool:
    """A finite JSON number that converts to a float (not a bool)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return abs(value) < MAX_COUNT if isinstance(value, int) else math.isfinite(value)


def integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) < MAX_COUNT


def _interval(value: Any) -> bool:
    return isinstance(value, list) and len(value) == 2 and all(number(v) for v in value)


KINDS = {  # a field's annotation (or a shape's kind): its check and how an error names what was expected
    "str": (lambda v: isinstance(v, str), "text"),
    "str | None": (lambda v: v is None or isinstance(v, str), "text or null"),
    "int": (integer, "an integer"),
    "int | None": (lambda v: v is None or integer(v), "an integer or null"),
    "float": (number, "a number"),
    "float | None": (lambda v: v is None or number(v), "a number or null"),
    "bool": (lambda v: isinstance(v, bool), "true or false"),
    "bool | None": (lambda v: v is None or isinstance(v, bool), "true, false or null"),
    "dict": (lambda v: isinstance(v, dict), "an object"),
    "dict | None": (lambda v: v is None or isinstance(v, dict), "an object or null"),
    "list[float]": (lambda v: isinstance(v, list) and all(number(x) for x in v), "a list of numbers"),
    "list[float] | None": (lambda v: v is None or _interval(v), "[low, high] or null"),
    "list[int]": (lambda v: isinstance(v, list) and all(integer(x) for x in v), "a list of integers"),
    "list[str]": (lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v), "a list of text"),
}


def _within(value: Any) -> bool:
    """Seconds (one, or a list) within ``MAX_TIME_S`` either side of the start."""
    items = value if isinstance(value, list) else [value]
    return all(not number(x) or abs(x) <= MAX_TIME_S for x in items)


def check(value: Any, kind: str, key: str, where: str, file: str | Path, fail=None) -> None:
    """``value`` of field ``key`` is of ``kind`` (and, for ``*_s``, within range), else ``fail`` (default ``bad``:
    ``ResultFileError``) with the field and what was expected."""
    fail = fail or bad
    test, what = KINDS[kind]
    if not test(value):
        fail(file, where, what, value)
    if key.endswith("_s") and not _within(value):
        fail(file, where, "seconds within 100 years", value)


def typed(cls: type, node: dict, where: str, file: str | Path, suffix: str = "", skip: tuple = ()) -> dict:
    """The fields of dataclass ``cls`` read from ``node`` (JSON key: name + ``suffix``), each checked by its type.

    A field that may be None and defaults to None may be absent."""
    out = {}
    for f in dataclasses.fields(cls):
        if f.name in skip:
            continue
        key = f.name + suffix
        if key not in node:
            if not (f.type.endswith("| None") and f.default is None):
                bad(file, f"{where}.{key}", KINDS[f.type][1], None, missing=True)
        else:
            check(node[key], f.type, key, f"{where}.{key}", file)
        out[f.name] = node.get(key)
    return out


def shape(value: Any, spec: Any, where: str, file: str | Path) -> None:
    """``value`` has the shape ``spec``: a kind of ``KINDS``, ``{key: spec}`` (``?key``: may be absent; keys
    not named are kept unchecked), ``[spec]`` (a list of them) or ``OrNull(spec)``; else ``ResultFileError``
    naming the field."""
    if isinstance(spec, OrNull):
        if value is None:
            return
        spec = spec.spec
    if isinstance(spec, list):
        if not isinstance(value, list):
            bad(file, where, "a list", value)
        for k, item in enumerate(value):
            shape(item, spec[0], f"{where}[{k}]", file)
    elif isinstance(spec, dict):
        if not isinstance(value, dict):
            bad(file, where, "an object", value)
        for key, sub in spec.items():
            name = key.lstrip("?")
            if name in value:
                shape(value[name], sub, f"{where}.{name}", file)
            elif not key.startswith("?"):
                bad(file, f"{where}.{name}", _what(sub), None, missing=True)
    else:
        check(value, spec, where.rsplit(".", 1)[-1], where, file)


def _what(spec: Any) -> str:
    if isinstance(spec, OrNull):
        return _what(spec.spec) + " or null"
    return "a list" if isinstance(spec, list) else "an object" if isinstance(spec, dict) else KINDS[spec][1]


def values(obj: Any) -> dict:
    """A dataclass's own fields, shallow, in their order."""
    return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}


def json_kind(value: Any) -> str:
    return {dict: "object", list: "array", str: "str", bool: "boolean", type(None): "null"}.get(
        type(value), type(value).__name__)


def bad(file: str | Path, field_name: str, expected: str, got: Any, missing: bool = False) -> None:
    """Raise the one-line error for ``field_name`` of ``file``."""
    # "expected a d2c result JSON" first: the file is not one, and this field is why
    raise ResultFileError(f"{file}: expected a d2c result JSON: {field_name}: expected {expected}, got "
                          f"{shown(got, missing)}")


def shown(got: Any, missing: bool = False) -> str:
    """A value as an error line shows it: ``nothing`` when missing, else its repr, cut at 60 characters.

    >>> shown("x" * 80)[-5:], shown(None, missing=True)
    ('xx...', 'nothing')
    """
    return "nothing" if missing else (repr(got) if len(repr(got)) <= 60 else repr(got)[:57] + "...")
