"""A finished comparison: the file, every run, the decision table and the tornado, as one document."""

from __future__ import annotations

from dataclasses import dataclass

from d2c.compare.decision import Decision
from d2c.compare.execute import Runs
from d2c.compare.spec import Comparison
from d2c.compare.tornado import Bar
from d2c.compare.words import answer, assumptions
from d2c.space.provider import figure_text

__all__ = ["CompareResult"]


@dataclass
class CompareResult:
    comparison: Comparison
    runs: Runs
    decision: Decision
    bars: list[Bar]
    settings: dict  # how it ran (scheduler, workers); not part of the numbers

    def to_dict(self) -> dict:
        """The JSON document: same seeds, same numbers, same bytes (no timings, no paths of this machine)."""
        c = self.comparison
        return {
            "comparison": c.name,
            "description": c.description,
            "answer": answer(self),
            "assumptions": assumptions(self),
            "providers": [{"name": p.name, "describe": p.describe(),
                           "cost_eur_per_year": p.cost_eur_per_year.__dict__,
                           "d2c_share_of_cost": p.d2c_share_of_cost.__dict__,
                           "assumed_ranges": {a.name: [figure_text(a.low), figure_text(a.high)]
                                              for a in p.assumptions}}
                          for p in c.providers],
            "scenarios": [{"name": s.name, "class": s.incident_class, "rate_per_year": s.rate_per_year.__dict__,
                           "seeds": list(s.seeds)} for s in c.scenarios],
            "cases": [{"name": k.name, "kind": k.denial.kind, "describe": k.denial.describe(),
                       "providers": list(k.providers), "scenarios": list(k.scenarios)} for k in c.cases],
            "reduced_seeds": c.reduced_seeds,
            "classes": self.decision.classes,
            "ranking": self.decision.ranking(),
            "decision": [row.to_dict() for row in self.decision.rows],
            "tornado": [bar.to_dict() for bar in self.bars],
            "runs": [{"scenario": s, "seed": seed, "variant": key, **fig.to_dict()}
                     for (s, seed, key), fig in sorted(self.runs.items())],
        }
