"""The report of a seed sweep: the spread of the headline figures and the survival band."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from d2c.report.console import print_parts, stdout_console
from d2c.report.terminal import sparkline
from d2c.sweep import FIGURES, SweepResult

LABELS = {
    "emergency_service_survival": "112 demand served",
    "emergency_service_survival_without_d2c": "... without D2C",
    "peak_sites_down_fraction": "peak sites down",
    "min_population_terrestrial_fraction": "lowest terrestrial coverage",
    "d2c_population_peak": "people on D2C at peak",
}


def render(result: SweepResult, console: Console | None = None) -> None:
    console = console or stdout_console()
    pct = result.percentiles()
    table = Table(title=Text(f"{result.scenario}: {len(result.runs)} seeds ({result.runs[0]['seed']}..{result.runs[-1]['seed']})"),
                  header_style="bold")
    for col in ("figure", "p5", "median", "p95"):
        table.add_column(col, justify="left" if col == "figure" else "right")
    for key in FIGURES:
        fmt = (lambda v: f"{v:,.0f}") if key == "d2c_population_peak" else (lambda v: f"{100 * v:.1f}%")
        table.add_row(LABELS[key], *(fmt(pct[key][q]) for q in ("p5", "p50", "p95")))
    print_parts(console, [table])
    band = result.survival_band()
    chart = Table.grid(padding=(0, 1))
    chart.add_column(justify="right", style="dim")
    chart.add_column()
    for q, style in (("p95", "green"), ("p50", "cyan"), ("p5", "yellow")):
        chart.add_row(f"112 served, {q}", Text(sparkline(band[q], lo=0.0, hi=1.0), style=style))
    print_parts(console, [chart])
