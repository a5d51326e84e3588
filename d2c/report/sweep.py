"""The report of a seed sweep: the headline's spread first, then the secondary figures and the survival band."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from d2c.headline import RESTORE_FRACTIONS, headline_keys
from d2c.report.console import print_parts, stdout_console
from d2c.report.terminal import sparkline
from d2c.report.text import percent
from d2c.sweep import FIGURES, SweepResult

HEADLINE_LABELS = {
    "no_112_person_hours": "person-hours, no 112 path",
    "worst_no_112_share": "no 112 path, worst instant",
    "longest_area_outage_hours": "longest outage of an area",
    **{f"restore_people_{x}_hours": f"time to restore {x}% of people" for x in RESTORE_FRACTIONS},
    **{f"restore_sites_{x}_hours": f"time to restore {x}% of sites" for x in RESTORE_FRACTIONS},
}
LABELS = {
    **{key: "... without D2C" if key.endswith("_without_d2c") else HEADLINE_LABELS[key] for key in headline_keys()},
    "emergency_service_survival": "112 demand served, whole run",
    "emergency_service_survival_without_d2c": "... without D2C",
    "peak_sites_down_fraction": "peak sites down",
    "min_population_terrestrial_fraction": "lowest terrestrial coverage",
    "d2c_population_peak": "people under D2C beams at peak",
    "peak_sites_down_by_damage": "sites down by damage, at most",
}


def value_text(key: str, value: float | None) -> str:
    """A sweep percentile as the terminal report writes the figure.

    >>> value_text("no_112_person_hours", 1234.5), value_text("restore_sites_95_hours", None)
    ('1,234', 'not in run')
    >>> value_text("worst_no_112_share", 0.325), value_text("longest_area_outage_hours_without_d2c", 2.04)
    ('32.5%', '2.0 h')
    """
    if value is None:
        return "not in run"
    if key.startswith("no_112_person_hours") or key in ("d2c_population_peak", "peak_sites_down_by_damage"):
        return f"{value:,.0f}"
    if "_hours" in key:
        return f"{value:.1f} h"
    return percent(value)


def render(result: SweepResult, console: Console | None = None) -> None:
    console = console or stdout_console()
    pct = result.percentiles()
    table = Table(title=Text(f"{result.scenario}: {len(result.runs)} seeds ({result.runs[0].seed}..{result.runs[-1].seed})"),
                  header_style="bold")
    for col in ("figure", "p5", "median", "p95"):
        table.add_column(col, justify="left" if col == "figure" else "right")
    headline = set(headline_keys())
    for k, key in enumerate(FIGURES):
        if key not in headline and (k == 0 or FIGURES[k - 1] in headline):
            table.add_section()
        table.add_row(LABELS[key], *(value_text(key, pct[key][q]) for q in ("p5", "p50", "p95")),
                      style=None if key in headline else "dim")
    print_parts(console, [table])
    band = result.survival_band()
    chart = Table.grid(padding=(0, 1))
    chart.add_column(justify="right", style="dim")
    chart.add_column()
    for q, style in (("p95", "green"), ("p50", "cyan"), ("p5", "yellow")):
        chart.add_row(f"112 served, {q}", Text(sparkline(band[q], lo=0.0, hi=1.0), style=style))
    print_parts(console, [chart])
