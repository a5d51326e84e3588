"""The headline of a run: who had no 112 path, for how long, at worst, and how fast it came back.

Demand-weighted survival averages an outage away once the surge fades; these
figures do not. Each is computed twice from the same run: with D2C, and
without it (the terrestrial share alone: D2C never changes the terrestrial
state, so no second run is needed).

Definitions (docs/ARCHITECTURE.md, "Headline"):

- *No 112 path*: an area's people times ``1 - terrestrial share - D2C share``
  (``Service.people_share_no_path``).
- *Person-hours without 112*: that population summed over the steps, times
  the step length.
- *Worst instant*: the first step with the most people without a 112 path.
- *Area outage*: an area is out while at least half of its people have no 112
  path (``AREA_OUT_SHARE``); the longest contiguous run of any area.
- *Time to restore X%*: hours from the incident start until, at or after the
  worst instant, the shortfall (people without a 112 path, or sites out of
  service) is at most ``1 - X`` of its worst value: X% of what was lost is
  back. 0 when nothing was lost, ``None`` when not reached within the run.
  The incident starts when the first incident reaches an area or the first
  person or site loses service, whichever is earlier.

One rounding rule (``rounded``) is applied when a figure enters the summary;
reports render and tests compare those stored values.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["AREA_OUT_SHARE", "RESTORE_FRACTIONS", "VARIANTS", "AreaOutages", "LongestOutage", "PeopleHeadline",
           "headline_keys", "incident_start_s", "people_headline", "people_without_112", "restore_hours", "rounded",
           "worst_instant"]

# Definition, not a physical parameter: an area counts as out while at least
# this share of its people has no 112 path (a majority cut off).
AREA_OUT_SHARE = 0.5
RESTORE_FRACTIONS = (50, 90, 95)
VARIANTS = ("", "_without_d2c")

# Decimals kept for each kind of figure (the one rounding rule).
DECIMALS = {"share": 6, "hours": 3, "person_hours": 1}


def rounded(value: float | None, kind: str) -> float | None:
    """``value`` rounded the one way the summary stores (and tests compare) figures of ``kind``.

    >>> rounded(0.33333333333, "share"), rounded(12.34567, "hours"), rounded(None, "hours")
    (0.333333, 12.346, None)
    """
    return None if value is None else round(float(value), DECIMALS[kind])


def worst_instant(shortfall: np.ndarray) -> int:
    """Index of the first step with the largest shortfall (0 for an empty series).

    >>> worst_instant(np.array([0.0, 5.0, 7.0, 7.0, 1.0]))
    2
    """
    return int(np.argmax(shortfall)) if len(shortfall) else 0


def people_without_112(population: np.ndarray, no_path_share: np.ndarray) -> float:
    """People with no 112 path this step: each area's people times its share without a path, summed.

    A numpy sum, not ``population @ share``: BLAS costs 100x more on these short vectors.

    >>> people_without_112(np.array([100.0, 50.0]), np.array([0.5, 1.0]))
    100.0
    """
    return float(np.sum(population * no_path_share))


@dataclass(frozen=True)
class PeopleHeadline:
    """The headline figures of one series of people without a 112 path (one variant of one run)."""

    person_hours: float  # rounded as the summary stores it
    worst_share: float  # of the whole population, from the rounded worst count
    worst_people: int
    worst_at_s: float | None  # None when nobody ever lost a 112 path


def people_headline(t_s: np.ndarray, people: np.ndarray, step_s: float, population_total: float) -> PeopleHeadline:
    """Person-hours without a 112 path and the worst instant, from the people without one at each step.

    The one place these figures are computed: ``d2c run``'s summary and ``d2c compare``'s
    runs both call it, so the two agree for the same scenario, seed and provider.

    >>> h = people_headline(np.array([0.0, 60.0, 120.0]), np.array([0.0, 30.4, 10.0]), 60.0, 100.0)
    >>> h.person_hours, h.worst_people, h.worst_share, h.worst_at_s
    (0.7, 30, 0.3, 60.0)
    """
    people = np.asarray(people, dtype=float)
    k = worst_instant(people)
    worst_people = int(round(people[k])) if people.size else 0
    return PeopleHeadline(
        person_hours=rounded(people.sum() * step_s / 3600.0, "person_hours"),
        worst_share=rounded(worst_people / population_total if population_total else 0.0, "share"),
        worst_people=worst_people,
        worst_at_s=float(t_s[k]) if worst_people else None,
    )


def restore_hours(t_s: np.ndarray, shortfall: np.ndarray, fraction: float, start_s: float) -> float | None:
    """Hours from ``start_s`` until ``fraction`` of the worst shortfall is made good (see the module text).

    A shortfall peaking at 100 at T+2h, 40 at T+3h, 4 at T+5h: half is back
    at T+3h, 95% at T+5h, counted from an incident at T+1h.

    >>> t = np.arange(7) * 3600.0
    >>> lost = np.array([0, 20, 100, 40, 10, 4, 0])
    >>> restore_hours(t, lost, 0.5, 3600.0), restore_hours(t, lost, 0.95, 3600.0)
    (2.0, 4.0)
    >>> restore_hours(t, np.array([0, 5, 5, 5, 5, 5, 5]), 0.5, 0.0) is None
    True
    """
    shortfall = np.asarray(shortfall, dtype=float)  # pragma: no mutate  (equivalent: ints compare and scale alike)
    k = worst_instant(shortfall)
    if shortfall.size == 0 or shortfall[k] <= 0:
        return 0.0
    target = (1.0 - fraction) * shortfall[k] * (1.0 + 1e-9)
    back = np.nonzero(shortfall[k:] <= target)[0]
    if back.size == 0:
        return None
    return max(float(t_s[k + back[0]]) - start_s, 0.0) / 3600.0


def incident_start_s(t_s: np.ndarray, first_affected_s: float, *shortfalls: np.ndarray) -> float:
    """When the incident starts: the first area it reaches or the first loss of service, whichever is earlier.

    >>> incident_start_s(np.array([0.0, 60.0, 120.0]), np.inf, np.array([0, 0, 3]))
    120.0
    >>> incident_start_s(np.array([0.0, 60.0, 120.0]), 30.0, np.array([0, 0, 3]))
    30.0
    """
    start = float(first_affected_s)
    for shortfall in shortfalls:
        lost = np.nonzero(np.asarray(shortfall) > 0)[0]
        if lost.size:
            start = min(start, float(t_s[lost[0]]))
    return start if np.isfinite(start) else 0.0


class AreaOutages:
    """Per area, the current and the longest contiguous outage, updated with array operations each step.

    Steps that leave every area in or out as it was are added up and applied at once when the areas
    change (or a figure is read): with a whole number of seconds a step, ``k`` steps of ``dt`` add
    exactly ``k dt``, so the figures are those of one update a step. Other step lengths update each step.
    """

    def __init__(self, n_areas: int):
        self._run_s = np.zeros(n_areas)
        self._longest_s = np.zeros(n_areas)
        self._longest_end_s = np.zeros(n_areas)  # end of the longest run (the end of the run so far if ongoing)
        self._pending: tuple | None = None  # (out mask, steps, last t_s, dt_s): steps not applied yet

    def update(self, no_path_share: np.ndarray, t_s: float, dt_s: float) -> None:
        out = no_path_share >= AREA_OUT_SHARE
        p = self._pending
        if p is not None and p[3] == dt_s and float(dt_s).is_integer() and np.array_equal(out, p[0]):
            self._pending = (p[0], p[1] + 1, t_s, dt_s)
            return
        self._apply()
        self._pending = (out, 1, t_s, dt_s)

    def _apply(self) -> None:
        """The steps kept in ``_pending``, at once: the run grows where the areas were out, and is zero elsewhere."""
        if self._pending is None:
            return
        out, steps, t_s, dt_s = self._pending
        self._pending = None
        self._run_s += steps * dt_s
        self._run_s *= out
        longer = self._run_s > self._longest_s
        np.maximum(self._longest_s, self._run_s, out=self._longest_s)
        np.copyto(self._longest_end_s, t_s + dt_s, where=longer)

    @property
    def run_s(self) -> np.ndarray:
        """Per area, the outage going on (0: not out)."""
        self._apply()
        return self._run_s

    @property
    def longest_s(self) -> np.ndarray:
        self._apply()
        return self._longest_s

    @property
    def longest_end_s(self) -> np.ndarray:
        self._apply()
        return self._longest_end_s

    def longest(self, population: np.ndarray) -> "LongestOutage":
        """The longest outage of any area; among equally long ones, the area with the most people."""
        longest_s = self.longest_s
        if longest_s.size == 0 or longest_s.max() <= 0:
            return LongestOutage(-1, 0.0, 0.0, False, 0)
        top = longest_s.max()
        tied = np.nonzero(longest_s == top)[0]
        area = int(tied[np.argmax(population[tied])])
        ongoing = bool(self._run_s[area] == top)
        end_s = float(self._longest_end_s[area])
        return LongestOutage(area, float(top), end_s - float(top), ongoing, int(tied.size))


@dataclass(frozen=True)
class LongestOutage:
    area: int  # index, -1 when no area was ever out
    seconds: float
    from_s: float
    ongoing: bool  # still out at the end of the run: the length is a lower bound
    areas_as_long: int  # how many areas had an outage this long (the named one included)


def headline_keys() -> list[str]:
    """The numeric headline figures of a summary, in the order reports show them (sweeps take these)."""
    keys = []
    for figure in ("no_112_person_hours", "worst_no_112_share", "longest_area_outage_hours",
                   *[f"restore_people_{x}_hours" for x in RESTORE_FRACTIONS]):
        keys += [figure + v for v in VARIANTS]
    keys += [f"restore_sites_{x}_hours" for x in RESTORE_FRACTIONS]
    return keys
