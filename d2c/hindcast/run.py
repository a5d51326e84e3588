"""Run each analogue scenario with the default restoration parameters and score it."""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np

from d2c.base.errors import ConfigError
from d2c.config.scenario import load_scenario
from d2c.engine import Simulation
from d2c.hindcast.probe import Probe
from d2c.hindcast.score import Roles, Score, role_of_operators, score
from d2c.hindcast.spec import DEFAULT_SPEC, EventSpec, load_spec
from d2c.restoration.settings import RestorationSettings

__all__ = ["Curves", "EventResult", "run_event", "run_hindcast", "RATE_METRICS", "CURVE_STEP_H"]

RATE_METRICS = ("failed_112_per_million",)  # compared as a ratio, not in percentage points
CURVE_STEP_H = 1.0  # the modelled curves kept in the outputs, one point per hour


@dataclass(frozen=True)
class Curves:
    """The modelled curves kept, hourly: all operators, and the best and worst (None: no operator series)."""

    all: np.ndarray
    best: np.ndarray | None = None
    worst: np.ndarray | None = None

    def items(self) -> list[tuple[str, np.ndarray]]:
        """(name, values) of each curve there is, in this order (JSON: ``curve``)."""
        return [(f.name, getattr(self, f.name)) for f in fields(self) if getattr(self, f.name) is not None]


@dataclass(frozen=True)
class EventResult:
    spec: EventSpec
    metric: str
    score: Score
    curve_t_hours: np.ndarray            # hours since onset, hourly
    curves: Curves
    best_worst: Roles | None             # which operator is "best" and "worst" (None: no operator series)
    scenario_name: str
    assumptions: list[str]

    def to_dict(self) -> dict:
        s, sc = self.spec, self.score
        return {
            "id": s.id,
            "title": s.title,
            "analogue": s.analogue,
            "scenario": s.scenario.as_posix(),
            "observed_file": Path(s.observed.path).as_posix(),
            "observed_title": s.observed.title,
            "sources": list(s.observed.header),
            "metric": self.metric,
            "onset": s.onset.isoformat().replace("+00:00", "Z"),
            "target": s.target.describe(),
            "rows": [row.to_dict() for row in sc.rows],
            "mae_pp": sc.mae_pp,
            "max_error_pp": sc.max_error_pp,
            "peak_observed_h": sc.peak_observed_h,
            "peak_modelled_h": sc.peak_modelled_h,
            "peak_error_h": sc.peak_error_h,
            "factor": sc.factor,
            "lag_pct": sc.lag_pct,
            "checks": sc.checks.to_dict(),
            "met": sc.met,
            "best_worst": self.best_worst.to_dict() if self.best_worst is not None else {},
            "curve": {"t_hours": [round(float(t), 3) for t in self.curve_t_hours],
                      **{k: [round(float(v), 3) for v in vals] for k, vals in self.curves.items()}},
            "assumptions": self.assumptions,
        }


def run_event(spec: EventSpec) -> EventResult:
    """Run one analogue (no traffic replay, no satellites unless the scenario has them) and score it."""
    scenario = load_scenario(spec.scenario)
    if scenario.responses:
        raise ConfigError(str(spec.scenario), None, "responses",
                          "no per-element responses in a hindcast analogue (it runs the default restoration)",
                          f"{len(scenario.responses)} response(s)")
    _check_default_restoration(spec, scenario)
    metric = spec.observed.metric
    sim = Simulation(scenario)
    probe = Probe(sim.world)
    result = sim.run(on_step=probe)
    series = probe.series(metric, result)
    onset_s = (spec.onset - scenario.start).total_seconds()
    t_hours = (np.asarray(probe.t_s) - onset_s) / 3600.0
    sc = score(spec.observed, t_hours, series, spec.target, rate=metric in RATE_METRICS)
    roles = role_of_operators(series)
    grid = np.arange(np.ceil(t_hours[0]), t_hours[-1] + 1e-9, CURVE_STEP_H)
    idx = np.clip(np.searchsorted(t_hours, grid + 1e-9, side="right") - 1, 0, t_hours.size - 1)
    if series.by_operator:
        curves = Curves(series.all[idx], series.named(roles.best)[idx], series.named(roles.worst)[idx])
    else:
        curves = Curves(series.all[idx])
    return EventResult(spec, metric, sc, grid, curves, roles if series.by_operator else None, scenario.name,
                       result.assumptions)


# What an analogue may set in its restoration block: the physical input of the grid's return.
PHYSICAL_INPUTS = ("grid_curve",)


def _check_default_restoration(spec: EventSpec, scenario) -> None:
    """An analogue runs restoration with every default except its physical inputs (the grid's curve)."""
    settings = scenario.restoration
    if settings is None:
        raise ConfigError(str(spec.scenario), None, "restoration", "restoration on (a hindcast scores it)", "off")
    defaults = RestorationSettings()
    changed = [f.name for f in fields(settings) if f.name not in PHYSICAL_INPUTS
               and getattr(settings, f.name) != getattr(defaults, f.name)]
    if changed:
        raise ConfigError(str(spec.scenario), None, "restoration",
                          "the default restoration parameters (only the grid curve may be set)", ", ".join(changed))


def run_hindcast(path: str | Path = DEFAULT_SPEC, ids: list[str] | None = None) -> list[EventResult]:
    """Every event of the hindcast file (or those named in ``ids``), in file order."""
    events = load_spec(path)
    if ids:
        known = {e.id for e in events}
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise ConfigError(str(path), None, "events", "event ids among " + ", ".join(sorted(known)),
                              ", ".join(unknown))
        events = [e for e in events if e.id in ids]
    return [run_event(e) for e in events]
