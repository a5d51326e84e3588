"""The comparison file: providers x scenarios x seeds, with rates, costs and denial cases (docs/FORMATS.md)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import yaml

from d2c.compare.figure import Figure, figure
from d2c.base import reader as r
from d2c.config.scenario import Scenario, load_scenario
from d2c.hazards.footprint import parse_footprint
from d2c.space import Provider
from d2c.space.provider import Assumption, read_provider
from d2c.space.denial import DENIAL_KINDS, Denial

__all__ = ["NONE", "Case", "Comparison", "ProviderEntry", "ScenarioEntry", "load_comparison"]

NONE = "none"  # the provider that is no provider: the baseline every other is measured against
CORES = ("operator", "satellite")


@dataclass(frozen=True)
class ProviderEntry:
    name: str
    provider: Provider | None  # None: no D2C
    core: str = ""  # "operator" or "satellite"; "": the core each scenario's d2c block names (operator if none)
    cost_eur_per_year: Figure = field(default_factory=lambda: Figure(0.0, source="no contract"))
    d2c_share_of_cost: Figure = field(default_factory=lambda: Figure(1.0, source="the whole cost counted"))

    @property
    def assumptions(self) -> list[Assumption]:
        """The figures the sensitivity sweeps: every figure the preset (or a shell's payload) marks assumed."""
        return self.provider.assumptions() if self.provider is not None else []

    @property
    def d2c_cost_eur_per_year(self) -> float:
        return self.cost_eur_per_year.value * self.d2c_share_of_cost.value

    def describe(self) -> str:
        if self.provider is None:
            return "no direct-to-cell service (the baseline)"
        core = f"the {self.core} core" if self.core else "the core each scenario names"
        return f"{self.provider.description or self.provider.name}; traffic via {core}"


@dataclass(frozen=True)
class ScenarioEntry:
    path: str
    name: str
    incident_class: str
    rate_per_year: Figure
    seeds: tuple[int, ...]
    gateway_ids: tuple[str, ...]
    duration_s: float


@dataclass(frozen=True)
class Case:
    """A sovereignty or security case, run for ``providers`` (all but ``none`` if empty) on ``scenarios``."""

    name: str
    denial: Denial
    providers: tuple[str, ...] = ()
    scenarios: tuple[str, ...] = ()

    def applies(self, provider: str, scenario: str) -> bool:
        return (provider != NONE and (not self.providers or provider in self.providers)
                and (not self.scenarios or scenario in self.scenarios))


@dataclass(frozen=True)
class Comparison:
    name: str
    description: str
    providers: tuple[ProviderEntry, ...]
    scenarios: tuple[ScenarioEntry, ...]
    cases: tuple[Case, ...]
    reduced_seeds: int  # cases and the sensitivity run on the first this-many seeds of each scenario
    path: str = ""

    def provider(self, name: str) -> ProviderEntry:
        return next(p for p in self.providers if p.name == name)

    def first_seeds(self, count: int) -> "Comparison":
        """The same comparison on at most the first ``count`` seeds of each scenario (a quicker look)."""
        return replace(self, scenarios=tuple(replace(s, seeds=s.seeds[:count]) for s in self.scenarios),
                       reduced_seeds=min(self.reduced_seeds, count))


def load_comparison(path: str | Path) -> Comparison:
    """Read and check a comparison file and every scenario it names (relative to the file)."""
    name = str(path)
    base = Path(path).parent
    f = r.Fields(r.compose_file(path), r.Ctx(name))
    default_seeds = f.opt("seeds", r.integer(1, 10_000), 4)
    reduced = f.opt("reduced_seeds", r.integer(1, 10_000), 1)
    providers = tuple(_provider(n, c, base) for n, c in r.each(f, "providers"))
    if not providers:
        raise f.ctx.child("providers").error(f.node_of("providers") or f.node, "a list of at least one provider")
    _unique(providers, "providers", f, lambda p: p.name)
    if NONE not in [p.name for p in providers]:
        providers = (ProviderEntry(NONE, None),) + providers
    scenarios = tuple(_scenario(n, c, base, default_seeds) for n, c in r.each(f, "scenarios"))
    if not scenarios:
        raise f.ctx.child("scenarios").error(f.node_of("scenarios") or f.node, "a list of at least one scenario")
    _unique(scenarios, "scenarios", f, lambda s: s.name)
    names = {p.name for p in providers}
    cases = tuple(_case(n, c, names, scenarios) for n, c in r.each(f, "cases"))
    _unique(cases, "cases", f, lambda c: c.name)
    comparison = Comparison(
        name=f.req("name", r.string),
        description=f.opt("description", r.text, "").strip(),
        providers=providers,
        scenarios=scenarios,
        cases=cases,
        reduced_seeds=reduced,
        path=name,
    )
    f.done()
    return comparison


def _unique(items, key: str, f: r.Fields, name_of) -> None:
    seen: set[str] = set()
    for i, item in enumerate(items):
        if name_of(item) in seen:
            node = f.node_of(key).value[i]
            raise f.ctx.child(key).child(i).error(node, "a name used once in the file", name_of(item))
        seen.add(name_of(item))


def _provider(node: yaml.Node, ctx: r.Ctx, base: Path) -> ProviderEntry:
    f = r.Fields(node, ctx)
    name = f.req("name", r.string)
    if name == NONE:
        f.done()
        return ProviderEntry(NONE, None)
    provider = read_provider(f, base, "preset", name)
    payload = f.opt("payload", lambda n, c: n, None)
    if payload is not None:
        provider = _payload(payload, ctx.child("payload"), provider)
    cost = f.req("cost_eur_per_year", figure(0.0))
    entry = ProviderEntry(
        name=name,
        provider=provider,
        core=f.opt("core", r.one_of(*CORES), ""),
        cost_eur_per_year=cost,
        d2c_share_of_cost=f.opt("d2c_share_of_cost", _share, Figure(1.0, source="the whole cost counted")),
    )
    f.done()
    return entry


def _keys(node: yaml.MappingNode) -> list[str]:
    return [key.value for key, _ in node.value]


def _share(node: yaml.Node, ctx: r.Ctx) -> Figure:
    fig = figure(0.0)(node, ctx)
    if fig.value > 1.0 or (fig.high is not None and fig.high > 1.0):
        raise ctx.error(node, "a share between 0 and 1", fig.value)
    return fig


def _payload(node: yaml.Node, ctx: r.Ctx, provider: Provider) -> Provider:
    """``{figure: {value, source} or {value, assumed: [low, high]}}``: the provider's figures that differ
    (dotted names as in a preset file); an assumed one replaces the preset's range, a sourced one drops it."""
    p = r.Fields(node, ctx)
    numeric = sorted(k for k, v in provider.values.items() if isinstance(v, (int, float)) and not isinstance(v, bool))
    for key in _keys(node):
        if key not in numeric:
            raise ctx.child(key).error(p.node_of(key), "a numeric figure of the provider (" + ", ".join(numeric) + ")",
                                       key)
        fig = p.req(key, figure(-1e9))
        try:
            provider = provider.with_value(key, fig.value)
        except ValueError as exc:
            raise ctx.child(key).error(p.node_of(key), str(exc)) from None
        assumed = dict(provider.assumed)
        assumed.pop(key, None)
        if fig.assumed:
            why = fig.source or "assumed in the comparison"
            assumed[key] = Assumption(key, fig.value, fig.low, fig.high, why)
            source = f"assumed: {why} (range {fig.low:g} - {fig.high:g})"
        else:
            source = fig.source
        provider = replace(provider, assumed=assumed, sources={**provider.sources, key: source})
    p.done()
    return provider


def _scenario(node: yaml.Node, ctx: r.Ctx, base: Path, default_seeds: int) -> ScenarioEntry:
    f = r.Fields(node, ctx)
    scenario: Scenario = r.load_relative(f, "file", load_scenario, "a scenario file")
    if f.has("rate_per_year") == f.has("return_period_years"):
        raise ctx.error(node, "either rate_per_year or return_period_years, each {value, source} or {value, assumed}")
    if f.has("rate_per_year"):
        rate = f.req("rate_per_year", figure(0.0))
    else:
        period = f.req("return_period_years", _positive_figure)
        rate = Figure(1.0 / period.value, period.source,
                      None if period.high is None else 1.0 / period.high,
                      None if period.low is None else 1.0 / period.low)
    seeds_node = f.node_of("seeds")
    if isinstance(seeds_node, yaml.SequenceNode):
        seeds = tuple(f.req("seeds", r.list_of(r.integer(0, 2**63 - 1), 1)))
        if len(set(seeds)) != len(seeds):
            raise ctx.child("seeds").error(seeds_node, "each seed once", list(seeds))
    else:
        count = f.opt("seeds", r.integer(1, 10_000), default_seeds)
        seeds = tuple(scenario.seed + i for i in range(count))
    entry = ScenarioEntry(
        path=str(Path(scenario.path).resolve()),
        name=f.opt("name", r.string, scenario.name),
        incident_class=f.req("class", r.string),
        rate_per_year=rate,
        seeds=seeds,
        gateway_ids=tuple(g.id for g in scenario.topology.gateways),
        duration_s=scenario.duration_s,
    )
    f.done()
    return entry


def _positive_figure(node: yaml.Node, ctx: r.Ctx) -> Figure:
    fig = figure(0.0)(node, ctx)
    if fig.value <= 0 or (fig.low is not None and fig.low <= 0):
        raise ctx.error(node, "a return period > 0 years", fig.value)
    return fig


def _case(node: yaml.Node, ctx: r.Ctx, providers: set[str], scenarios: tuple[ScenarioEntry, ...]) -> Case:
    f = r.Fields(node, ctx)
    name = f.req("name", r.string)
    kind = f.req("kind", r.one_of(*DENIAL_KINDS))
    start_s = f.opt("from", _offset_s, 0.0)
    end_s = start_s + f.opt("duration", r.positive_duration_s, np.inf)
    area = f.req("area", parse_footprint) if kind == "jamming" else None
    gateways: tuple[str, ...] = ()
    if kind == "gateway_loss":
        gw_node = f.node_of("gateways")
        if isinstance(gw_node, yaml.ScalarNode) and gw_node.value == "all":
            f.req("gateways", r.string)
        else:
            gateways = tuple(f.req("gateways", r.list_of(r.string, 1)))
    chosen = tuple(f.opt("providers", r.list_of(r.one_of(*sorted(providers)), 1), []))
    if NONE in chosen:
        raise ctx.child("providers").error(f.node_of("providers"), "providers other than none (none has no D2C to deny)")
    names = [s.name for s in scenarios]
    on = tuple(f.opt("scenarios", r.list_of(r.one_of(*names), 1), []))
    for s in scenarios:
        if s.name in (on or names):
            unknown = [g for g in gateways if g not in s.gateway_ids]
            if unknown:
                raise ctx.child("gateways").error(f.node_of("gateways"), f"gateway ids of {s.name}'s topology "
                                                  f"({', '.join(s.gateway_ids) or 'none'})", ", ".join(unknown))
    f.done()
    return Case(name, Denial(kind, start_s, end_s, area, gateways), chosen, on)


def _offset_s(node: yaml.Node, ctx: r.Ctx) -> float:
    """An offset from each scenario's start: ``T+6h``, ``+90m`` or a number of seconds."""
    if isinstance(node, yaml.ScalarNode):
        raw = str(node.value).strip()
        text = raw[2:] if raw.upper().startswith("T+") else raw[1:] if raw.startswith("+") else raw
        return r.duration_s(yaml.ScalarNode("tag:yaml.org,2002:str", text, node.start_mark, node.end_mark), ctx)
    raise ctx.error(node, "an offset from the scenario start, like T+6h", "a mapping or list")
