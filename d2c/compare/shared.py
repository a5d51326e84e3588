"""One terrestrial pass, every provider: the unit of work of ``d2c compare``.

The terrestrial network, its power and the demand do not depend on the
satellite provider. :func:`run_shared` steps a scenario's terrestrial half
once per seed (``Simulation.step_terrestrial``) and hands each step to one
``ProviderPass`` per variant (a provider, possibly under a denial case or
with one assumed figure changed), in lockstep, so nothing is stored between
steps. The sky does not depend on the seed either: the seeds of a scenario
are stepped together and share each provider's sky. Each provider runs with the
scenario's own ``d2c:`` settings (offer, eligibility, attach, core) and its
``population:`` (indoors, evacuation), as ``d2c run`` would (:func:`settings_for`).
:func:`run_alone` is the same variant as an ordinary ``Simulation``,
for checks and for the benchmark's baseline. Both are plain functions of
their arguments, so that any Dask worker can run them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from d2c.compare.beams import prepare
from d2c.compare.lanes import LaneStep, Lanes
from d2c.compare.lean import SmsStage
from d2c.compare.tally import RunFigures, Tally
from d2c.config.scenario import D2CSettings, Scenario, load_scenario
from d2c.engine import ProviderPass, Simulation
from d2c.fallback import Fallback
from d2c.stages import D2CCapacity, SpaceStage, TerrestrialStep
from d2c.space import Provider
from d2c.space.denial import Denial, DeniedSpace
from d2c.world import World

__all__ = ["Variant", "run_alone", "run_shared", "settings_for"]


@dataclass(frozen=True)
class Variant:
    """A provider as one run sees it. ``key`` names it in results."""

    key: str
    provider: str  # the comparison's provider name
    spec: Provider | None  # None: no D2C
    core: str = ""  # "operator" or "satellite"; "": the scenario's d2c core (operator if it has none)
    denials: tuple[Denial, ...] = ()
    case: str = ""  # the denial case, if any
    parameter: str = ""  # the assumed figure changed, if any
    side: str = ""  # "low" or "high"
    value: float = math.nan

    @property
    def sky(self) -> tuple[str, str, str]:
        """Variants with the same sky (a provider and its denial cases) share one ``SpaceSegment``."""
        return (self.provider, self.parameter, self.side)


def settings_for(variant: Variant, scenario: Scenario) -> D2CSettings | None:
    """What ``d2c run`` would use with this variant's provider: the scenario's own ``d2c:`` settings
    (offer, eligible operators, handsets, attach, core) with the provider swapped in.

    A scenario without a ``d2c:`` block gets the defaults; the variant's ``core``, when set, wins.
    """
    if variant.spec is None:
        return None
    own = scenario.d2c
    if own is None:
        return D2CSettings(variant.spec, variant.core or "operator")
    return replace(own, provider=variant.spec, core=variant.core or own.core)


@lru_cache(maxsize=2)
def _loaded(scenario_path: str) -> tuple[Scenario, World]:
    """Scenario and world, once per process: a national topology takes seconds to read."""
    scenario = load_scenario(scenario_path)
    return scenario, World(scenario.topology)


def _deny(stage: SpaceStage, variant: Variant, world: World) -> SpaceStage:
    gateways = tuple(world.equipment_ids[world.slices["gateway"]])
    return DeniedSpace(stage, variant.denials, world.area_lat_deg, world.area_lon_deg, gateways)


def _pass(variant: Variant, base: Scenario, sim: Simulation, skies: dict) -> ProviderPass:
    """The variant's provider pass on ``sim``'s terrestrial steps, exactly as ``run`` would build it."""
    world = sim.world
    settings = settings_for(variant, base)
    if settings is None:
        return ProviderPass(sim.fallback, None, True, len(world.area_ids))
    segment, memo = skies.get(variant.sky, (None, {}))
    stage = SmsStage.for_scenario(replace(sim.scenario, d2c=settings), world, sim.effects.affected_area_s,
                                  segment, memo)
    skies.setdefault(variant.sky, (stage.segment, memo))
    space: SpaceStage = _deny(stage, variant, world) if variant.denials else stage
    return ProviderPass(sim.fallback, space, settings.core == "operator", len(world.area_ids),
                        settings.offer, settings.attach)


def run_shared(scenario_path: str, seeds: list[tuple[int, list[Variant]]]) -> dict[tuple[int, str], RunFigures]:
    """Every seed's variants on one scenario: one terrestrial pass per seed, shared by its variants.

    The seeds are stepped in lockstep too, and variants with the same sky share
    one ``SpaceSegment``, whose state (satellite positions, visibility, feeder
    paths) is computed once per step for all seeds (``SpaceSegment.state``).
    Each step, the seed's terrestrial service is served once (the fallback
    stage without D2C) and every variant's share of people on D2C comes from
    one array pass over all of them (:class:`d2c.compare.lanes.Lanes`).
    Returns figures by (seed, variant key).
    """
    base, world = _loaded(scenario_path)
    n_areas = len(world.area_ids)
    skies: dict = {}
    sims, passes, seed_of, keys = [], [], [], []
    for seed, variants in seeds:
        sim = Simulation(replace(base, seed=seed, d2c=None), world=world)
        for v in variants:
            passes.append(_pass(v, base, sim, skies))
            seed_of.append(len(sims))
            keys.append((seed, v.key))
        sims.append(sim)
    tallies = [Tally(world.area_population, base.step_s) for _ in passes]
    if any(type(sim.fallback) is not Fallback for sim in sims):
        # a layer over the fallback stage (the operators' own cells on wheels) changes the service
        # after it: every pass is stepped whole, as an ordinary run steps it
        _run_passes(sims, passes, seed_of, tallies)
        return {key: tally.figures() for key, tally in zip(keys, tallies)}
    lanes = Lanes(seed_of, [p.d2c_share for p in passes], [p.attach for p in passes], base.step_s)
    no_d2c = D2CCapacity.none(n_areas)
    while not all(sim.done for sim in sims):
        steps, lane_steps, terrestrial_people = [], [], []
        for sim in sims:
            ts = sim.step_terrestrial()
            service = sim.fallback.step(ts.demand, no_d2c)  # the terrestrial half, once per seed
            steps.append(ts)
            lane_steps.append(LaneStep(ts.covered, service.sms_path, ts.demand))
            terrestrial_people.append(service.people_share_terrestrial)
        _plan_together(passes, [steps[s] for s in seed_of])
        capacities = [_capacity(p, steps[s]) for p, s in zip(passes, seed_of)]
        d2c_people = lanes.people_share_d2c(lane_steps, capacities)
        no_path = np.clip(1.0 - np.array(terrestrial_people)[seed_of] - d2c_people, 0.0, 1.0)
        for tally, s, share in zip(tallies, seed_of, no_path):
            tally.count(steps[s].t_s, share)
    return {key: tally.figures() for key, tally in zip(keys, tallies)}


def _run_passes(sims: list[Simulation], passes: list[ProviderPass], seed_of: list[int], tallies: list[Tally]) -> None:
    """Each pass's whole step (``ProviderPass.step``) on its seed's terrestrial step."""
    while not all(sim.done for sim in sims):
        steps = [sim.step_terrestrial() for sim in sims]
        for provider_pass, s, tally in zip(passes, seed_of, tallies):
            tally.add(provider_pass.step(steps[s]))


def _plan_together(passes: list[ProviderPass], steps: list[TerrestrialStep]) -> None:
    """Plan the beams of every pass whose stage is a plain ``SmsStage`` with its offer open, in one pass per sky."""
    lanes = []
    for p, ts in zip(passes, steps):
        if isinstance(p.space, SmsStage) and p.offer.services_at(ts.t_s):
            gateway_ok = ts.gateway_voice_ok if p.via_operator_core else ts.gateway_up
            lanes.append((p.space, ~ts.covered, ts.demand, gateway_ok))
    if lanes:
        prepare(steps[0].t_s, lanes)


def _capacity(provider_pass: ProviderPass, ts: TerrestrialStep) -> D2CCapacity | None:
    """The beams a pass may use this step, as ``ProviderPass.step`` finds them (None: no D2C)."""
    if provider_pass.space is None or not provider_pass.offer.services_at(ts.t_s):
        return None
    gateway_ok = ts.gateway_voice_ok if provider_pass.via_operator_core else ts.gateway_up
    return provider_pass.offer.restrict(provider_pass.space.capacity(ts.t_s, ~ts.covered, ts.demand, gateway_ok),
                                        ts.t_s)


def run_alone(scenario_path: str, seed: int, variant: Variant) -> RunFigures:
    """One variant as an ordinary, complete ``Simulation`` run of its own (nothing shared)."""
    base = load_scenario(scenario_path)
    world = World(base.topology)
    scenario = replace(base, seed=seed, d2c=settings_for(variant, base))
    sim = Simulation(scenario, world=world)
    if variant.denials and sim.space is not None:
        sim.space = _deny(sim.space, variant, world)
    tally = Tally(world.area_population, scenario.step_s)
    sim.run(on_step=tally.add)
    return tally.figures()
