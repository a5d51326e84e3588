"""Fuzz: every file kind d2c reads, mutated by hypothesis; never a traceback, a hang or a multi-line refusal.

Each case mutates one shipped kind of file (topology, scenario, drill,
decisions, provider preset, comparison, result JSON), then checks it as a user would
(``d2c validate``; ``d2c report`` for result JSON). Accepted scenarios are
also run: anything ``validate`` passes must run. Refusals are one line,
``error: FILE:LINE: ...`` for YAML inputs.

``make test`` runs a small derandomized subset (D2C_FUZZ_EXAMPLES, default 15
per kind); ``make fuzz`` runs 1,500 per kind, 10,500 cases.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import d2c
from .fuzz_seeds import write_seeds

EXAMPLES = int(os.environ.get("D2C_FUZZ_EXAMPLES", "15"))
CASE_TIMEOUT_S = 60
KINDS = ["topology", "scenario", "drill", "decisions", "provider", "comparison", "result"]

NASTY = ["", "-1", "0", "1e400", "9" * 400, "0b101", "1:30", "-0x10", "!!int abc", "[/bold]", "'[red]x'", "~", "[]",
         "{}", ".nan", ".inf", "2**63", "9223372036854775808", "9999-12-31T23:30Z", "0001-01-01T00:00:00+14:00",
         "T+999h", "-5m", "*nope", "&a [1, *a]", "\"\\u0000\"", "1e18", "0.001s", "365d", "53:20000000/1/0",
         ":x: 💯", "../../../../etc/passwd", "/dev/zero", "everywhere", "T+0", "yes", "null", "- a\n- b"]
SCALAR = re.compile(r"(:\s+)([^\s{}\[\],][^,}\]\n]*)")


@st.composite
def mutated(draw, text: str) -> str:
    """``text`` with one to three mutations: values replaced, lines dropped or repeated, bytes inserted, cut."""
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 3))):
        how = draw(st.sampled_from(["value", "value", "value", "drop", "dup", "swap", "insert", "cut", "indent"]))
        i = draw(st.integers(0, max(len(lines) - 1, 0)))
        if how == "value":
            spots = list(SCALAR.finditer(lines[i]))
            if spots:
                m = draw(st.sampled_from(spots))
                new = draw(st.one_of(st.sampled_from(NASTY), st.text(max_size=12)))
                lines[i] = lines[i][:m.start(2)] + new + lines[i][m.end(2):]
        elif how == "drop" and len(lines) > 1:
            del lines[i]
        elif how == "dup":
            lines.insert(i, lines[i])
        elif how == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif how == "insert":
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + draw(st.text(min_size=1, max_size=4)) + lines[i][at:]
        elif how == "cut":
            lines = lines[:i + 1]
            lines[i] = lines[i][:draw(st.integers(0, len(lines[i])))]
        elif how == "indent":
            lines[i] = draw(st.sampled_from(["  ", "\t", " "])) + lines[i]
    return "\n".join(lines)


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang(f"a case took more than {CASE_TIMEOUT_S} s")


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    return write_seeds(tmp_path_factory.mktemp("fuzz-seeds"))


def _check(seeds: dict, kind: str, text: str, tmp_path: Path) -> None:
    folder = tmp_path / "case"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir()
    for path in seeds.values():
        shutil.copy(path, folder / path.name)
    target = folder / seeds[kind].name
    target.write_bytes(text.encode("utf-8", "surrogatepass"))
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(CASE_TIMEOUT_S)
    try:
        if kind == "result":
            run = d2c("report", target, "--format", "md", "--out", folder / "report.md")
        else:
            run = d2c("validate", target)
        if run.exit_code == 0 and kind == "scenario":
            _runs(target)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert run.exit_code in (0, 2), (run.exit_code, run.output, repr(run.exception))
    assert "Traceback" not in run.output
    if run.exit_code == 2:
        lines = run.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), run.stderr
        if kind != "result" and str(target) in lines[0]:
            # an error in the mutated YAML file names its line
            assert re.search(re.escape(str(target)) + r":\d+: ", lines[0]), lines[0]


def _runs(path: Path) -> None:
    """A scenario validate accepted runs (capacity model, at most 240 steps of it)."""
    from d2c.config.scenario import load_scenario
    from d2c.engine import Simulation

    sc = load_scenario(path)
    if sc.steps > 240:
        sc = replace(sc, duration_s=240 * sc.step_s)
    Simulation(sc).run()


@pytest.mark.parametrize("kind", KINDS)
def test_fuzzed_inputs_never_crash(kind, seeds, tmp_path):
    text = seeds[kind].read_text(encoding="utf-8")

    @settings(max_examples=EXAMPLES, derandomize=EXAMPLES <= 50, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(mutated(text))
    def case(mutant):
        _check(seeds, kind, mutant, tmp_path)

    case()


@pytest.mark.parametrize("kind", KINDS)
def test_the_unmutated_seeds_are_accepted(kind, seeds):
    # the mutations start from valid files, so that they reach deep into each loader
    run = d2c("report", seeds[kind], "--format", "md", "--out", seeds[kind].parent / "r.md") if kind == "result" \
        else d2c("validate", seeds[kind])
    assert run.exit_code == 0, run.output
