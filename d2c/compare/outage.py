"""What a person lives through, per run: person-hours without any 112 path, and the worst instant.

One :class:`OutageTally` follows one provider's run step by step (from the
``StepState`` the engine hands out, whoever drives the loop), so a compare
run and an ordinary ``Simulation`` run are measured by the same code.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from d2c.stages import Service

__all__ = ["OutageTally", "RunFigures", "people_without_112"]


def people_without_112(service: Service, population: np.ndarray) -> np.ndarray:
    """Per area, the people with no 112 path at all this step (neither terrestrial nor D2C).

    ``Service.people_share_no_path`` counts handsets stuck on an operator whose
    core failed as without a path, and D2C only where a beam carries 112.
    """
    return population * service.people_share_no_path


@dataclass(frozen=True)
class RunFigures:
    """One provider on one scenario and seed."""

    person_hours_without_112: float
    worst_share_without_112: float  # the largest share of the population with no 112 path at any step
    worst_at_s: float  # when (the first step at that share)
    hourly_people_without_112: tuple[float, ...]  # mean people without a 112 path, hour by hour

    def to_dict(self) -> dict:
        return {"person_hours_without_112": self.person_hours_without_112,
                "worst_share_without_112": self.worst_share_without_112, "worst_at_s": self.worst_at_s,
                "hourly_people_without_112": list(self.hourly_people_without_112)}


class OutageTally:
    def __init__(self, population: np.ndarray, step_s: float):
        self.population = np.asarray(population, dtype=float)
        self.total = float(self.population.sum())
        self.step_s = step_s
        self.people: list[float] = []
        self.t_s: list[float] = []

    def add(self, state) -> None:
        """Count one step (a ``d2c.stages.StepState``)."""
        self.people.append(float(people_without_112(state.service, self.population).sum()))
        self.t_s.append(state.t_s)

    def figures(self) -> RunFigures:
        people = np.asarray(self.people)
        worst = int(np.argmax(people)) if people.size else 0
        per_hour = max(int(round(3600.0 / self.step_s)), 1)
        hourly = (np.add.reduceat(people, np.arange(0, people.size, per_hour))
                  / np.diff(np.append(np.arange(0, people.size, per_hour), people.size))) if people.size else people
        return RunFigures(
            person_hours_without_112=round(float(people.sum()) * self.step_s / 3600.0, 6),
            worst_share_without_112=round(float(people[worst]) / self.total, 6) if people.size and self.total else 0.0,
            worst_at_s=float(self.t_s[worst]) if people.size else 0.0,
            hourly_people_without_112=tuple(round(float(v), 3) for v in hourly),
        )
