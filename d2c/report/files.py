"""Writing outputs atomically: a temp file in the same folder, then a rename."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Iterable

import numpy as np


def write_atomic(path: str | Path, data: bytes | str | Iterable) -> Path:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half.

    ``data`` is text, bytes, or an iterable of byte chunks (bytes or numpy
    arrays) for outputs too large to hold in memory at once, such as captures.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    chunks = [data.encode("utf-8")] if isinstance(data, str) else [data] if isinstance(data, bytes) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; results are shared, readable files
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                handle.write(memoryview(chunk).cast("B") if isinstance(chunk, np.ndarray) else chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return target


STDOUT = "-"  # the path that names standard output, as in most command-line tools


def is_stdout(path: str | Path | None) -> bool:
    return path is not None and str(path) == STDOUT


def write_output(path: str | Path, data: bytes | str) -> Path:
    """``write_atomic``, or standard output when ``path`` is ``-``."""
    if not is_stdout(path):
        return write_atomic(path, data)
    sys.stdout.flush()
    sys.stdout.buffer.write(data.encode("utf-8") if isinstance(data, str) else data)
    sys.stdout.buffer.flush()
    return Path(STDOUT)


def write_json(path: str | Path, document: dict) -> Path:
    """The document as indented JSON, atomically (or to standard output for ``-``)."""
    return write_output(path, json.dumps(document, indent=1, sort_keys=False) + "\n")
