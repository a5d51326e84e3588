"""The ``d2c`` console script: Ctrl-C even while the program starts gives one line and status 130."""

from __future__ import annotations

import os
import sys

__all__ = ["main"]


def main() -> None:
    try:
        from d2c.cli import app
    except BaseException as exc:  # noqa: BLE001 - only Ctrl-C is handled here
        if not _interrupt(exc):
            raise
        sys.stderr.write("interrupted\n")
        sys.stderr.flush()
        os._exit(130)  # a C extension interrupted half-way may not survive the interpreter's shutdown
    app(prog_name="d2c")


def _interrupt(exc: BaseException | None) -> bool:
    """Ctrl-C, or an import that failed because of it (C extensions wrap it in ImportError)."""
    while exc is not None:
        if isinstance(exc, KeyboardInterrupt):
            return True
        exc = exc.__cause__ or exc.__context__
    return False
