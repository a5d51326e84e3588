"""The rich terminal summary of a comparison: the answer, the decision table, denial cases, the tornado."""

from __future__ import annotations

from rich.console import Console
from rich.panel import Panel
from rich.table import Table

from d2c.compare.result import CompareResult
from d2c.compare.spec import NONE
from d2c.compare.words import answer, eur, percent, person_hours

__all__ = ["render"]

TORNADO_ROWS = 10


def render(result: CompareResult, console: Console | None = None) -> None:
    console = console or Console()
    c, d = result.comparison, result.decision
    console.print(Panel(answer(result), title=f"[bold]{c.name}[/]: which D2C option", expand=False))

    table = Table(title="Decision table (person-hours of 112 service restored against none, per year)",
                  header_style="bold")
    for col in ("provider", "restored / yr", "p5-p95", *d.classes, "EUR / yr (D2C)", "EUR / ph", "worst instant"):
        table.add_column(col, justify="left" if col == "provider" else "right")
    none = d.row(NONE)
    for row in d.rows:
        table.add_row(
            row.provider, person_hours(row.annual_restored),
            f"{person_hours(row.annual_p5)}-{person_hours(row.annual_p95)}",
            *(person_hours(row.by_class.get(k, 0.0)) for k in d.classes),
            eur(row.cost_eur_per_year) if row.provider != NONE else "-",
            eur(row.eur_per_person_hour) if row.provider != NONE else "-",
            f"{percent(row.worst_share)} ({row.worst_scenario})",
        )
    console.print(table)
    console.print(f"[dim]worst instant: the largest share of people with no 112 path at any minute (median over "
                  f"seeds), in the worst scenario; without D2C {percent(none.worst_share)} ({none.worst_scenario})[/]")

    cases = [(row.provider, name, case) for row in d.rows for name, case in row.cases.items()]
    if cases:
        t = Table(title="What remains under denial cases", header_style="bold")
        for col in ("provider", "case", "restored / yr normally", "under the case", "remains"):
            t.add_column(col, justify="left" if col in ("provider", "case") else "right")
        for provider, name, case in cases:
            t.add_row(provider, f"{name}: {case.describe}", person_hours(case.annual_restored_normal),
                      person_hours(case.annual_restored), percent(case.remains_share))
        console.print(t)

    if result.bars:
        t = Table(title="Sensitivity: each assumed figure at its low and high (widest swing first)", header_style="bold")
        for col in ("figure", "range", "measure", "at low", "base", "at high", "flips the ranking?"):
            t.add_column(col, justify="right" if col in ("at low", "base", "at high") else "left")
        for bar in result.bars[:TORNADO_ROWS]:
            fmt = eur if bar.kind == "cost" else person_hours
            t.add_row(bar.figure, f"{bar.low_value:.4g}-{bar.high_value:.4g}", bar.measure, fmt(bar.at_low),
                      fmt(bar.base), fmt(bar.at_high), bar.flip or "no")
        console.print(t)
        if len(result.bars) > TORNADO_ROWS:
            console.print(f"[dim]{len(result.bars) - TORNADO_ROWS} more figure(s) in the written reports[/]")
