"""Where service stood, place by place: hourly snapshots of every area and site.

The timeline sums each step over the territory; maps, GIS exports and
``d2c explain`` need the places themselves. Once an hour (on the hour from the
start) the recorder keeps each area's service and each site's state, one
character each, and it keeps the areas' service and D2C beams at the worst
instant: the headline's (``d2c.headline``), the first step with the most
people without a 112 path; if nobody ever lost 112, the first step with the
fewest people on terrestrial 112. In the result JSON this is the
``places`` block (docs/FORMATS.md), columnar to stay compact:

- area service: ``N`` when at least half its people have no 112 path (the
  headline's area outage, ``d2c.headline.AREA_OUT_SHARE``), else ``T`` with
  a terrestrial path, ``D`` on D2C only;
- site state: ``.`` in service, else the cause's initial: ``d`` damage,
  ``p`` power, ``j`` jamming, ``b`` backhaul, ``c`` core;
- area cause: ``.`` while the area has a site in service, else the first
  cause, in the network's precedence (damage > power > jamming > backhaul >
  core), among the sites covering it; ``-`` for an area no site covers.
"""

from __future__ import annotations

import numpy as np

from d2c.hazards.geometry import incident_geometries
from d2c.headline import AREA_OUT_SHARE
from d2c.config.scenario import Scenario
from d2c.network import CAUSE_CODE, CAUSES, IN_SERVICE
from d2c.stages import StepState
from d2c.world import World

__all__ = ["AREA_STATUS", "SITE_STATE", "CoverageByArea", "Snapshots", "area_causes", "site_letters"]

AREA_STATUS = {"T": "terrestrial", "D": "D2C only", "N": "no 112 path"}
SITE_STATE = {".": "in service", **{name[0]: name for name in CAUSES}}
_SITE_LETTERS = np.array(["."] + [name[0] for name in CAUSES])
assert IN_SERVICE == 0 and [CAUSE_CODE[c] for c in CAUSES] == list(range(1, len(CAUSES) + 1))


def site_letters(cause: np.ndarray) -> np.ndarray:
    """Cause codes as the one-letter states of ``SITE_STATE``."""
    return _SITE_LETTERS[np.asarray(cause, dtype=np.int64)]


def area_causes(world: World, cause: np.ndarray, by_area: "CoverageByArea | None" = None) -> np.ndarray:
    """Per area, the cause code that keeps it off its cells (0: a site in service; -1: no site covers it).

    In service is code 0 and the causes are numbered in their precedence, so it is the smallest code
    of the sites covering the area. ``by_area``: the coverage pairs grouped by area (kept by the caller).
    """
    by_area = by_area or CoverageByArea(world)
    codes = np.asarray(cause, dtype=np.int64)[by_area.site]
    if codes.size == 0:
        return np.full(by_area.covered.size, -1, dtype=np.int64)
    smallest = np.minimum.reduceat(codes, by_area.start)
    return np.where(by_area.covered, smallest, -1)


class CoverageByArea:
    """The coverage pairs' sites, area after area, and where each area's pairs start (for ``reduceat``)."""

    def __init__(self, world: World):
        cov = world.coverage
        n_areas = len(world.area_ids)
        order = np.argsort(cov.area, kind="stable")
        self.site = cov.site[order]
        counts = np.bincount(cov.area, minlength=n_areas)
        self.covered = counts > 0
        # an area with no pair starts where the next one does: reduceat gives it a value, ``covered`` drops it
        self.start = np.minimum(np.concatenate(([0], np.cumsum(counts)[:-1])), max(self.site.size - 1, 0))


def _area_cause_letters(codes: np.ndarray) -> np.ndarray:
    return np.where(codes < 0, "-", _SITE_LETTERS[np.clip(codes, 0, None)])


def _area_letters(no_path_share: np.ndarray, terrestrial: np.ndarray, d2c: np.ndarray) -> np.ndarray:
    out = np.asarray(no_path_share) >= AREA_OUT_SHARE
    return np.where(out, "N", np.where(terrestrial, "T", np.where(d2c, "D", "N")))


class Snapshots:
    """Hourly place-by-place states, and the worst instant, for one run."""

    def __init__(self, world: World, step_s: float):
        self.world = world
        self.step_s = step_s
        self.hours_t_s: list[float] = []
        self.areas: list[np.ndarray] = []
        self.area_causes: list[np.ndarray] = []
        self.sites: list[np.ndarray] = []
        self.worst_t_s: float | None = None
        self.worst_key = (-np.inf, -np.inf)
        # the worst step's share without a 112 path, terrestrial and D2C areas: its letters are
        # worked out when read (a run worsens over many steps, only the last worst is shown)
        self._worst_service: tuple | None = None
        self.worst_beam = np.zeros(0, dtype=np.int64)
        self._by_area: CoverageByArea | None = None  # built at the first hourly snapshot

    @property
    def worst_areas(self) -> np.ndarray:
        """The worst instant's area letters (``AREA_STATUS``)."""
        if self._worst_service is None:
            return np.zeros(0, dtype="<U1")
        return _area_letters(*self._worst_service)

    def record(self, state: StepState, people_no_path: float | None = None, people_terrestrial: float | None = None,
               no_path_share: np.ndarray | None = None) -> None:
        """Keep the step if it is the worst so far, and the hourly states.

        ``people_no_path``, ``people_terrestrial`` and ``no_path_share``: this step's figures when the
        caller has them already (the recorder), else worked out here.
        """
        s, pop = state.service, self.world.area_population
        if no_path_share is None:
            no_path_share = s.people_share_no_path
        if people_no_path is None:
            people_no_path = float(np.sum(pop * no_path_share))
        if people_terrestrial is None:
            people_terrestrial = float(pop[s.terrestrial].sum())
        key = (people_no_path, -people_terrestrial)
        if key > self.worst_key:
            self.worst_key = key
            self.worst_t_s = float(state.t_s)
            self._worst_service = (no_path_share, s.terrestrial, s.d2c)
            self.worst_beam = np.asarray(state.d2c.area_beam, dtype=np.int64).copy()
        if abs(state.t_s / 3600.0 - round(state.t_s / 3600.0)) * 3600.0 < 0.5 * self.step_s and (
                not self.hours_t_s or round(state.t_s / 3600.0) * 3600.0 > self.hours_t_s[-1]):
            self.hours_t_s.append(round(state.t_s / 3600.0) * 3600.0)
            self.areas.append(_area_letters(no_path_share, s.terrestrial, s.d2c))
            if self._by_area is None:
                self._by_area = CoverageByArea(self.world)
            self.area_causes.append(_area_cause_letters(area_causes(self.world, state.network.cause, self._by_area)))
            self.sites.append(site_letters(state.network.cause))

    def to_dict(self, scenario: Scenario) -> dict:
        w = self.world
        n_sites = len(w.site_ids)
        sites_sl = w.slices["site"]
        by_area = np.stack(self.areas, axis=1) if self.areas else np.zeros((len(w.area_ids), 0), dtype="<U1")
        by_cause = (np.stack(self.area_causes, axis=1) if self.area_causes
                    else np.zeros((len(w.area_ids), 0), dtype="<U1"))
        by_site = np.stack(self.sites, axis=1) if self.sites else np.zeros((n_sites, 0), dtype="<U1")
        return {
            "hours_t_s": self.hours_t_s,
            "areas": {
                "id": list(w.area_ids),
                "name": list(w.area_names),
                "lat": np.round(w.area_lat_deg, 5).tolist(),
                "lon": np.round(w.area_lon_deg, 5).tolist(),
                "population": [int(p) for p in w.area_population],
                "hourly_service": ["".join(row) for row in by_area],
                "hourly_cause": ["".join(row) for row in by_cause],
            },
            "sites": {
                "id": list(w.site_ids),
                "operator": [w.operators[k] for k in w.site_operator],
                "lat": np.round(w.equipment_lat_deg[sites_sl], 5).tolist(),
                "lon": np.round(w.equipment_lon_deg[sites_sl], 5).tolist(),
                "hourly_state": ["".join(row) for row in by_site],
            },
            "worst": {
                "t_s": self.worst_t_s,
                "area_service": "".join(self.worst_areas),
                "area_beam": self.worst_beam.tolist(),
            },
            "incidents": incident_geometries(scenario.incidents),
        }
