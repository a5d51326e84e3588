"""The facilitator's screen: clock, headline figures, map, injects, decisions, catalogue.

Built from a ``Drill`` as one rich renderable, redrawn after every command.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from d2c.report.text import count_of
from d2c.report.chart import Series, chart_lines, rich_text
from d2c.metrics import served_share
from d2c.cells_on_wheels import TemporarySites
from d2c.drill.mapview import TerritoryMap, legend
from d2c.hazards.base import offset_text

HELP = ("n next step · i next inject · r 30 run 30 min · e to the end (both stop at injects) · "
        "d NAME TARGET [ARGS] decide · list sites|areas|links|resources · c catalogue · h help · q finish")
SIDE_WIDTH = 62


def clock_text(drill) -> str:
    sc = drill.spec.scenario
    at = sc.start + timedelta(seconds=drill.t_s)
    return (f"{offset_text(drill.t_s)}  {at:%Y-%m-%d %H:%M} UTC   "
            f"step {drill.sim.index}/{sc.steps}" + ("   (ended)" if drill.done else ""))


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


def injects_panel(drill) -> Panel:
    """The injects that came due with the last command, in full, then the next one.

    Running forward stops at every inject, so those due are the ones of a single step."""
    body = Text()
    if drill.just_due:
        body.append("DUE NOW\n", style="bold reverse yellow")
        for inject in drill.just_due:
            body.append(f"{offset_text(inject.at_s)} ", style="bold yellow")
            body.append(inject.text + "\n")
            if inject.effect:
                body.append(f"   model: {inject.effect}\n", style="dim")
    upcoming = drill.upcoming(1)
    for inject in upcoming:
        body.append(f"next {offset_text(inject.at_s)} ", style="dim")
        body.append(f"(in {span_text(inject.at_s - drill.t_s)})\n", style="dim")
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
        used = sum(1 for t in drill.taken if t.decision.name == d.name)
        left = "" if d.available is None else f"{d.available - used} left"
        target = {"none": "", "area or everywhere": "AREA|everywhere", "area": "AREA", "equipment": "SITE",
                  "link": "LINK"}[d.kind.target]
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


def listing_panel(title: str, rows: list[str], shown: int = 14) -> Panel:
    """The rows of a ``list`` command, the first ``shown`` of them."""
    body = Text("\n".join(rows[:shown]) if rows else "nothing matches", no_wrap=True, overflow="ellipsis")
    if len(rows) > shown:
        body.append(f"\n+{len(rows) - shown} more: add a filter, e.g. list sites TIM", style="dim")
    return Panel(body, title=f"list {title}", border_style="cyan", width=SIDE_WIDTH)


def render(drill, map_view: TerritoryMap, messages: list[str], show_catalogue: bool = True,
           width: int = 120, listing: tuple[str, list[str]] | None = None) -> Group:
    """The whole screen for a console ``width`` columns wide; ``listing`` (a ``list`` command's
    title and rows) takes the catalogue's place."""
    sc = drill.spec.scenario
    top = Panel(Group(Text(clock_text(drill), style="bold"), headline(drill)),
                title=Text(f"d2c drill: {drill.spec.name}"), subtitle=Text(sc.name), border_style="bold")
    layer = drill.sim.fallback
    cows = layer.active if isinstance(layer, TemporarySites) and drill.last is not None else None
    territory = Panel(Group(map_view.render(drill.last, cows), legend()), title="territory", border_style="white")
    side = [injects_panel(drill), decisions_panel(drill)]
    if listing is not None:
        side.append(listing_panel(*listing))
    elif show_catalogue:
        side.append(catalogue_panel(drill))
    middle = Table.grid(padding=(0, 1))
    middle.add_column()
    middle.add_column()
    middle.add_row(territory, Group(*side))
    parts = [top, middle, survival_panel(drill, max(20, width - 30))]
    for message in messages[-3:]:
        style = "bold red" if message.startswith("error") else "bold"
        parts.append(Text(message, style=style))
    parts.append(Text(HELP, style="dim"))
    return Group(*parts)


def span_text(seconds: float) -> str:
    m = int(round(seconds / 60.0))
    return f"{m // 60}h{m % 60:02d}" if m >= 60 else f"{m} min"
