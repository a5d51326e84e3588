"""Demand per area and step, from population and the incident's surge.

112 calls and SMS surge with the incident (``surge_factor``); so do the calls
people make to family and friends (``family_*``), with their own surge from
post-disaster traffic studies (``d2c.config.scenario.Demand``).
"""

from __future__ import annotations


import functools

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
        self._last: tuple | None = None  # (step_s, the surges of each hit time, the demand they gave)

    def surge(self, t_s: float, factor: float | None = None, decay_hours: float | None = None) -> np.ndarray:
        """Multiplier on the normal rate: jumps to ``factor`` (default ``surge_factor``) when an area is
        hit, then decays exponentially over ``decay_hours``."""
        return self._per_hit(t_s, factor, decay_hours)[self._hit_of]

    def _per_hit(self, t_s: float, factor: float | None = None, decay_hours: float | None = None) -> np.ndarray:
        """The surge of each distinct hit time (``surge`` spreads it to the areas)."""
        s = self.settings
        factor = s.surge_factor if factor is None else factor
        decay_hours = s.surge_decay_hours if decay_hours is None else decay_hours
        since_h = (t_s - self._hit_s) / 3600.0
        hit = since_h >= 0
        return np.where(hit, 1.0 + (factor - 1.0) * np.exp(-np.where(hit, since_h, 0.0) / decay_hours), 1.0)

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
        """This step's demand. Each kind of attempt is worked out the first time a stage reads it (a step
        with no area on D2C never reads public SMS, data or calls to family), from the surge of each hit
        time; a step whose surges and length are those of the last one gets the last one's demand."""
        s = self.settings
        per_hit = (self._per_hit(t_s), self._per_hit(t_s, s.family_surge_factor, s.family_surge_decay_hours))
        last = self._last
        if last is not None and last[0] == step_s and all(np.array_equal(a, b) for a, b in zip(last[1], per_hit)):
            return last[2]
        demand = SurgedDemand(self._bases(step_s), per_hit[0][self._hit_of], per_hit[1][self._hit_of], step_s, s)
        self._last = (step_s, per_hit, demand)
        return demand


class SurgedDemand(StepDemand):
    """A :class:`StepDemand` whose arrays are the bases times the surge, each computed when first read.

    The same products as computing them all at once, so the same numbers to the last bit.
    """

    def __init__(self, bases: tuple, surge: np.ndarray, family_surge: np.ndarray, step_s: float, settings: Demand):
        # a frozen dataclass: the fields are cached properties, filled in on first read
        object.__setattr__(self, "_parts", (bases, surge, family_surge, step_s, settings))

    @functools.cached_property
    def calls(self) -> np.ndarray:
        return self._parts[0][0] * self._parts[1]

    @functools.cached_property
    def call_erlangs(self) -> np.ndarray:
        return self.calls / self._parts[3] * self._parts[4].call_hold_s

    @functools.cached_property
    def sms(self) -> np.ndarray:
        return self._parts[0][1] * self._parts[1]

    @functools.cached_property
    def public_sms(self) -> np.ndarray:
        return self._parts[0][2] * self._parts[1]

    @functools.cached_property
    def responder_erlangs(self) -> np.ndarray:
        return self._parts[0][3] * (self._parts[1] > 1.0)

    @functools.cached_property
    def data_mbps(self) -> np.ndarray:
        return self._parts[0][4] * self._parts[1]

    @functools.cached_property
    def family_call_erlangs(self) -> np.ndarray:
        return self._parts[0][5] * self._parts[2]

    @functools.cached_property
    def family_calls(self) -> np.ndarray:
        return self.family_call_erlangs * self._parts[3] / self._parts[4].family_call_hold_s
