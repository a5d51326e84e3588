"""``python -m d2c.bench``'s own command line: help and unknown figure names, without a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

from d2c import bench


def test_an_unknown_figure_is_one_line_naming_the_figures_and_status_2():
    proc = subprocess.run([sys.executable, "-m", "d2c.bench", "nationl"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr
    assert "'nationl'" in lines[0] and all(name in lines[0] for name in ("national", "commands", "europe", "scaling"))
    assert proc.stdout == ""


@pytest.mark.parametrize("argv", [["--help"], ["-h"], ["national", "--help"]])
def test_help_lists_the_figures_and_runs_none(argv, capsys, monkeypatch):
    monkeypatch.setitem(bench.FIGURES, "national", lambda: pytest.fail("help ran a figure"))
    with pytest.raises(SystemExit) as exit_:
        bench.main(argv)
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage:") and all(name in out for name in bench.FIGURES)


@pytest.mark.parametrize("name", ["compare:", "compare:roma/x", "compare:roma/0", "", "engine,traffic"])
def test_malformed_names_are_refused_before_anything_runs(name, capsys):
    with pytest.raises(SystemExit) as exit_:
        bench.main(["traffic", name])
    assert exit_.value.code == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_a_comparison_subset_is_a_figure():
    assert bench._unknown(["compare:amatrice-2016,roma/2", "national"]) is None
