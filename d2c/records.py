"""Frozen dataclasses read from JSON objects field by field, and written back to the same keys in the same order.

A ``Record`` subclass is a dataclass whose fields are the keys of a JSON
object. ``from_dict`` reads one, checking each field by its annotation (a kind
of ``d2c.result_fields.KINDS``), a nested record by its own ``from_dict`` and
a list of records item by item; ``to_dict`` writes it back, so that a file read
and written again has the same bytes. A field made with ``optional`` may be
absent: it is None then, and left out when written (present, it is never
null); one made with ``flat`` is a record whose keys sit in its parent's
object. A problem calls the class's ``fail`` (by default ``result_fields.bad``:
one line, ``file: ... field: expected ..., got ...``).

>>> from dataclasses import dataclass
>>> @dataclass(frozen=True)
... class Point(Record):
...     t_s: float
...     note: str | None = optional("str")
>>> Point.from_dict({"t_s": 60.0}, "p").to_dict()
{'t_s': 60.0}
>>> Point.from_dict({"t_s": "soon"}, "p", "r.json")
Traceback (most recent call last):
...
d2c.result_fields.ResultFileError: r.json: expected a d2c result JSON: p.t_s: expected a number, got 'soon'
"""

from __future__ import annotations

import dataclasses
from dataclasses import field
from pathlib import Path
from typing import Any

from d2c.result_fields import KINDS, bad, check

__all__ = ["Record", "flat", "nested", "optional", "read", "records"]


def optional(kind: str):
    """A field that may be absent from the JSON (None here, left out when written); present, it is of ``kind``."""
    return field(default=None, metadata={"kind": kind, "optional": True})


def records(cls: type, optional: bool = False):
    """A field holding a list of ``cls`` records."""
    return field(default=None, metadata={"record": cls, "many": True, "optional": optional})


def nested(cls: type, optional: bool = False):
    """A field holding one ``cls`` record."""
    return field(default=None, metadata={"record": cls, "optional": optional})


def flat(cls: type):
    """A record whose keys sit in its parent's object (read by the parent's ``from_dict``; None: none there)."""
    return field(default=None, metadata={"flat": cls})


def _key(f) -> str:
    return f.metadata.get("key", f.name)


class Record:
    """Read (``from_dict``, each field checked) and written (``to_dict``, the same keys in the same order)."""

    fail = staticmethod(bad)  # fail(file, field, expected, got, missing=False): raises

    @classmethod
    def from_dict(cls, node: Any, where: str, file: str | Path = ""):
        return cls(**read(cls, node, where, file))

    def to_dict(self) -> dict:
        doc: dict = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if value is None and (f.metadata.get("optional") or f.metadata.get("flat")):
                continue
            if f.metadata.get("flat"):
                doc.update(value.to_dict())
            else:
                doc[_key(f)] = _json(value)
        return doc


def _json(value: Any) -> Any:
    if isinstance(value, Record):
        return value.to_dict()
    if isinstance(value, list):
        return [_json(v) for v in value]
    return value


def read(cls: type, node: Any, where: str, file: str | Path = "") -> dict:
    """The fields of record ``cls`` from the JSON object ``node``, by name: plain ones checked by their kind,
    records by their own ``from_dict``, lists of records item by item; flat ones are left to the class."""
    fail = cls.fail
    if not isinstance(node, dict):
        fail(file, where, "an object", node)
    out: dict = {}
    for f in dataclasses.fields(cls):
        meta = f.metadata
        if meta.get("flat"):
            continue
        key, record = _key(f), meta.get("record")
        at = f"{where}.{key}"
        if key not in node:
            if not meta.get("optional"):
                fail(file, at, "a list" if meta.get("many") else "an object" if record else KINDS[f.type][1], None,
                     True)
            out[f.name] = None
            continue
        value = node[key]
        if record is not None and meta.get("many"):
            if not isinstance(value, list):
                fail(file, at, "a list", value)
            out[f.name] = [record.from_dict(item, f"{at}[{k}]", file) for k, item in enumerate(value)]
        elif record is not None:
            out[f.name] = record.from_dict(value, at, file)
        else:
            check(value, meta.get("kind", f.type), key, at, file, fail)
            out[f.name] = value
    return out
