"""A compiled cache of topology files: the YAML is parsed and checked once, then loaded in a blink.

The YAML stays the source of truth. A cache entry is keyed by the SHA-256 of the
file's text and by :data:`FORMAT_VERSION` (bumped whenever the topology's
dataclasses change), so an edited file or a newer d2c never reads a stale entry,
and a file with a mistake is never cached: its line-numbered error still comes
from the YAML. An entry is JSON (no pickle: nothing in it can run), column by
column, after a line holding the SHA-256 of the rest, so that a truncated or
altered entry is detected and rebuilt. Entries are written atomically
(a temporary file renamed over the old one) in ``$D2C_CACHE_DIR``, else
``$XDG_CACHE_HOME/d2c/topologies``, else ``~/.cache/d2c/topologies``; a cache
that cannot be written is skipped, never an error.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import tempfile
from pathlib import Path

from d2c.base.topology_model import (Area, Core, Gateway, Link, Operator, Power, Psap, Site, Substation, Topology,
                                     TransportNode)

__all__ = ["FORMAT_VERSION", "cache_dir", "entry_path", "load", "store"]

FORMAT_VERSION = 2
_GROUPS = {"areas": Area, "substations": Substation, "sites": Site, "nodes": TransportNode, "links": Link,
           "cores": Core, "psaps": Psap, "gateways": Gateway, "operators": Operator}


def cache_dir() -> Path:
    """Where entries live (``$D2C_CACHE_DIR`` first, for tests and shared machines)."""
    if os.environ.get("D2C_CACHE_DIR"):
        return Path(os.environ["D2C_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "d2c" / "topologies"


def entry_path(text: str) -> Path:
    """The entry of a topology file with this text."""
    digest = hashlib.sha256(f"{FORMAT_VERSION}\n{text}".encode("utf-8")).hexdigest()
    return cache_dir() / f"{digest}.json"


def load(text: str, name: str) -> Topology | None:
    """The cached topology for this text (its ``path`` set to ``name``), or None if absent or damaged."""
    try:
        raw = entry_path(text).read_text(encoding="utf-8")
        checksum, _, payload = raw.partition("\n")
        if hashlib.sha256(payload.encode("utf-8")).hexdigest() != checksum:
            return None
        return _decode(json.loads(payload), name)
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None


def store(text: str, topology: Topology) -> None:
    """Write the entry for this text, atomically; a cache that cannot be written is skipped."""
    path = entry_path(text)
    payload = json.dumps(_encode(topology), separators=(",", ":"), allow_nan=False)
    body = hashlib.sha256(payload.encode("utf-8")).hexdigest() + "\n" + payload
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(body)
        os.replace(tmp, path)
        tmp = None
    except (OSError, ValueError):
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _encode(topology: Topology) -> dict:
    doc = {"name": topology.name, "description": topology.description}
    for group, cls in _GROUPS.items():
        items = getattr(topology, group)
        doc[group] = {f.name: [_plain(getattr(item, f.name)) for item in items] for f in dataclasses.fields(cls)}
        doc[group]["_n"] = len(items)
    return doc


def _plain(value):
    if isinstance(value, Power):
        return [value.substation, value.battery_hours, value.generator_hours, value.site_class]
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def _decode(doc: dict, name: str) -> Topology:
    groups = {}
    for group, cls in _GROUPS.items():
        columns = doc[group]
        n = columns["_n"]
        converters = [_converter(f.type) for f in dataclasses.fields(cls)]
        values = [columns[f.name] for f in dataclasses.fields(cls)]
        if any(len(v) != n for v in values):
            raise ValueError("columns of unequal length")
        groups[group] = tuple(cls(*(conv(v) for conv, v in zip(converters, row))) for row in zip(*values))
    return Topology(name=doc["name"], description=doc["description"], path=name, **groups)


def _converter(annotation: str):
    if annotation == "Power":
        return lambda v: Power(*v)
    if annotation.startswith("tuple[tuple"):
        return lambda v: tuple(tuple(p) for p in v)
    if annotation.startswith("tuple"):
        return tuple
    return lambda v: v
