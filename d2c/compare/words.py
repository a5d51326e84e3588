"""The words every compare report shares: the one-paragraph answer, the assumptions, number formats.

``answer`` and ``assumptions`` read a ``CompareResult``; the result puts their text in its JSON
document, from which the Markdown, CSV and HTML reports are written.
"""

from __future__ import annotations

import math

from d2c.compare.spec import NONE
from d2c.report.text import percent
from d2c.space.provider import figure_text

__all__ = ["answer", "assumptions", "eur", "person_hours", "percent"]


def person_hours(value: float) -> str:
    """``1,234 ph`` (person-hours), rounded to what the model can claim.

    >>> person_hours(1234.56)
    '1,235'
    """
    return f"{value:,.0f}"


def eur(value: float | None) -> str:
    """Euros, compact: ``EUR 1.5 bn``, ``EUR 300 M``, ``EUR 12.3``; ``n/a`` when nothing is restored.

    >>> eur(1.5e9), eur(3e8), eur(12.34), eur(None)
    ('EUR 1.5 bn', 'EUR 300 M', 'EUR 12.3', 'n/a')
    """
    if value is None or not math.isfinite(value):
        return "n/a"
    if abs(value) >= 1e9:
        return f"EUR {value / 1e9:.3g} bn"
    if abs(value) >= 1e6:
        return f"EUR {value / 1e6:.3g} M"
    if abs(value) >= 1e4:
        return f"EUR {value / 1e3:.3g} k"
    return f"EUR {value:,.3g}" if abs(value) >= 1 else f"EUR {value:.3g}"


def answer(result) -> str:
    """One paragraph: who restores most, at what price per person-hour, and what could change that."""
    rows = [r for r in result.decision.rows if r.provider != NONE]
    scenarios = len(result.comparison.scenarios)
    if not rows:
        return "The comparison names no provider other than none: there is nothing to compare."
    best = rows[0]
    text = (f"For the {scenarios} incident(s) modelled, weighted by how often each happens, "
            f"{best.provider} restores the most 112 service: {person_hours(best.annual_restored)} person-hours a year "
            f"(p5-p95 {person_hours(best.annual_p5)}-{person_hours(best.annual_p95)}) at {eur(best.eur_per_person_hour)} "
            "each.")
    if len(rows) > 1:
        second = rows[1]
        text += (f" Next is {second.provider} with {person_hours(second.annual_restored)} person-hours a year "
                 f"at {eur(second.eur_per_person_hour)} each.")
        cheapest = min(rows, key=lambda r: (r.eur_per_person_hour, r.provider))
        if cheapest.provider != best.provider and math.isfinite(cheapest.eur_per_person_hour):
            text += f" The cheapest per person-hour is {cheapest.provider} at {eur(cheapest.eur_per_person_hour)}."
    flips = [bar for bar in result.bars if bar.flip]
    if flips:
        text += " The ranking holds unless " + "; or ".join(f"{bar.figure} moves within its assumed range "
                                                             f"({bar.flip})" for bar in flips[:3]) + "."
    else:
        text += " No assumed figure, swept over its range one at a time, changes the ranking."
    worst = [c for c in best.cases.values() if c.remains_share is not None]
    if worst:
        case = min(worst, key=lambda c: c.remains_share)
        text += (f" Under the harshest denial case ({case.describe}), {best.provider} keeps "
                 f"{percent(case.remains_share, 0)} of what it restores.")
    return text


def assumptions(result) -> list[str]:
    """What the figures rest on, as lines a reader can check."""
    c = result.comparison
    lines = [
        "Restored person-hours: person-hours without any 112 path (no terrestrial path and no D2C beam carrying 112) "
        "under 'none' minus those under the provider, on the same scenario and seed. A D2C path is voice or SMS: "
        "a messaging-only service counts as a path.",
        "Each provider is offered on the terms of each scenario's own d2c block (activation, phases, eligible "
        "operators, compatible handsets, core), with the scenario's population and evacuation, as d2c run would "
        "use them; only the provider is the comparison's.",
        "A year's expectation: the sum over scenarios of the annual rate times the mean over seeds. The p5-p95 "
        "band takes every scenario at the same percentile at once, so it is at least as wide as the true band.",
        f"Denial cases and the sensitivity run on the first {c.reduced_seeds} seed(s) of each scenario; a "
        "sensitivity's change is measured there and added to the full estimate.",
        "EUR per person-hour: the provider's cost a year times the share of it counted for D2C, over the "
        "person-hours it restores a year.",
    ]
    for p in c.providers:
        if p.provider is None:
            continue
        lines.append(f"{p.name}: cost {p.cost_eur_per_year.describe(' EUR/yr')}; D2C share "
                     f"{p.d2c_share_of_cost.describe()}")
        swept = {a.name for a in p.assumptions}
        unswept = sorted(k for k, v in p.provider.sources.items() if "assumed" in v.lower() and k not in swept)
        if swept:
            lines.append(f"{p.name}: assumed and swept: " + ", ".join(
                f"{a.name} [{figure_text(a.low)}, {figure_text(a.high)}]" for a in p.assumptions))
        if unswept:
            lines.append(f"{p.name}: marked assumed but given no range, so not swept: " + ", ".join(unswept))
    for s in c.scenarios:
        lines.append(f"{s.name} ({s.incident_class}): rate {s.rate_per_year.describe(' a year')}; "
                     f"{len(s.seeds)} seed(s)")
    return lines
