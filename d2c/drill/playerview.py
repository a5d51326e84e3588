"""The players' view of a drill: only what their role would know, never the model's hidden truth.

The facilitator's dashboard shows the model's truth (who has service, why each
site is down) and the injects to come. A player attached to the drill
(``d2c drill --attach ADDR --role ROLE``) sees instead a view built here, a
``d2c.drill.view.PlayerView`` whose JSON is all that crosses the socket:

* the clock, and the injects that have come due, as read out to the room (not
  their ``effect``, the model's note for the facilitator, and never an inject
  still to come);
* the sites down: for the ``operators`` role as their own network management
  sees them, now, with the cause of each alarm (assumed: an alarm reaches the
  operator's operations centre within the step, 0-15 min); for every other role
  as the operators have reported them, ``operator_report_delay`` late
  (``d2c.drill.reports``), without causes;
* the decisions taken in the room, when each acts, and what is left of each
  catalogue entry; the role's own catalogue;
* the 112 centre's own count of the 112 calls it has answered (its role only).

People with or without service, the share of 112 demand served and the
decisions' measured effects are the model's truth: not in the view.
:func:`render` turns a view into lines for the player's terminal.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np

from d2c.drill.dashboard import span_text
from d2c.drill.kinds import TARGET_WORD
from d2c.drill.lookup import link_rows, place_name
from d2c.drill.view import CatalogueLine, Clock, DecisionSeen, InjectSeen, PlayerView, SiteDown, SitesDown
from d2c.timetext import offset_text
from d2c.network import CAUSES

__all__ = ["OPERATORS", "CENTRE", "SHOWN_SITES", "player_view", "player_rows", "render"]

OPERATORS = "operators"  # the role that sees its own network's alarms at once
CENTRE = "112-centre"  # the role that counts the 112 calls it answers
SHOWN_SITES = 40  # sites listed in a view (all are counted); ``list sites`` gives the rest
LIST_KINDS = ("sites", "areas", "links", "resources")


def player_view(drill, role: str | None) -> PlayerView:
    """What a player of ``role`` (None: every role) knows of ``drill`` now."""
    spec = drill.spec
    at = spec.scenario.start + timedelta(seconds=drill.t_s)
    just = {(i.at_s, i.text) for i in drill.just_due}
    return PlayerView(
        drill=spec.name,
        description=spec.description,
        role=role or "all",
        roles=spec.roles,
        clock=Clock(drill.t_s, offset_text(drill.t_s), f"{at:%Y-%m-%d %H:%M}", drill.sim.index,
                    spec.scenario.steps, drill.done),
        injects=[InjectSeen(offset_text(i.at_s), i.text, i.ad_hoc, (i.at_s, i.text) in just)
                 for i in _injects_so_far(drill)],
        sites_down=_sites_down(drill, role),
        decisions=[DecisionSeen(offset_text(t.decision.at_s), offset_text(t.effective_s), t.line(),
                                t.dtype.role or "") for t in drill.taken],
        catalogue=[_entry(drill, d) for d in spec.catalogue.values() if role is None or d.role in (None, role)],
        calls_answered=int(round(drill.tally.calls_served)) if role in (None, CENTRE) else None,
    )


def _injects_so_far(drill) -> list:
    """The drill file's injects that have come due, and the facilitator's own, in time order."""
    announced = [i for i in drill.spec.injects if i.at_s <= drill.t_s]
    return sorted([*announced, *drill.adhoc], key=lambda i: i.at_s)


def _down(drill, role: str | None) -> tuple[np.ndarray | None, str]:
    """Each site's cause as this role knows it (None: nothing known yet), and as of when."""
    if role == OPERATORS:
        if drill.last is None:
            return None, "no step run yet"
        return np.asarray(drill.last.network.cause), "now, from the operators' own network alarms"
    reported = drill.reports.reported(drill.t_s)
    delay = drill.reports.delay_s
    if reported is None:
        return None, f"no operator report yet (they report a site down {span_text(delay)} after it fails)"
    as_of_s, cause = reported
    return cause, f"as the operators reported them: the network at {offset_text(as_of_s)} ({span_text(delay)} late)"


def _sites_down(drill, role: str | None) -> SitesDown:
    world = drill.world
    cause, as_of = _down(drill, role)
    down = np.zeros(world.n_sites, dtype=bool) if cause is None else cause != 0
    shown = np.nonzero(down)[0][:SHOWN_SITES]
    serves = _serves(world, shown)
    rows = [SiteDown(world.site_ids[i], world.operators[world.site_operator[i]], serves.get(int(i), []),
                     CAUSES[int(cause[i]) - 1] if role == OPERATORS else None) for i in shown]
    return SitesDown(as_of, int(down.sum()), int(world.n_sites), rows)


def _serves(world, sites: np.ndarray | None = None) -> dict[int, list[str]]:
    """The places each site serves (of ``sites`` only, when given: a view lists a few of a national topology's)."""
    site, area = world.coverage.site, world.coverage.area
    if sites is not None:
        keep = np.isin(site, sites)
        site, area = site[keep], area[keep]
    serves: dict[int, list[str]] = {}
    for s, a in zip(site, area):
        serves.setdefault(int(s), []).append(world.area_names[a])
    return {s: sorted(set(names)) for s, names in serves.items()}


def _entry(drill, d) -> CatalogueLine:
    used = sum(1 for t in drill.taken if t.decision.name == d.name)
    target = TARGET_WORD[d.kind.target]
    usage = " ".join(x for x in (d.name, target, *(p.name for p in d.kind.params if p.name != "backhaul")) if x)
    return CatalogueLine(d.name, d.role or "", usage, span_text(d.delay_s),
                         None if d.available is None else d.available - used, d.description)


def player_rows(drill, role: str | None, kind: str, text_filter: str = "") -> list[str]:
    """A player's ``list``: sites (reported state), areas (people), links, resources; ValueError for
    another kind. The same names the facilitator's list gives, never the model's hidden state."""
    world = drill.world
    lines: list[str] = []
    if kind == "sites":
        cause, _ = _down(drill, role)
        serves = _serves(world)
        for i, ident in enumerate(world.site_ids):
            status = "not known yet" if cause is None else "up" if cause[i] == 0 else (
                f"down ({CAUSES[int(cause[i]) - 1]})" if role == OPERATORS else "reported down")
            places = ", ".join(serves.get(i, [])) or "no place in reach"
            lines.append(f"{ident}  {world.operators[world.site_operator[i]]}  {status}  serves {places}")
    elif kind == "areas":
        for ident, label, people in zip(world.area_ids, world.area_names, world.area_population):
            lines.append(f"{place_name(ident, label)}  {people:,.0f} people")
    elif kind == "links":
        lines.extend(link_rows(world))
    elif kind == "resources":
        for d in drill.spec.catalogue.values():
            if role is None or d.role in (None, role):
                e = _entry(drill, d)
                left = "unlimited" if e.left is None else f"{e.left} of {d.available} left"
                lines.append(f"{d.name}  {left}  {d.cost_eur:,.0f} EUR each  {e.delay} to act")
    else:
        raise ValueError(f"list what? list {'|'.join(LIST_KINDS)} [FILTER], got {kind or 'nothing'!r}")
    wanted = text_filter.casefold()
    return [line for line in lines if wanted in line.casefold()]


def render(view: PlayerView) -> list[str]:
    """A view as lines for the player's terminal: clock, injects, sites down, decisions, catalogue.

    >>> render(PlayerView("d", "", "all", [], Clock(600.0, "T+00:10", "2024-01-01 00:10", 10, 60, False), [],
    ...                   SitesDown("no operator report yet", 0, 3, []), [], []))[0]
    'd2c drill d  T+00:10  2024-01-01 00:10 UTC  step 10/60  role all'
    """
    clock = view.clock
    lines = [f"d2c drill {view.drill}  {clock.offset}  {clock.utc} UTC  step {clock.step}/{clock.steps}"
             f"  role {view.role}" + ("  (ended)" if clock.ended else "")]
    lines.append("")
    lines.append("INJECTS (so far)" if view.injects else "INJECTS: none yet")
    for inject in view.injects[-6:]:
        mark = "DUE NOW " if inject.new else ""
        who = "(facilitator) " if inject.facilitator else ""
        lines.append(f"  {mark}{inject.at} {who}{inject.text}")
    down = view.sites_down
    lines.append("")
    lines.append(f"SITES DOWN: {down.count} of {down.of}, {down.as_of}")
    for row in down.sites:
        cause = f" ({row.cause})" if row.cause is not None else ""
        lines.append(f"  {row.site}  {row.operator}{cause}  serves {', '.join(row.serves) or 'no place'}")
    if down.count > len(down.sites):
        lines.append(f"  +{down.count - len(down.sites)} more: list sites FILTER")
    if view.calls_answered is not None:
        lines.append("")
        lines.append(f"112 CALLS ANSWERED so far: {view.calls_answered:,}")
    lines.append("")
    lines.append(f"DECISIONS ({len(view.decisions)})" if view.decisions else "DECISIONS: none yet")
    for d in view.decisions[-6:]:
        lines.append(f"  {d.taken}  {d.decision}  acts {d.acts}" + (f"  [{d.role}]" if d.role else ""))
    lines.append("")
    lines.append("YOUR DECISIONS (d NAME TARGET [ARGS]; delay; left)")
    for e in view.catalogue:
        left = "" if e.left is None else f"  {e.left} left"
        lines.append(f"  {e.usage}  {e.delay}{left}")
    return lines
