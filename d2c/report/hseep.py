"""The parts of the after-action report that give it HSEEP's form.

The U.S. Homeland Security Exercise and Evaluation Program (HSEEP, FEMA,
2020 revision) lays out an after-action report / improvement plan (AAR/IP)
as: an executive summary; objectives with a capability rating each; strengths
and areas for improvement; and an improvement plan table with, for each
issue, a corrective action, the capability, an owner and a due date. The
ratings are HSEEP's four:

- P: performed without challenges;
- S: performed with some challenges;
- M: performed with major challenges;
- U: unable to be performed.

How a measured objective maps to a rating is this module's rule, assumed
(HSEEP leaves it to evaluators): met by at least ``RATING_MARGIN`` of the
target: P; met: S; missed by at most ``RATING_MARGIN``: M; missed by more: U.
"""

from __future__ import annotations

from datetime import timedelta

from d2c.report.text import as_shown, percent
from d2c.result import Result, Timeline, as_result
from d2c.result_drill import ObjectiveRecord

__all__ = ["CAUSE_ADVICE", "DUE_DAYS", "RATINGS", "RATING_MARGIN", "executive_summary_items", "improvement_rows",
           "rating"]

RATINGS = {
    "P": "performed without challenges",
    "S": "performed with some challenges",
    "M": "performed with major challenges",
    "U": "unable to be performed",
}
RATING_MARGIN = 0.05  # assumed: 5% of the target separates P from S and M from U (plausible 2-10%)
DUE_DAYS = 90  # assumed: corrective actions proposed due 90 days after the exercise (plausible 30-180)
CAUSE_ADVICE = {
    "damage": "pre-position cells on wheels and repair crews for the worst-hit valleys",
    "power": "longer battery autonomy or generators at the sites that went dark, fuel logistics from the first hours",
    "jamming": "direction finding and D2C as a jamming-resistant fallback",
    "backhaul": "a second backhaul route (fibre ring, microwave or satellite) for the nodes whose loss cut sites off",
    "core": "geo-redundant cores and answering points with independent power",
}
CAUSE_CAPABILITY = {  # HSEEP core capability each cause bears on (National Preparedness Goal, 2nd ed.)
    "damage": "Infrastructure Systems",
    "power": "Infrastructure Systems",
    "jamming": "Operational Communications",
    "backhaul": "Operational Communications",
    "core": "Operational Communications",
}
CAUSE_OWNER = {
    "damage": "mobile operators (field operations)",
    "power": "mobile operators with the grid operator",
    "jamming": "spectrum regulator with the operators",
    "backhaul": "mobile operators (transport planning)",
    "core": "mobile operators (core network)",
}


def rating(objective: ObjectiveRecord) -> str | None:
    """HSEEP rating of a measured objective (None when the players assess it).

    >>> [rating(ObjectiveRecord("x", "x", 0.9, None, value, value >= 0.9)) for value in (0.99, 0.92, 0.88, 0.5)]
    ['P', 'S', 'M', 'U']
    """
    o = objective
    if o.measure is None or o.value is None or o.met is None:
        return None
    value = o.value if o.measure == "cost_eur" else as_shown(o.value)
    if o.at_least is not None:
        target, margin = o.at_least, value - o.at_least
    else:
        target, margin = o.at_most, o.at_most - value
    band = RATING_MARGIN * abs(target) if target else RATING_MARGIN
    if o.met:
        return "P" if margin >= band else "S"
    return "M" if -margin <= band else "U"


def executive_summary_items(result: Result | dict) -> list[str]:
    """A few lines for people who read nothing else."""
    result = as_result(result)
    sc, sm = result.scenario, result.summary
    drill = result.drill
    items = [f"{(drill and drill.name) or sc.name}: {sc.description or 'scenario run'}".rstrip(": ")]
    items.append(f"at the worst instant {percent(sm.with_d2c.worst_no_112_share)} of people had no 112 path "
                 f"({percent(sm.without_d2c.worst_no_112_share)} without D2C); "
                 f"{sm.with_d2c.no_112_person_hours:,.0f} person-hours without one "
                 f"({sm.without_d2c.no_112_person_hours:,.0f} without D2C)")
    items.append(f"112 demand served over the run: {percent(sm.emergency_service_survival)} with D2C, "
                 f"{percent(sm.emergency_service_survival_without_d2c)} without; peak sites down "
                 f"{percent(sm.peak_sites_down_fraction)} of {sm.sites_total:,}")
    objectives = [o for o in _objectives(result) if rating(o) is not None]
    if objectives:
        counts = {code: sum(1 for o in objectives if rating(o) == code) for code in RATINGS}
        items.append("objectives rated: " + ", ".join(f"{n} {code} ({RATINGS[code]})" for code, n in counts.items()
                                                      if n))
    top = _top_cause(result.timeline)
    if top:
        items.append(f"most site-hours were lost to {top}: {CAUSE_ADVICE[top]}")
    return items


def _objectives(result: Result) -> list[ObjectiveRecord]:
    """A drill's objectives (none for a run)."""
    return (result.drill.objectives if result.drill else None) or []


def _top_cause(timeline: Timeline) -> str | None:
    totals = {c: float(sum(series)) for c, series in timeline.sites_down_by_cause.items()}
    top = max(totals, key=totals.get)
    return top if totals[top] > 0 else None


def improvement_rows(result: Result | dict) -> list[list[str]]:
    """Improvement plan rows: issue, corrective action, capability, owner, due (proposed)."""
    result = as_result(result)
    sc = result.scenario
    due = f"{(sc.start_utc + timedelta(seconds=sc.duration_s, days=DUE_DAYS)):%Y-%m-%d} (proposed)"
    rows = []
    step_h = sc.step_s / 3600.0
    for cause, series in result.timeline.sites_down_by_cause.items():
        site_hours = float(sum(series)) * step_h
        if site_hours > 0:
            rows.append([f"{site_hours:,.0f} site-hours lost to {cause}", CAUSE_ADVICE[cause],
                         CAUSE_CAPABILITY[cause], CAUSE_OWNER[cause], due])
    for o in _objectives(result):
        code = rating(o)
        if code in ("M", "U"):
            rows.append([f"objective rated {code}: {o.text}", "review the plan for this objective at the hot wash",
                         "Operational Communications", "exercise planning team", due])
    sm = result.summary
    if sm.emergency_service_survival == sm.emergency_service_survival_without_d2c < 1.0:
        rows.append(["D2C added nothing in this run", "check the satellite service contract and its activation",
                     "Operational Communications", "civil protection (procurement)", due])
    return rows
