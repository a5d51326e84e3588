"""A running object graph as a patch against a pristine one: what changed, as plain values and arrays.

A simulation is rebuilt deterministically from its scenario, so what a
checkpoint must keep is only what the run has changed since it was built:
every stage's arrays, the scheduled actions, the random generators' states,
the recorder's timeline. :func:`diff` walks a live object graph beside a
pristine one of the same construction and returns a JSON-able patch plus the
numpy arrays it names; :func:`patch` applies it to another pristine graph. The
stages need no code for this, and a stage that gains an attribute is covered
the day it does.

What the patch may hold is restricted: JSON scalars, tagged floats (bit-exact,
``float.hex``), lists, tuples, dicts, sets, bytes, datetimes, numpy arrays
(saved without pickle), numpy generators (their ``bit_generator.state``),
enums, and objects of classes defined in the ``d2c`` package, rebuilt
attribute by attribute (``object.__new__``: no constructor, no ``__reduce__``,
nothing else is imported or called). Objects the two graphs share (the world,
the scenario) are constants by contract and never saved.

>>> from types import SimpleNamespace as NS
>>> import numpy as np
>>> live, pristine, other = (NS(a=np.zeros(3), n=0, log=[]) for _ in range(3))
>>> live.a[1] = 2.5; live.log.append((60.0, "repair S1"))
>>> tree, arrays = diff(live, pristine)
>>> patch(other, tree, arrays)
>>> other.a.tolist(), other.log
([0.0, 2.5, 0.0], [(60.0, 'repair S1')])
"""

from __future__ import annotations

import base64
import datetime as _dt
import enum
import functools
import importlib
import types
from typing import Any

import numpy as np

__all__ = ["StateError", "diff", "patch"]

_BIT_GENERATORS = ("PCG64", "PCG64DXSM", "Philox", "SFC64", "MT19937")
_SCALARS = (type(None), bool, int, str)
_OPAQUE = (types.FunctionType, types.BuiltinFunctionType, types.ModuleType, type)


class StateError(ValueError):
    """The state cannot be saved (an object of a kind the format does not hold) or the patch is malformed."""


# ---------------------------------------------------------------- diff


def diff(live: Any, pristine: Any) -> tuple[dict, dict[str, np.ndarray]]:
    """The patch that turns ``pristine`` (or any graph built the same way) into ``live``, and its arrays."""
    forced: set[int] = set()
    for _ in range(8):
        walker = _Diff(forced)
        node = walker.node(live, pristine, [])
        conflicts = {p for p, lives in walker.pairs.items() if len(lives) > 1} - forced
        if not conflicts:
            return {"root": node}, walker.arrays
        forced |= conflicts  # a pristine object that stands for two live ones: save those whole
    raise StateError("the object graph's sharing could not be captured")


class _Diff:
    def __init__(self, forced: set[int]):
        self.forced = forced
        self.arrays: dict[str, np.ndarray] = {}
        self.seen: dict[int, tuple[list, int | None, bool]] = {}
        self.pairs: dict[int, set[int]] = {}
        self.keep: list = []  # holds every object visited, so that no id is reused during the walk

    def node(self, live: Any, pristine: Any, path: list) -> dict | None:
        if live is pristine:
            return None  # shared by both graphs: a constant (the world, the scenario)
        if isinstance(live, _SCALARS + (float, bytes, _dt.datetime, _dt.date, _dt.timedelta, np.generic)):
            return None if _same_scalar(live, pristine) else {"=": self.encode(live, path)}
        key = id(live)
        if key in self.seen:
            first_path, first_pristine, changed = self.seen[key]
            if not changed and first_pristine == id(pristine):
                return None
            return {"alias": first_path}
        self.keep.append(live)
        self.seen[key] = (path, id(pristine), False)
        node = self._compare(live, pristine, path)
        if node is not None:
            self.seen[key] = (path, id(pristine), True)
        return node

    def _compare(self, live: Any, pristine: Any, path: list) -> dict | None:
        if type(live) is not type(pristine) or id(pristine) in self.forced:
            return {"=": self.encode(live, path)}
        if isinstance(live, np.ndarray):
            same = live.dtype == pristine.dtype and live.shape == pristine.shape and live.tobytes() == pristine.tobytes()
            return None if same else {"=": self.encode(live, path)}
        if isinstance(live, np.random.Generator):
            state = live.bit_generator.state
            return None if state == pristine.bit_generator.state else {"rng": self.encode(state, path)}
        if isinstance(live, (list, tuple)):
            if len(live) != len(pristine) or _all_scalars(live):
                return None if _same_scalars(live, pristine) else {"=": self.encode(live, path)}
            items = [[i, n] for i, (a, b) in enumerate(zip(live, pristine))
                     if (n := self.node(a, b, path + [["i", i]])) is not None]
            if isinstance(live, tuple) and any("alias" in n for _, n in items):
                return {"=": self.encode(live, path)}  # a tuple cannot take an alias afterwards: save it whole
            return {"[]": items} if items else None
        if isinstance(live, dict):
            return self._dict(live, pristine, path)
        if isinstance(live, (set, frozenset)):
            return None if live == pristine else {"=": self.encode(live, path)}
        if isinstance(live, enum.Enum):
            return None if live is pristine else {"=": self.encode(live, path)}
        if isinstance(live, types.MethodType):
            if live.__func__ is not pristine.__func__:
                raise StateError(f"{_text(path)}: a method that changed cannot be saved")
            inner = self.node(live.__self__, pristine.__self__, path + [["self", None]])
            return None if inner is None else {"self": inner}
        if isinstance(live, _OPAQUE):
            raise StateError(f"{_text(path)}: a {type(live).__name__} that changed cannot be saved")
        self.pairs.setdefault(id(pristine), set()).add(id(live))
        live_attrs, pristine_attrs = _attributes(live), _attributes(pristine)
        changed = {}
        for name, value in live_attrs.items():
            if name not in pristine_attrs:
                changed[name] = {"=": self.encode(value, path + [["a", name]])}
            elif (n := self.node(value, pristine_attrs[name], path + [["a", name]])) is not None:
                changed[name] = n
        gone = [name for name in pristine_attrs if name not in live_attrs]
        if not changed and not gone:
            return None
        return {".": changed, "del": gone}

    def _dict(self, live: dict, pristine: dict, path: list) -> dict | None:
        items, gone = [], []
        for k, value in live.items():
            step = path + [["k", self.encode(k, path)]]
            if k in pristine:
                if (n := self.node(value, pristine[k], step)) is not None:
                    items.append([self.encode(k, path), n])
            else:
                items.append([self.encode(k, path), {"=": self.encode(value, step)}])
        gone = [self.encode(k, path) for k in pristine if k not in live]
        order_changed = list(live) != [k for k in pristine if k in live] + [k for k in live if k not in pristine]
        if not items and not gone and not order_changed:
            return None
        return {"{}": items, "del": gone, "order": [self.encode(k, path) for k in live] if order_changed else None}

    # ------------------------------------------------------------ whole values

    def encode(self, value: Any, path: list) -> Any:
        if isinstance(value, bool) or value is None or isinstance(value, str):
            return value
        if isinstance(value, int):
            return value if -2**53 < value < 2**53 else {"int": str(value)}
        if isinstance(value, float):
            return {"f": value.hex()}
        if isinstance(value, np.generic):
            return {"N": self._array(np.asarray(value))}
        if isinstance(value, np.ndarray):
            self._register(value, path)
            return {"A": self._array(value)}
        if isinstance(value, bytes):
            return {"B": base64.b64encode(value).decode("ascii")}
        if isinstance(value, _dt.datetime):
            return {"DT": value.isoformat()}
        if isinstance(value, _dt.date):
            return {"D8": value.isoformat()}
        if isinstance(value, _dt.timedelta):
            return {"TD": [value.days, value.seconds, value.microseconds]}
        if isinstance(value, enum.Enum):
            return {"E": _class_name(type(value), path), "v": self.encode(value.value, path)}
        if isinstance(value, np.random.Generator):
            name = type(value.bit_generator).__name__
            if name not in _BIT_GENERATORS:
                raise StateError(f"{_text(path)}: a random generator of kind {name} cannot be saved")
            return {"G": name, "s": self.encode(value.bit_generator.state, path)}
        if type(value) in (list, tuple):
            if value and all(type(v) is float for v in value):
                return {"LF" if type(value) is list else "TF": self._array(np.asarray(value, dtype=np.float64))}
            self._register(value, path)
            return {"L" if type(value) is list else "T": [self.encode(v, path + [["i", i]]) for i, v in enumerate(value)]}
        if isinstance(value, tuple) and hasattr(value, "_fields"):  # a named tuple of the d2c package
            return {"NT": _class_name(type(value), path), "v": [self.encode(v, path) for v in value]}
        if type(value) is dict:
            self._register(value, path)
            return {"M": [[self.encode(k, path), self.encode(v, path + [["k", self.encode(k, path)]])]
                          for k, v in value.items()]}
        if type(value) in (set, frozenset):
            return {"S" if type(value) is set else "FS": [self.encode(v, path) for v in sorted(value, key=repr)]}
        if isinstance(value, _OPAQUE + (types.MethodType,)) or not _attributes_available(value):
            raise StateError(f"{_text(path)}: a {type(value).__name__} cannot be saved")
        name = _class_name(type(value), path)
        self._register(value, path)
        return {"O": name, "a": {k: self.encode(v, path + [["a", k]]) for k, v in _attributes(value).items()}}

    def _register(self, value: Any, path: list) -> None:
        if id(value) not in self.seen:
            self.keep.append(value)
            self.seen[id(value)] = (path, None, True)

    def _array(self, value: np.ndarray) -> str:
        if value.dtype.hasobject:
            raise StateError("an array of Python objects cannot be saved")
        key = f"a{len(self.arrays)}"
        self.arrays[key] = np.ascontiguousarray(value)
        return key


def _same_scalar(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return a.hex() == b.hex()
    if isinstance(a, np.generic):
        return a.dtype == b.dtype and a.tobytes() == b.tobytes()
    return a == b


def _all_scalars(values) -> bool:
    return all(isinstance(v, _SCALARS + (float,)) for v in values)


def _same_scalars(a, b) -> bool:
    return len(a) == len(b) and all(_same_scalar(x, y) for x, y in zip(a, b))


def _slots(cls: type) -> list[str]:
    names = []
    for klass in cls.__mro__:
        for name in getattr(klass, "__slots__", ()):
            if name not in ("__dict__", "__weakref__") and name not in names:
                names.append(name)
    return names


def _attributes_available(value: Any) -> bool:
    return hasattr(value, "__dict__") or bool(_slots(type(value)))


def _attributes(value: Any) -> dict:
    """An object's state: its ``__dict__`` and slots, less cached properties (recomputed when read)."""
    cls = type(value)
    attrs = {k: v for k, v in getattr(value, "__dict__", {}).items()
             if not isinstance(getattr(cls, k, None), functools.cached_property)}
    for name in _slots(type(value)):
        if hasattr(value, name):
            attrs[name] = getattr(value, name)
    return attrs


def _class_name(cls: type, path: list) -> str:
    module = cls.__module__
    if module != "d2c" and not module.startswith("d2c."):
        raise StateError(f"{_text(path)}: a {cls.__module__}.{cls.__qualname__} cannot be saved")
    return f"{module}:{cls.__qualname__}"


def _text(path: list) -> str:
    out = "simulation"
    for kind, value in path:
        out += f".{value}" if kind == "a" else f"[{value!r}]" if kind in ("i", "k") else ""
    return out


# ---------------------------------------------------------------- patch


def patch(pristine: Any, tree: dict, arrays: dict[str, np.ndarray]) -> None:
    """Apply a :func:`diff` patch to ``pristine`` in place (it must be built as the diffed one was)."""
    if not isinstance(tree, dict) or "root" not in tree:
        raise StateError("not a state patch")
    fixups: list = []
    result = _Patch(arrays, fixups).apply(pristine, tree["root"])
    if result is not pristine:
        raise StateError("the patch replaces the whole object")
    for holder, slot, path in fixups:
        holder(slot, _follow(pristine, path, arrays))


class _Patch:
    def __init__(self, arrays: dict, fixups: list):
        self.arrays = arrays
        self.fixups = fixups

    def apply(self, target: Any, node: Any) -> Any:
        """The value ``target`` becomes under ``node`` (the same object when changed in place)."""
        if node is None:
            return target
        if not isinstance(node, dict):
            raise StateError("a malformed patch node")
        if "=" in node:
            return decode(node["="], self.arrays)
        if "rng" in node:
            if not isinstance(target, np.random.Generator):
                raise StateError("a random generator's state for something else")
            target.bit_generator.state = decode(node["rng"], self.arrays)
            return target
        if "[]" in node:
            return self._items(target, node["[]"])
        if "{}" in node:
            return self._dict(target, node)
        if "." in node:
            return self._object(target, node)
        if "self" in node:
            if not isinstance(target, types.MethodType):
                raise StateError("a method's patch for something else")
            self.apply(target.__self__, node["self"])
            return target
        raise StateError("a malformed patch node")

    def _items(self, target: Any, items: list) -> Any:
        if not isinstance(target, (list, tuple)):
            raise StateError("an item patch for something that has no items")
        values = target if isinstance(target, list) else list(target)
        for i, sub in items:
            if not isinstance(i, int) or not 0 <= i < len(values):
                raise StateError("an item patch out of range")
            if isinstance(sub, dict) and "alias" in sub:
                if values is not target:
                    raise StateError("an alias inside a tuple")
                self.fixups.append((target.__setitem__, i, sub["alias"]))
            else:
                values[i] = self.apply(values[i], sub)
        if values is target:
            return target
        return tuple(values) if type(target) is tuple else type(target)(*values)

    def _dict(self, target: Any, node: dict) -> Any:
        if not isinstance(target, dict):
            raise StateError("a dict patch for something else")
        for k_enc, sub in node["{}"]:
            k = decode(k_enc, self.arrays)
            if isinstance(sub, dict) and "alias" in sub:
                self.fixups.append((target.__setitem__, k, sub["alias"]))
            else:
                target[k] = self.apply(target.get(k), sub)
        for k_enc in node.get("del") or ():
            target.pop(decode(k_enc, self.arrays), None)
        if node.get("order") is not None:
            order = [decode(k, self.arrays) for k in node["order"]]
            if sorted(map(repr, order)) != sorted(map(repr, target)):
                raise StateError("a dict's key order names other keys")
            items = [(k, target[k]) for k in order]
            target.clear()
            target.update(items)
        return target

    def _object(self, target: Any, node: dict) -> Any:
        if isinstance(target, _SCALARS + (float, np.ndarray, list, tuple, dict)) or not _attributes_available(target):
            raise StateError("an attribute patch for something that has no attributes")
        for name, sub in node["."].items():
            if isinstance(sub, dict) and "alias" in sub:
                self.fixups.append((lambda slot, value, t=target: object.__setattr__(t, slot, value), name, sub["alias"]))
                continue
            current = getattr(target, name, None)
            object.__setattr__(target, name, self.apply(current, sub))
        for name in node.get("del") or ():
            if hasattr(target, name):
                object.__delattr__(target, name)
        return target


def _follow(root: Any, path: list, arrays: dict) -> Any:
    obj = root
    for kind, value in path:
        if kind == "a":
            obj = getattr(obj, value)
        elif kind == "i":
            obj = obj[value]
        elif kind == "k":
            obj = obj[decode(value, arrays)]
        elif kind == "self":
            obj = obj.__self__
        else:
            raise StateError("a malformed alias path")
    return obj


def decode(value: Any, arrays: dict[str, np.ndarray]) -> Any:
    """A whole value back from its encoding (see :func:`diff`)."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, list) or not isinstance(value, dict) or len(value) == 0:
        raise StateError("a malformed value")
    tag = next(iter(value))
    body = value[tag]
    try:
        if tag == "int":
            return int(body)
        if tag == "f":
            return float.fromhex(body)
        if tag == "N":
            return _array(arrays, body)[()]
        if tag == "A":
            return _array(arrays, body).copy()
        if tag in ("LF", "TF"):
            items = _array(arrays, body).tolist()
            return items if tag == "LF" else tuple(items)
        if tag == "B":
            return base64.b64decode(body, validate=True)
        if tag == "DT":
            return _dt.datetime.fromisoformat(body)
        if tag == "D8":
            return _dt.date.fromisoformat(body)
        if tag == "TD":
            return _dt.timedelta(days=body[0], seconds=body[1], microseconds=body[2])
        if tag == "L":
            return [decode(v, arrays) for v in body]
        if tag == "T":
            return tuple(decode(v, arrays) for v in body)
        if tag == "M":
            return {decode(k, arrays): decode(v, arrays) for k, v in body}
        if tag == "S":
            return {decode(v, arrays) for v in body}
        if tag == "FS":
            return frozenset(decode(v, arrays) for v in body)
        if tag == "G":
            if body not in _BIT_GENERATORS:
                raise StateError(f"an unknown random generator {body!r}")
            rng = np.random.Generator(getattr(np.random, body)())
            rng.bit_generator.state = decode(value["s"], arrays)
            return rng
        if tag == "E":
            return _load_class(body, enum.Enum)(decode(value["v"], arrays))
        if tag == "NT":
            return _load_class(body, tuple)(*[decode(v, arrays) for v in value["v"]])
        if tag == "O":
            cls = _load_class(body, object)
            obj = object.__new__(cls)
            for name, v in value["a"].items():
                object.__setattr__(obj, name, decode(v, arrays))
            return obj
    except StateError:
        raise
    except (TypeError, ValueError, KeyError, IndexError, AttributeError) as exc:
        raise StateError(f"a malformed value ({tag}: {exc.__class__.__name__})") from None
    raise StateError(f"an unknown value tag {tag!r}")


def _array(arrays: dict, key: Any) -> np.ndarray:
    if not isinstance(key, str) or key not in arrays:
        raise StateError(f"an array that is not in the file ({key!r})")
    return arrays[key]


def _load_class(name: Any, base: type) -> type:
    """A class of the d2c package by ``module:qualname``; nothing outside the package is imported."""
    if not isinstance(name, str) or ":" not in name:
        raise StateError("a malformed class name")
    module_name, qualname = name.split(":", 1)
    if module_name != "d2c" and not module_name.startswith("d2c.") or not all(
            part.isidentifier() for part in module_name.split(".") + qualname.split(".")):
        raise StateError(f"a class outside d2c ({name!r})")
    try:
        obj: Any = importlib.import_module(module_name)
        for part in qualname.split("."):
            obj = getattr(obj, part)
    except (ImportError, AttributeError):
        raise StateError(f"no class {name!r} in this version of d2c") from None
    if not isinstance(obj, type) or not issubclass(obj, base) or not obj.__module__.startswith("d2c"):
        raise StateError(f"{name!r} is not a class of d2c")
    return obj
