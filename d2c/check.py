"""What kind of d2c file a path is, and a full check of it (``d2c validate``).

Each kind is told by its top-level fields, then read by its own loader, so a
drill or a decisions file is never read as a topology:

- topology: ``areas`` and ``sites``;
- scenario: ``topology`` (a path);
- drill: ``scenario`` (a path);
- decisions log: a ``decisions`` list (checked against its drill);
- decision catalogue: a ``decisions`` mapping;
- provider preset: ``constellation`` and ``satellite``;
- comparison: ``providers`` and ``scenarios``;
- result: a JSON file with ``scenario``, ``summary`` and ``timeline``.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from d2c.compare.plan import plan
from d2c.compare.spec import load_comparison
from d2c.base import reader as r
from d2c.base.errors import ConfigError, Found
from d2c.config.scenario import load_scenario
from d2c.config.topology import load_topology
from d2c.drill.decisions import load_decisions
from d2c.drill.spec import load_drill
from d2c.result import load_document

__all__ = ["KINDS", "check_file", "drill_names", "kind_of"]

KINDS = ("topology", "scenario", "drill", "decisions", "catalogue", "provider", "comparison", "result")


def kind_of(path: str | Path) -> str:
    """The kind of a d2c file, from its suffix and its top-level fields."""
    if Path(path).suffix.lower() == ".json":
        return "result"
    root = r.compose_file(path)
    if not isinstance(root, yaml.MappingNode):
        raise r.Ctx(str(path)).error(root, "a mapping of fields (a d2c YAML file)", Found("a list or a value"))
    keys = {k.value for k, _ in root.value if isinstance(k, yaml.ScalarNode)}
    if "providers" in keys and "scenarios" in keys:
        return "comparison"
    if "topology" in keys:
        return "scenario"
    if "scenario" in keys:
        return "drill"
    if "decisions" in keys:
        node = next(v for k, v in root.value if isinstance(k, yaml.ScalarNode) and k.value == "decisions")
        return "catalogue" if isinstance(node, yaml.MappingNode) else "decisions"
    if "constellation" in keys or "satellite" in keys:
        return "provider"
    if "areas" in keys or "sites" in keys:
        return "topology"
    listed = ", ".join(sorted(keys)[:6]) or "no fields"
    raise ConfigError(str(path), 1, "", "a d2c file: a topology (areas, sites), a scenario (topology), a drill "
                      "(scenario), a decisions file (decisions), a provider preset (constellation, satellite), a "
                      "comparison (providers, scenarios) or a result JSON", Found(f"a file with {listed}"))


def drill_names(paths: list[Path]) -> dict[str, Path]:
    """The drills among ``paths`` by name, for the decisions files given with them."""
    found = {}
    for path in paths:
        try:
            if kind_of(path) == "drill":
                name = r.Fields(r.compose_file(path), r.Ctx(str(path))).opt("name", r.string, None)
                if name:
                    found[name] = Path(path)
        except ConfigError:
            pass  # reported when the file itself is checked
    return found


def check_file(path: str | Path, drills: dict[str, Path] | None = None) -> tuple[str, str]:
    """Read ``path`` in full with its kind's loader: ``(kind, one-line summary)``.

    ``drills`` maps drill names to drill files, for decisions files; a drill is
    also looked up next to the decisions file (``<drill name>.yaml``).
    Raises ConfigError, or ``ResultFileError`` for a result JSON (one line each).
    """
    kind = kind_of(path)
    return kind, _CHECKS[kind](Path(path), drills or {})


def _topology(path: Path, drills) -> str:
    topo = load_topology(path)
    return f"topology, {len(topo.areas)} areas, {len(topo.sites)} sites, {len(topo.links)} links"


def _scenario(path: Path, drills) -> str:
    sc = load_scenario(path)
    return f"scenario, {len(sc.incidents)} incident(s), {sc.steps} steps on {sc.topology.name}"


def _drill(path: Path, drills) -> str:
    spec = load_drill(path)
    return (f"drill {spec.name}, {len(spec.injects)} inject(s), {len(spec.objectives)} objective(s), "
            f"{len(spec.catalogue)} decision type(s) on {spec.scenario.name}")


def _decisions(path: Path, drills) -> str:
    f = r.Fields(r.compose_file(path), r.Ctx(str(path)))
    name = f.opt("drill", r.string, None)
    if name is None:  # the field is optional: then the one drill given alongside is the drill
        if len(drills) != 1:
            raise f.ctx.child("drill").error(f.node, "the drill's name, or exactly one drill file given to validate "
                                             "with this decisions file", Found(f"{len(drills)} drill file(s)"))
        name = next(iter(drills))
    drill_path = drills.get(name) or path.parent / f"{name}.yaml"
    if not r.is_regular_file(drill_path):
        raise f.ctx.child("drill").error(f.node_of("drill"), "the name of a drill whose file is given to validate "
                                         "too or lies next to this file", Found(f"{name!r}, no {drill_path} found"))
    decisions = load_decisions(path, load_drill(drill_path))
    return f"decisions for {name}, {len(decisions)} decision(s)"


def _catalogue(path: Path, drills) -> str:
    f = r.Fields(r.compose_file(path), r.Ctx(str(path)))
    entries = f.req("decisions", lambda n, c: r.Fields(n, c).node.value)
    return f"decision catalogue, {len(entries)} decision type(s) (targets are checked with a drill)"


def _provider(path: Path, drills) -> str:
    from d2c.space import load_provider

    try:
        p = load_provider(path)
    except ValueError as exc:
        if isinstance(exc, ConfigError):
            raise
        raise ConfigError(str(path), None, "", str(exc)) from None
    return f"provider preset {p.name}, {p.beams_per_satellite} beams per satellite, mask {p.elevation_mask_deg:g} deg"


def _comparison(path: Path, drills) -> str:
    c = load_comparison(path)
    runs = sum(t.runs for t in plan(c))
    return (f"comparison {c.name}, {len(c.providers)} providers (with none) x {len(c.scenarios)} scenarios, "
            f"{len(c.cases)} denial case(s), {runs} runs")


def _result(path: Path, drills) -> str:
    doc = load_document(path)
    kind = "drill result" if doc.get("drill") else "run result"
    return f"{kind} of {doc['scenario']['name']}, {len(doc['timeline']['t_s'])} steps"


_CHECKS = {"topology": _topology, "scenario": _scenario, "drill": _drill, "decisions": _decisions,
           "catalogue": _catalogue, "provider": _provider, "comparison": _comparison, "result": _result}
