"""A comparison's written reports, each written atomically into one folder: JSON, CSV, Markdown, HTML."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from d2c.compare.html import html
from d2c.compare.markdown import markdown
from d2c.compare.result import CompareResult
from d2c.compare.tables import decision_csv_rows
from d2c.report.files import write_atomic, write_json

__all__ = ["REPORT_NAMES", "report_paths", "write_reports"]

REPORT_NAMES = ("comparison.json", "comparison.csv", "comparison.md", "comparison.html")


def report_paths(folder: str | Path) -> list[Path]:
    """Where the reports go in ``folder`` (which must exist: d2c creates no folders)."""
    return [Path(folder) / name for name in REPORT_NAMES]


def _csv(rows: list[list]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def write_reports(result: CompareResult, folder: str | Path) -> list[Path]:
    """Write the reports of a ``CompareResult``: its JSON document, and the CSV, Markdown and HTML read from it."""
    json_path, csv_path, md_path, html_path = report_paths(folder)
    return [write_json(json_path, result.to_dict()), write_atomic(csv_path, _csv(decision_csv_rows(result))),
            write_atomic(md_path, markdown(result)), write_atomic(html_path, html(result))]
