"""The headline rows every report shows first: no 112 path, with and without D2C.

One table, built once from a result's summary (the figures as d2c/headline.py
rounded them) and rendered by the terminal report and the after-action report.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from d2c.timetext import offset_clock_text, offset_text
from d2c.headline import RESTORE_FRACTIONS
from d2c.report.text import percent
from d2c.result import Headline, ScenarioInfo, Summary

__all__ = ["COLUMNS", "hours_text", "note", "rows"]

COLUMNS = ("headline", "with D2C", "without D2C")


def hours_text(hours: float | None, bound_h: float) -> str:
    """A duration: minutes under an hour, else hours with one decimal; ``None`` (not reached) as ``>bound_h``.

    >>> hours_text(12.34, 24.0), hours_text(0.033, 24.0), hours_text(None, 23.83)
    ('12.3 h', '2 min', '>23.8 h')
    """
    if hours is None:
        return f">{bound_h:.1f} h"
    return f"{hours * 60:.0f} min" if hours < 1 else f"{hours:.1f} h"


def _worst(h: Headline, start: datetime) -> tuple[str, str]:
    if not h.worst_no_112_people:
        return "0", ""
    return f"{h.worst_no_112_people:,} ({percent(h.worst_no_112_share)})", \
        offset_clock_text(start, h.worst_no_112_at_s)


def _longest(h: Headline, bound_h: float) -> tuple[str, str]:
    if not h.longest_area_outage_name:
        return "none", "no area half cut off"
    text = hours_text(h.longest_area_outage_hours, bound_h)
    more = h.longest_area_outage_areas - 1
    return (">=" if h.longest_area_outage_ongoing else "") + text, \
        h.longest_area_outage_name + (f" +{more:,}" if more > 0 else "")


def _restore(values: tuple[float | None, ...], bound_h: float) -> str:
    if all(v is None for v in values):
        return hours_text(None, bound_h)
    return "/".join(f">{bound_h:.1f}" if v is None else f"{v:.1f}" for v in values) + " h"


def rows(summary: Summary, scenario: ScenarioInfo | Mapping) -> list[list[str]]:
    """The headline as rows of ``COLUMNS``: label, with D2C, without D2C.

    ``scenario``: the result's (or, from a document, its ``start`` and ``duration_s``).
    """
    sm = summary
    if isinstance(scenario, ScenarioInfo):
        start_text, duration_s = scenario.start, scenario.duration_s
    else:
        start_text, duration_s = scenario["start"], scenario["duration_s"]
    start = datetime.fromisoformat(start_text.replace("Z", "+00:00"))
    bound_h = max(duration_s - sm.incident_start_s, 0.0) / 3600.0
    both = sm.headlines()
    worst = [_worst(h, start) for h in both]
    longest = [_longest(h, bound_h) for h in both]
    fractions = "/".join(str(x) for x in RESTORE_FRACTIONS)
    return [
        ["No 112 path, worst instant", *[w[0] for w in worst]],
        ["  when", *[w[1] for w in worst]],
        ["Person-hours, no 112 path", *[f"{h.no_112_person_hours:,.0f}" for h in both]],
        ["Longest outage, one area", *[x[0] for x in longest]],
        ["  where (+ areas as long)", *[x[1] for x in longest]],
        [f"Restore {fractions}% of people", *[_restore(h.restore_people_hours(), bound_h) for h in both]],
        [f"Restore {fractions}% of sites", _restore(sm.restore_sites_hours(), bound_h), "the same"],
        ["112 demand served, whole run", percent(sm.emergency_service_survival),
         percent(sm.emergency_service_survival_without_d2c)],
    ]


def note(summary: Summary) -> str:
    """What the figures mean, in one paragraph under the table."""
    return (f"No 112 path: neither a terrestrial one nor a D2C one. Restore times count from the incident start "
            f"({offset_text(summary.incident_start_s)}) until that share of what was lost at the worst "
            "instant is back. An area is out while at least half of its people have no 112 path. "
            "Without D2C: the same run, cells only.")
