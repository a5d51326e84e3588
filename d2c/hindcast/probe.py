"""The modelled series a hindcast compares: what a run's steps say in the observers' units.

A :class:`Probe` is handed every step of a run (``Simulation.run(on_step=...)``)
and keeps a few numbers per step and operator (sums over arrays, no per-site
loop). ``series(metric)`` then gives the values over the run, over all operators
and per operator (a ``d2c.hindcast.score.ModelledSeries``):

- ``sites_out_pct``: percent of cell sites out of service (FCC DIRS counts sites);
- ``users_out_pct``: percent of users whose own operator's sites are out, i.e.
  sites out weighted by the busy-hour calls they were sized for (Ookla counts
  users with no service; a site's capacity follows the subscribers it serves);
- ``people_no_cell_pct``: percent of people with no terrestrial 112 path
  (no site of any operator in service, or stuck on a dead core);
- ``failed_112_per_million``: 112 calls not served so far, per million
  customers of the operators whose core failed (all operators if none did);
  customers = people x SIMs per person x the operator's share of site capacity.
"""

from __future__ import annotations

import numpy as np

from d2c.hindcast.score import ModelledSeries
from d2c.metrics import Result
from d2c.network import CAUSE_CODE, IN_SERVICE
from d2c.topology.params import SIMS_PER_PERSON
from d2c.world import World

__all__ = ["Probe", "METRICS"]

METRICS = ("sites_out_pct", "users_out_pct", "people_no_cell_pct", "failed_112_per_million")


class Probe:
    def __init__(self, world: World):
        self.world = world
        self.operators = list(world.operators)
        n_ops = len(self.operators)
        self._op_sites = np.bincount(world.site_operator, minlength=n_ops).astype(float)
        self._op_capacity = np.bincount(world.site_operator, weights=world.site_capacity_calls, minlength=n_ops)
        self.t_s: list[float] = []
        self._sites_out: list[np.ndarray] = []  # per step: sites out per operator
        self._capacity_out: list[np.ndarray] = []  # per step: capacity out per operator
        self._core_down = np.zeros(n_ops, dtype=bool)  # operators with a site down for its core at any step

    def __call__(self, state) -> None:
        w = self.world
        cause = state.network.cause
        out = cause != IN_SERVICE
        n_ops = len(self.operators)
        self.t_s.append(float(state.t_s))
        self._sites_out.append(np.bincount(w.site_operator, weights=out.astype(float), minlength=n_ops))
        self._capacity_out.append(np.bincount(w.site_operator, weights=out * w.site_capacity_calls, minlength=n_ops))
        self._core_down |= np.bincount(w.site_operator, weights=(cause == CAUSE_CODE["core"]).astype(float),
                                       minlength=n_ops) > 0

    def series(self, metric: str, result: Result) -> ModelledSeries:
        """The metric at every step of the run: over all operators and, where it has one, per operator."""
        if metric in ("sites_out_pct", "users_out_pct"):
            parts, totals = ((self._sites_out, self._op_sites) if metric == "sites_out_pct"
                             else (self._capacity_out, self._op_capacity))
            per_op = np.array(parts).reshape(len(self.t_s), len(self.operators))
            return ModelledSeries(100.0 * per_op.sum(axis=1) / max(totals.sum(), 1e-12),
                                  {name: 100.0 * per_op[:, k] / max(totals[k], 1e-12)
                                   for k, name in enumerate(self.operators)})
        tl = result.timeline
        if metric == "people_no_cell_pct":
            pop = max(float(self.world.population_total), 1.0)
            return ModelledSeries(100.0 * (1.0 - np.asarray(tl.population_terrestrial, dtype=float) / pop), {})
        if metric == "failed_112_per_million":
            failed = np.cumsum(np.asarray(tl.emergency_offered, dtype=float)
                               - np.asarray(tl.emergency_served, dtype=float))
            hit = self._core_down if self._core_down.any() else np.ones(len(self.operators), dtype=bool)
            share = self._op_capacity[hit].sum() / max(self._op_capacity.sum(), 1e-12)
            customers_m = float(self.world.population_total) * SIMS_PER_PERSON * share / 1e6
            return ModelledSeries(failed / max(customers_m, 1e-12), {})
        raise ValueError(f"unknown hindcast metric {metric!r}; known: {', '.join(METRICS)}")
