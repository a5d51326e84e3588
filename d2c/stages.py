"""Stage contracts: what each stage of a step hands the next, and the shape of each stage.

The engine (``d2c/engine.py``) only sequences stages; this module is what they
agree on. Data contracts are frozen dataclasses of per-area or per-site arrays:

    DemandStage.at          -> StepDemand      (expected attempts per area)
    NetworkStage.step       -> NetworkState    (per site: cause, SMS, cell broadcast; d2c.network)
    FallbackStage.terrestrial -> covered areas
    SpaceStage.capacity     -> D2CCapacity     (beams, the area each covers)
    FallbackStage.step      -> Service         (per area: who is served, on what)
    the engine              -> TerrestrialStep, then StepState (one whole step)

Every stage's protocol is here, so a stage can be swapped (a drill's cells on
wheels wrap the fallback, ``d2c compare``'s denial cases wrap the space stage)
and the metrics, snapshots and traffic stages read a step without importing the
engine. Nothing here imports a stage's module except ``d2c.network`` for its
state and ``d2c.attach`` for the attach queue a fallback fills.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from d2c.attach import AttachQueue, AttachSettings
from d2c.network import NetworkState
from d2c.world import World

__all__ = [
    "StepDemand", "D2CCapacity", "Service", "NetworkState", "TerrestrialStep", "StepState",
    "DemandStage", "PowerStage", "NetworkStage", "SpaceStage", "FallbackStage", "TrafficHook",
]


@dataclass(frozen=True)
class StepDemand:
    """Expected attempts in one step, per area."""

    calls: np.ndarray  # 112 call attempts
    call_erlangs: np.ndarray  # concurrent 112 calls those attempts hold (Little's law)
    sms: np.ndarray  # 112 SMS
    public_sms: np.ndarray
    responder_erlangs: np.ndarray  # first responders' push-to-talk load
    data_mbps: np.ndarray
    family_calls: np.ndarray | float = 0.0  # non-emergency call attempts (family, friends, news)
    family_call_erlangs: np.ndarray | float = 0.0  # concurrent calls they hold



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
    # per beam: bytes per second its messaging capacity carries (signalling shares it);
    # None: attaches are not limited (every handset the offer serves is attached at once)
    beam_messaging_bytes_per_s: np.ndarray | None = None
    # (3, areas): share of an area's handsets whose link to its beam closes for SMS, voice,
    # data (indoor handsets lose the building-entry loss; d2c.space.indoors). None: all.
    area_link_share: np.ndarray | None = None

    def link_share(self, n_areas: int) -> np.ndarray:
        """``area_link_share`` or, when the space stage gives none, every handset (3, areas)."""
        return self.area_link_share if self.area_link_share is not None else np.ones((3, n_areas))

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
    # float: with a D2C 112 path (voice or SMS) and no terrestrial one: eligible x compatible x attached
    people_share_d2c: np.ndarray
    # 112 attempts (calls + SMS) from areas on D2C: the beams were the limit (capacity or attach) ...
    emergency_blocked_d2c: np.ndarray
    # ... or the handset is outside the offer (another operator's subscriber, an incompatible phone)
    emergency_not_eligible_d2c: np.ndarray
    # non-emergency attempts (calls to family, public SMS) from attached handsets that did not fit the beam
    non_emergency_blocked_d2c: np.ndarray
    data_blocked_d2c_mbps: np.ndarray
    family_calls_served_d2c: np.ndarray  # attempts
    attached_share: np.ndarray  # share of the offer's handsets attached to D2C
    # 112 attempts (calls + SMS) from the offer's handsets whose radio link to the beam does not
    # close (indoors: the building-entry loss), neither blocked by the beam nor ineligible
    emergency_unreachable_d2c: np.ndarray | None = None

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
        """112 demand (calls + SMS) from areas on D2C that the beams could not take (capacity or attach)."""
        return self.emergency_blocked_d2c


@dataclass(frozen=True)
class TerrestrialStep:
    """The provider-independent half of a step: what the space and fallback stages read.

    The terrestrial network, power and demand do not depend on the satellite
    provider, so ``d2c compare`` computes them once per scenario and seed and
    hands each step to every provider's ``engine.ProviderPass`` in turn.
    """

    index: int
    t_s: float
    equipment_up: np.ndarray
    on_backup: np.ndarray
    network: NetworkState
    demand: StepDemand
    covered: np.ndarray  # per area: terrestrial 112 service (FallbackStage.terrestrial)
    gateway_up: np.ndarray  # per gateway: powered and undamaged
    gateway_voice_ok: np.ndarray  # per gateway: up, and reaches a working voice core and PSAP


@dataclass(frozen=True)
class StepState:
    """Everything one step produced, for whoever drives the loop (metrics, snapshots, drill, traffic)."""

    index: int
    t_s: float
    equipment_up: np.ndarray
    on_backup: np.ndarray
    network: NetworkState
    service: Service
    d2c: D2CCapacity
    demand: StepDemand


class DemandStage(Protocol):
    """Expected attempts per area for the step starting at ``t_s`` (``d2c.demand.DemandModel``)."""

    def at(self, t_s: float, step_s: float) -> StepDemand:
        ...


class PowerStage(Protocol):
    """Grid feed -> battery -> generator per equipment (``d2c.power.PowerState``).

    ``step`` returns (powered, on backup) per equipment; ``generator_left_s`` is
    the fuel left (read only), which ``add_fuel`` and ``fill_tank`` top up (the
    simulation's methods of the same names call them).
    """

    generator_left_s: np.ndarray

    def step(self, grid_up: np.ndarray, dt_s: float) -> tuple[np.ndarray, np.ndarray]:
        ...

    def add_fuel(self, i: int, seconds: float) -> None:
        ...

    def fill_tank(self, i: int, seconds: float) -> None:
        ...


class NetworkStage(Protocol):
    """Site -> backhaul -> core -> PSAP reachability (``d2c.network.Reachability``)."""

    recomputations: int  # how many times the graph was recomputed (the summary reports it)

    def step(self, equipment_up: np.ndarray, powered: np.ndarray, damaged: np.ndarray, link_up: np.ndarray,
             core_function_up: np.ndarray, jammed_sites: np.ndarray) -> NetworkState:
        ...

    def gateway_voice_ok(self) -> np.ndarray:
        ...


class SpaceStage(Protocol):
    """The seam for the space segment: D2C beams and their capacity for a step (``d2c.space``)."""

    def capacity(self, t_s: float, need: np.ndarray, demand: StepDemand, gateway_ok: np.ndarray) -> D2CCapacity:
        ...

    def describe(self) -> str:
        ...


class FallbackStage(Protocol):
    """Terrestrial first, the rest onto D2C (``d2c.fallback.Fallback``; cells on wheels wrap it).

    ``terrestrial`` takes the step's site states and returns the areas with
    terrestrial 112 service; ``step`` serves the demand against it and the
    beams, with the share of handsets the offer serves and its attach queue.
    """

    world: World

    def terrestrial(self, site_in_service: np.ndarray, site_sms_ok: np.ndarray, site_cbc_ok: np.ndarray,
                    site_core_failed: np.ndarray | None = None) -> np.ndarray:
        ...

    def attach_queue(self, d2c_share: np.ndarray, settings: AttachSettings) -> AttachQueue:
        ...

    def step(self, demand: StepDemand, d2c: D2CCapacity, d2c_share: np.ndarray | None = None,
             attach: AttachQueue | None = None) -> Service:
        ...


class TrafficHook(Protocol):
    """The seam for the traffic stage: replays each step's packets; ``finish`` gives its metrics
    (an object with ``summary``, ``sample`` and ``to_dict()``: ``d2c.traffic.outcomes.TrafficResult``)."""

    def step(self, state: StepState, warnings: tuple) -> None:
        ...

    def finish(self):
        ...
