"""Sensitivity: every assumed figure at its low and its high, one at a time; which could flip the ranking.

Three kinds of assumed figure:

* every figure a provider's preset marks ``assumed:`` (``Provider.assumptions``,
  with a shell's assumed payload): re-run at low and high on the comparison's reduced seeds
  (the same terrestrial pass); the change in restored person-hours measured
  there is added to the full-seed estimate;
* an assumed annual rate of a scenario: the annual sums re-weighted, no run;
* an assumed cost or share of cost: EUR per person-hour recomputed, no run.

A flip is a change in the order of the providers (most person-hours restored
first; cheapest per person-hour first, for costs). Where an end of the range
flips it, the value at which it flips is interpolated linearly between the
base value and that end (exact for rates and costs, an estimate for
parameters).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from d2c.compare.decision import Decision, annual, restored
from d2c.compare.execute import Runs
from d2c.compare.plan import base_key, sensitivity_key
from d2c.compare.spec import NONE, Comparison
from d2c.space.provider import figure_number

__all__ = ["Bar", "tornado"]


@dataclass(frozen=True)
class Bar:
    """One assumed figure swept over its range."""

    figure: str  # e.g. "starlink satellite.beams_per_satellite", "rate amatrice-2016", "cost iris2"
    kind: str  # parameter, rate or cost
    measure: str  # what moves: "person-hours restored a year by <provider>" or "EUR per person-hour of <provider>"
    base_value: float
    low_value: float
    high_value: float
    base: float  # the measure at the base value
    at_low: float
    at_high: float
    flip: str  # "" or e.g. "iris2 overtakes starlink at 24.5"

    @property
    def swing(self) -> float:
        return abs(self.at_high - self.at_low)

    def to_dict(self) -> dict:
        return dict(self.__dict__, swing=self.swing)


def tornado(comparison: Comparison, runs: Runs, decision: Decision) -> list[Bar]:
    """Every bar, widest swing first."""
    bars = _parameters(comparison, runs, decision) + _rates(comparison, runs, decision) + _costs(comparison, decision)
    return sorted(bars, key=lambda b: (-b.swing, b.figure))


def _order_flip(values: dict[str, float], changed: str, new: float, higher_better: bool, base_x: float,
                end_x: float) -> str:
    """The first provider whose order relative to ``changed`` swaps when its measure goes to ``new``."""
    old = values[changed]
    sign = 1.0 if higher_better else -1.0
    for other, value in sorted(values.items()):
        if other == changed:
            continue
        before, after = sign * (old - value), sign * (new - value)
        if before * after < 0 or (before != 0 and after == 0):
            x = base_x + (end_x - base_x) * (value - old) / (new - old)
            verb = "overtakes" if sign * (new - old) > 0 else "falls behind"
            return f"{changed} {verb} {other} at {x:.4g}"
    return ""


# Figures that are not numbers are swept and shown as one (``figure_number``).
_UNIT = {"constellation.walker": " (satellites)", "services": " (services offered)"}


def _parameters(comparison: Comparison, runs: Runs, decision: Decision) -> list[Bar]:
    bars = []
    totals = {r.provider: r.annual_restored for r in decision.rows if r.provider != NONE}
    for p in comparison.providers:
        if p.provider is None:
            continue
        for a in p.assumptions:
            parameter = a.name
            base_x, low, high = (figure_number(v) for v in (p.provider.values[parameter], a.low, a.high))
            at_low, at_high = (totals[p.name] + annual(comparison, _sensitivity_delta(comparison, runs, p.name,
                                                                                       parameter, side))
                               for side in ("low", "high"))
            flip = (_order_flip(totals, p.name, at_low, True, base_x, low)
                    or _order_flip(totals, p.name, at_high, True, base_x, high))
            bars.append(Bar(f"{p.name} {parameter}{_UNIT.get(parameter, '')}", "parameter", f"person-hours restored a year by {p.name}",
                            base_x, low, high, totals[p.name], round(at_low, 3), round(at_high, 3), flip))
    return bars


def _sensitivity_delta(comparison: Comparison, runs: Runs, provider: str, parameter: str, side: str) -> dict:
    """Per scenario, the change in person-hours restored with ``parameter`` at its ``side`` end (reduced seeds)."""
    delta = {}
    for s in comparison.scenarios:
        seeds = s.seeds[:comparison.reduced_seeds]
        delta[s.name] = float((restored(runs, s.name, seeds, sensitivity_key(provider, parameter, side))
                               - restored(runs, s.name, seeds, base_key(provider))).mean())
    return delta


def _rates(comparison: Comparison, runs: Runs, decision: Decision) -> list[Bar]:
    bars = []
    base_rates = {s.name: s.rate_per_year.value for s in comparison.scenarios}
    means = {r.provider: {name: v.restored_mean for name, v in r.by_scenario.items()}
             for r in decision.rows if r.provider != NONE}
    if not means:
        return bars
    leader = decision.rows[0].provider if decision.rows[0].provider != NONE else next(iter(means))
    for s in comparison.scenarios:
        rate = s.rate_per_year
        if not rate.assumed:
            continue
        at, flip = [], ""
        for value in (rate.low, rate.high):
            rates = dict(base_rates, **{s.name: value})
            totals = {p: annual(comparison, m, rates) for p, m in means.items()}
            at.append(totals[leader])
            if not flip:
                order = sorted(totals, key=lambda p: (-totals[p], p))
                base_order = [r.provider for r in decision.rows if r.provider != NONE]
                if order != base_order:
                    flip = _rate_flip(comparison, means, base_rates, s.name, value, base_order)
        bars.append(Bar(f"rate {s.name}", "rate", f"person-hours restored a year by {leader}", rate.value,
                        rate.low, rate.high, annual(comparison, means[leader], base_rates),
                        round(at[0], 3), round(at[1], 3), flip))
    return bars


def _rate_flip(comparison, means, base_rates, scenario, end, base_order) -> str:
    """The first swap of two adjacent providers as the rate moves to ``end``, and the rate where it happens."""
    r0 = base_rates[scenario]
    for a, b in zip(base_order, base_order[1:]):
        # totals are linear in the rate: total(r) = rest + r * mean
        def total(p, r):
            return annual(comparison, means[p], dict(base_rates, **{scenario: r}))
        gap0, gap1 = total(a, r0) - total(b, r0), total(a, end) - total(b, end)
        if gap0 * gap1 < 0 or (gap0 != 0 and gap1 == 0):
            x = r0 + (end - r0) * gap0 / (gap0 - gap1)
            return f"{b} overtakes {a} at {x:.4g} a year"
    return "the order changes"


def _costs(comparison: Comparison, decision: Decision) -> list[Bar]:
    bars = []
    restored_a_year = {r.provider: r.annual_restored for r in decision.rows if r.provider != NONE}
    per_ph = {p: comparison.provider(p).d2c_cost_eur_per_year / v if v > 0 else np.inf
              for p, v in restored_a_year.items()}
    for p in comparison.providers:
        if p.provider is None or restored_a_year.get(p.name, 0) <= 0:
            continue
        for label, fig, other in (("cost", p.cost_eur_per_year, p.d2c_share_of_cost.value),
                                  ("D2C share of cost", p.d2c_share_of_cost, p.cost_eur_per_year.value)):
            if not fig.assumed:
                continue
            at_low, at_high = (x * other / restored_a_year[p.name] for x in (fig.low, fig.high))
            flip = (_order_flip(per_ph, p.name, at_low, False, fig.value, fig.low)
                    or _order_flip(per_ph, p.name, at_high, False, fig.value, fig.high))
            bars.append(Bar(f"{label} {p.name}", "cost", f"EUR per person-hour of {p.name}", fig.value, fig.low,
                            fig.high, per_ph[p.name], at_low, at_high, flip))
    return bars
