"""The report's tables, from the typed ``CompareResult``: the same rows for Markdown, HTML and CSV."""

from __future__ import annotations

import math
from dataclasses import dataclass

from d2c.compare.result import CompareResult
from d2c.compare.spec import NONE
from d2c.compare.words import eur, percent, person_hours

__all__ = ["Table", "decision_csv_rows", "tables", "worst_scenario_series"]


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    header: tuple[str, ...]
    rows: list[tuple[str, ...]]
    note: str = ""


def tables(result: CompareResult) -> list[Table]:
    rows = result.decision.rows
    classes = result.decision.classes
    none = result.decision.row(NONE)
    out = [Table(
        "decision", "Decision table",
        ("provider", "restored a year (person-hours)", "p5-p95", "D2C cost a year", "EUR per person-hour",
         "worst instant, with it"),
        [(r.provider, person_hours(r.annual_restored),
          f"{person_hours(r.annual_p5)}-{person_hours(r.annual_p95)}",
          eur(r.cost_eur_per_year) if r.provider != NONE else "-",
          eur(r.eur_per_person_hour) if r.provider != NONE else "-",
          f"{percent(r.worst_share)} ({r.worst_scenario})") for r in rows],
        f"Restored: person-hours of 112 service against none, weighted by each scenario's rate. Worst instant: the "
        f"largest share of people without any 112 path at one time (median over seeds), in the worst scenario; "
        f"without D2C it is {percent(none.worst_share)} ({none.worst_scenario}).")]
    out.append(Table("classes", "By class of incident (person-hours restored a year)",
                     ("provider", *classes),
                     [(r.provider, *(person_hours(r.by_class.get(c, 0.0)) for c in classes)) for r in rows]))
    scenarios = result.comparison.scenarios
    providers = [r for r in rows if r.provider != NONE]
    out.append(Table(
        "scenarios", "By scenario (person-hours restored per incident, mean and p5-p95 over seeds)",
        ("scenario", "class", "rate a year", *[r.provider for r in providers], "worst instant without D2C"),
        [(s.name, s.incident_class, f"{s.rate_per_year.value:.3g}",
          *(f"{person_hours(r.by_scenario[s.name].restored_mean)} "
            f"({person_hours(r.by_scenario[s.name].restored_p5)}-{person_hours(r.by_scenario[s.name].restored_p95)})"
            for r in providers),
          percent(none.by_scenario[s.name].worst_share_without_d2c)) for s in scenarios]))
    cases = [(r.provider, name, c) for r in rows for name, c in r.cases.items()]
    if cases:
        out.append(Table(
            "cases", "What remains under the denial cases",
            ("provider", "case", "what happens", "restored a year normally", "under the case", "remains"),
            [(p, name, c.describe, person_hours(c.annual_restored_normal), person_hours(c.annual_restored),
              percent(c.remains_share)) for p, name, c in cases],
            f"On the first {result.comparison.reduced_seeds} seed(s) of each scenario the case applies to; times are "
            "from each scenario's start."))
    if result.bars:
        def fmt(bar, value):
            return eur(value) if bar.kind == "cost" else person_hours(value)

        out.append(Table(
            "tornado", "Sensitivity: each assumed figure at the ends of its range",
            ("figure", "range", "what moves", "at low", "base", "at high", "flips the ranking?"),
            [(b.figure, f"{b.low_value:.4g}-{b.high_value:.4g}", b.measure, fmt(b, b.at_low),
              fmt(b, b.base), fmt(b, b.at_high), b.flip or "no") for b in result.bars],
            "One figure at a time; provider figures re-run on the reduced seeds, rates and costs re-weighted."))
    return out


def _finite(value: float | None) -> float | None:
    """A figure as the JSON has it: None where it is infinite (nothing restored)."""
    return None if value is None or not math.isfinite(value) else value


def decision_csv_rows(result: CompareResult) -> list[list]:
    """The decision table as plain numbers, one provider a row, for spreadsheets."""
    classes = result.decision.classes
    rows = result.decision.rows
    cases = sorted({name for r in rows for name in r.cases})
    out = [["provider", "annual_restored_person_hours", "annual_p5", "annual_p95",
            *[f"annual_restored_{c}" for c in classes], "d2c_cost_eur_per_year", "eur_per_person_hour",
            "worst_share_without_112", "worst_scenario", *[f"remains_share_{name}" for name in cases]]]
    for r in rows:
        remains = [r.cases[name].remains_share if name in r.cases else None for name in cases]
        out.append([r.provider, r.annual_restored, r.annual_p5, r.annual_p95,
                    *[r.by_class.get(c, 0.0) for c in classes], _finite(r.cost_eur_per_year),
                    _finite(r.eur_per_person_hour), r.worst_share, r.worst_scenario, *remains])
    return [["" if v is None else v for v in row] for row in out]


def worst_scenario_series(result: CompareResult) -> tuple[str, int, list[tuple[str, tuple[float, ...]]]]:
    """For the scenario with the most person-hours without 112 under none: hourly people without 112, per provider."""
    runs = sorted(result.runs.items())
    none_runs = [(key, fig) for key, fig in runs if key[2] == NONE]
    (scenario, seed, _), _ = max(none_runs, key=lambda r: (r[1].person_hours_without_112, r[0][0], -r[0][1]))
    series = [(variant, fig.hourly_people_without_112) for (s, k, variant), fig in runs
              if s == scenario and k == seed and "|" not in variant]
    return scenario, seed, series
