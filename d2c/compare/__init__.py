"""``d2c compare``: providers x scenarios x seeds, weighted by how often each incident happens.

* :mod:`.spec` - the comparison file; :mod:`.figure` - a number with its source or range.
* :mod:`.shared` - one terrestrial pass shared by every provider (the unit of work).
* :mod:`.plan` - the tasks; :mod:`.execute` - in process or on Dask.
* :mod:`.tally` - each run's headline figures (person-hours without a 112 path, worst instant).
* :mod:`.decision` - the decision table; :mod:`.tornado` - the sensitivity.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from d2c.compare.decision import decide
from d2c.compare.execute import IN_PROCESS, execute
from d2c.compare.plan import plan
from d2c.compare.result import CompareResult
from d2c.compare.spec import Comparison, load_comparison
from d2c.compare.tornado import tornado

__all__ = ["IN_PROCESS", "CompareResult", "Comparison", "compare", "load_comparison", "run_comparison"]


def run_comparison(comparison: Comparison, scheduler: str | None = None, workers: int = 2,
                   on_progress: Callable[[int, int], None] | None = None) -> CompareResult:
    """Run a loaded comparison: ``scheduler`` None for a local Dask cluster, an address, or ``IN_PROCESS``."""
    runs = execute(plan(comparison), scheduler, workers, on_progress)
    decision = decide(comparison, runs)
    return CompareResult(comparison, runs, decision, tornado(comparison, runs, decision),
                         {"scheduler": scheduler or "local cluster", "workers": workers})


def compare(path: str | Path, scheduler: str | None = None, workers: int = 2,
            on_progress: Callable[[int, int], None] | None = None) -> CompareResult:
    """Load and run the comparison file ``path``."""
    return run_comparison(load_comparison(path), scheduler, workers, on_progress)
