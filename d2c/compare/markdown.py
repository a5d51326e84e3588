"""The comparison as a Markdown document: the answer first, then the tables, then what it assumed."""

from __future__ import annotations

from d2c.compare.result import CompareResult
from d2c.compare.tables import tables
from d2c.compare.words import answer, assumptions

__all__ = ["markdown"]


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def markdown(result: CompareResult) -> str:
    c = result.comparison
    lines = [f"# Which direct-to-cell option: {c.name}", ""]
    if c.description:
        lines += [c.description, ""]
    lines += ["## Answer", "", answer(result), ""]
    for table in tables(result):
        lines += [f"## {table.title}", "", "| " + " | ".join(_cell(h) for h in table.header) + " |",
                  "|" + "|".join("---" for _ in table.header) + "|"]
        lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in table.rows]
        lines += ["", table.note, ""] if table.note else [""]
    lines += ["## Assumptions", ""] + [f"- {_cell(a)}" for a in assumptions(result)] + [""]
    return "\n".join(lines)
