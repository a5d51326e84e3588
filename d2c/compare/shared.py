"""One terrestrial pass, every provider: the unit of work of ``d2c compare``.

The terrestrial network, its power and the demand do not depend on the
satellite provider. :func:`run_shared` steps a scenario's terrestrial half
once per seed (``Simulation.step_terrestrial``) and hands each step to one
``ProviderPass`` per variant (a provider, possibly under a denial case or
with one assumed figure changed), in lockstep, so nothing is stored between
steps. The sky does not depend on the seed either: the seeds of a scenario
are stepped together and share each provider's space stage. :func:`run_alone` is the same variant as an ordinary ``Simulation``,
for checks and for the benchmark's baseline. Both are plain functions of
their arguments, so that any Dask worker can run them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import lru_cache

from d2c.compare.outage import OutageTally, RunFigures
from d2c.config.scenario import D2CSettings, Scenario, load_scenario
from d2c.engine import ProviderPass, Simulation, space_stage
from d2c.stages import SpaceStage
from d2c.space import Provider
from d2c.space.denial import Denial, DeniedSpace
from d2c.world import World

__all__ = ["Variant", "run_alone", "run_shared"]


@dataclass(frozen=True)
class Variant:
    """A provider as one run sees it. ``key`` names it in results."""

    key: str
    provider: str  # the comparison's provider name
    spec: Provider | None  # None: no D2C
    core: str = "operator"
    denials: tuple[Denial, ...] = ()
    case: str = ""  # the denial case, if any
    parameter: str = ""  # the assumed figure changed, if any
    side: str = ""  # "low" or "high"
    value: float = math.nan


@lru_cache(maxsize=2)
def _loaded(scenario_path: str) -> tuple[Scenario, World]:
    """Scenario and world, once per process: a national topology takes seconds to read."""
    scenario = load_scenario(scenario_path)
    return scenario, World(scenario.topology)


def _space(variant: Variant, scenario: Scenario, world: World, affected_area_s=None) -> SpaceStage | None:
    """``affected_area_s``: when the incident reaches each area (a ``population.evacuation`` starts there)."""
    if variant.spec is None:
        return None
    stage = space_stage(replace(scenario, d2c=D2CSettings(variant.spec, variant.core)), world, affected_area_s)
    if variant.denials:
        gateways = tuple(world.equipment_ids[world.slices["gateway"]])
        stage = DeniedSpace(stage, variant.denials, world.area_lat_deg, world.area_lon_deg, gateways)
    return stage


def run_shared(scenario_path: str, seeds: list[tuple[int, list[Variant]]]) -> dict[tuple[int, str], RunFigures]:
    """Every seed's variants on one scenario: one terrestrial pass per seed, shared by its variants.

    The seeds are stepped in lockstep too, and variants with the same key share
    one space stage, whose sky (satellite positions, visibility, feeder paths)
    is computed once per step for all seeds (``SpaceSegment.state``).
    Returns figures by (seed, variant key).
    """
    base, world = _loaded(scenario_path)
    stages: dict[str, SpaceStage | None] = {}
    runs = []
    for seed, variants in seeds:
        scenario = replace(base, seed=seed, d2c=None)
        sim = Simulation(scenario, world=world)
        passes = []
        for v in variants:
            if v.key not in stages:
                stages[v.key] = _space(v, scenario, world, sim.effects.affected_area_s)
            passes.append((v.key, ProviderPass(sim.fallback, stages[v.key], v.core == "operator", len(world.area_ids)),
                           OutageTally(world.area_population, scenario.step_s)))
        runs.append((seed, sim, passes))
    while not all(sim.done for _, sim, _ in runs):
        for _, sim, passes in runs:
            terrestrial = sim.step_terrestrial()
            for _, provider_pass, tally in passes:
                tally.add(provider_pass.step(terrestrial))
    return {(seed, key): tally.figures() for seed, _, passes in runs for key, _, tally in passes}


def run_alone(scenario_path: str, seed: int, variant: Variant) -> RunFigures:
    """One variant as an ordinary, complete ``Simulation`` run of its own (nothing shared)."""
    base = load_scenario(scenario_path)
    world = World(base.topology)
    settings = None if variant.spec is None else D2CSettings(variant.spec, variant.core)
    scenario = replace(base, seed=seed, d2c=settings)
    sim = Simulation(scenario, world=world, space=_space(variant, scenario, world))
    tally = OutageTally(world.area_population, scenario.step_s)
    sim.run(on_step=tally.add)
    return tally.figures()
