"""Cells on wheels: temporary sites that add terrestrial capacity to an area.

A cell on wheels (COW) is a mast on a trailer with its own generator and a
satellite backhaul terminal. It stands outside the topology, so it bypasses
the damaged sites, the lost grid and the cut fibre. The engine's fallback
stage knows only the topology's sites; this layer wraps it without touching
its internals: areas with a working COW count as having terrestrial service
(so D2C beams are not pointed at them) and get the COW's concurrent-call
capacity on top of whatever their own sites still give.

A COW is in service while it has fuel and its backhaul works: with
``backhaul="gateway"`` the satellite link lands at one of the topology's
gateways, which must reach a working voice core and answering point (the
engine's ``Reachability.gateway_voice_ok``); with ``"satellite-operator"`` it
lands at the satellite operator's own hub outside the incident. Cell
broadcast and 112 SMS ride the same backhaul.

Units come from drill decisions (``d2c.actions.DeployCellOnWheels``) or from
the operators themselves when a scenario turns on ``restoration:
temporary_sites:`` (:meth:`TemporarySites.operate` with a
``d2c.restoration.temporary.TemporarySitePolicy``): those arrive where an
area has lost its own service and leave when it is served again.
"""

from __future__ import annotations

import dataclasses

import numpy as np

BACKHAULS = ("gateway", "satellite-operator")


class TemporarySites:
    """The fallback stage plus cells on wheels. Installed on a simulation by the first deployment."""

    def __init__(self, inner, sim):
        self.inner = inner
        self.world = sim.world
        self.network = sim.network
        self.step_s = sim.scenario.step_s
        self.area: list[int] = []
        self.capacity_calls: list[float] = []
        self.fuel_left_s: list[float] = []
        self.via_gateway: list[bool] = []
        self.standing: list[bool] = []  # False once withdrawn
        self.policy = None  # the operators' own deployments, when a scenario turns them on
        self.policy_unit: list[int] = []  # the policy's units, in its deployment order -> index here
        self.policy_settings: tuple[float, str] = (0.0, BACKHAULS[0])  # capacity_calls, backhaul
        self.active = np.zeros(len(sim.world.area_ids), dtype=bool)
        self._extra_calls = np.zeros(len(sim.world.area_ids))

    def deploy(self, area: str, capacity_calls: float, fuel_hours: float, backhaul: str = "gateway") -> None:
        if area not in self.world.area_ids:
            raise KeyError(f"no area {area!r} in the topology")
        if backhaul not in BACKHAULS:
            raise ValueError(f"backhaul must be one of {', '.join(BACKHAULS)}")
        if not (capacity_calls > 0 and fuel_hours > 0):
            raise ValueError("a cell on wheels needs capacity_calls > 0 and fuel_hours > 0")
        self.area.append(self.world.area_ids.index(area))
        self.capacity_calls.append(float(capacity_calls))
        self.fuel_left_s.append(float(fuel_hours) * 3600.0)
        self.via_gateway.append(backhaul == "gateway")
        self.standing.append(True)

    def operate(self, policy, capacity_calls: float, backhaul: str) -> None:
        """Let the operators deploy their own units by ``policy``, each with ``capacity_calls``, kept fuelled."""
        if backhaul not in BACKHAULS:
            raise ValueError(f"backhaul must be one of {', '.join(BACKHAULS)}")
        self.policy = policy
        self.policy_settings = (float(capacity_calls), backhaul)

    def _operators_move(self, own: np.ndarray) -> None:
        arriving, leaving = self.policy.decide(~own)
        for unit in leaving:
            self.standing[self.policy_unit[unit]] = False
        capacity_calls, backhaul = self.policy_settings
        for area in arriving:
            self.policy_unit.append(len(self.area))
            self.deploy(self.world.area_ids[area], capacity_calls, np.inf, backhaul)

    # ------------------------------------------------------------- the fallback seam

    def terrestrial(self, *site_states: np.ndarray) -> np.ndarray:
        covered = self.inner.terrestrial(*site_states)
        if self.policy is not None:
            self._operators_move(covered)
        n_areas = covered.size
        fuel = np.asarray(self.fuel_left_s)
        gateway_ok = bool(self.network.gateway_voice_ok().any()) if self.world.counts["gateway"] else False
        backhaul_ok = np.where(np.asarray(self.via_gateway, dtype=bool), gateway_ok, True)
        working = (fuel > 0) & backhaul_ok & np.asarray(self.standing, dtype=bool)
        area = np.asarray(self.area, dtype=np.int64)
        self._extra_calls = np.bincount(area, weights=np.where(working, self.capacity_calls, 0.0), minlength=n_areas)
        self.active = self._extra_calls > 0
        # the generator runs from deployment until the fuel is gone, backhaul or not
        self.fuel_left_s = np.maximum(fuel - self.step_s, 0.0).tolist()
        return covered | self.active

    def attach_queue(self, d2c_share, settings):
        return self.inner.attach_queue(d2c_share, settings)

    def step(self, demand, d2c, *provider):
        """The inner stage's step (``provider``: the offer's share and attach queue), then the COWs."""
        service = self.inner.step(demand, d2c, *provider)
        if not self.active.any():
            return service
        a = self.active
        capacity = np.where(service.terrestrial, service.capacity_calls, 0.0) + self._extra_calls
        share = np.clip(np.divide(capacity, demand.call_erlangs, out=np.ones_like(capacity),
                                  where=demand.call_erlangs > 0), 0.0, 1.0)
        zero = np.zeros_like(capacity)
        changes = {
            "terrestrial": service.terrestrial | a,
            "d2c": service.d2c & ~a,
            "warning_reach": service.warning_reach | a,
            "calls_served_terrestrial": np.where(a, demand.calls * share, service.calls_served_terrestrial),
            "calls_served_d2c": np.where(a, zero, service.calls_served_d2c),
            "sms_served_terrestrial": np.where(a, demand.sms, service.sms_served_terrestrial),
            "sms_served_d2c": np.where(a, zero, service.sms_served_d2c),
            "capacity_calls": np.where(a, capacity, service.capacity_calls),
        }
        for name in ("responders_served_d2c", "public_sms_served_d2c", "data_served_d2c_mbps", "people_share_d2c",
                     "emergency_blocked_d2c", "emergency_not_eligible_d2c", "non_emergency_blocked_d2c",
                     "data_blocked_d2c_mbps", "family_calls_served_d2c"):
            if hasattr(service, name):  # off the beam, these no longer count as carried by D2C
                changes[name] = np.where(a, zero, getattr(service, name))
        if hasattr(service, "people_share_terrestrial"):  # everyone under the COW has a terrestrial 112 path
            changes["people_share_terrestrial"] = np.where(a, 1.0, service.people_share_terrestrial)
        if hasattr(service, "sms_path"):  # 112 SMS ride the COW's backhaul
            changes["sms_path"] = service.sms_path | a
        return dataclasses.replace(service, **changes)
