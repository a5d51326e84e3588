"""The comparison as a Markdown document: the answer first, then the tables, then what it assumed."""

from __future__ import annotations

from d2c.compare.tables import tables

__all__ = ["markdown"]


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def markdown(doc: dict) -> str:
    lines = [f"# Which direct-to-cell option: {doc['comparison']}", ""]
    if doc["description"]:
        lines += [doc["description"], ""]
    lines += ["## Answer", "", doc["answer"], ""]
    for table in tables(doc):
        lines += [f"## {table.title}", "", "| " + " | ".join(_cell(h) for h in table.header) + " |",
                  "|" + "|".join("---" for _ in table.header) + "|"]
        lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in table.rows]
        lines += ["", table.note, ""] if table.note else [""]
    lines += ["## Assumptions", ""] + [f"- {_cell(a)}" for a in doc["assumptions"]] + [""]
    return "\n".join(lines)
