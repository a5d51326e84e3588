"""`make mutation`: the mutation score of each model module, against the tests that exercise it.

For every module below, a throw-away copy of the project is made, mutmut mutates
that module only (operators flipped, constants nudged, ``&`` and ``|`` swapped,
...), runs the module's tests against each mutant and counts the mutants that no
test noticed. A module is held to at least 90% killed; lines whose mutants are
shown to be equivalent (no behaviour can tell them apart) carry
``# pragma: no mutate`` with the reason beside it, and survivors left on purpose
are listed in docs/TESTING.md.

Usage: python tools/mutation.py [MODULE ...]   (default: every module below)
"""

from __future__ import annotations

import argparse
import glob
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_KILLED = 0.90

# model module (or glob) -> the tests that exercise it. A module with its own entry is scored against
# those tests only, even where a glob also covers it: its unit tests, fast enough to run per mutant (the
# engine-level tests that also exercise it can only kill more, so the score given is a lower bound).
MODULES: dict[str, list[str]] = {
    "d2c/fallback.py": ["tests/test_fallback.py"],
    "d2c/network.py": ["tests/test_network_units.py"],
    "d2c/power.py": ["tests/test_power_units.py", "tests/test_engine.py", "tests/test_model_branches.py"],
    "d2c/traffic/emodel.py": ["tests/traffic/test_traffic_emodel.py", "tests/traffic/test_traffic_emodel_table.py"],
    "d2c/space/linkbudget.py": ["tests/space", "tests/test_d2c.py"],
    "d2c/restoration/shifts.py": ["tests/restoration/test_shifts.py"],
    "d2c/restoration/draws.py": ["tests/restoration/test_draws.py"],
    "d2c/restoration/grid.py": ["tests/restoration/test_grid_and_restart.py"],
    "d2c/restoration/restart.py": ["tests/restoration/test_grid_and_restart.py"],
    "d2c/restoration/settings.py": ["tests/restoration/test_settings.py"],
    "d2c/restoration/jobs.py": ["tests/restoration/test_jobs.py"],
    "d2c/restoration/pools.py": ["tests/restoration/test_pools.py", "tests/restoration/test_dispatch.py"],
    "d2c/restoration/process.py": ["tests/restoration/test_dispatch.py"],
    # the operators' own cells on wheels (opt-in per scenario)
    "d2c/restoration/temporary.py": ["tests/restoration/test_temporary_sites.py"],
    # not d2c/restoration/defaults.py: cited or assumed figures and their ranges, no model logic; a changed
    # figure is a different assumption, not a broken model (docs/TESTING.md)
    "d2c/offer.py": ["tests/test_offer_rules.py"],
    "d2c/attach.py": ["tests/test_attach.py"],
    "d2c/headline.py": ["tests/test_headline_figures.py"],
    "d2c/space/entry_loss.py": ["tests/space/test_space_entry_loss.py"],
    "d2c/compare/decision.py": ["tests/test_compare_decision.py"],
    "d2c/compare/tornado.py": ["tests/test_compare_decision.py"],
    # the tally's own unit tests; tests/test_compare.py (a comparison on a real cluster against separate runs)
    # exercises it too, at minutes per mutant
    "d2c/compare/tally.py": ["tests/test_compare_tally.py"],
    # D2C realism: who is indoors and the indoor link-share table; the demand and its surge
    "d2c/space/indoors.py": ["tests/space/test_space_indoors.py"],
    "d2c/demand.py": ["tests/test_demand_units.py"],
}


def _files(pattern: str) -> list[str]:
    return sorted(str(Path(p).relative_to(ROOT)) for p in glob.glob(str(ROOT / pattern))
                  if not p.endswith("__init__.py"))


def score(module: str, tests: list[str], mutmut: str) -> tuple[int, int, list[str]] | None:
    """(killed, total, survivors) of one module, or None where it or its tests do not exist."""
    tests = [t for t in tests if (ROOT / t).exists()]
    if not (ROOT / module).exists() or not tests:
        return None
    with tempfile.TemporaryDirectory(prefix="d2c-mutation-") as tmp:
        work = Path(tmp)
        for part in ("d2c", "tests", "pyproject.toml"):
            src = ROOT / part
            (shutil.copytree if src.is_dir() else shutil.copy2)(src, work / part,
                                                                  **({"ignore": shutil.ignore_patterns("__pycache__")}
                                                                     if src.is_dir() else {}))
        config = ("\n[tool.mutmut]\nsource_paths = [\"d2c/\"]\n"
                  f"only_mutate = {[module]!r}\n"
                  f"pytest_add_cli_args_test_selection = {tests!r}\n").replace("'", '"')
        with open(work / "pyproject.toml", "a", encoding="utf-8") as f:
            f.write(config)
        subprocess.run([mutmut, "run", "--max-children", "2"], cwd=work, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False)
        out = subprocess.run([mutmut, "results", "--all", "true"], cwd=work, capture_output=True, text=True,
                             check=False).stdout
        status = dict(re.findall(r"^\s*(\S+): (\w+)", out, flags=re.M))
        survivors = []
        for name in sorted(n for n, s in status.items() if s != "killed"):
            diff = subprocess.run([mutmut, "show", name], cwd=work, capture_output=True, text=True,
                                  check=False).stdout
            changed = [line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")]
            survivors.append(f"{name} ({status[name]}): " + " => ".join(line[1:].strip() for line in changed))
    return len(status) - len(survivors), len(status), survivors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="model modules to score (default: all)")
    args = parser.parse_args(argv)
    mutmut = shutil.which("mutmut", path=str(Path(sys.executable).parent)) or "mutmut"
    wanted = args.modules or list(MODULES)
    below = 0
    seen: set[str] = set()
    print(f"{'module':<32} {'killed':>7} {'total':>6} {'score':>7}  target {TARGET_KILLED:.0%}")
    for pattern in wanted:
        tests = MODULES.get(pattern) or next((t for p, t in MODULES.items() if pattern in _files(p)), None)
        if tests is None:
            print(f"{pattern:<32} no tests are mapped to it in tools/mutation.py")
            below += 1
            continue
        for module in _files(pattern) or [pattern]:
            if module in seen:
                continue
            seen.add(module)
            got = score(module, MODULES.get(module, tests), mutmut)
            if got is None:
                print(f"{module:<32} {'(not in this tree)':>24}")
                continue
            killed, total, survivors = got
            rate = killed / total if total else 1.0
            below += rate < TARGET_KILLED
            print(f"{module:<32} {killed:>7} {total:>6} {rate:>7.1%}  {'ok' if rate >= TARGET_KILLED else 'BELOW'}")
            for name in survivors:
                print(f"    survived: {name}")
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
