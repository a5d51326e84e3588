"""Operators' own cells on wheels: where and when each operator's temporary sites go, without a drill decision.

Opt-in per scenario (``restoration: temporary_sites:``, ``docs/FORMATS.md``);
the figures and their ranges are in :mod:`d2c.restoration.defaults`.

Each operator keeps ``per_operator_region`` units in every region where it
has sites. An area that has lost its own terrestrial 112 service for
``mobilise_s`` (the drive from the depot and the set-up) gets a unit of its
region, the areas with the most people first. A unit serves everyone in its
area: an emergency call is accepted on any network (3GPP TS 23.167), so a
unit of any operator gives the whole area a 112 path. When the area's own
sites serve it again the unit is withdrawn, and it can be on air elsewhere
``mobilise_s`` later. The operator keeps it fuelled while it stands
(assumed: refuelled with the site generators, so it never runs dry).

The decisions are whole-array operations over the areas; only the units
that arrive or leave in a step are handed one by one to the fallback layer
that carries them (``d2c.cells_on_wheels.TemporarySites``).

>>> import numpy as np
>>> p = TemporarySitePolicy(np.array([0, 0, 1]), np.array([100.0, 900.0, 50.0]), np.array([1, 1]),
...                         mobilise_s=3600.0, step_s=1800.0)
>>> lost = np.array([True, True, True])
>>> [p.decide(lost) for _ in range(3)]   # t = 0, 0.5 h, 1 h: on air once lost for an hour
[([], []), ([], []), ([1, 2], [])]
>>> p.decide(np.array([True, False, True]))   # area 1 is served by its own sites again: its unit (the first) leaves
([], [0])
"""

from __future__ import annotations

import numpy as np

__all__ = ["TemporarySitePolicy", "units_per_region", "policy_for"]


def units_per_region(region_of_area: np.ndarray, coverage_area: np.ndarray, coverage_operator: np.ndarray,
                     per_operator: int) -> np.ndarray:
    """``per_operator`` units for every operator with a site serving an area of the region, per region.

    >>> units_per_region(np.array([0, 0, 1]), np.array([0, 1, 1, 2]), np.array([0, 1, 0, 1]), 2).tolist()
    [4, 2]
    """
    n_regions = int(region_of_area.max()) + 1 if region_of_area.size else 0
    region = region_of_area[coverage_area]
    n_ops = int(coverage_operator.max()) + 1 if coverage_operator.size else 1
    present = np.unique(region * n_ops + coverage_operator) // n_ops
    return np.bincount(present, minlength=n_regions).astype(np.int64) * int(per_operator)


class TemporarySitePolicy:
    """Which areas get a unit this step and which units leave (indices in deployment order)."""

    def __init__(self, region_of_area: np.ndarray, people: np.ndarray, units_free: np.ndarray,
                 mobilise_s: float, step_s: float):
        self.region_of_area = np.asarray(region_of_area, dtype=np.int64)
        self.people = np.asarray(people, dtype=float)
        self.units_free = np.asarray(units_free, dtype=np.int64).copy()  # per region, on hand now
        self.units = int(self.units_free.sum())
        self.peak_standing = 0
        self.mobilise_s = float(mobilise_s)
        self.step_s = float(step_s)
        self.t_s = 0.0
        n = self.people.size
        self.lost_since_s = np.full(n, np.inf)  # when the area lost its own service (inf: served)
        self.unit_at = np.full(n, -1, dtype=np.int64)  # the unit standing in the area, in deployment order
        self.deployed = 0  # units put on air so far
        self.returning_region = np.zeros(0, dtype=np.int64)  # withdrawn units on their way back
        self.returning_at_s = np.zeros(0)

    def decide(self, lost: np.ndarray) -> tuple[list[int], list[int]]:
        """This step's arrivals (areas) and withdrawals (units), given the areas without their own service."""
        t = self.t_s
        lost = np.asarray(lost, dtype=bool)
        self.lost_since_s = np.where(lost, np.minimum(self.lost_since_s, t), np.inf)

        leaving = ~lost & (self.unit_at >= 0)
        withdrawn = self.unit_at[leaving].tolist()
        self.returning_region = np.append(self.returning_region, self.region_of_area[leaving])
        self.returning_at_s = np.append(self.returning_at_s, np.full(int(leaving.sum()), t + self.mobilise_s))
        self.unit_at[leaving] = -1

        back = self.returning_at_s <= t
        self.units_free += np.bincount(self.returning_region[back], minlength=self.units_free.size)
        self.returning_region, self.returning_at_s = self.returning_region[~back], self.returning_at_s[~back]

        waiting = lost & (t - self.lost_since_s >= self.mobilise_s) & (self.unit_at < 0) & (self.people > 0)
        candidates = np.flatnonzero(waiting)
        # most people first (ties: the topology's order), then at most the units on hand in each region
        candidates = candidates[np.argsort(-self.people[candidates], kind="stable")]
        region = self.region_of_area[candidates]
        order = np.argsort(region, kind="stable")
        first_of_region = np.searchsorted(region[order], region[order])
        rank = np.empty_like(order)
        rank[order] = np.arange(order.size) - first_of_region
        arriving = candidates[rank < self.units_free[region]]
        self.units_free -= np.bincount(self.region_of_area[arriving], minlength=self.units_free.size)
        self.unit_at[arriving] = self.deployed + np.arange(arriving.size)
        self.deployed += int(arriving.size)
        self.peak_standing = max(self.peak_standing, int((self.unit_at >= 0).sum()))

        self.t_s = t + self.step_s
        return arriving.tolist(), withdrawn

    def summary(self) -> dict:
        """The result JSON's ``restoration.temporary_sites``: units kept, put on air, at most on air at once."""
        return {"units": self.units, "deployed": self.deployed, "peak_on_air": self.peak_standing,
                "on_air_at_end": int((self.unit_at >= 0).sum())}


def policy_for(world, settings, step_s: float) -> TemporarySitePolicy:
    """The policy of a scenario's ``restoration`` settings on a world (regions are the areas' own)."""
    region_names = sorted(set(world.area_region))
    region_of_area = np.array([region_names.index(r) for r in world.area_region], dtype=np.int64)
    units = units_per_region(region_of_area, world.coverage.area, world.site_operator[world.coverage.site],
                             settings.temporary_sites_per_operator_region)
    return TemporarySitePolicy(region_of_area, world.area_population, units,
                               settings.temporary_site_mobilise_hours * 3600.0, step_s)
