"""Run several `d2c topology build` commands in one process (the Makefile's regional topologies).

Each argument is one command's options, as `d2c topology build` takes them. The files are the same
bytes as from separate commands; one process loads d2c and the GeoNames places once instead of once
per file, which is most of a regional build's time.

    python tools/build_topologies.py "--region Lazio --name lazio --seed 1 --out topologies/lazio.yaml" ...
"""

from __future__ import annotations

import shlex
import sys

from d2c.cli import app


def main(commands: list[str]) -> int:
    for options in commands:
        status = app(["topology", "build", *shlex.split(options)], prog_name="d2c", standalone_mode=False)
        if status:
            return int(status)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
