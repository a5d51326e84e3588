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

from d2c.compare.tally import RunFigures, Tally
from d2c.config.scenario import D2CSettings, Scenario, load_scenario
from d2c.engine import ProviderPass, Simulation
from d2c.stages import SpaceStage
from d2c.space import Provider
from d2c.space.denial import Denial, DeniedSpace
from d2c.space.stage import D2CStage
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
    stage = D2CStage.for_scenario(replace(sim.scenario, d2c=settings), world, sim.effects.affected_area_s,
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
    Returns figures by (seed, variant key).
    """
    base, world = _loaded(scenario_path)
    skies: dict = {}
    runs = []
    for seed, variants in seeds:
        sim = Simulation(replace(base, seed=seed, d2c=None), world=world)
        passes = [(v.key, _pass(v, base, sim, skies), Tally(world.area_population, base.step_s)) for v in variants]
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
    scenario = replace(base, seed=seed, d2c=settings_for(variant, base))
    sim = Simulation(scenario, world=world)
    if variant.denials and sim.space is not None:
        sim.space = _deny(sim.space, variant, world)
    tally = Tally(world.area_population, scenario.step_s)
    sim.run(on_step=tally.add)
    return tally.figures()
