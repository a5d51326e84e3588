"""The result JSON of a finished drill, with the measured effect of the players' decisions.

The run itself is the engine's ``Result``; on top of it come the drill (its
objectives, injects, catalogue and every decision with its measured effect)
and a counterfactual: the same drill, injects included, without any of the
players' decisions. The effect of one decision is measured against the same
drill without that decision alone (all the others kept), so decisions that
depend on each other are each credited with what they add. Decisions that do
not change the network (warnings, record-only ones) need no extra run.
Everything here is deterministic: replaying the log gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from d2c.report.text import as_shown
from d2c.result import COUNTERFACTUAL_SERIES, Counterfactual, CounterfactualSeries, Result
from d2c.result_drill import (CatalogueEntry, DecisionRecord, Deltas, DrillRecord, Effect, InjectRecord,
                              ObjectiveRecord, TargetHours, Totals, WarningRecord)
from d2c.drill.runner import Drill
from d2c.drill.spec import MEASURES
from d2c.drill.watch import TargetWatch, people_hours

def document(drill: Drill) -> dict:
    """The result of a drill run to its end, as the JSON document ``d2c report`` reads."""
    return drill_result(drill).to_dict()


def drill_result(drill: Drill) -> Result:
    """The result of a drill run to its end, typed: the run with its ``drill`` block and ``counterfactual``."""
    if not drill.done:
        drill.run_to_end()
    spec = drill.spec
    run = drill.sim.result()
    run.assumptions += _assumptions(drill)

    watch_all = [(t.index, t.dtype.kind.target, t.decision.target, t.effective_s) for t in drill.taken]
    baseline = _replay(drill, [], watch_all)
    decisions = [DecisionRecord(
        taken_s=taken.decision.at_s,
        effective_s=taken.effective_s,
        decision=taken.decision.name,
        action=taken.dtype.kind.name,
        target=taken.decision.target,
        args=taken.decision.args,
        delay_s=taken.dtype.delay_s,
        cost_eur=taken.dtype.cost_eur,
        modelled=taken.modelled,
        note=taken.note,
        description=taken.action.describe(),
        effect=_effect(drill, taken, run, baseline, len(drill.taken)),
    ) for taken in drill.taken]

    warnings = [WarningRecord(b.key, b.target, b.text, b.from_s, drill.warnings.report(b.key))
                for b in drill.warnings.broadcasts]
    targeted = drill.warnings.targeted_people()
    totals = Totals(
        decisions=len(decisions),
        cost_eur=round(sum(t.dtype.cost_eur for t in drill.taken), 2),
        people_warned=drill.warnings.reached_people(),
        people_in_warned_areas=targeted,
        warning_reach_fraction=round(drill.warnings.reached_people() / targeted, 6) if targeted else None,
    )
    run.drill = DrillRecord(
        name=spec.name,
        description=spec.description,
        d2c_standby=spec.d2c_standby,
        hazards=[incident.describe() for incident in spec.scenario.incidents],
        objectives=[_objective(o, run.summary, totals) for o in spec.objectives],
        injects=[InjectRecord(i.at_s, i.text, i.effect, list(i.destroy), list(i.cut), True if i.ad_hoc else None)
                 for i in sorted((*spec.injects, *drill.adhoc), key=lambda i: i.at_s)],
        catalogue=[CatalogueEntry(d.name, d.kind.name, d.delay_s, d.cost_eur, d.available, d.description, d.defaults,
                                  d.role or None)
                   for d in spec.catalogue.values()],
        decisions=decisions,
        warnings=warnings,
        totals=totals,
        effect_of_all_decisions=_deltas(run, baseline.run, drill.step_s),
    )
    cf = baseline.run
    run.counterfactual = Counterfactual(
        description="the same drill, injects included, without the players' decisions",
        summary=cf.summary,
        timeline=CounterfactualSeries(**{name: getattr(cf.timeline, name) for name in COUNTERFACTUAL_SERIES}),
        sites_down_by_cause=cf.timeline.sites_down_by_cause,
    )
    return run


@dataclass(frozen=True)
class _Replay:
    run: Result  # the same drill with other decisions
    watch: TargetWatch  # its hours in service of the watched targets


def _replay(drill: Drill, decisions, watch) -> _Replay:
    """The same drill with ``decisions`` only, watching the given targets; its result and target hours."""
    other = Drill.play(drill.spec, decisions, world=drill.world, to_end=False)
    for key, target_kind, target, from_s in watch:  # keys of their own, apart from the replay's decisions
        other.watch.add(("main", key), target_kind, target, from_s)
    other.run_to_end()
    return _Replay(other.sim.result(), other.watch)


def _effect(drill: Drill, taken, run: Result, baseline: _Replay, n_taken: int) -> Effect:
    kind = taken.dtype.kind.name
    if kind == "warning":
        return Effect(True, "people the broadcast reached (none without it)", reach=drill.warnings.report(taken.index))
    if not taken.modelled:
        return Effect(False, "none: " + taken.note)
    if taken.effective_s >= drill.spec.scenario.duration_s:
        return Effect(False, "none: it acts after the end of the scenario")
    if n_taken == 1:
        without = baseline
    else:
        others = [t.decision for t in drill.taken if t.index != taken.index]
        without = _replay(drill, others, [(taken.index, taken.dtype.kind.target, taken.decision.target,
                                           taken.effective_s)])
    hours_with = drill.watch.hours(taken.index)
    target = down = None
    if hours_with is not None:
        target = TargetHours(hours_with, without.watch.hours(("main", taken.index)), taken.effective_s)
        down = drill.watch.down_hours(taken.index) or None
    return Effect(True, "the same drill without this decision", deltas=_deltas(run, without.run, drill.step_s),
                  target_hours_in_service=target, target_hours_down_by_cause=down)


def _deltas(run: Result, other: Result, step_s: float) -> Deltas:
    """What ``run`` has over ``other``: person-hours with no 112 path, 112 survival, demand served, service."""
    a, b = run.summary, other.summary
    ta, tb = run.timeline, other.timeline
    return Deltas(
        no_112_person_hours_delta=round(a.with_d2c.no_112_person_hours - b.with_d2c.no_112_person_hours, 1),
        no_112_person_hours_without_d2c_delta=round(
            a.without_d2c.no_112_person_hours - b.without_d2c.no_112_person_hours, 1),
        emergency_service_survival_delta=round(a.emergency_service_survival - b.emergency_service_survival, 6),
        emergency_service_survival_without_d2c_delta=round(
            a.emergency_service_survival_without_d2c - b.emergency_service_survival_without_d2c, 6),
        emergency_served_delta=round(a.emergency_served - b.emergency_served, 3),
        person_hours_terrestrial_delta=round(people_hours(ta.population_terrestrial, step_s)
                                             - people_hours(tb.population_terrestrial, step_s), 1),
        person_hours_unserved_delta=round(people_hours(ta.population_unserved, step_s)
                                          - people_hours(tb.population_unserved, step_s), 1),
    )


def _objective(o, summary: Mapping, totals: Totals | None) -> ObjectiveRecord:
    """An objective measured on the run's ``summary`` (a figure named in the drill file) or the drill's totals."""
    role = o.role or None
    if o.measure is None:
        return ObjectiveRecord(o.text, None, o.at_least, o.at_most, None, None, role)
    on_totals = o.measure in ("cost_eur", "warning_reach_fraction")
    value = (getattr(totals, o.measure) if totals is not None else None) if on_totals else summary.get(o.measure)
    met = None
    if value is not None:  # compared as the report shows it (whole euros, shares to 0.1%)
        shown = round(value) if o.measure == "cost_eur" else as_shown(value)
        met = bool(shown >= o.at_least) if o.at_least is not None else bool(shown <= o.at_most)
    return ObjectiveRecord(o.text, o.measure, o.at_least, o.at_most, value, met, role, MEASURES[o.measure])


def _assumptions(drill: Drill) -> list[str]:
    kinds = {t.dtype.kind.name for t in drill.taken}
    lines = [f"drill {drill.spec.name}: {len(drill.spec.injects)} inject(s), {len(drill.taken)} decision(s); each "
             "decision's effect is measured against the same drill without it"]
    if "cell-on-wheels" in kinds:
        lines.append("cells on wheels: extra terrestrial 112 capacity in their area while they have fuel and their "
                     "satellite backhaul works (via a gateway: it must reach a working voice core and PSAP)")
    if "warning" in kinds:
        lines.append("warnings: delivered where a site with a cell-broadcast path or a D2C beam reaches the area; "
                     "their effect on 112 demand is not modelled")
    if "backup-psap" in kinds:
        lines.append("backup answering point: a diverted PSAP's 112 calls are answered elsewhere whatever its own "
                     "state; the backup is assumed to have the call takers to answer them")
    if drill.spec.d2c_standby:
        lines.append("D2C on standby until the players switch it on")
    recorded = sorted({t.dtype.kind.name for t in drill.taken if not t.modelled})
    if recorded:
        lines.append("recorded without a modelled effect: " + ", ".join(recorded))
    return lines
