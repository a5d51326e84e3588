"""The time loop. It only sequences the stages; each stage lives in its own module.

    restoration -> hazard -> damage -> power -> network -> space -> fallback -> metrics

A :class:`Simulation` can run to the end (``run``) or be advanced one step at
a time (``step``) with actions applied between steps (``apply``, ``schedule``),
which is what a tabletop drill does. Actions and the restoration stage change
the world only through the simulation's public methods (``break_equipment``,
``repair_equipment``, ``cut_link``, ``splice_link``, ``break_substation``,
``repair_substation``, ``add_fuel``, ``fill_tank``, ``request_repair``, ``request_generator``).
"""

from __future__ import annotations

import time
from typing import Callable, Protocol

import numpy as np

from d2c.actions import action_for
from d2c.config.scenario import PublicWarning, Scenario
from d2c.demand import DemandModel
from d2c.attach import AttachSettings
from d2c.cells_on_wheels import TemporarySites
from d2c.fallback import Fallback, operator_share
from d2c.hazards.base import COMPLETE, NEVER, Effects
from d2c.hazards.footprint import AreaSet
from d2c.metrics import Recorder
from d2c.result import Result
from d2c.network import CAUSE_CODE, Reachability
from d2c.offer import Offer, OfferGate, eligible_share
from d2c.power import PowerState
from d2c.restoration.pools import EQUIPMENT, LINK, SUBSTATION
from d2c.restoration.process import Restoration
from d2c.restoration.temporary import policy_for
from d2c.stages import (D2CCapacity, DemandStage, FallbackStage, NetworkStage, PowerStage, SpaceStage, StepState,
                        TerrestrialStep, TrafficHook)
from d2c.state_tree import diff, patch
from d2c.world import World


STAGES = ("restoration", "hazard", "damage", "power", "network", "space", "fallback", "traffic", "metrics")


class Action(Protocol):
    """Something done to the world between steps (a repair, a generator, ...)."""

    def apply(self, sim: "Simulation") -> None:
        ...

    def describe(self) -> str:
        ...


def space_stage(scenario: Scenario, world: World, affected_area_s: np.ndarray | None = None) -> SpaceStage | None:
    """The space stage for the scenario's ``d2c`` and ``population`` settings (None: no D2C).

    ``affected_area_s``: when the incident reaches each area (a ``population.evacuation``
    starts from there); None: never.
    """
    if scenario.d2c is None:
        return None
    from d2c.space.stage import D2CStage

    if affected_area_s is None:
        affected_area_s = np.full(len(world.area_ids), np.inf)
    return D2CStage.for_scenario(scenario, world, affected_area_s)


class Simulation:
    def __init__(self, scenario: Scenario, world: World | None = None, space: SpaceStage | None = None,
                 traffic: TrafficHook | None = None):
        self.scenario = scenario
        self.world = world or World(scenario.topology)
        seeds = np.random.SeedSequence(scenario.seed).spawn(max(len(scenario.incidents), 1))
        effects = Effects.none(self.world)
        for incident, seed in zip(scenario.incidents, seeds):
            effects = effects.merge(incident.compile(self.world, np.random.default_rng(seed)))
        self.effects = effects
        if space is None:
            space = space_stage(scenario, self.world, effects.affected_area_s)
        self.d2c_via_operator_core = scenario.d2c is None or scenario.d2c.core == "operator"
        self.traffic = traffic
        self._sent_warnings: list[PublicWarning] = []  # warnings sent during the run (``send_warning``)
        self.restoration = None if scenario.restoration is None else Restoration(
            self.world, effects, scenario.restoration, scenario.seed, scenario.start)
        self.power: PowerStage = PowerState.full(self.world.battery_s, self.world.generator_s)
        self.network: NetworkStage = Reachability(self.world)
        d2c = scenario.d2c
        self.provider = ProviderPass(Fallback(self.world, scenario.demand.stuck_on_failed_core, scenario.step_s), space,
                                     self.d2c_via_operator_core, len(self.world.area_ids),
                                     d2c.offer if d2c is not None else None, d2c.attach if d2c is not None else None)
        self.demand: DemandStage = DemandModel(scenario.demand, self.world.area_population, effects.affected_area_s)
        self.recorder = Recorder(scenario, self.world)
        self.recorder.d2c_share = self.provider.d2c_share
        rs = scenario.restoration
        if rs is not None and rs.temporary_sites_per_operator_region > 0:  # operators' own cells on wheels
            self._temporary_sites().operate(policy_for(self.world, rs, scenario.step_s),
                                            rs.temporary_site_capacity_calls, rs.temporary_site_backhaul)
        # per PSAP: its 112 calls answered by a backup answering point (``divert_psap``)
        self.psap_diverted = np.zeros(self.world.counts["psap"], dtype=bool)
        self.index = 0
        self.log: list[tuple[float, str]] = []
        self.stage_seconds = {name: 0.0 for name in STAGES}
        self._scheduled: list[tuple[float, int, Action]] = []
        self._memos: dict[str, tuple] = {}  # the last value of each array a step works out (``_memo``)
        for response in scenario.responses:
            self.schedule(action_for(response), response.at_s)

    # ------------------------------------------------------------- control

    @property
    def space(self) -> SpaceStage | None:
        """The space stage of this run's provider (None: no D2C)."""
        return self.provider.space

    @space.setter
    def space(self, stage: SpaceStage | None) -> None:
        self.provider.space = stage

    @property
    def fallback(self) -> FallbackStage:
        """The fallback stage of this run's provider pass (a layer such as cells on wheels may wrap it)."""
        return self.provider.fallback

    @fallback.setter
    def fallback(self, stage: FallbackStage) -> None:
        self.provider.fallback = stage

    @property
    def offer(self) -> OfferGate:
        """This run's D2C offer: when it opens and which services each phase carries."""
        return self.provider.offer

    def switch_d2c_on(self) -> None:
        """Open the scenario's D2C offer now (a drill's decision; no effect if it is already open)."""
        self.provider.offer.switch_on(self.t_s)

    def hold_d2c_for_decision(self) -> None:
        """Keep the D2C offer closed until ``switch_d2c_on`` (a drill with D2C on standby)."""
        self.provider.offer.hold_for_decision()

    @property
    def d2c_waiting_for_decision(self) -> bool:
        return self.space is not None and self.provider.offer.waiting_for_decision

    @property
    def steps(self) -> int:
        return self.scenario.steps

    @property
    def done(self) -> bool:
        return self.index >= self.steps

    @property
    def t_s(self) -> float:
        return self.index * self.scenario.step_s

    def apply(self, action: Action) -> None:
        """Apply an action now, before the next step."""
        action.apply(self)
        self.log.append((self.t_s, action.describe()))

    def schedule(self, action: Action, at_s: float) -> None:
        """Apply an action at the first step at or after ``at_s`` (a decision with a delay)."""
        self._scheduled.append((at_s, len(self._scheduled), action))
        self._scheduled.sort(key=lambda item: (item[0], item[1]))

    def unschedule(self, action: Action) -> bool:
        """Withdraw a scheduled ``action`` not yet applied (an undone decision); False when it already was."""
        for k, item in enumerate(self._scheduled):
            if item[2] is action:
                del self._scheduled[k]
                return True
        return False

    def run(self, on_step: Callable[[StepState], None] | None = None) -> Result:
        while not self.done:
            state = self.step()
            if on_step:
                on_step(state)
        return self.result()

    def result(self) -> Result:
        restoration = self.restoration.summary(self.scenario.duration_s) if self.restoration is not None else None
        layer = self.fallback
        if restoration is not None and isinstance(layer, TemporarySites) and layer.policy is not None:
            restoration = {**restoration, "temporary_sites": layer.policy.summary()}
        return self.recorder.result(
            affected_area_s=self.effects.affected_area_s,
            graph_recomputations=self.network.recomputations,
            traffic=self.traffic.finish() if self.traffic is not None else None,
            restoration=restoration,
            space_text=self.space.describe() if self.space is not None else None,
            offer=self.offer,
            log=self.log,
        )

    # ------------------------------------------------------------- checkpoints (d2c/checkpoint.py)

    def state(self, pristine: "Simulation") -> tuple[dict, dict]:
        """What this run has changed since it was built, as a JSON-able tree and the arrays it names.

        ``pristine`` is a simulation built the same way and never stepped
        (objects both share, such as the world, are constants and are not
        saved). Every stage's arrays, the scheduled actions, the random
        generators and the recorder's timeline are in it (d2c/state_tree.py).
        """
        if pristine.index != 0:
            raise ValueError("the pristine simulation has been stepped")
        return diff(self, pristine)

    @classmethod
    def from_state(cls, pristine: "Simulation", state: tuple[dict, dict]) -> "Simulation":
        """``pristine`` (built as the saved run was, never stepped) brought to a saved ``state``."""
        if pristine.index != 0:
            raise ValueError("the pristine simulation has been stepped")
        patch(pristine, *state)
        return pristine

    def warnings_between(self, t0_s: float, t1_s: float) -> tuple:
        """Public warnings due in [t0, t1) as (message_id, text, area mask) for the traffic stage."""
        w = self.world
        due = []
        for warning in (*self.scenario.warnings, *self._sent_warnings):
            if t0_s <= warning.at_s < t1_s:
                mask = warning.area.contains(w.area_lat_deg, w.area_lon_deg)
                due.extend((message_id, text, mask) for message_id, text in warning.broadcasts())
        return tuple(due)

    # ------------------------------------------------------------- changing the world (actions, restoration)

    def break_equipment(self, ident: str) -> None:
        """Break a site, node, core, PSAP or gateway now (destroyed: rebuilt, not repaired)."""
        i = self._equipment(ident)
        if self.t_s < self.effects.equipment_damage_s[i]:
            self.effects.equipment_damage_s[i] = self.t_s
            self.effects.equipment_damage_state[i] = COMPLETE
            self.effects.changed()
        if self.restoration is not None:
            self.restoration.failed(EQUIPMENT, i, self.t_s)

    def repair_equipment(self, ident: str) -> None:
        """Equipment back in service now; a failure the incident had in store for it is cancelled too."""
        self.effects.equipment_damage_s[self._equipment(ident)] = NEVER
        self.effects.changed()

    def break_substation(self, ident: str) -> None:
        i = self._index(self.world.substation_index, ident, "substation")
        if self.t_s < self.effects.substation_damage_s[i]:
            self.effects.substation_damage_s[i] = self.t_s
            self.effects.substation_damage_state[i] = COMPLETE
            self.effects.changed()
        if self.restoration is not None:
            self.restoration.failed(SUBSTATION, i, self.t_s)

    def repair_substation(self, ident: str) -> None:
        self.effects.substation_damage_s[self._index(self.world.substation_index, ident, "substation")] = NEVER
        self.effects.changed()

    def cut_link(self, ident: str) -> None:
        i = self._index(self.world.link_index, ident, "link")
        self.effects.link_cut_s[i] = min(self.effects.link_cut_s[i], self.t_s)
        self.effects.changed()
        if self.restoration is not None:
            self.restoration.failed(LINK, i, self.t_s)

    def splice_link(self, ident: str) -> None:
        """A cut link back in service now (a cut still to come is cancelled too)."""
        self.effects.link_cut_s[self._index(self.world.link_index, ident, "link")] = NEVER
        self.effects.changed()

    def add_fuel(self, ident: str, hours: float) -> None:
        """``hours`` of generator fuel at a piece of equipment (a generator brought, or its own refuelled)."""
        if not np.isfinite(hours) or hours <= 0:
            raise ValueError("generator hours must be a positive number")
        self.power.add_fuel(self._equipment(ident), hours * 3600.0)

    def fill_tank(self, ident: str, hours: float) -> None:
        """A fuel truck fills a generator's tank to ``hours`` of autonomy (fuel already there is kept)."""
        self.power.fill_tank(self._equipment(ident), hours * 3600.0)

    def request_repair(self, ident: str) -> str:
        """Send a crew to repair equipment or a link, ahead of other work.

        With restoration, the job goes to the front of its pool's queue and
        takes its travel and repair time; without, the repair is done at once.
        Returns what happened, for the log.
        """
        if ident in self.world.link_index:
            kind, i, repair = LINK, self.world.link_index[ident], self.splice_link
        else:
            kind, i, repair = EQUIPMENT, self._equipment(ident), self.repair_equipment
        if self.restoration is None:
            repair(ident)
            return "done at once"
        if self.restoration.request_repair(kind, i, self.t_s):
            return "first in the crews' queue"
        return "nothing to repair"

    def request_generator(self, ident: str, hours: float) -> str:
        """Bring a generator with ``hours`` of fuel: by a crew with restoration, at once without."""
        if not np.isfinite(hours) or hours <= 0:
            raise ValueError("generator hours must be a positive number")
        i = self._equipment(ident)
        if self.restoration is None:
            self.add_fuel(ident, hours)
            return "done at once"
        self.restoration.request_generator(i, hours, self.t_s)
        return "first in the crews' queue"

    def send_warning(self, area: str, text: str) -> None:
        """Send a public warning now to ``area`` (an area id, or ``everywhere``).

        It changes nothing in the network; the traffic stage, when on, sends it
        as a cell-broadcast message in the next step.
        """
        self._sent_warnings.append(PublicWarning(at_s=self.t_s, area=AreaSet(self.world.area_mask(area)), text=text))

    def deploy_cell_on_wheels(self, area: str, capacity_calls: float, fuel_hours: float,
                              backhaul: str = "gateway") -> None:
        """Put a cell on wheels on air in ``area`` now (``d2c.cells_on_wheels``)."""
        self._temporary_sites().deploy(area, capacity_calls, fuel_hours, backhaul)

    def _temporary_sites(self) -> TemporarySites:
        """The layer of temporary sites over this run's fallback stage, wrapping it the first time."""
        if not isinstance(self.provider.fallback, TemporarySites):
            self.provider.fallback = TemporarySites(self.provider.fallback, self)
        return self.provider.fallback

    def divert_psap(self, ident: str) -> None:
        """From now on the 112 calls and SMS a PSAP answers are answered by a backup answering point
        outside the incident: the PSAP's own building, power and staff no longer matter, the cores
        that deliver to it and the paths to them still do. KeyError for an ID that is no PSAP."""
        i = self._equipment(ident) - self.world.slices["psap"].start
        if not 0 <= i < self.psap_diverted.size:
            raise KeyError(f"{ident!r} is not a PSAP (a 112 answering point) of the topology")
        self.psap_diverted[i] = True

    def _equipment(self, ident: str) -> int:
        return self._index(self.world.equipment_index, ident, "site, node, core, PSAP or gateway")

    @staticmethod
    def _index(index: dict, ident: str, what: str) -> int:
        if ident not in index:
            raise KeyError(f"no {what} {ident!r} in the topology")
        return index[ident]

    # ------------------------------------------------------------- one step

    def step(self) -> StepState:
        """Advance one step: the terrestrial half, then this run's provider, traffic and metrics."""
        clock = _StageClock(self.stage_seconds)
        terrestrial = self.step_terrestrial(clock)
        state = self.provider.step(terrestrial, clock)
        if self.traffic is not None:
            self.traffic.step(state, self.warnings_between(state.t_s, state.t_s + self.scenario.step_s))
            clock.lap("traffic")
        self.recorder.record(state)
        clock.lap("metrics")
        return state

    def step_terrestrial(self, clock: "_StageClock | None" = None) -> "TerrestrialStep":
        """Advance one step of everything that does not depend on the provider.

        ``step()`` hands the result to this run's own :class:`ProviderPass`;
        ``d2c compare`` hands it to every provider's pass instead.
        """
        if self.done:
            raise RuntimeError("the simulation has reached the end of the scenario")
        while self._scheduled and self._scheduled[0][0] <= self.t_s:
            self.apply(self._scheduled.pop(0)[2])
        w, e, t = self.world, self.effects, self.t_s
        dt = self.scenario.step_s
        clock = clock or _StageClock(self.stage_seconds)

        # restoration: crews finish and start jobs up to now
        if self.restoration is not None:
            self.restoration.step(t, self)
        clock.lap("restoration")

        # hazard: which temporary conditions are active now (worked out again only at their edges)
        active = e.at(t, w)
        substation_down, local_grid_off = active.substation_down, active.grid_off_local
        if self.restoration is not None:  # a grid restoration curve brings feeds back early
            substation_down, local_grid_off = self.restoration.grid(t, substation_down, local_grid_off)
        clock.lap("hazard")
        # damage
        damaged = active.damaged
        clock.lap("damage")

        # power
        grid_up = self._memo("grid_up", lambda down, off: _grid_up(w.equipment_substation, down, off),
                             substation_down, local_grid_off)
        powered, on_backup = self.power.step(grid_up, dt)
        clock.lap("power")
        if self.restoration is not None:  # generators and fuel to deliver; equipment restarting after power returns
            powered = self.restoration.observe(t, grid_up, damaged, powered, self.power.generator_left_s)
            on_backup = self._memo("on_backup", np.logical_and, on_backup, powered)
            clock.lap("restoration")

        # network
        equipment_up = self._memo("equipment_up", _up, damaged, powered)
        answering = equipment_up
        if self.psap_diverted.any():  # a diverted PSAP's calls are answered elsewhere, whatever its state
            answering = equipment_up.copy()
            answering[w.slices["psap"]] |= self.psap_diverted
        core_function_up = self._memo("core_function_up", lambda up, cyber: _core_function_up(w, up, cyber),
                                      equipment_up, active.cyber_down)
        net = self.network.step(answering, powered, damaged, active.link_up, core_function_up, active.jammed)
        clock.lap("network")

        # demand, and which areas still have terrestrial service
        demand = self.demand.at(t, dt)
        covered = self.fallback.terrestrial(net.in_service, net.sms_ok, net.cbc_ok, net.cause == CAUSE_CODE["core"])
        clock.lap("fallback")
        gateway_up = equipment_up[w.slices["gateway"]]
        terrestrial = TerrestrialStep(self.index, t, equipment_up, on_backup, net, demand, covered,
                                      gateway_up, gateway_up & self.network.gateway_voice_ok())
        self.index += 1
        return terrestrial

    def _memo(self, name: str, f: Callable, *args):
        """``f(*args)``, or its last value while every argument (arrays only: they are saved with a
        checkpoint) is the very object it was then.

        The stages hand back the same arrays while their state holds, and no
        stage changes an array it has handed on, so a step between changes
        reuses the last step's arrays instead of working them out again.
        """
        last = self._memos.get(name)
        if last is not None and len(last[0]) == len(args) and all(a is b for a, b in zip(last[0], args)):
            return last[1]
        value = f(*args)
        self._memos[name] = (args, value)
        return value


def _grid_up(feed: np.ndarray, substation_down: np.ndarray, local_grid_off: np.ndarray) -> np.ndarray:
    """Per equipment: its grid feed is up. A feed of -1 (no substation) reads the appended "not down",
    which is also right when there are no substations."""
    return ~np.append(substation_down, False)[feed] & ~local_grid_off


def _up(damaged: np.ndarray, powered: np.ndarray) -> np.ndarray:
    return ~damaged & powered


def _core_function_up(w: World, equipment_up: np.ndarray, cyber_down: np.ndarray) -> np.ndarray:
    """Per core and function: the core stands, has power and the function, and no attack holds it down."""
    return w.core_functions & equipment_up[w.slices["core"]][:, None] & ~cyber_down


class ProviderPass:
    """The provider-dependent half of a step: space, then fallback, against a :class:`TerrestrialStep`.

    ``fallback`` must be the stage whose ``terrestrial()`` produced the step's
    ``covered`` (it holds the terrestrial capacity); ``step`` only reads it.
    The pass holds what depends on the provider: its offer (``offer``, default
    every operator's subscribers from the start, ``d2c.offer``), the share of
    each area's handsets the offer serves, and the handsets attached to its
    beams (``attach``, default settings: ``d2c.attach``).
    """

    def __init__(self, fallback: FallbackStage, space: SpaceStage | None, via_operator_core: bool, n_areas: int,
                 offer: Offer | None = None, attach: AttachSettings | None = None):
        self.fallback = fallback
        self.space = space
        self.via_operator_core = via_operator_core
        self.n_areas = n_areas
        offer = offer or Offer()
        self.offer = OfferGate(offer)
        self.d2c_share = eligible_share(offer, operator_share(fallback.world), fallback.world.operators)
        self.attach = fallback.attach_queue(self.d2c_share, attach or AttachSettings())

    def step(self, ts: TerrestrialStep, clock: "_StageClock | None" = None) -> StepState:
        clock = clock or _StageClock(None)
        if self.space is None or not self.offer.services_at(ts.t_s):  # no D2C, or its offer not open yet
            d2c = D2CCapacity.none(self.n_areas)
        else:
            gateway_ok = ts.gateway_voice_ok if self.via_operator_core else ts.gateway_up
            d2c = self.offer.restrict(self.space.capacity(ts.t_s, ~ts.covered, ts.demand, gateway_ok), ts.t_s)
        clock.lap("space")
        service = self.fallback.step(ts.demand, d2c, self.d2c_share, self.attach)
        clock.lap("fallback")
        return StepState(ts.index, ts.t_s, ts.equipment_up, ts.on_backup, ts.network, service, d2c, ts.demand)


class _StageClock:
    """Adds the time since the last lap to a stage's total (for ``make bench``'s stage shares)."""

    def __init__(self, totals: dict[str, float] | None):
        self.totals = totals
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        if self.totals is None:
            return
        now = time.perf_counter()
        self.totals[stage] += now - self.last
        self.last = now
