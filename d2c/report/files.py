"""Writing outputs atomically: a temp file in the same folder, then a rename.

Outputs only ever replace a regular file (or take a free name): a symlink, a
directory, a device node or a FIFO at the output path is refused, so that
``--json /dev/null`` cannot replace ``/dev/null``. d2c never creates
directories: the folder of an output must exist. A failed or interrupted
write keeps the old file; the temp file (``.NAME.PID.XXXX.tmp`` beside the
output) is removed on every exit path, and the temp files a killed process
left behind for the same output are removed by the next run that names it
(``check_writable``) or writes it.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import Iterable

import numpy as np

__all__ = ["STDOUT", "OutputError", "check_writable", "is_stdout", "write_atomic", "write_json", "write_output"]


class OutputError(OSError):
    """An output that cannot be written, as one line: ``PATH: cannot write: REASON``."""

    def __init__(self, path: str | Path, reason: str):
        super().__init__(f"{path}: cannot write: {reason}")
        self.path = str(path)
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.path}: cannot write: {self.reason}"


_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"))


def _refuse_non_regular(target: Path) -> None:
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise OutputError(target, _reason(exc)) from None
    if stat.S_ISLNK(info.st_mode):
        raise OutputError(target, "it is a symlink; give the path of a regular file")
    if not stat.S_ISREG(info.st_mode):
        kind = next((name for test, name in _KINDS if test(info.st_mode)), "not a regular file")
        raise OutputError(target, f"it is {kind}, not a regular file")


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "no space left on the device"
    if exc.errno == errno.EFBIG:
        return "file too large (a file size limit, e.g. ulimit -f)"
    if exc.errno == errno.ENAMETOOLONG:
        return "the name is too long"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.EROFS:
        return "read-only file system"
    if exc.errno == errno.EDQUOT:
        return "disk quota exceeded"
    return exc.strerror or str(exc) or exc.__class__.__name__


def _folder(target: Path) -> Path:
    folder = target.parent
    if not folder.is_dir():
        what = "does not exist" if not folder.exists() else "is not a directory"
        raise OutputError(target, f"the folder {str(folder)!r} {what} (d2c creates no folders)")
    return folder


def _check_name(target: Path, folder: Path) -> None:
    try:
        name_max = os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):
        name_max = 255
    if len(os.fsencode(target.name)) > name_max:
        raise OutputError(target, f"the name is too long (more than {name_max} bytes)")


def _temp_prefix(target: Path) -> str:
    """Temp files of ``target`` start with this; a long name is shortened so the temp name still fits."""
    return "." + os.fsdecode(os.fsencode(target.name)[:200]) + "."


def _remove_stale_temps(target: Path, folder: Path) -> None:
    """Remove the temp files a killed writer of ``target`` left (``.NAME.PID.XXXX.tmp`` with PID gone)."""
    prefix = _temp_prefix(target)
    try:
        names = [n for n in os.listdir(folder) if n.startswith(prefix) and n.endswith(".tmp")]
    except OSError:
        return
    for name in names:
        pid_text = name[len(prefix):].split(".", 1)[0]
        if not pid_text.isdigit() or _alive(int(pid_text)):
            continue
        try:
            os.unlink(folder / name)
        except OSError:
            pass


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # this process writes one output at a time: an old temp of ours is stale
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def _open_temp(target: Path, folder: Path) -> tuple[int, str]:
    try:
        return tempfile.mkstemp(prefix=f"{_temp_prefix(target)}{os.getpid()}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(target, _reason(exc)) from None


def check_writable(path: str | Path) -> Path:
    """Check, before any work, that ``path`` can be written; raise OutputError (one line) if not.

    The path must be absent or a regular file, in an existing folder where a
    temp file can be created. Temp files a killed writer of the same path
    left behind are removed.

    >>> import tempfile, os
    >>> folder = tempfile.mkdtemp()
    >>> check_writable(os.path.join(folder, "result.json")).name
    'result.json'
    >>> try:
    ...     check_writable(folder)
    ... except OutputError as exc:
    ...     print(exc.reason)
    it is a directory, not a regular file
    """
    target = Path(path)
    _refuse_non_regular(target)
    folder = _folder(target)
    _check_name(target, folder)
    _remove_stale_temps(target, folder)  # a killed run's leftovers go now, even if this run writes nothing
    fd, tmp = _open_temp(target, folder)
    os.close(fd)
    os.unlink(tmp)
    return target


def write_atomic(path: str | Path, data: bytes | str | Iterable) -> Path:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half.

    ``data`` is text, bytes, or an iterable of byte chunks (bytes or numpy
    arrays) for outputs too large to hold in memory at once, such as captures.
    Raises OutputError (one line) when the path is refused or the write fails.
    """
    target = Path(path)
    _refuse_non_regular(target)
    folder = _folder(target)
    _check_name(target, folder)
    _remove_stale_temps(target, folder)
    chunks = [data.encode("utf-8")] if isinstance(data, str) else [data] if isinstance(data, bytes) else data
    fd, tmp = _open_temp(target, folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), 0o644)  # mkstemp makes 0600; results are shared, readable files
            for chunk in chunks:
                handle.write(memoryview(chunk).cast("B") if isinstance(chunk, np.ndarray) else chunk)
            handle.flush()
            os.fsync(handle.fileno())
        _refuse_non_regular(target)  # something may have appeared there while we wrote
        os.replace(tmp, target)
    except OutputError:
        _unlink_quietly(tmp)
        raise
    except OSError as exc:
        _unlink_quietly(tmp)
        raise OutputError(target, _reason(exc)) from None
    except BaseException:
        _unlink_quietly(tmp)
        raise
    return target


def _unlink_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


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
