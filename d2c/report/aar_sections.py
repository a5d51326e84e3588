"""The after-action report's content: one builder per section, each reading a typed ``Result``.

Laid out the way exercise programmes such as HSEEP lay out an after-action
report: exercise overview, objectives, the timeline of the incident and of the
decisions, what failed and why, the measured effect of each decision, D2C's
contribution, strengths and areas for improvement, and the assumptions. Each
builder returns a ``Section`` of blocks (``d2c.report.blocks``), which render
themselves; nothing here knows an output format. A drill's own blocks are the
result's ``drill`` (``d2c.result_drill.DrillRecord``) and ``counterfactual``.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np

from d2c.network import CAUSES
from d2c.report import figures, headline, hseep
from d2c.report.blocks import Bullets, Chart, Figure, Grid, Para, Section
from d2c.report.chart import chart_lines, survival_series
from d2c.report.restoration import restoration_lines
from d2c.report.text import percent
from d2c.result import Result, Summary
from d2c.result_drill import DrillRecord, ObjectiveRecord
from d2c.timetext import offset_clock_text, offset_text

__all__ = ["CAUSE_WHY", "CHART_WIDTH", "assumptions", "d2c_contribution", "decision_timeline", "effects",
           "executive_summary", "failures", "headline_section", "improvement_plan", "improvements",
           "incident_timeline", "objectives", "overview", "restoration", "sections", "strengths", "survival"]

CHART_WIDTH = 72
CAUSE_WHY = {
    "damage": "broken by the incident itself (shaking, water, strikes)",
    "power": "grid lost, then battery and generator fuel ran out",
    "jamming": "radio jammed",
    "backhaul": "standing and powered, but no path to a core (a node, a fibre or an upstream site lost)",
    "core": "a path to a core, but no working voice core delivering to a working answering point",
}
MAP_CAPTION = ("Map: each place a dot sized by its population, coloured by its service at the worst instant; dashed "
               "outlines are the incidents' footprints, blue discs the D2C beams of that instant. Drawn from the "
               "topology's own places (GeoNames, CC BY 4.0); no base map.")


def sections(result: Result, chart_width: int = CHART_WIDTH, lang: str = "en") -> list[Section]:
    """The report's sections in order, their fixed text in ``lang``; the survival chart ``chart_width`` wide."""
    built = [executive_summary(result), headline_section(result), overview(result), objectives(result),
             incident_timeline(result), decision_timeline(result), failures(result), effects(result),
             restoration(result), d2c_contribution(result), survival(result, chart_width), strengths(result),
             improvements(result), improvement_plan(result), assumptions(result)]
    return built if lang == "en" else [section.translated(lang) for section in built]


NO_DRILL = DrillRecord()  # a run's: no field of a drill


def _drill(result: Result) -> DrillRecord:
    return result.drill or NO_DRILL


def _counterfactual(result: Result) -> Summary | None:
    """The summary of the same drill without the players' decisions (a drill's result only)."""
    return None if result.counterfactual is None else result.counterfactual.summary


def _pp(x: float) -> str:
    return f"{100 * x:+.2f} pp"


def _clock(result: Result, t_s: float) -> str:
    return offset_clock_text(result.scenario.start_utc, t_s)


def _dur(seconds: float) -> str:
    m = int(round(seconds / 60.0))
    return f"{m // 60} h {m % 60:02d} min" if m >= 60 else f"{m} min"


def _fmt(measure: str, value) -> str:
    if value is None:
        return "n/a"
    if measure == "cost_eur":
        return f"{value:,.0f} EUR"
    if measure.endswith("person_hours"):
        return f"{value:,.0f} person-hours"
    if measure.endswith("_hours"):
        return f"{value:,.1f} h"
    return percent(value)


# ---------------------------------------------------------------- the sections


def executive_summary(result: Result) -> Section:
    return Section("Executive summary", [Bullets(hseep.executive_summary_items(result))])


def headline_section(result: Result) -> Section:
    """Who had no 112 path, for how long, at worst, and how fast it came back: with and without D2C."""
    sm = result.summary
    blocks: list = [Grid(list(headline.COLUMNS), headline.rows(sm, result.scenario), right=(1, 2)),
                    Para(headline.note(sm), "dim")]
    cf = _counterfactual(result)
    if cf is not None:
        blocks.append(Para(
            f"Without the players' decisions: {cf.with_d2c.no_112_person_hours:,.0f} person-hours with no 112 path "
            f"(with D2C), {cf.without_d2c.no_112_person_hours:,.0f} without D2C; worst instant "
            f"{percent(cf.with_d2c.worst_no_112_share)} with D2C, {percent(cf.without_d2c.worst_no_112_share)} "
            "without."))
    return Section("Headline: who had no 112 path", blocks)


def overview(result: Result) -> Section:
    sc, dr = result.scenario, result.drill
    start = sc.start_utc
    end = start + timedelta(seconds=sc.duration_s)
    d2c_line = next((a[len("D2C: "):] for a in result.assumptions if a.startswith("D2C: ")), "not stated")
    rows = [
        ["Exercise", (dr and dr.name) or f"{sc.name} (a run, not a drill)"],
        ["Exercise dates", f"{start:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M} UTC (scenario time)"],
        ["Scope", "tabletop exercise on the d2c emulator; play limited to the decisions in the catalogue"
         if dr else "a scenario run without players"],
        ["Scenario", f"{sc.name}: {sc.description or (dr and dr.description) or ''}".rstrip(": ")],
        ["Territory", f"{sc.topology}: {result.summary.population_total:,} people, "
                      f"{result.summary.sites_total:,} cell sites"],
        ["Threat or hazard", "; ".join((dr and dr.hazards) or []) or sc.description],
        ["Satellite fallback", d2c_line],
        ["Clock", f"{sc.duration_s / 3600:g} h in steps of {sc.step_s:g} s, seed {sc.seed}"],
    ]
    blocks: list = [Grid(["", ""], rows)]
    catalogue = (dr and dr.catalogue) or []
    if catalogue:
        blocks.append(Grid(["decision", "does", "delay", "cost EUR", "available"],
                           [[c.name, c.description, _dur(c.delay_s), f"{c.cost_eur:,.0f}",
                             "" if c.available is None else str(c.available)] for c in catalogue],
                           right=(2, 3, 4), title="Decision catalogue"))
    return Section("Exercise overview", blocks)


def objectives(result: Result) -> Section:
    objectives = _drill(result).objectives or []
    if not objectives:
        return Section("Objectives and capability ratings", [Para("No objectives were set in the drill file.", "dim")])
    rows = []
    for o in objectives:
        if o.measure is None:
            rows.append([o.text, "assessed by the players", "", "", "see hot wash", ""])
            continue
        target = f">= {_fmt(o.measure, o.at_least)}" if o.at_least is not None else f"<= {_fmt(o.measure, o.at_most)}"
        met = "n/a" if o.met is None else ("MET" if o.met else "NOT MET")
        code = hseep.rating(o)
        rows.append([o.text, o.measure, target, _fmt(o.measure, o.value), met,
                     f"{code}: {hseep.RATINGS[code]}" if code else ""])
    return Section("Objectives and capability ratings", [
        Grid(["objective", "measure", "target", "measured", "result", "rating (HSEEP)"], rows, right=(2, 3)),
        *_by_role(objectives),
        Para(f"Ratings: met by at least {hseep.RATING_MARGIN:.0%} of the target P, met S, missed by at most "
             f"{hseep.RATING_MARGIN:.0%} M, missed by more U (an assumed rule; HSEEP leaves it to evaluators).", "dim")])


def _by_role(objectives: list[ObjectiveRecord]) -> list:
    """Each role's objectives rated together: how many met, missed, left to the players, and the ratings."""
    roles = list(dict.fromkeys(o.role for o in objectives if o.role))
    if not roles:
        return []
    rows = []
    for role in roles + ([None] if any(not o.role for o in objectives) else []):
        mine = [o for o in objectives if (o.role or None) == role]
        codes = [hseep.rating(o) for o in mine]
        rows.append([role or "(no role)", str(len(mine)), str(sum(o.met is True for o in mine)),
                     str(sum(o.met is False for o in mine)), str(sum(o.measure is None for o in mine)),
                     " ".join(code for code in codes if code) or "n/a"])
    return [Grid(["role", "objectives", "met", "not met", "assessed by the players", "ratings"], rows,
                 right=(1, 2, 3, 4), title="Objectives by role")]


def incident_timeline(result: Result) -> Section:
    tl, sm = result.timeline, result.summary
    t = np.asarray(tl.t_s, dtype=float)
    events: list[tuple[float, int, str]] = []
    for inject in _drill(result).injects or []:
        line = (f"INJECT{' (ad hoc, by the facilitator)' if inject.ad_hoc else ''}: {inject.text}"
                + (f" — model: {inject.effect}" if inject.effect else ""))
        events.append((inject.t_s, 0, line))
    for cause in CAUSES:
        series = np.asarray(tl.sites_down_by_cause[cause])
        if not series.size or series.max() == 0:
            continue
        first = int(np.argmax(series > 0))
        peak = int(np.argmax(series))
        events.append((t[first], 1, f"first site down by {cause}: {int(series[first])}"))
        if peak != first:
            events.append((t[peak], 1, f"most sites down by {cause}: {int(series[peak])}"))
        after = np.nonzero(series[peak:] == 0)[0]
        if after.size:
            events.append((t[peak + after[0]], 1, f"no site down by {cause} any more"))
    if sm.peak_sites_down_fraction > 0:
        events.append((sm.peak_sites_down_at_s, 2,
                       f"peak outage: {percent(sm.peak_sites_down_fraction)} of {sm.sites_total} sites down"))
    if t.size:
        pop = np.asarray(tl.population_terrestrial, dtype=float)
        low = int(np.argmin(pop))
        if pop[low] < sm.population_total:
            events.append((t[low], 2, f"fewest people with terrestrial service: {pop[low]:,.0f} "
                                      f"({percent(sm.min_population_terrestrial_fraction)})"))
    events.sort(key=lambda e: (e[0], e[1]))
    rows = [[_clock(result, when), text] for when, _, text in events]
    if not rows:
        return Section("Incident timeline", [Para("Nothing failed in this run.")])
    return Section("Incident timeline", [Grid(["time", "event"], rows)])


def decision_timeline(result: Result) -> Section:
    decisions = _drill(result).decisions
    if decisions is None:
        if not result.decisions:
            return Section("Decision timeline", [Para("No decisions: this result is not from a drill.", "dim")])
        return Section("Decision timeline", [Grid(["applied", "action"], [[_clock(result, d.t_s), d.action]
                                                                           for d in result.decisions])])
    if not decisions:
        return Section("Decision timeline", [Para("The players took no decisions.")])
    rows = [[offset_text(d.taken_s), d.decision, d.target or "everywhere", _args(d.args),
             offset_text(d.effective_s), f"{d.cost_eur:,.0f}", "modelled" if d.modelled else "recorded only"]
            for d in decisions]
    totals = _drill(result).totals
    total = totals.cost_eur if totals is not None else 0.0
    return Section("Decision timeline", [
        Grid(["taken", "decision", "target", "arguments", "acts", "cost EUR", "in the model"], rows, right=(5,)),
        Para(f"{len(decisions)} decision(s), {total:,.0f} EUR in total. Recorded-only decisions are kept in the log "
             "and this report but have no modelled effect yet."),
    ])


def _args(args: dict) -> str:
    parts = []
    for k, v in args.items():
        if k == "text":
            v = v if len(v) <= 40 else v[:37] + "..."
            parts.append(f'"{v}"')
        else:
            parts.append(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}")
    return " ".join(parts)


def failures(result: Result) -> Section:
    """What failed and why; in HTML, with the map at the worst instant and the sites-down chart."""
    drawn = [Figure(lambda: figures.map_svg(result), MAP_CAPTION, "map"),
             Figure(lambda: figures.sites_svg(result), "Sites down by cause over time.", "chart")]
    tl = result.timeline
    t = np.asarray(tl.t_s, dtype=float)
    step_h = result.scenario.step_s / 3600.0
    rows, bullets = [], []
    for cause in CAUSES:
        series = np.asarray(tl.sites_down_by_cause[cause], dtype=float)
        if series.size and series.max() > 0:
            peak = int(series.argmax())
            rows.append([cause, CAUSE_WHY[cause], f"{int(series.max()):,}", offset_text(t[peak]),
                         f"{series.sum() * step_h:,.0f}"])
    if not rows:
        return Section("What failed and why", [Para("No site went down."), *drawn])
    blocks: list = [Grid(["cause", "why", "peak sites", "at", "site-hours"], rows, right=(2, 3, 4))]
    sites_total = int(result.summary.sites_total)
    causes_table = [[offset_text(t[i]), *[f"{tl.sites_down_by_cause[c][i]:,}" for c in CAUSES],
                     f"{sites_total - tl.sites_in_service[i]:,}"] for i in _hour_rows(t, 12)]
    blocks.append(Grid(["time", *CAUSES, "all down"], causes_table, right=tuple(range(1, len(CAUSES) + 2)),
                       title="Sites down by cause over time"))
    for area in result.worst_areas[:5]:
        bullets.append(f"{area.name} ({area.population:,} people): {area.hours_without_terrestrial:.1f} h "
                       f"without terrestrial service, {area.hours_unserved:.1f} h with no service at all")
    if bullets:
        blocks += [Para("Areas with the most person-hours without terrestrial service:"), Bullets(bullets)]
    return Section("What failed and why", blocks + drawn)


def _hour_rows(t: np.ndarray, rows: int) -> np.ndarray:
    if not t.size:
        return np.zeros(0, dtype=int)
    span_h = (t[-1] - t[0]) / 3600.0
    every_h = next((h for h in (1, 2, 3, 6, 12, 24) if span_h / h <= rows), 48)
    picks = np.nonzero(np.isclose(np.mod(t - t[0], every_h * 3600.0), 0.0))[0]
    return np.unique(np.append(picks, t.size - 1))


def effects(result: Result) -> Section:
    dr = result.drill
    if result.counterfactual is None or dr is None or dr.decisions is None:
        return Section("Effect of the decisions", [Para("No counterfactual in this result: the effect of decisions "
                                                         "is measured only by d2c drill.", "dim")])
    rows = []
    for d in dr.decisions:
        e, where = d.effect, d.target or "everywhere"
        if d.action == "warning":
            rows.append([d.decision, where, offset_text(d.effective_s), "", "", "",
                         f"reached {e.reach.people_reached:,} of {e.reach.people_targeted:,} people"])
            continue
        if not e.measured:
            rows.append([d.decision, where, offset_text(d.effective_s), "", "", "",
                         "recorded only, no modelled effect" if not d.modelled else e.method.replace("none: ", "")])
            continue
        target, delta = e.target_hours_in_service, e.deltas
        detail = f"target up {target.with_:.1f} h (without: {target.without:.1f} h)" if target else ""
        if e.target_hours_down_by_cause:
            detail += "; still down " + ", ".join(f"{h:.1f} h by {c}" for c, h in e.target_hours_down_by_cause.items())
        changed = (delta.emergency_service_survival_delta != 0 or round(delta.person_hours_terrestrial_delta) != 0
                   or round(delta.no_112_person_hours_delta) != 0)
        rows.append([d.decision, where, offset_text(d.effective_s),
                     f"{delta.no_112_person_hours_delta:+,.0f}", _pp(delta.emergency_service_survival_delta),
                     f"{delta.person_hours_terrestrial_delta:+,.0f}", detail or ("" if changed else "no change")])
    blocks: list = [Para("Each decision against the same drill without that decision alone (all others kept).")]
    if rows:
        blocks.append(Grid(["decision", "target", "acts", "person-h no 112", "112 served", "person-h on cells",
                            "detail"], rows, right=(3, 4, 5)))
    else:
        blocks.append(Para("The players took no decisions."))
    all_ = dr.effect_of_all_decisions
    cf, sm = _counterfactual(result), result.summary
    blocks.append(Bullets([
        f"All decisions together: {all_.no_112_person_hours_delta:+,.0f} person-hours with no 112 path "
        f"({all_.no_112_person_hours_without_d2c_delta:+,.0f} without D2C)",
        f"112 demand served {percent(sm.emergency_service_survival, 2)} against "
        f"{percent(cf.emergency_service_survival, 2)} without them ({_pp(all_.emergency_service_survival_delta)}); "
        f"without D2C {percent(sm.emergency_service_survival_without_d2c, 2)} against "
        f"{percent(cf.emergency_service_survival_without_d2c, 2)}",
        f"{all_.person_hours_terrestrial_delta:+,.0f} person-hours of terrestrial service, "
        f"{all_.person_hours_unserved_delta:+,.0f} person-hours with no service at all",
    ]))
    return Section("Effect of the decisions", blocks)


def restoration(result: Result) -> Section:
    lines = restoration_lines(result.restoration)
    if not lines:
        return Section("Restoration", [Para("Restoration was off: nothing was repaired unless a decision did it.",
                                            "dim")])
    return Section("Restoration", [Bullets(lines)])


def d2c_contribution(result: Result) -> Section:
    sm = result.summary
    with_, without = sm.emergency_service_survival, sm.emergency_service_survival_without_d2c
    items = [f"112 demand served with D2C {percent(with_, 2)}, without {percent(without, 2)}: D2C added {_pp(with_ - without)}"]
    if sm.d2c_population_peak:
        blocked = sm.d2c_blocked
        items.append(f"at its peak, {sm.d2c_population_peak:,} people were under D2C beams; "
                     + (f"{blocked:,.1f} 112 attempts on D2C did not fit the beams" if round(blocked, 1) > 0
                        else "every 112 attempt on D2C fitted the beams"))
    if sm.d2c_population_not_eligible_peak:
        items.append(f"{sm.d2c_population_not_eligible_peak:,} people on D2C's footprint at its peak were outside "
                     "the provider's offer (other operators' subscribers, incompatible phones) and had no D2C path")
    if sm.d2c_blocked_non_emergency > 0:
        items.append(f"{sm.d2c_blocked_non_emergency:,.0f} calls to family and SMS on D2C did not fit the beams")
    cf = _counterfactual(result)
    if cf is not None:
        items.append(f"without the players' decisions: {percent(cf.emergency_service_survival, 2)} with D2C, "
                     f"{percent(cf.emergency_service_survival_without_d2c, 2)} without")
    if with_ == without and not sm.d2c_population_peak:
        items.append("D2C served no one in this run (off, on standby, or no area lost its cells while a beam was up)")
    return Section("D2C's contribution", [Bullets(items)])


def survival(result: Result, width: int = CHART_WIDTH) -> Section:
    lines = chart_lines(survival_series(result), result.timeline.t_s, width=width, height=3)
    return Section("Survival over time", [
        Para("Share of 112 demand (calls and SMS) served at each step; every band on the same scale."),
        Chart(lines, lambda: figures.survival_svg(result), "Share of 112 demand served at each step.")])


def strengths(result: Result) -> Section:
    dr, sm = _drill(result), result.summary
    items = []
    for o in dr.objectives or []:
        if o.met:
            items.append(f"Objective met: {o.text} ({_fmt(o.measure, o.value)})")
    for d in dr.decisions or []:
        e = d.effect
        if d.action == "warning":
            reach = e.reach
            if reach.people_targeted and reach.people_reached >= 0.9 * reach.people_targeted:
                items.append(f"Warning to {d.target} reached {reach.people_reached:,} of {reach.people_targeted:,} "
                             f"people, first at {offset_text(reach.first_reached_s)}")
            continue
        if not e.measured:
            continue
        gains, delta = [], e.deltas
        if delta.no_112_person_hours_delta < 0:
            gains.append(f"{-delta.no_112_person_hours_delta:,.0f} fewer person-hours with no 112 path")
        if delta.emergency_service_survival_delta > 0:
            gains.append(f"{_pp(delta.emergency_service_survival_delta)} of 112 demand served")
        if delta.person_hours_terrestrial_delta > 0:
            gains.append(f"{delta.person_hours_terrestrial_delta:,.0f} more person-hours of terrestrial service")
        target = e.target_hours_in_service
        if target and target.with_ > (target.without or 0):
            gains.append(f"{d.target} in service {target.with_ - (target.without or 0):.1f} h longer")
        if gains:
            items.append(f"{d.decision} ({d.target or 'everywhere'}, acting {offset_text(d.effective_s)}): "
                         + "; ".join(gains))
    if sm.emergency_service_survival > sm.emergency_service_survival_without_d2c:
        items.append(f"D2C carried {_pp(sm.emergency_service_survival - sm.emergency_service_survival_without_d2c)}"
                     " of 112 demand that the cells could not")
    if sm.emergency_service_survival >= 0.95:
        items.append(f"112 service held: {percent(sm.emergency_service_survival)} of demand served over the exercise")
    return Section("Strengths", [Bullets(items or ["None identified by the model; see the hot wash."])])


def improvements(result: Result) -> Section:
    dr, sm, tl = _drill(result), result.summary, result.timeline
    items = []
    for o in dr.objectives or []:
        if o.met is False:
            items.append(f"Objective not met: {o.text} (measured {_fmt(o.measure, o.value)})")
    for d in dr.decisions or []:
        e = d.effect
        where = d.target or "everywhere"
        if d.action == "warning":
            if e.reach.people_reached < e.reach.people_targeted:
                items.append(f"Warning to {where} reached only {e.reach.people_reached:,} of "
                             f"{e.reach.people_targeted:,} people: no cell-broadcast path (no site in service with a "
                             "CBC, no D2C beam) in the rest")
            continue
        if not d.modelled:
            items.append(f"{d.decision} ({where}): {d.note}; assess it in the hot wash")
            continue
        if not e.measured:
            items.append(f"{d.decision} ({where}): {e.method.replace('none: ', 'no effect: ')}")
            continue
        target = e.target_hours_in_service
        no_gain = (e.deltas.emergency_served_delta == 0 and e.deltas.person_hours_terrestrial_delta == 0
                   and (not target or target.with_ == target.without))
        if no_gain:
            down = e.target_hours_down_by_cause or {}
            why = (" — the target stayed down by " + ", ".join(down)) if down else ""
            items.append(f"{d.decision} ({where}, acting {offset_text(d.effective_s)}) changed nothing "
                         f"measurable{why or ' (a redundant path, a target already working, or too late)'}")
    step_h = result.scenario.step_s / 3600.0
    site_hours = {c: float(np.sum(tl.sites_down_by_cause[c])) * step_h for c in CAUSES}
    top = max(site_hours, key=site_hours.get)
    if site_hours[top] > 0:
        items.append(f"Most site-hours were lost to {top} ({site_hours[top]:,.0f} site-hours): consider "
                     f"{hseep.CAUSE_ADVICE[top]}")
    if result.worst_areas:
        names = ", ".join(f"{a.name} {a.hours_without_terrestrial:.0f} h" for a in result.worst_areas[:3])
        items.append(f"Most person-hours without terrestrial service: {names}")
    if sm.emergency_service_survival < 0.95:
        items.append(f"Only {percent(sm.emergency_service_survival)} of 112 demand was served")
    if sm.emergency_service_survival == sm.emergency_service_survival_without_d2c < 1.0:
        items.append("D2C added nothing in this run: check whether a satellite service was available and switched on")
    return Section("Areas for improvement", [Bullets(items or ["None identified by the model; see the hot wash."])])


def improvement_plan(result: Result) -> Section:
    rows = hseep.improvement_rows(result)
    if not rows:
        return Section("Improvement plan", [Para("No issue to plan for; see the hot wash.", "dim")])
    return Section("Improvement plan", [
        Grid(["issue", "corrective action", "capability", "owner", "due"], rows),
        Para(f"Owners and due dates are proposals ({hseep.DUE_DAYS} days after the exercise, assumed) for the "
             "hot wash to confirm.", "dim")])


def assumptions(result: Result) -> Section:
    return Section("Assumptions", [Bullets(list(result.assumptions))])

