"""A comparison's written reports, each written atomically: JSON (for now)."""

from __future__ import annotations

from pathlib import Path

from d2c.compare.result import CompareResult
from d2c.report.files import write_json

__all__ = ["write_reports"]


def write_reports(result: CompareResult, folder: str | Path) -> list[Path]:
    folder = Path(folder)
    return [write_json(folder / "comparison.json", result.to_dict())]
