"""What one provider's run comes to: the headline's person-hours without a 112 path and worst instant.

A :class:`Tally` follows one provider's run step by step (from the ``StepState``
the engine hands out, whoever drives the loop) and computes its figures with
:func:`d2c.headline.people_headline`, the code ``d2c run``'s summary uses: a
compare run and an ordinary run of the same scenario, seed and provider give
the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from d2c.headline import people_headline, people_without_112

__all__ = ["RunFigures", "Tally"]


@dataclass(frozen=True)
class RunFigures:
    """One provider on one scenario and seed: the run's headline figures (with this provider's D2C)."""

    person_hours_without_112: float  # the summary's no_112_person_hours
    worst_share_without_112: float  # the summary's worst_no_112_share
    worst_at_s: float | None  # the summary's worst_no_112_at_s (None: nobody lost a 112 path)
    hourly_people_without_112: tuple[float, ...]  # mean people without a 112 path, hour by hour (for charts)

    def to_dict(self) -> dict:
        return {"person_hours_without_112": self.person_hours_without_112,
                "worst_share_without_112": self.worst_share_without_112, "worst_at_s": self.worst_at_s,
                "hourly_people_without_112": list(self.hourly_people_without_112)}


class Tally:
    def __init__(self, population: np.ndarray, step_s: float):
        self.population = np.asarray(population, dtype=float)
        self.total = float(self.population.sum())
        self.step_s = step_s
        self.people: list[float] = []
        self.t_s: list[float] = []

    def add(self, state) -> None:
        """Count one step (a ``d2c.stages.StepState``)."""
        self.count(state.t_s, state.service.people_share_no_path)

    def count(self, t_s: float, no_path_share: np.ndarray) -> None:
        """Count one step from its time and each area's share of people with no 112 path."""
        self.people.append(people_without_112(self.population, no_path_share))
        self.t_s.append(t_s)

    def figures(self) -> RunFigures:
        people = np.asarray(self.people)
        head = people_headline(np.asarray(self.t_s), people, self.step_s, self.total)
        per_hour = max(int(round(3600.0 / self.step_s)), 1)
        starts = np.arange(0, people.size, per_hour)
        hourly = np.add.reduceat(people, starts) / np.diff(np.append(starts, people.size)) if people.size else people
        return RunFigures(
            person_hours_without_112=head.person_hours,
            worst_share_without_112=head.worst_share,
            worst_at_s=head.worst_at_s,
            hourly_people_without_112=tuple(round(float(v), 3) for v in hourly),
        )
