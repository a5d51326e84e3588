"""Checkpoints of a long run: save the simulation's state every N simulated hours, resume it bit for bit.

A checkpoint is a zip file (numpy can open it as an ``.npz``) of three kinds
of member, none of them pickled:

- ``meta.json``: the format version, a hash of this version of d2c's code,
  the SHA-256 of the scenario and topology files, the seed, the options the
  run was started with (traffic replay, sample), the step reached, and the
  SHA-256 of the other members;
- ``state.json``: what the run has changed since the simulation was built
  (``Simulation.state``, ``d2c/state_tree.py``): every stage's arrays, the
  scheduled actions, the random generators' states, the recorder's timeline;
- ``arrays/NAME.npy``: the arrays it names, read back with
  ``allow_pickle=False``.

Resuming rebuilds the simulation from the scenario exactly as the run did,
then applies the state (``Simulation.from_state``); a checkpoint whose
scenario, topology, code, format or options differ, or whose bytes are
damaged or cut short, is refused with one line (``CheckpointError``, exit
status 2). The file is written atomically (``write_atomic``), so a run
killed while saving leaves the previous checkpoint.

>>> Cadence(every_s=6 * 3600.0, step_s=60.0).due(360)
True
>>> Cadence(every_s=6 * 3600.0, step_s=60.0).due(361)
False
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import numpy as np

from d2c.base import limits
from d2c.base.errors import ConfigError, Found
from d2c.engine import Simulation
from d2c.report.files import write_atomic
from d2c.state_tree import StateError

__all__ = ["FORMAT", "CheckpointError", "Cadence", "Checkpointer", "code_hash", "fingerprint", "load", "resume",
           "save"]

FORMAT = 1  # the checkpoint's layout; bumped when meta.json or state.json change meaning
KIND = "d2c-checkpoint"
_MAX_EXPANSION = 200  # a member may not unpack to more than this many times the file's size (a zip bomb)


class CheckpointError(ConfigError):
    """A checkpoint that cannot be used, as one line: ``FILE: expected ..., got ...``."""

    def __init__(self, path: str | Path, expected: str, got: str | None = None):
        super().__init__(str(path), None, "", expected, Found(got) if got is not None else None)


@dataclass(frozen=True)
class Cadence:
    """When to save: after every step that ends on a multiple of ``every_s`` of simulated time."""

    every_s: float
    step_s: float

    def due(self, steps_done: int) -> bool:
        every_steps = max(int(round(self.every_s / self.step_s)), 1)
        return steps_done > 0 and steps_done % every_steps == 0


@lru_cache(maxsize=1)
def code_hash() -> str:
    """SHA-256 over this version of d2c's source and data files (a resumed run must run the same code)."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".py", ".yaml", ".json", ".csv")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _file_hash(path: str | Path) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return ""


def fingerprint(sim: Simulation, options: dict) -> dict:
    """What a checkpoint must match to be resumed by this run: code, scenario, topology, seed, options."""
    sc = sim.scenario
    return {
        "kind": KIND,
        "format": FORMAT,
        "code_sha256": code_hash(),
        "scenario": Path(sc.path).name if sc.path else "",
        "scenario_sha256": _file_hash(sc.path) if sc.path else "",
        "topology_sha256": _file_hash(sc.topology.path) if sc.topology.path else "",
        "seed": sc.seed,
        "step_s": sc.step_s,
        "steps": sc.steps,
        "options": options,
    }


def save(path: str | Path, sim: Simulation, pristine: Simulation, meta: dict) -> Path:
    """Write ``sim``'s state (against ``pristine``, built the same way and never stepped) to ``path``, atomically."""
    try:
        tree, arrays = sim.state(pristine)
    except StateError as exc:
        raise CheckpointError(path, "a state d2c can save", str(exc)) from None
    state_bytes = json.dumps(tree, separators=(",", ":"), allow_nan=False).encode("utf-8")
    members = {"state.json": state_bytes}
    for key, array in arrays.items():
        buffer = io.BytesIO()
        np.lib.format.write_array(buffer, array, allow_pickle=False)
        members[f"arrays/{key}.npy"] = buffer.getvalue()
    full = {**meta, "index": sim.index, "t_s": sim.t_s, "content_sha256": _content_hash(members)}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("meta.json", json.dumps(full, indent=1, allow_nan=False))
        for name, data in members.items():
            archive.writestr(name, data)
    return write_atomic(path, out.getvalue())


def _content_hash(members: dict[str, bytes]) -> str:
    digest = hashlib.sha256()
    for name in sorted(members):
        digest.update(name.encode() + b"\0" + hashlib.sha256(members[name]).digest())
    return digest.hexdigest()


def load(path: str | Path, expected: dict) -> tuple[dict, dict, dict[str, np.ndarray]]:
    """Read and check a checkpoint against ``expected`` (``fingerprint`` of this run): meta, state, arrays."""
    data = _read(path)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = {info.filename: info for info in archive.infolist()}
            if "meta.json" not in infos:
                raise CheckpointError(path, "a d2c checkpoint", "a file without one's metadata")
            budget = max(len(data), 1) * _MAX_EXPANSION
            if sum(info.file_size for info in infos.values()) > budget:
                raise CheckpointError(path, "a d2c checkpoint", "a file that unpacks to far more than its size")
            meta = _json(path, archive.read("meta.json"), "metadata")
            _check_meta(path, meta, expected)
            members = {name: archive.read(name) for name in infos if name != "meta.json"}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        if isinstance(exc, CheckpointError):
            raise
        raise CheckpointError(path, "a complete d2c checkpoint", "a damaged or truncated file") from None
    if _content_hash(members) != meta.get("content_sha256"):
        raise CheckpointError(path, "a complete d2c checkpoint", "a file whose content does not match its hash")
    if "state.json" not in members:
        raise CheckpointError(path, "a complete d2c checkpoint", "a file without the simulation's state")
    tree = _json(path, members.pop("state.json"), "state")
    arrays = {}
    for name, raw in members.items():
        if not (name.startswith("arrays/") and name.endswith(".npy")):
            raise CheckpointError(path, "a d2c checkpoint", f"an unexpected member {name!r}")
        try:
            arrays[name[len("arrays/"):-len(".npy")]] = np.lib.format.read_array(io.BytesIO(raw), allow_pickle=False)
        except (ValueError, OSError, EOFError):
            raise CheckpointError(path, "a complete d2c checkpoint", f"a damaged array {name!r}") from None
    return meta, tree, arrays


def _read(path: str | Path) -> bytes:
    p = Path(path)
    try:
        if not p.is_file():
            raise CheckpointError(path, "an existing checkpoint file",
                                  "nothing there" if not p.exists() else "something that is not a regular file")
        size = p.stat().st_size
        if size > limits.max_input_bytes() * 16:
            raise CheckpointError(path, f"a checkpoint of at most {limits.max_input_bytes() * 16 / 1e6:g} MB "
                                  "(d2c --max-input-mb N raises the limit)", f"{size / 1e6:.1f} MB")
        return p.read_bytes()
    except OSError as exc:
        raise CheckpointError(path, "a readable checkpoint file", exc.strerror or exc.__class__.__name__) from None


def _json(path: str | Path, raw: bytes, what: str) -> Any:
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise CheckpointError(path, "a complete d2c checkpoint", f"damaged {what}") from None
    if not isinstance(value, dict):
        raise CheckpointError(path, "a complete d2c checkpoint", f"damaged {what}")
    return value


def _check_meta(path: str | Path, meta: dict, expected: dict) -> None:
    if meta.get("kind") != KIND:
        raise CheckpointError(path, "a d2c checkpoint", "another kind of file")
    if meta.get("format") != FORMAT:
        raise CheckpointError(path, f"a checkpoint of format {FORMAT}", f"format {meta.get('format')!r}")
    if meta.get("code_sha256") != expected["code_sha256"]:
        raise CheckpointError(path, "a checkpoint saved by this version of d2c",
                              "one saved by another version (resume with the version that saved it)")
    for key, what in (("scenario_sha256", "scenario"), ("topology_sha256", "topology")):
        if meta.get(key) != expected[key]:
            raise CheckpointError(path, f"a checkpoint of this {what} file",
                                  f"one of another {what} (or of this file before it was edited)")
    for key in ("seed", "step_s", "steps"):
        if meta.get(key) != expected[key]:
            raise CheckpointError(path, f"a checkpoint with {key} {expected[key]!r}", f"{key} {meta.get(key)!r}")
    if meta.get("options") != expected["options"]:
        raise CheckpointError(path, f"a checkpoint of a run with options {_options(expected['options'])}",
                              f"one with {_options(meta.get('options'))} (give the options it was saved with)")
    index = meta.get("index")
    if not isinstance(index, int) or not 0 <= index <= expected["steps"]:
        raise CheckpointError(path, "a complete d2c checkpoint", f"step {index!r}")


def _options(options: Any) -> str:
    if not isinstance(options, dict):
        return repr(options)
    return ", ".join(f"{k}={v!r}" for k, v in sorted(options.items())) or "none"


def resume(path: str | Path, build: Callable[[], Simulation], options: dict) -> Simulation:
    """A simulation built by ``build`` and brought to the state saved in ``path`` (checked first)."""
    sim = build()
    meta, tree, arrays = load(path, fingerprint(sim, options))
    try:
        sim = Simulation.from_state(sim, (tree, arrays))
    except StateError as exc:
        raise CheckpointError(path, "a complete d2c checkpoint", f"a state this version cannot apply ({exc})") from None
    if sim.index != meta["index"]:
        raise CheckpointError(path, "a complete d2c checkpoint", "a state at another step than its metadata says")
    return sim


class Checkpointer:
    """Saves a run's state to ``path`` as it goes (an ``on_step`` callback of ``Simulation.run``).

    ``build`` makes a pristine simulation the way the run's was made; it is
    built once, at the first save, and never stepped.
    """

    def __init__(self, path: str | Path, every_s: float, build: Callable[[], Simulation], options: dict):
        self.path = Path(path)
        self.build = build
        self.options = options
        self.every_s = every_s
        self._pristine: Simulation | None = None
        self.saved = 0

    def after_step(self, sim: Simulation) -> None:
        if sim.done or not Cadence(self.every_s, sim.scenario.step_s).due(sim.index):
            return
        if self._pristine is None:
            self._pristine = self.build()
        save(self.path, sim, self._pristine, fingerprint(sim, self.options))
        self.saved += 1
