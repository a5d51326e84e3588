"""A comparison's written reports, each written atomically into one folder."""

from __future__ import annotations

from pathlib import Path

from d2c.compare.result import CompareResult
from d2c.report.files import write_json

__all__ = ["REPORT_NAMES", "report_paths", "write_reports"]

REPORT_NAMES = ("comparison.json",)


def report_paths(folder: str | Path) -> list[Path]:
    """Where the reports go in ``folder`` (which must exist: d2c creates no folders)."""
    return [Path(folder) / name for name in REPORT_NAMES]


def write_reports(result: CompareResult, folder: str | Path) -> list[Path]:
    json_path, = report_paths(folder)
    return [write_json(json_path, result.to_dict())]
