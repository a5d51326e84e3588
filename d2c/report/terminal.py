"""The rich terminal report of a run: headline, timeline, causes, worst areas, assumptions."""

from __future__ import annotations

import numpy as np
from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from d2c.timetext import offset_text
from d2c.metrics import Result, served_share
from d2c.report import headline, traffic
from d2c.report.chart import bucket_means
from d2c.report.restoration import restoration_lines
from d2c.report.console import print_parts, stdout_console
from d2c.report.text import percent
from d2c.network import CAUSES

BARS = " ▁▂▃▄▅▆▇█"
SPARK_WIDTH = 44  # fits an 80-column terminal beside the row labels
CAUSE_SHORT = {"damage": "dmg", "power": "pwr", "jamming": "jam", "backhaul": "bkh", "core": "core"}
CAUSE_STYLE = {"damage": "red", "power": "yellow", "jamming": "magenta", "backhaul": "cyan", "core": "blue"}


def sparkline(values, width: int = SPARK_WIDTH, lo: float | None = None, hi: float | None = None) -> str:
    """Values squeezed into ``width`` block characters (mean per bucket)."""
    means = bucket_means(values, width)
    if means.size == 0:
        return ""
    lo = float(means.min()) if lo is None else lo
    hi = float(means.max()) if hi is None else hi
    span = hi - lo
    levels = np.zeros(means.size, dtype=int) if span <= 0 else np.clip(
        np.round((means - lo) / span * (len(BARS) - 1)), 0, len(BARS) - 1).astype(int)
    return "".join(BARS[k] for k in levels)




def _row_picks(t_s: np.ndarray, rows: int) -> np.ndarray:
    """Rows at whole hours (every 1, 2, 3, 6, 12 or 24 h), plus the last step."""
    span_h = (t_s[-1] - t_s[0]) / 3600.0
    every_h = next((h for h in (1, 2, 3, 6, 12, 24) if span_h / h <= rows), 48)
    on_the_hour = np.nonzero(np.isclose(np.mod(t_s - t_s[0], every_h * 3600.0), 0.0))[0]
    return np.unique(np.append(on_the_hour, t_s.size - 1))


def render(result: Result, console: Console | None = None, rows: int = 12) -> None:
    print_parts(console or stdout_console(), renderables(result, rows))


def renderables(result: Result, rows: int = 12) -> list:
    sc, sm, tl = result.scenario, result.summary, result.timeline
    survival = sm.emergency_service_survival
    without = sm.emergency_service_survival_without_d2c
    title = Text()
    title.append(f"{sc.name}", style="bold")
    title.append(f"  on {sc.topology}, from {sc.start}, {sc.duration_s / 3600:g} h in {sc.step_s:g} s steps")
    figures = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False, show_edge=False, expand=False)
    for k, col in enumerate(headline.COLUMNS):
        figures.add_column(col, justify="left" if k == 0 else "right", overflow="fold", no_wrap=k == 0)
    for k, row in enumerate(headline.rows(sm, sc)):
        style = "bold" if k in (0, 2, 3) else ("dim" if row[0].endswith("whole run") else None)
        figures.add_row(*(Text(cell) for cell in row), style=style)
    more = Text(style="dim")
    more.append(
        f"Peak sites down: {percent(sm.peak_sites_down_fraction)} of {sm.sites_total:,} at "
        f"{offset_text(sm.peak_sites_down_at_s)}   Lowest terrestrial coverage: "
        f"{percent(sm.min_population_terrestrial_fraction)} of {sm.population_total:,} people")
    if sm.d2c_population_peak:
        blocked = sm.d2c_blocked
        more.append(f"\nUnder D2C beams at peak: {sm.d2c_population_peak:,} people; 112 demand blocked on D2C: "
                    + (f"{blocked:,.1f} attempts" if round(blocked, 1) > 0 else "none"))
        if sm.d2c_population_not_eligible_peak:
            more.append(f"\nOutside the D2C offer at peak (other operators' subscribers, incompatible phones): "
                        f"{sm.d2c_population_not_eligible_peak:,} people; their "
                        f"{sm.d2c_not_eligible:,.1f} 112 attempts had no D2C path")
        if sm.d2c_blocked_non_emergency > 0:
            more.append(f"\nNon-emergency demand blocked on D2C (calls to family, SMS): "
                        f"{sm.d2c_blocked_non_emergency:,.0f} attempts, data short by "
                        f"{sm.d2c_blocked_data_mbit:,.0f} Mbit")
    more.append("\n" + headline.note(sm))
    headline_panel = Group(title, figures, more)
    parts: list = [Panel(headline_panel, title="d2c: who had no 112 path", border_style="bold")]

    t = np.asarray(tl.t_s, dtype=float)
    pop_total = max(sm.population_total, 1)
    share_served = served_share(tl.emergency_served, tl.emergency_offered)
    terrestrial = np.asarray(tl.population_terrestrial, dtype=float) / pop_total
    charts = Table.grid(padding=(0, 1))
    charts.add_column(justify="right", style="dim")
    charts.add_column()
    charts.add_row("people with terrestrial 112", Text(sparkline(terrestrial, lo=0.0, hi=1.0), style="green"))
    charts.add_row("112 demand served", Text(sparkline(share_served, lo=0.0, hi=1.0), style="cyan"))
    if sm.d2c_population_peak or survival != without:
        share_without = served_share(tl.emergency_served_without_d2c, tl.emergency_offered)
        charts.add_row("... without D2C", Text(sparkline(share_without, lo=0.0, hi=1.0), style="yellow"))
        on_d2c = np.asarray(tl.population_d2c, dtype=float)
        charts.add_row(f"people under D2C beams (peak {sm.d2c_population_peak:,})",
                       Text(sparkline(on_d2c, lo=0.0, hi=max(on_d2c.max(), 1.0)), style="magenta"))
    charts.add_row("sites in service", Text(sparkline(tl.sites_in_service, lo=0.0, hi=sm.sites_total), style="white"))
    if t.size:
        charts.add_row("", Text(f"{offset_text(t[0]):<{SPARK_WIDTH // 2}}{offset_text(t[-1]):>{SPARK_WIDTH - SPARK_WIDTH // 2}}", style="dim"))
    parts.append(Panel(charts, title="over time (0 to 100%)"))

    table = Table(title="Timeline (sites; share of people; share of 112 demand)", box=box.SIMPLE_HEAD,
                  header_style="bold", pad_edge=False, padding=(0, 0, 0, 1))
    for col in ("time", "up", "on batt", *[CAUSE_SHORT[c] for c in CAUSES], "terr.", "D2C", "none", "112 ok"):
        table.add_column(col, justify="right", no_wrap=True)
    if t.size:
        picks = _row_picks(t, rows)
        for i in picks:
            table.add_row(
                offset_text(t[i]), f"{tl.sites_in_service[i]:,}", f"{tl.sites_on_backup[i]:,}",
                *[Text(f"{tl.sites_down_by_cause[c][i]:,}", style=CAUSE_STYLE[c]) for c in CAUSES],
                percent(tl.population_terrestrial[i] / pop_total, 0), percent(tl.population_d2c[i] / pop_total, 0),
                percent(tl.population_unserved[i] / pop_total, 0), percent(share_served[i], 0),
            )
    parts.append(table)

    causes = Table(title="Sites down by cause", header_style="bold")
    causes.add_column("cause")
    causes.add_column("peak", justify="right")
    causes.add_column("at", justify="right")
    causes.add_column("site-hours", justify="right")
    for c in CAUSES:
        series = np.asarray(tl.sites_down_by_cause[c], dtype=float)
        if series.size and series.max() > 0:
            causes.add_row(Text(c, style=CAUSE_STYLE[c]), f"{int(series.max()):,}", offset_text(t[int(series.argmax())]),
                           f"{series.sum() * sc.step_s / 3600:,.0f}")
    if causes.row_count == 0:
        causes.add_row("none", "0", "", "0")
    parts.append(causes)
    restored = restoration_lines(result.restoration)
    if restored:
        parts.append(Panel(Group(*[Text(f"• {line}") for line in restored]), title="Restoration"))

    worst = Table(title="Worst-hit areas (hours; share of 112 demand served)", header_style="bold")
    for col in ("area", "people", "no cell", "on D2C", "no service", "112 ok", "w/o D2C"):
        worst.add_column(col, justify="right" if col != "area" else "left")
    for area in result.worst_areas[:10]:
        worst.add_row(Text(area.name), f"{area.population:,}", f"{area.hours_without_terrestrial:.1f}",
                      f"{area.hours_on_d2c:.1f}", f"{area.hours_unserved:.1f}", percent(area.emergency_survival, 0),
                      percent(area.emergency_survival_without_d2c, 0))
    if worst.row_count == 0:
        worst.add_row("no area lost service", "", "", "", "")
    parts.append(worst)

    parts.extend(traffic.renderables(result))

    if result.decisions:
        decisions = Table(title="Decisions", header_style="bold")
        decisions.add_column("time")
        decisions.add_column("action")
        for d in result.decisions:
            decisions.add_row(offset_text(d.t_s), Text(d.action))
        parts.append(decisions)

    parts.append(Panel(Group(*[Text(f"• {line}") for line in result.assumptions]), title="Assumptions", border_style="dim"))
    return parts
