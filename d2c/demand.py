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
    def __init__(self, settings: Demand, population: np.ndarray, affected_area_s: np.ndarray):
        self.settings = settings
        self.population = population
        self.affected_area_s = affected_area_s

    def surge(self, t_s: float, factor: float | None = None, decay_hours: float | None = None) -> np.ndarray:
        """Multiplier on the normal rate: jumps to ``factor`` (default ``surge_factor``) when an area is
        hit, then decays exponentially over ``decay_hours``."""
        s = self.settings
        factor = s.surge_factor if factor is None else factor
        decay_hours = s.surge_decay_hours if decay_hours is None else decay_hours
        since_h = (t_s - self.affected_area_s) / 3600.0
        hit = since_h >= 0
        return np.where(hit, 1.0 + (factor - 1.0) * np.exp(-np.where(hit, since_h, 0.0) / decay_hours), 1.0)

    def at(self, t_s: float, step_s: float) -> StepDemand:
        s = self.settings
        person_hours = self.population * (step_s / 3600.0)
        surge = self.surge(t_s)
        calls = person_hours * s.emergency_calls_per_person_hour * surge
        family_erlangs = (self.population * s.family_erlangs_per_person
                          * self.surge(t_s, s.family_surge_factor, s.family_surge_decay_hours))
        return StepDemand(
            calls=calls,
            call_erlangs=calls / step_s * s.call_hold_s,
            sms=person_hours * s.emergency_sms_per_person_hour * surge,
            public_sms=person_hours * s.public_sms_per_person_hour * surge,
            responder_erlangs=self.population * (s.responders_per_1000 / 1000.0) * s.responder_erlangs
            * (surge > 1.0),
            data_mbps=self.population * s.data_kbps_per_person / 1000.0 * surge,
            family_calls=family_erlangs * step_s / s.family_call_hold_s,
            family_call_erlangs=family_erlangs,
        )
