"""The reference tables of tests/data: published values, each file naming its source and tolerance.

A table is a CSV file whose first lines are ``#`` comments: the document, table, edition and
address the values come from, and one line ``# tolerance: abs=0.55`` (or ``rel=2e-3``, or both)
saying how close the code must come to them. The tests read it with :func:`rows` and
:func:`tolerance`, as OpenQuake's GMPE tests read their verification tables.
"""

from __future__ import annotations

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

__all__ = ["DATA", "rows", "tolerance", "column"]


def _lines(name: str) -> list[str]:
    return (DATA / name).read_text(encoding="utf-8").splitlines()


def rows(name: str) -> list[dict[str, str]]:
    """The table's rows as dicts of strings (comment lines skipped)."""
    return list(csv.DictReader(line for line in _lines(name) if not line.startswith("#")))


def column(name: str, key: str) -> list[float]:
    """One column of the table as floats."""
    return [float(row[key]) for row in rows(name)]


def tolerance(name: str, key: str = "") -> dict[str, float]:
    """The ``# tolerance:`` line as keyword arguments of ``pytest.approx`` (e.g. ``{"rel": 0.002}``).

    The line holds ``key=value`` words, then optionally a reason in parentheses. A table whose
    columns are held to different tolerances has one line per column, ``# tolerance cnr_db: ...``.
    """
    head = f"# tolerance {key}:" if key else "# tolerance:"
    for line in _lines(name):
        if line.startswith(head):
            words = line[len(head):].split("(", 1)[0].split()
            return {k: float(v) for k, v in (word.split("=") for word in words)}
    raise LookupError(f"{name}: no '{head}' line")
