"""The decision table: what each provider restores, per year and per euro, and what survives the denial cases.

*Restored* person-hours are the person-hours without any 112 path under
``none`` minus those under the provider, on the same scenario and seed (the
same terrestrial outage). A year's expectation weights each scenario by its
annual rate: ``sum_s rate_s x mean over seeds``. The p5-p95 band is
``sum_s rate_s x p5_s`` and ``sum_s rate_s x p95_s``: every scenario at the
same percentile at once, a band at least as wide as the true one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from d2c.compare.execute import Runs
from d2c.compare.plan import base_key, case_key
from d2c.compare.spec import NONE, Comparison

__all__ = ["CaseRestored", "ProviderRow", "Decision", "ScenarioRestored", "decide", "restored", "annual"]


def restored(runs: Runs, scenario: str, seeds, key: str) -> np.ndarray:
    """Per seed, person-hours restored by variant ``key`` against ``none`` on ``scenario``."""
    return np.array([runs[(scenario, seed, base_key(NONE))].person_hours_without_112
                     - runs[(scenario, seed, key)].person_hours_without_112 for seed in seeds])


def annual(comparison: Comparison, per_scenario: dict[str, float], rates: dict[str, float] | None = None) -> float:
    """``sum_s rate_s x value_s`` over the scenarios in ``per_scenario``."""
    rates = rates or {s.name: s.rate_per_year.value for s in comparison.scenarios}
    return float(sum(rates[name] * value for name, value in per_scenario.items()))


@dataclass(frozen=True)
class ScenarioRestored:
    """One provider on one scenario: person-hours restored per incident over the seeds, and the worst instant."""

    incident_class: str  # JSON "class"
    rate_per_year: float
    restored_mean: float
    restored_p5: float
    restored_p95: float
    worst_share: float  # median over seeds, with this provider
    worst_share_without_d2c: float  # median over seeds, under none

    def to_dict(self) -> dict:
        return {"class": self.incident_class, **{k: v for k, v in self.__dict__.items() if k != "incident_class"}}


@dataclass(frozen=True)
class CaseRestored:
    """One provider under one denial case, on the reduced seeds: restored a year normally and under the case."""

    kind: str
    describe: str
    annual_restored_normal: float
    annual_restored: float
    remains_share: float | None  # None: nothing restored normally

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class ProviderRow:
    provider: str
    annual_restored: float  # expected person-hours of 112 service restored per year
    annual_p5: float
    annual_p95: float
    by_class: dict[str, float]
    by_scenario: dict[str, ScenarioRestored]  # by scenario name
    cost_eur_per_year: float  # the part of the cost counted for D2C
    eur_per_person_hour: float  # inf when nothing is restored
    worst_share: float  # the worst instant of the library (median over seeds), with this provider
    worst_scenario: str
    cases: dict[str, CaseRestored] = field(default_factory=dict)  # by case name

    def to_dict(self) -> dict:
        """The JSON form: an infinite figure is null; scenarios and cases by name."""
        out = {k: (None if isinstance(v, float) and not np.isfinite(v) else v) for k, v in self.__dict__.items()}
        out.update(by_scenario={name: v.to_dict() for name, v in self.by_scenario.items()},
                   cases={name: c.to_dict() for name, c in self.cases.items()})
        return out


@dataclass
class Decision:
    rows: list[ProviderRow]  # ranked: most restored first, then lower cost
    classes: list[str]

    def row(self, provider: str) -> ProviderRow:
        return next(r for r in self.rows if r.provider == provider)

    def ranking(self) -> list[str]:
        return [r.provider for r in self.rows]


def decide(comparison: Comparison, runs: Runs) -> Decision:
    classes = sorted({s.incident_class for s in comparison.scenarios})
    rows = [_row(comparison, runs, p.name) for p in comparison.providers]
    rows.sort(key=lambda r: (-r.annual_restored, r.cost_eur_per_year, r.provider))
    return Decision(rows, classes)


def _row(comparison: Comparison, runs: Runs, provider: str) -> ProviderRow:
    entry = comparison.provider(provider)
    by_scenario, means, p5, p95 = {}, {}, {}, {}
    worst = (-1.0, "")  # pragma: no mutate (shares are >= 0: the first scenario always replaces it)
    for s in comparison.scenarios:
        values = restored(runs, s.name, s.seeds, base_key(provider))
        means[s.name] = float(values.mean())
        p5[s.name], p95[s.name] = (float(v) for v in np.percentile(values, [5, 95]))
        with_p = float(np.median([runs[(s.name, seed, base_key(provider))].worst_share_without_112 for seed in s.seeds]))
        without = float(np.median([runs[(s.name, seed, base_key(NONE))].worst_share_without_112 for seed in s.seeds]))
        by_scenario[s.name] = ScenarioRestored(s.incident_class, s.rate_per_year.value, round(means[s.name], 3),
                                               round(p5[s.name], 3), round(p95[s.name], 3), round(with_p, 6),
                                               round(without, 6))
        if with_p > worst[0]:
            worst = (with_p, s.name)
    total = annual(comparison, means)
    cost = entry.d2c_cost_eur_per_year
    row = ProviderRow(
        provider=provider,
        annual_restored=round(total, 3),
        annual_p5=round(annual(comparison, p5), 3),
        annual_p95=round(annual(comparison, p95), 3),
        by_class={c: round(annual(comparison, {s.name: means[s.name] for s in comparison.scenarios
                                               if s.incident_class == c}), 3)
                  for c in sorted({s.incident_class for s in comparison.scenarios})},
        by_scenario=by_scenario,
        cost_eur_per_year=cost,
        eur_per_person_hour=round(cost / total, 4) if total > 0 else float("inf"),
        worst_share=worst[0],
        worst_scenario=worst[1],
    )
    row.cases = _cases(comparison, runs, provider)
    return row


def _cases(comparison: Comparison, runs: Runs, provider: str) -> dict[str, CaseRestored]:
    """Per case: annual restored on the reduced seeds, normally and under the case, and the share that remains."""
    out = {}
    for case in comparison.cases:
        normal, denied = {}, {}
        for s in comparison.scenarios:
            if not case.applies(provider, s.name):
                continue
            seeds = s.seeds[:comparison.reduced_seeds]
            normal[s.name] = float(restored(runs, s.name, seeds, base_key(provider)).mean())
            denied[s.name] = float(restored(runs, s.name, seeds, case_key(provider, case.name)).mean())
        if not normal:
            continue
        a_normal, a_denied = annual(comparison, normal), annual(comparison, denied)
        out[case.name] = CaseRestored(case.denial.kind, case.denial.describe(), round(a_normal, 3),
                                      round(a_denied, 3), round(a_denied / a_normal, 6) if a_normal > 0 else None)
    return out
