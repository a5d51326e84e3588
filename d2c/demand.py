"""Demand per area and step, from population and the incident's surge.

112 calls and SMS surge with the incident (``surge_factor``); so do the calls
people make to family and friends (``family_*``), with their own surge from
post-disaster traffic studies (``d2c.config.scenario.Demand``).
"""

from __future__ import annotations


import numpy as np

from d2c.config.scenario import Demand
from d2c.stages import StepDemand


class DemandModel:
    """Expected attempts per area and step.

    Areas hit at the same instant surge alike, so the surge is worked out once per
    distinct hit time and spread to the areas; the per-area products that do not
    depend on time are kept per step length. Both give the same numbers as working
    every area out in turn.
    """

    def __init__(self, settings: Demand, population: np.ndarray, affected_area_s: np.ndarray):
        self.settings = settings
        self.population = population
        self._hit_s, self._hit_of = np.unique(np.asarray(affected_area_s, dtype=float), return_inverse=True)
        self._hit_of = self._hit_of.ravel()
        self._bases_kept: tuple | None = None  # (step_s, its bases)

    def surge(self, t_s: float, factor: float | None = None, decay_hours: float | None = None) -> np.ndarray:
        """Multiplier on the normal rate: jumps to ``factor`` (default ``surge_factor``) when an area is
        hit, then decays exponentially over ``decay_hours``."""
        s = self.settings
        factor = s.surge_factor if factor is None else factor
        decay_hours = s.surge_decay_hours if decay_hours is None else decay_hours
        since_h = (t_s - self._hit_s) / 3600.0
        hit = since_h >= 0
        per_hit = np.where(hit, 1.0 + (factor - 1.0) * np.exp(-np.where(hit, since_h, 0.0) / decay_hours), 1.0)
        return per_hit[self._hit_of]

    def _bases(self, step_s: float) -> tuple:
        """The products of population and rates that do not change from step to step."""
        if self._bases_kept is not None and self._bases_kept[0] == step_s:
            return self._bases_kept[1]
        s, pop = self.settings, self.population
        person_hours = pop * (step_s / 3600.0)
        bases = (person_hours * s.emergency_calls_per_person_hour,
                 person_hours * s.emergency_sms_per_person_hour,
                 person_hours * s.public_sms_per_person_hour,
                 pop * (s.responders_per_1000 / 1000.0) * s.responder_erlangs,
                 pop * s.data_kbps_per_person / 1000.0,
                 pop * s.family_erlangs_per_person)
        self._bases_kept = (step_s, bases)
        return bases

    def at(self, t_s: float, step_s: float) -> StepDemand:
        s = self.settings
        calls_base, sms_base, public_base, responder_base, data_base, family_base = self._bases(step_s)
        surge = self.surge(t_s)
        calls = calls_base * surge
        family_erlangs = family_base * self.surge(t_s, s.family_surge_factor, s.family_surge_decay_hours)
        return StepDemand(
            calls=calls,
            call_erlangs=calls / step_s * s.call_hold_s,
            sms=sms_base * surge,
            public_sms=public_base * surge,
            responder_erlangs=responder_base * (surge > 1.0),
            data_mbps=data_base * surge,
            family_calls=family_erlangs * step_s / s.family_call_hold_s,
            family_call_erlangs=family_erlangs,
        )
