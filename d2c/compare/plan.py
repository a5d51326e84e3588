"""What a comparison runs: one task per (scenario, seed), each with the variants that share its terrestrial pass.

Every seed runs every provider. The first ``reduced_seeds`` seeds of each
scenario also run, for each provider, every denial case that applies and the
one-at-a-time low/high value of each figure its preset marks assumed (the sensitivity), which
keeps their cost bounded: 2 x (assumed figures) extra provider passes on a
few seeds, never a second terrestrial pass.
"""

from __future__ import annotations

from dataclasses import dataclass

from d2c.compare.shared import Variant
from d2c.compare.spec import Comparison
from d2c.space.provider import figure_number

__all__ = ["Task", "plan", "base_key", "case_key", "sensitivity_key"]


@dataclass(frozen=True)
class Task:
    scenario: str  # the scenario's name in the comparison
    path: str
    seeds: tuple[tuple[int, tuple[Variant, ...]], ...]  # each seed with its variants

    @property
    def runs(self) -> int:
        return sum(len(variants) for _, variants in self.seeds)


def base_key(provider: str) -> str:
    return provider


def case_key(provider: str, case: str) -> str:
    return f"{provider}|case={case}"


def sensitivity_key(provider: str, parameter: str, side: str) -> str:
    return f"{provider}|{parameter}={side}"


def plan(comparison: Comparison) -> list[Task]:
    """The tasks, in a fixed order (scenario order, then seed)."""
    tasks = []
    for s in comparison.scenarios:
        seeds = []
        for i, seed in enumerate(s.seeds):
            variants = [Variant(base_key(p.name), p.name, p.provider, p.core) for p in comparison.providers]
            if i < comparison.reduced_seeds:
                variants += _cases(comparison, s.name) + _sensitivity(comparison)
            seeds.append((seed, tuple(variants)))
        tasks.append(Task(s.name, s.path, tuple(seeds)))
    return tasks


def _cases(comparison: Comparison, scenario: str) -> list[Variant]:
    out = []
    for case in comparison.cases:
        for p in comparison.providers:
            if case.applies(p.name, scenario):
                out.append(Variant(case_key(p.name, case.name), p.name, p.provider, p.core, (case.denial,), case=case.name))
    return out


def _sensitivity(comparison: Comparison) -> list[Variant]:
    """Each provider with one assumed figure (``Provider.assumptions``) at its low, then its high."""
    out = []
    for p in comparison.providers:
        for a in p.assumptions:
            for side, value in (("low", a.low), ("high", a.high)):
                out.append(Variant(sensitivity_key(p.name, a.name, side), p.name, p.provider.with_value(a.name, value),
                                   p.core, parameter=a.name, side=side, value=figure_number(value)))
    return out
