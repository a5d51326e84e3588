"""The ``d2c`` console script: Ctrl-C even while the program starts gives one line and status 130."""

from __future__ import annotations

import sys

__all__ = ["main"]


def main() -> None:
    try:
        from d2c.cli import app
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        raise SystemExit(130) from None
    app(prog_name="d2c")
