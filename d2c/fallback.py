"""Fallback: terrestrial service first, the rest of the demand onto D2C beams by priority.

Terrestrial: emergency calls get the capacity first (IMS emergency sessions
carry the highest allocation and retention priority, 3GPP TS 23.401 /
23.167), so an area's 112 calls are served up to the concurrent-call capacity
of the sites still serving it. Handsets in EU countries may place a 112 call
on any operator's network in limited-service state (3GPP TS 22.101), so every
operator's surviving site counts for emergency service.

D2C: areas without terrestrial service share the beam pointed at them. Each
beam's capacity goes, in order, to 112 calls, then first responders'
push-to-talk (3GPP MPS / MCPTT priority), on the voice pool; to 112 SMS, then
public SMS, on the messaging pool; data gets the beam's Mbit/s last. What
does not fit is blocked and counted.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from d2c.demand import StepDemand
from d2c.world import World


def allocate_by_priority(capacity: np.ndarray, demands: list[np.ndarray]) -> list[np.ndarray]:
    """Serve ``demands`` (highest priority first) from ``capacity``, elementwise.

    Returns what each class gets; a class gets nothing until every class above
    it is fully served.
    """
    left = np.asarray(capacity, dtype=float).copy()
    served = []
    for demand in demands:
        got = np.minimum(demand, left)
        left -= got
        served.append(got)
    return served


@dataclass(frozen=True)
class D2CCapacity:
    """What the space stage offers this step: beams and which area each one covers."""

    area_beam: np.ndarray  # int, per area: the beam covering it, -1 if none
    beam_calls: np.ndarray  # per beam: concurrent voice calls
    beam_sms: np.ndarray  # per beam: SMS that fit in this step
    beam_mbps: np.ndarray  # per beam: data
    satellites_visible: np.ndarray  # per area: satellites above the elevation mask
    delay_ms: np.ndarray  # per area: one-way handset -> satellite -> gateway (NaN: none)
    elevation_deg: np.ndarray  # per area: elevation of the serving satellite (NaN: none)

    @property
    def under_beam(self) -> np.ndarray:
        """Handsets here receive the beam's cell-broadcast warnings, whatever its spare capacity."""
        return self.area_beam >= 0

    @classmethod
    def none(cls, n_areas: int) -> "D2CCapacity":
        empty = np.zeros(0)
        return cls(np.full(n_areas, -1), empty, empty, empty, np.zeros(n_areas, dtype=np.int32),
                   np.full(n_areas, np.nan), np.full(n_areas, np.nan))


@dataclass(frozen=True)
class Service:
    """Per area, this step."""

    terrestrial: np.ndarray  # bool: at least one site in service covers it
    d2c: np.ndarray  # bool: no terrestrial service, a beam with some service covers it
    warning_reach: np.ndarray  # bool: a cell-broadcast warning would reach handsets here
    sms_path: np.ndarray  # bool: a 112 SMS can get through (terrestrial SMS path or a beam with SMS room)
    calls_offered: np.ndarray
    calls_served_terrestrial: np.ndarray
    calls_served_d2c: np.ndarray
    sms_offered: np.ndarray
    sms_served_terrestrial: np.ndarray
    sms_served_d2c: np.ndarray
    responders_served_d2c: np.ndarray  # Erlangs
    public_sms_served_d2c: np.ndarray
    data_served_d2c_mbps: np.ndarray
    capacity_calls: np.ndarray  # concurrent calls available to the area on its bearer
    # Shares of the area's people (both of the whole population, so their sum is at most 1):
    people_share_terrestrial: np.ndarray  # float: with a terrestrial 112 path (covered, not stuck on a dead core)
    people_share_d2c: np.ndarray  # float: with a D2C 112 path (voice or SMS) and no terrestrial one

    @property
    def people_share_no_path(self) -> np.ndarray:
        """Per area, the share of people with no 112 path at all: ``1 - terrestrial - d2c``."""
        return np.clip(1.0 - self.people_share_terrestrial - self.people_share_d2c, 0.0, 1.0)

    @property
    def emergency_offered(self) -> np.ndarray:
        return self.calls_offered + self.sms_offered

    @property
    def emergency_served_terrestrial(self) -> np.ndarray:
        return self.calls_served_terrestrial + self.sms_served_terrestrial

    @property
    def emergency_served_d2c(self) -> np.ndarray:
        return self.calls_served_d2c + self.sms_served_d2c

    @property
    def emergency_served(self) -> np.ndarray:
        return self.emergency_served_terrestrial + self.emergency_served_d2c

    @property
    def d2c_blocked(self) -> np.ndarray:
        """Emergency demand (calls + SMS) from areas on D2C that did not fit."""
        return np.where(self.d2c, self.emergency_offered - self.emergency_served_d2c, 0.0)


class Fallback:
    """The fallback stage. Area capacity is recomputed only when the set of sites in service changes."""

    def __init__(self, world: World, stuck_on_failed_core: float = 0.0):
        self.world = world
        self.stuck_on_failed_core = stuck_on_failed_core
        n_areas = len(world.area_ids)
        cov = world.coverage
        n_ops = max(len(world.operators), 1)
        # Each operator's share of the handsets in an area, in proportion to the
        # capacity its covering sites were sized for.
        self._area_op = cov.area * n_ops + world.site_operator[cov.site]
        weight = np.bincount(self._area_op, weights=world.site_capacity_calls[cov.site] * cov.share,
                             minlength=n_areas * n_ops).reshape(n_areas, n_ops)
        total = weight.sum(axis=1, keepdims=True)
        self._operator_share = np.divide(weight, total, out=np.zeros(weight.shape), where=total > 0)
        self._stuck = np.zeros(n_areas)
        self._last: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self._capacity = np.zeros(n_areas)
        self._covered = np.zeros(n_areas, dtype=bool)
        self._sms_covered = np.zeros(n_areas, dtype=bool)
        self._cbc_covered = np.zeros(n_areas, dtype=bool)

    def terrestrial(self, site_in_service: np.ndarray, site_sms_ok: np.ndarray, site_cbc_ok: np.ndarray,
                    site_core_failed: np.ndarray | None = None) -> np.ndarray:
        """Take this step's site states; return the areas with terrestrial 112 service.

        ``site_core_failed``: sites whose radio is up but whose core cannot
        complete a 112 call. A handset camped on such a site keeps its own
        network and its 112 call fails there (the Rogers 2022 and Optus 2023
        outages); ``stuck_on_failed_core`` is the share of those handsets that
        do not move to another operator's network for the call.
        """
        states = (site_in_service, site_sms_ok, site_cbc_ok,
                  site_core_failed if site_core_failed is not None else np.zeros_like(site_in_service))
        if self._last is not None and all(np.array_equal(a, b) for a, b in zip(self._last, states)):
            return self._covered
        cov = self.world.coverage
        n_areas = len(self.world.area_ids)

        def any_site(flags: np.ndarray) -> np.ndarray:
            return np.bincount(cov.area, weights=flags[cov.site], minlength=n_areas) > 0

        up = site_in_service[cov.site]
        self._covered = any_site(site_in_service)
        self._sms_covered = any_site(site_sms_ok)
        self._cbc_covered = any_site(site_cbc_ok)
        self._capacity = np.bincount(
            cov.area, weights=up * self.world.site_capacity_calls[cov.site] * cov.share, minlength=n_areas
        )
        self._stuck = self.stuck_on_failed_core * self._stuck_share(site_in_service, states[3])
        self._last = tuple(state.copy() for state in states)
        return self._covered

    def _stuck_share(self, site_in_service: np.ndarray, site_core_failed: np.ndarray) -> np.ndarray:
        """Per area, the handsets whose operator's radio is up there but none of its sites completes 112."""
        cov, shape = self.world.coverage, self._operator_share.shape
        size = shape[0] * shape[1]
        radio_dead_core = np.bincount(self._area_op, weights=site_core_failed[cov.site], minlength=size).reshape(shape) > 0
        working = np.bincount(self._area_op, weights=site_in_service[cov.site], minlength=size).reshape(shape) > 0
        return (self._operator_share * (radio_dead_core & ~working)).sum(axis=1)

    def step(self, demand: StepDemand, d2c: D2CCapacity) -> Service:
        """Serve this step's demand: terrestrial where ``terrestrial()`` found service, D2C elsewhere."""
        terrestrial = self._covered
        n_areas = terrestrial.size

        # terrestrial: 112 calls up to the area's share of its sites' capacity
        share = np.divide(self._capacity, demand.call_erlangs, out=np.ones(n_areas), where=demand.call_erlangs > 0)
        reachable = 1.0 - self._stuck
        calls_terrestrial = np.where(terrestrial, demand.calls * np.clip(share, 0.0, 1.0) * reachable, 0.0)
        sms_terrestrial = np.where(self._sms_covered, demand.sms * reachable, 0.0)

        # D2C: areas without terrestrial service under a beam, priorities per beam
        beam = d2c.area_beam
        on_beam = ~terrestrial & (beam >= 0)
        n_beams = d2c.beam_calls.size
        idx = np.where(on_beam, beam, n_beams)  # areas off D2C go to a dummy beam with no capacity

        def per_beam(values: np.ndarray) -> np.ndarray:
            return np.bincount(idx, weights=np.where(on_beam, values, 0.0), minlength=n_beams + 1)

        def back_to_areas(served_beam: np.ndarray, demand_beam: np.ndarray, values: np.ndarray) -> np.ndarray:
            ratio = np.divide(served_beam, demand_beam, out=np.zeros_like(served_beam), where=demand_beam > 0)
            return np.where(on_beam, values * ratio[idx], 0.0)

        pad = lambda a: np.append(a, 0.0)  # noqa: E731  capacity of the dummy beam
        sms_needed = np.where(self._sms_covered, 0.0, demand.sms)
        d_calls, d_resp = per_beam(demand.call_erlangs), per_beam(demand.responder_erlangs)
        d_sms, d_psms, d_data = per_beam(sms_needed), per_beam(demand.public_sms), per_beam(demand.data_mbps)
        s_calls, s_resp = allocate_by_priority(pad(d2c.beam_calls), [d_calls, d_resp])
        s_sms, s_psms = allocate_by_priority(pad(d2c.beam_sms), [d_sms, d_psms])
        (s_data,) = allocate_by_priority(pad(d2c.beam_mbps), [d_data])
        beam_has_service = np.append((d2c.beam_calls > 0) | (d2c.beam_sms > 0) | (d2c.beam_mbps > 0), False)
        on_d2c = on_beam & beam_has_service[idx]
        beam_112 = np.append((d2c.beam_calls > 0) | (d2c.beam_sms > 0), False)
        share_terrestrial = np.where(terrestrial, reachable, 0.0)
        share_d2c = np.where(on_beam & beam_112[idx], 1.0 - share_terrestrial, 0.0)
        capacity = np.where(terrestrial, self._capacity, np.where(on_beam, pad(d2c.beam_calls)[idx], 0.0))
        return Service(
            terrestrial=terrestrial,
            d2c=on_d2c,
            warning_reach=self._cbc_covered | d2c.under_beam,
            sms_path=self._sms_covered | (on_beam & np.append(d2c.beam_sms > 0, False)[idx]),
            calls_offered=demand.calls,
            calls_served_terrestrial=calls_terrestrial,
            calls_served_d2c=back_to_areas(s_calls, d_calls, demand.calls),
            sms_offered=demand.sms,
            sms_served_terrestrial=sms_terrestrial,
            sms_served_d2c=back_to_areas(s_sms, d_sms, sms_needed),
            responders_served_d2c=back_to_areas(s_resp, d_resp, demand.responder_erlangs),
            public_sms_served_d2c=back_to_areas(s_psms, d_psms, demand.public_sms),
            data_served_d2c_mbps=back_to_areas(s_data, d_data, demand.data_mbps),
            capacity_calls=capacity,
            people_share_terrestrial=share_terrestrial,
            people_share_d2c=share_d2c,
        )
