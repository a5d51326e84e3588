"""The facilitator's screen: clock, headline figures, map, injects, decisions, catalogue.

Built from a ``Drill`` as one rich renderable, redrawn after every command, to
fit the terminal it is drawn on. From 120 x 40 the whole dashboard: panels for
the clock and headline, the map beside the injects, decisions and catalogue,
and the survival chart. Below that (an 80 x 24 terminal, a projector at a
readable font) the essentials, one line each where they can be: the clock, the
headline, the injects due in full, the map filling what is left, the last
decision, the messages and a short help line. Either way the map takes the
rows the rest leaves, so the screen grows with the terminal and never scrolls.
"""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Callable

import numpy as np
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from d2c.report.text import count_of
from d2c.report.chart import Series, chart_lines, rich_text
from d2c.metrics import served_share
from d2c.cells_on_wheels import TemporarySites
from d2c.drill.kinds import TARGET_WORD
from d2c.drill.mapview import TerritoryMap, legend, short_legend
from d2c.timetext import offset_text

HELP = ("n next step · i next inject · r 30 run 30 min · e to the end (both stop at injects) · "
        "d NAME TARGET [ARGS] decide · list sites|areas|links|resources · undo · inject TEXT · role NAME · "
        "save · c catalogue · h help · q finish")
SHORT_HELP = "n step · i inject · r 2h · e end · d NAME TARGET · list · undo · save · c · h help · q"
SIDE_WIDTH = 62
WIDE = (120, 40)  # the whole dashboard from this many columns and rows


def clock_text(drill) -> str:
    sc = drill.spec.scenario
    at = sc.start + timedelta(seconds=drill.t_s)
    return (f"{offset_text(drill.t_s)}  {at:%Y-%m-%d %H:%M} UTC   "
            f"step {drill.sim.index}/{sc.steps}" + ("   (ended)" if drill.done else "")
            + (f"   role {drill.role}" if drill.role else ""))


def headline(drill) -> Table:
    """People by bearer now, 112 served so far, warnings delivered."""
    grid = Table.grid(padding=(0, 3))
    for _ in range(4):
        grid.add_column()
    pop = drill.world.area_population
    total = max(float(pop.sum()), 1.0)
    state = drill.last
    if state is None:
        grid.add_row(Text("no step run yet: press n (next step) or i (next inject)", style="dim"))
        return grid
    s = state.service
    none = ~s.terrestrial & ~s.d2c

    def people(label, mask, style):
        n = float(pop[mask].sum())
        return Text.assemble((f"{label} ", "dim"), (f"{n:,.0f}", style), (f" ({n / total:.1%})", "dim"))

    t = drill.tally
    sent = drill.warnings.sent(drill.t_s)
    grid.add_row(people("terrestrial", s.terrestrial, "bold green"), people("on D2C", s.d2c, "bold cyan"),
                 people("no service", none, "bold red"),
                 Text.assemble(("112 calls served ", "dim"), (count_of(t.calls_served, t.calls_offered), "bold")))
    sites_up = int(state.network.in_service.sum())
    grid.add_row(Text.assemble(("sites up ", "dim"), (f"{sites_up}/{drill.world.n_sites}", "bold")),
                 Text.assemble(("on battery/gen ", "dim"),
                               (f"{int(state.on_backup[drill.world.slices['site']].sum())}", "bold yellow")),
                 Text.assemble(("warnings delivered ", "dim"),
                               (f"{sum(1 for b in sent if b.first_reach_s is not None)}/{len(sent)}", "bold"),
                               (f", {drill.warnings.reached_people():,} people", "dim")),
                 Text.assemble(("decisions ", "dim"), (f"{len(drill.taken)}", "bold"),
                               (f", {sum(x.dtype.cost_eur for x in drill.taken):,.0f} EUR", "dim")))
    return grid


def injects_panel(drill, facilitator: bool = False) -> Panel:
    """The injects that came due with the last command, in full, then the next one (with ``facilitator``,
    a served drill's facilitator screen, its text too: the players do not see it until it comes due).

    Running forward stops at every inject, so those due are the ones of a single step."""
    body = Text()
    if drill.just_due:
        body.append("DUE NOW\n", style="bold reverse yellow")
        for inject in drill.just_due:
            body.append(f"{offset_text(inject.at_s)} ", style="bold yellow")
            if inject.ad_hoc:
                body.append("(facilitator) ", style="yellow")
            body.append(inject.text + "\n")
            if inject.effect:
                body.append(f"   model: {inject.effect}\n", style="dim")
    upcoming = drill.upcoming(1)
    for inject in upcoming:
        body.append(f"next {offset_text(inject.at_s)} ", style="dim")
        body.append(f"(in {span_text(inject.at_s - drill.t_s)})\n", style="dim")
        if facilitator:
            body.append(f"   {inject.text}\n", style="italic")
    if not drill.just_due and not upcoming:
        body.append("no more injects", style="dim")
    return Panel(body, title="injects", border_style="yellow", width=SIDE_WIDTH)


def decisions_panel(drill, last: int = 6) -> Panel:
    table = Table.grid(padding=(0, 1))
    table.add_column(style="dim", no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column(overflow="ellipsis", no_wrap=True, max_width=SIDE_WIDTH - 26)
    for taken in drill.taken[-last:]:
        acting = taken.effective_s <= drill.t_s - drill.step_s or (drill.done and taken.effective_s < drill.t_s)
        status = Text("acting" if acting else f"at {offset_text(taken.effective_s)}",
                      style="green" if acting else "yellow")
        what = taken.line() + ("" if taken.modelled else "  (recorded only)")
        table.add_row(offset_text(taken.decision.at_s), status, Text(what))
    if not drill.taken:
        table.add_row("", "", Text("none yet", style="dim"))
    return Panel(table, title=f"decisions ({len(drill.taken)})", border_style="magenta", width=SIDE_WIDTH)


def catalogue_panel(drill) -> Panel:
    table = Table.grid(padding=(0, 1))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column(justify="right", no_wrap=True)
    table.add_column(justify="right", style="dim", no_wrap=True)
    for d in drill.spec.catalogue.values():
        if drill.role and d.role and d.role != drill.role:
            continue  # another role's decision
        used = sum(1 for t in drill.taken if t.decision.name == d.name)
        left = "" if d.available is None else f"{d.available - used} left"
        target = TARGET_WORD[d.kind.target]
        args = " ".join(p.name for p in d.kind.params if p.name not in ("backhaul",))
        table.add_row(Text(d.name), f"{target} {args}".strip(), span_text(d.delay_s), left)
    return Panel(table, title="catalogue (d NAME TARGET ARGS; delay)", border_style="blue", width=SIDE_WIDTH)


def survival_panel(drill, width: int) -> Panel:
    tally = drill.tally
    t = np.asarray(tally.t_s)
    series = []
    if t.size:
        series = [Series("112 served", served_share(tally.served, tally.offered), "green"),
                  Series("... without D2C", served_share(tally.served_without_d2c, tally.offered), "yellow")]
    body = rich_text(chart_lines(series, t, width=width, height=2, label_width=15)) if series else Text("")
    return Panel(body, title="share of 112 demand served, so far", border_style="green")


def listing_panel(title: str, rows: list[str], shown: int = 14, width: int = SIDE_WIDTH) -> Panel:
    """The rows of a ``list`` command, the first ``shown`` of them."""
    body = Text("\n".join(rows[:shown]) if rows else "nothing matches", no_wrap=True, overflow="ellipsis")
    if len(rows) > shown:
        body.append(f"\n+{len(rows) - shown} more: add a filter, e.g. list sites TIM", style="dim")
    return Panel(body, title=f"list {title}", border_style="cyan", width=width)


def is_wide(width: int, height: int) -> bool:
    """Whether a terminal this size gets the whole dashboard (else the essentials)."""
    return width >= WIDE[0] and height >= WIDE[1]


def render(drill, map_for: Callable[[int, int], TerritoryMap], messages: list[str], show_catalogue: bool | None = None,
           width: int = 120, height: int = 50, listing: tuple[str, list[str]] | None = None,
           facilitator: bool = False) -> Group:
    """The whole screen for a terminal ``width`` x ``height``, leaving its last line to the prompt.

    ``map_for(columns, rows)`` gives the map for a box of that size; ``listing`` (a ``list`` command's
    title and rows) takes the catalogue's place (on a small screen, the map's); ``show_catalogue``
    None: shown on a wide screen only; ``facilitator``: a served drill's facilitator screen, which also shows
    the next inject's text."""
    if is_wide(width, height):
        return _wide(drill, map_for, messages, show_catalogue is not False, width, height, listing, facilitator)
    return _compact(drill, map_for, messages, bool(show_catalogue), width, height, listing, facilitator)


def _wide(drill, map_for, messages, show_catalogue, width, height, listing, facilitator=False) -> Group:
    sc = drill.spec.scenario
    budget = height - 1
    top = Panel(Group(Text(clock_text(drill), style="bold"), headline(drill)),
                title=Text(f"d2c drill: {drill.spec.name}"), subtitle=Text(sc.name), border_style="bold")
    tail = [survival_panel(drill, max(20, width - 30))]
    for message in messages[-3:]:
        tail.append(Text(message, style="bold red" if message.startswith("error") else "bold"))
    tail.append(Text(HELP, style="dim"))
    fixed = lines_of(top, width) + lines_of(Group(*tail), width)
    side = [injects_panel(drill, facilitator), decisions_panel(drill)]
    if listing is not None:
        shown = max(3, budget - fixed - lines_of(Group(*side), SIDE_WIDTH) - 3)
        side.append(listing_panel(*listing, shown=shown))
    elif show_catalogue:
        with_catalogue = side + [catalogue_panel(drill)]
        if lines_of(Group(*with_catalogue), SIDE_WIDTH) <= budget - fixed:
            side = with_catalogue
    rows = max(4, budget - fixed - 4)  # the map panel's borders and its two legend lines
    map_width = max(30, min(140, width - SIDE_WIDTH - 6))
    view = map_for(map_width, rows)
    layer = drill.sim.fallback
    cows = layer.active if isinstance(layer, TemporarySites) and drill.last is not None else None
    territory = Panel(Group(view.render(drill.last, cows, names=max(3, rows // 3), width=map_width), legend()),
                      title="territory", border_style="white")
    middle = Table.grid(padding=(0, 1))
    middle.add_column()
    middle.add_column()
    middle.add_row(territory, Group(*side))
    return Group(top, middle, *tail)


def _compact(drill, map_for, messages, show_catalogue, width, height, listing, facilitator=False) -> Group:
    budget = height - 1
    head = [_line(f"{clock_text(drill)}  {drill.spec.name}", "bold")] + compact_headline(drill)
    injects = compact_injects(drill, facilitator)
    tail = [Text(m, style="bold red" if m.startswith("error") else "bold") for m in messages]
    tail.append(_line(SHORT_HELP, "dim"))
    fixed = lines_of(Group(*head, injects, *tail), width)
    while fixed > budget and len(tail) > 2:  # too many messages for the screen: the first ones go
        tail.pop(0)
        tail[0] = _line("(earlier messages cut: a taller terminal shows them)", "dim")
        fixed = lines_of(Group(*head, injects, *tail), width)
    left = budget - fixed
    if left >= 8 and drill.taken:
        last = drill.taken[-1]
        tail.insert(0, _line(f"decisions ({len(drill.taken)}): last {last.line()}, taken "
                             f"{offset_text(last.decision.at_s)}, acts {offset_text(last.effective_s)}", "magenta"))
        left -= 1
    middle: list = []
    if listing is not None and left >= 4:
        middle = [listing_panel(*listing, shown=max(1, left - 3), width=min(width, 100))]
    elif show_catalogue and lines_of(catalogue_panel(drill), width) <= left:
        middle = [catalogue_panel(drill)]
    elif left >= 4:  # the map, and its legend on one line
        view = map_for(width, left - 1)
        layer = drill.sim.fallback
        cows = layer.active if isinstance(layer, TemporarySites) and drill.last is not None else None
        legend_line = short_legend()
        legend_line.no_wrap, legend_line.overflow = True, "ellipsis"
        middle = [view.render(drill.last, cows, names=max(2, view.rows // 3), width=width), legend_line]
    return Group(*head, injects, *middle, *tail)


def compact_headline(drill) -> list[Text]:
    """The headline in two short lines."""
    state = drill.last
    if state is None:
        return [_line("no step run yet: n (next step) or i (next inject)", "dim")]
    pop = drill.world.area_population
    total = max(float(pop.sum()), 1.0)
    s = state.service
    none = ~s.terrestrial & ~s.d2c
    t = drill.tally

    def people(label, mask, style):
        n = float(pop[mask].sum())
        return [(f"{label} ", "dim"), (f"{n:,.0f}", style), (f" {n / total:.0%}  ", "dim")]

    first = Text.assemble(*people("terr", s.terrestrial, "bold green"), *people("D2C", s.d2c, "bold cyan"),
                          *people("none", none, "bold red"),
                          ("112 ", "dim"), (count_of(t.calls_served, t.calls_offered), "bold"))
    sent = drill.warnings.sent(drill.t_s)
    second = Text.assemble(("sites up ", "dim"), (f"{int(state.network.in_service.sum())}/{drill.world.n_sites}", "bold"),
                           ("  backup ", "dim"), (f"{int(state.on_backup[drill.world.slices['site']].sum())}", "bold yellow"),
                           ("  warnings ", "dim"),
                           (f"{sum(1 for b in sent if b.first_reach_s is not None)}/{len(sent)}", "bold"),
                           ("  decisions ", "dim"), (f"{len(drill.taken)}", "bold"),
                           (f" {sum(x.dtype.cost_eur for x in drill.taken):,.0f} EUR", "dim"))
    for line in (first, second):
        line.no_wrap, line.overflow = True, "ellipsis"
    return [first, second]


def compact_injects(drill, facilitator: bool = False) -> Text:
    """The injects due now, in full (wrapped), then the next one on a line (its text too for a served
    drill's ``facilitator``)."""
    body = Text()
    for inject in drill.just_due:
        body.append(f"DUE NOW {offset_text(inject.at_s)} ", style="bold reverse yellow")
        body.append(" (facilitator)" if inject.ad_hoc else "", style="yellow")
        body.append(" " + inject.text + "\n")
        if inject.effect:
            body.append(f"  model: {inject.effect}\n", style="dim")
    upcoming = drill.upcoming(1)
    for inject in upcoming:
        body.append(f"next inject {offset_text(inject.at_s)} (in {span_text(inject.at_s - drill.t_s)})", style="dim")
        if facilitator:
            body.append(f": {inject.text}", style="italic")
    if not drill.just_due and not upcoming:
        body.append("no more injects", style="dim")
    body.rstrip()
    return body


def lines_of(renderable, width: int) -> int:
    """How many lines ``renderable`` takes on a terminal ``width`` columns wide."""
    console = Console(width=width, height=10_000, file=io.StringIO(), force_terminal=True, color_system=None)
    return len(console.render_lines(renderable, console.options, pad=False))


def _line(text: str, style: str) -> Text:
    return Text(text, style=style, no_wrap=True, overflow="ellipsis")


def span_text(seconds: float) -> str:
    m = int(round(seconds / 60.0))
    return f"{m // 60}h{m % 60:02d}" if m >= 60 else f"{m} min"
