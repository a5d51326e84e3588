"""Helpers for the hostile-input tests: the CLI in-process, and one-line refusals."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from conftest import SMALL_TOPOLOGY, scenario_text, write  # noqa: E402

__all__ = ["SMALL_TOPOLOGY", "scenario_text", "write", "d2c", "refused"]


def d2c(*args: str):
    from d2c.cli import app

    return CliRunner().invoke(app, [str(a) for a in args])


def refused(run, *fragments: str) -> str:
    """The run ended with status 2 and one line on stderr, no traceback; that line contains ``fragments``."""
    assert run.exit_code == 2, (run.exit_code, run.output, run.exception)
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert "Traceback" not in run.output
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]


@pytest.fixture
def scenario(tmp_path) -> Path:
    write(tmp_path, "small.yaml", SMALL_TOPOLOGY)
    return write(tmp_path, "scenario.yaml", scenario_text(duration="30m"))
