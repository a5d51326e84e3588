"""Checking a decision's target against the topology, with a message that helps fix a typo."""

from __future__ import annotations

import difflib

from d2c.base.topology_model import Topology
from d2c.drill.kinds import AREA, AREA_OR_ALL, EQUIPMENT, EVERYWHERE, LINK, NONE, PSAP


class Targets:
    """The topology's ids by kind of target."""

    def __init__(self, topology: Topology):
        t = topology
        self.ids = {
            AREA: [a.id for a in t.areas],
            EQUIPMENT: [x.id for group in (t.sites, t.nodes, t.cores, t.psaps, t.gateways) for x in group],
            LINK: [link.id for link in t.links],
            PSAP: [p.id for p in t.psaps],
        }
        self.sets = {kind: set(ids) for kind, ids in self.ids.items()}
        self.substations = {s.id for s in t.substations}
        self.gateways = [g.id for g in t.gateways]

    def problem(self, target_kind: str, target: str | None) -> str | None:
        """Why ``target`` is not valid for a decision of this target kind (None when it is)."""
        if target_kind == NONE:
            return None if target in (None, EVERYWHERE) else f"takes no target, got {target!r}"
        if target is None:
            return f"needs a target: {_what(target_kind)}"
        if target_kind == AREA_OR_ALL:
            if target == EVERYWHERE:
                return None
            target_kind = AREA
        if target in self.sets[target_kind]:
            return None
        close = difflib.get_close_matches(target, self.ids[target_kind], n=3, cutoff=0.6)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        return f"no {_what(target_kind)} {target!r} in the topology{hint}"

    def expected(self, target_kind: str, target: str | None) -> tuple[str, str | None]:
        """For a file error: what the target field should hold, and what it held."""
        if target_kind == NONE:
            return "no target for this decision", target
        if target is None:
            return f"a target: {_what(target_kind)}", None
        kind = AREA if target_kind == AREA_OR_ALL else target_kind
        close = difflib.get_close_matches(target, self.ids[kind], n=3, cutoff=0.6)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        what = _what(target_kind)
        return f"the id of {'an' if what[0] in 'aeiou' else 'a'} {what} in the topology{hint}", target

    def destroyable(self, ident: str) -> bool:
        return ident in self.sets[EQUIPMENT] or ident in self.substations


def _what(target_kind: str) -> str:
    return {AREA: "area", AREA_OR_ALL: "area (or everywhere)", EQUIPMENT: "site, node, core, PSAP or gateway",
            LINK: "link", PSAP: "PSAP (112 answering point)"}.get(target_kind, target_kind)
