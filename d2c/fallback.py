"""Fallback: terrestrial service first, the rest of the demand onto D2C beams.

Emergency calls get the capacity first (IMS emergency sessions carry the
highest allocation and retention priority, 3GPP TS 23.401 / 23.167), so an
area's 112 calls are served up to the concurrent-call capacity of the sites
still serving it. Handsets in EU countries may place a 112 call on any
operator's network in limited-service state (3GPP TS 22.101), so every
operator's surviving site counts for emergency service.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from d2c.demand import StepDemand
from d2c.world import World


@dataclass(frozen=True)
class D2CCapacity:
    """What the space stage offers each area this step (zero when no constellation is set)."""

    calls: np.ndarray  # concurrent 112 calls
    sms: np.ndarray  # SMS per step
    under_beam: np.ndarray  # bool: cell broadcast reaches handsets here

    @classmethod
    def none(cls, n_areas: int) -> "D2CCapacity":
        zero = np.zeros(n_areas)
        return cls(zero, zero, np.zeros(n_areas, dtype=bool))


@dataclass(frozen=True)
class Service:
    """Per area, this step."""

    terrestrial: np.ndarray  # bool: at least one site in service covers it
    d2c: np.ndarray  # bool: no terrestrial service, served by D2C instead
    calls_offered: np.ndarray
    calls_served_terrestrial: np.ndarray
    calls_served_d2c: np.ndarray
    sms_offered: np.ndarray
    sms_served_terrestrial: np.ndarray
    sms_served_d2c: np.ndarray
    capacity_calls: np.ndarray  # concurrent calls available to the area on its bearer

    @property
    def emergency_offered(self) -> np.ndarray:
        return self.calls_offered + self.sms_offered

    @property
    def emergency_served_terrestrial(self) -> np.ndarray:
        return self.calls_served_terrestrial + self.sms_served_terrestrial

    @property
    def emergency_served(self) -> np.ndarray:
        return self.emergency_served_terrestrial + self.calls_served_d2c + self.sms_served_d2c


class Fallback:
    """The fallback stage. Area capacity is recomputed only when the set of sites in service changes."""

    def __init__(self, world: World):
        self.world = world
        self._last_in_service: np.ndarray | None = None
        self._last_sms: np.ndarray | None = None
        self._capacity = np.zeros(len(world.area_ids))
        self._covered = np.zeros(len(world.area_ids), dtype=bool)
        self._sms_covered = np.zeros(len(world.area_ids), dtype=bool)

    def terrestrial(self, site_in_service: np.ndarray, site_sms_ok: np.ndarray) -> np.ndarray:
        """Take this step's sites in service; return the areas with terrestrial 112 service."""
        if self._last_in_service is not None and np.array_equal(site_in_service, self._last_in_service) and \
                np.array_equal(site_sms_ok, self._last_sms):
            return self._covered
        cov = self.world.coverage
        n_areas = len(self.world.area_ids)
        up = site_in_service[cov.site]
        self._covered = np.bincount(cov.area, weights=up, minlength=n_areas) > 0
        self._sms_covered = np.bincount(cov.area, weights=site_sms_ok[cov.site], minlength=n_areas) > 0
        self._capacity = np.bincount(
            cov.area, weights=up * self.world.site_capacity_calls[cov.site] * cov.share, minlength=n_areas
        )
        self._last_in_service = site_in_service.copy()
        self._last_sms = site_sms_ok.copy()
        return self._covered

    def step(self, demand: StepDemand, d2c: D2CCapacity) -> Service:
        """Serve this step's demand: terrestrial where ``terrestrial()`` found service, D2C elsewhere."""
        terrestrial = self._covered
        on_d2c = ~terrestrial & (d2c.calls > 0)
        capacity = np.where(terrestrial, self._capacity, np.where(on_d2c, d2c.calls, 0.0))
        served_share = np.divide(capacity, demand.call_erlangs, out=np.ones_like(capacity),
                                 where=demand.call_erlangs > 0)
        served_share = np.clip(served_share, 0.0, 1.0)
        calls_served = demand.calls * served_share
        sms_terrestrial = np.where(self._sms_covered, demand.sms, 0.0)
        sms_d2c = np.where(~self._sms_covered, np.minimum(demand.sms, d2c.sms), 0.0)
        return Service(
            terrestrial=terrestrial,
            d2c=on_d2c,
            calls_offered=demand.calls,
            calls_served_terrestrial=np.where(terrestrial, calls_served, 0.0),
            calls_served_d2c=np.where(on_d2c, calls_served, 0.0),
            sms_offered=demand.sms,
            sms_served_terrestrial=sms_terrestrial,
            sms_served_d2c=sms_d2c,
            capacity_calls=capacity,
        )
