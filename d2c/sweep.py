"""Seed sweeps: the same incident drawn many times, for an uncertainty band.

Ground motion and damage are random draws; one seed is one possible outcome.
A sweep runs the scenario once per seed on a Dask distributed cluster (a
local one by default, or a scheduler address for a real one) and summarises
the spread: percentiles of each headline figure and of the survival curve.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

import numpy as np

from d2c.cluster import dask_client, gather
from d2c.config.scenario import Scenario, load_scenario
from d2c.engine import Simulation
from d2c.headline import headline_keys
from d2c.metrics import served_share

# The headline first (with and without D2C), then the secondary figures of the summary,
# then those read off the timeline: the most sites down by damage at once (for an
# earthquake, the sites its shaking broke, less any repaired before an aftershock).
SUMMARY_FIGURES = (*headline_keys(), "emergency_service_survival", "emergency_service_survival_without_d2c",
                   "peak_sites_down_fraction", "min_population_terrestrial_fraction", "d2c_population_peak")
FIGURES = (*SUMMARY_FIGURES, "peak_sites_down_by_damage")
PERCENTILES = (5, 50, 95)


def percentile(values: list[float | None], q: float) -> float | None:
    """The ``q``-th percentile, interpolated linearly between the closest ranks (numpy's default method).

    ``None`` is a time not reached within the run: it ranks above every number, and a percentile that
    falls on or leans on it is ``None`` too.

    >>> percentile([4.0, 1.0, 2.0, 3.0], 50), percentile([1.0, 2.0, None], 5), percentile([1.0, 2.0, None], 95)
    (2.5, 1.1, None)
    """
    ranked = sorted(values, key=lambda v: (v is None, v if v is not None else 0.0))
    pos = q / 100.0 * (len(ranked) - 1)
    lo, hi = int(np.floor(pos)), int(np.ceil(pos))
    frac = pos - lo
    if ranked[lo] is None or (frac > 0 and ranked[hi] is None):
        return None
    if frac == 0:
        return float(ranked[lo])
    return float(ranked[lo] + (ranked[hi] - ranked[lo]) * frac)


def run_seed(scenario: Scenario | str | Path, seed: int) -> SeedRun:
    """One run of the scenario (parsed, or its file) with ``seed``: its headline figures and hourly survival curve.

    A plain function of its arguments so that any worker can run it.
    """
    parsed = load_scenario(scenario) if isinstance(scenario, (str, Path)) else scenario
    scenario = replace(parsed, seed=seed)
    result = Simulation(scenario).run()
    tl = result.timeline
    per_hour = max(int(round(3600.0 / scenario.step_s)), 1)
    hours = np.arange(0, len(tl.t_s), per_hour)
    offered = np.add.reduceat(np.asarray(tl.emergency_offered), hours)
    served = np.add.reduceat(np.asarray(tl.emergency_served), hours)
    hourly = served_share(served, offered)
    damaged = int(max(tl.sites_down_by_cause.damage, default=0))
    return SeedRun(seed, {**{k: result.summary[k] for k in SUMMARY_FIGURES}, "peak_sites_down_by_damage": damaged},
                   hourly.round(6).tolist())


@dataclass(frozen=True)
class SeedRun:
    """One seed's run: its figures by name (``FIGURES``, the summary's JSON names; None: a time not reached
    within the run) and, hour by hour, the share of 112 demand served. JSON: ``{seed, <figures>, hourly_survival}``.

    >>> run = SeedRun.from_dict({"seed": 3, "no_112_person_hours": 10.0, "hourly_survival": [1.0]})
    >>> run.seed, run.figures, run.to_dict() == {"seed": 3, "no_112_person_hours": 10.0, "hourly_survival": [1.0]}
    (3, {'no_112_person_hours': 10.0}, True)
    """

    seed: int
    figures: dict[str, float | None]
    hourly_survival: list[float] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"seed": self.seed, **self.figures, "hourly_survival": self.hourly_survival}

    @classmethod
    def from_dict(cls, node: dict) -> SeedRun:
        """A run as ``to_dict`` writes it (without ``hourly_survival``: no curve)."""
        figures = {k: v for k, v in node.items() if k not in ("seed", "hourly_survival")}
        return cls(node["seed"], figures, list(node.get("hourly_survival", [])))


@dataclass(frozen=True)
class SweepResult:
    scenario: str
    runs: list[SeedRun]  # one per seed, sorted by seed (given as dicts, read with ``SeedRun.from_dict``)

    def __post_init__(self) -> None:
        object.__setattr__(self, "runs", [SeedRun.from_dict(r) if isinstance(r, dict) else r for r in self.runs])

    def percentiles(self) -> dict:
        """p5 / p50 / p95 of each headline figure over the seeds (``None``: not reached within the run)."""
        out = {}
        for k in FIGURES:
            values = [run.figures[k] for run in self.runs]
            out[k] = {f"p{q}": None if (p := percentile(values, q)) is None else round(p, 6) for q in PERCENTILES}
        return out

    def survival_band(self) -> dict:
        """Hour by hour, p5 / p50 / p95 of the share of 112 demand served."""
        curves = np.array([run.hourly_survival for run in self.runs])
        return {f"p{q}": np.percentile(curves, q, axis=0).round(6).tolist() for q in PERCENTILES}

    def to_dict(self) -> dict:
        return {"scenario": self.scenario, "seeds": [run.seed for run in self.runs],
                "percentiles": self.percentiles(), "hourly_survival_band": self.survival_band(),
                "runs": [run.to_dict() for run in self.runs]}


def sweep(scenario_path: str | Path | Scenario, seeds: list[int], scheduler: str | None = None,
          workers: int = 2, run: Callable[[Scenario, int], SeedRun] = run_seed) -> SweepResult:
    """Run a scenario once per seed on Dask: ``scheduler`` is an address, or None for a local cluster.

    The scenario is read once, here (a bad file fails before any worker starts), and the parsed
    scenario is sent to the workers: editing the file during the sweep cannot mix two scenarios.
    A run whose worker keeps dying ends the sweep with a ClusterError naming its seed.
    ``run`` is the function run per seed (``run_seed``; tests put faults there).
    """
    scenario = scenario_path if isinstance(scenario_path, Scenario) else load_scenario(scenario_path)
    with dask_client(scheduler, workers) as client:
        # each task carries the parsed scenario (tens to hundreds of kB): a worker that dies and
        # restarts loses nothing, as it would with data scattered to it
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "sending large graph": expected, it is the scenario
            futures = client.map(run, [scenario] * len(seeds), list(seeds), pure=False)
        runs = gather(client, futures, [f"seed {seed}" for seed in seeds])
    return SweepResult(scenario=scenario.name, runs=sorted(runs, key=lambda run: run.seed))
