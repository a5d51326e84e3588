"""Metrics: the timeline of each step and the summary of the run.

The recorder keeps one number per step per series (cheap: sums over arrays)
and a few per-area totals; ``Result`` is what the report and the JSON show.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Sequence

import numpy as np

from d2c.attach import rach_attach_per_s
from d2c.timetext import offset_text
from d2c.headline import (RESTORE_FRACTIONS, VARIANTS, AreaOutages, incident_start_s, people_headline,
                          people_without_112, restore_hours, rounded)
from d2c.network import CAUSE_CODE, CAUSES, IN_SERVICE
from d2c.offer import Offer, OfferGate
from d2c.result import SERIES, Result, ScenarioInfo, WorstArea
from d2c.config.scenario import Scenario
from d2c.snapshots import Snapshots
from d2c.stages import StepState
from d2c.world import World

WORST_AREAS = 20


class Recorder:
    """The timeline and per-area totals of a run, step by step.

    A step reads its figures from the arrays that changed: what rests on the
    terrestrial state alone (people on terrestrial service, without a 112 path
    when no area is on D2C) is worked out once per state (the fallback hands
    the same arrays until it changes), the D2C figures are 0 in a step with no
    area on D2C (they count D2C areas only), and the seconds each area spends
    without service are added when the areas change (whole seconds a step add
    up exactly). Every figure is the number a full pass over the areas gives.
    """

    def __init__(self, scenario: Scenario, world: World):
        self.scenario = scenario
        self.world = world
        self.series: dict[str, list[float]] = {name: [] for name in SERIES}
        self.causes: dict[str, list[int]] = {name: [] for name in CAUSES}
        n_areas = len(world.area_ids)
        self._without_terrestrial_s = _SecondsWhere(n_areas)
        self._unserved_s = _SecondsWhere(n_areas)
        self._on_d2c_s = _SecondsWhere(n_areas)
        self.area_offered = np.zeros(n_areas)
        self.area_served = np.zeros(n_areas)
        self.area_served_terrestrial = np.zeros(n_areas)
        self.d2c_share = np.ones(n_areas)  # share of handsets the D2C offer serves (the simulation sets it)
        self.snapshots = Snapshots(world, scenario.step_s)
        self.outages = {v: AreaOutages(n_areas) for v in VARIANTS}  # "" with D2C, "_without_d2c" terrestrial only
        self._per_state: tuple | None = None  # (terrestrial, people share, its figures): see _terrestrial_figures
        self._warning: tuple | None = None  # (warning reach mask, people under it)
        self._cause_codes = tuple(CAUSE_CODE[name] for name in CAUSES)
        self._site_counts: tuple | None = None  # (cause codes, in service, counts): see _sites

    @property
    def area_s_without_terrestrial(self) -> np.ndarray:
        return self._without_terrestrial_s.total

    @property
    def area_s_unserved(self) -> np.ndarray:
        return self._unserved_s.total

    @property
    def area_s_on_d2c(self) -> np.ndarray:
        return self._on_d2c_s.total

    def _terrestrial_figures(self, s) -> tuple:
        """Per terrestrial state: ~terrestrial, people on it, people off it, and (for a step with no area on D2C)
        each area's share without a 112 path and the people without one."""
        kept = self._per_state
        if kept is not None and kept[0] is s.terrestrial and kept[1] is s.people_share_terrestrial:
            return kept[2]
        pop = self.world.area_population
        off = ~s.terrestrial
        no_path_without_d2c = 1.0 - s.people_share_terrestrial
        # with no area on D2C, its share is 0: 1 - terrestrial - 0, clipped as Service.people_share_no_path clips
        no_path = np.clip(no_path_without_d2c, 0.0, 1.0)
        figures = (off, float(pop[s.terrestrial].sum()), float(pop[off].sum()), no_path_without_d2c,
                   people_without_112(pop, no_path_without_d2c), no_path, people_without_112(pop, no_path))
        self._per_state = (s.terrestrial, s.people_share_terrestrial, figures)
        return figures

    def record(self, state: StepState) -> None:
        w, s, dt = self.world, state.service, self.scenario.step_s
        pop = w.area_population
        in_service, by_cause = self._sites(state.network.cause)
        on_d2c = bool(s.d2c.any())
        off, people_terrestrial, people_off, no_path_without_d2c, people_no_path_without_d2c, no_path_share, \
            people_no_path = self._terrestrial_figures(s)
        offered = s.emergency_offered
        served_terrestrial = s.emergency_served_terrestrial
        # s.emergency_served, the terrestrial part once; with no area on D2C its D2C part is 0
        served = served_terrestrial + s.emergency_served_d2c if on_d2c else served_terrestrial
        row = self.series
        row["t_s"].append(state.t_s)
        row["sites_in_service"].append(by_cause[0])
        row["sites_on_backup"].append(int(np.count_nonzero(state.on_backup[w.slices["site"]] & in_service)))
        row["population_terrestrial"].append(people_terrestrial)
        if on_d2c:
            unserved = off & ~s.d2c
            row["population_d2c"].append(float(pop[s.d2c].sum()))
            row["population_unserved"].append(float(pop[unserved].sum()))
        else:
            unserved = off
            row["population_d2c"].append(0.0)
            row["population_unserved"].append(people_off)
        offered_sum = float(offered.sum())
        served_terrestrial_sum = float(served_terrestrial.sum())
        row["emergency_offered"].append(offered_sum)
        row["emergency_served"].append(float(served.sum()) if on_d2c else served_terrestrial_sum)
        row["emergency_served_without_d2c"].append(served_terrestrial_sum)
        row["population_warning_reach"].append(self._people_warned(s.warning_reach))
        # whole satellites: their integer sum is exact, so this is np.mean to the last bit
        visible = state.d2c.satellites_visible
        row["satellites_visible"].append(int(visible.sum(dtype=np.int64)) / visible.size
                                         if visible.size and visible.dtype.kind in "iu" else float(np.mean(visible)))
        if on_d2c:
            row["d2c_blocked"].append(float(s.d2c_blocked.sum()))
            row["responders_served_d2c"].append(float(s.responders_served_d2c.sum()))
            row["public_sms_served_d2c"].append(float(s.public_sms_served_d2c.sum()))
            row["d2c_blocked_non_emergency"].append(float(s.non_emergency_blocked_d2c.sum()))
            row["d2c_blocked_data_mbps"].append(float(s.data_blocked_d2c_mbps.sum()))
            row["d2c_not_eligible"].append(float(s.emergency_not_eligible_d2c.sum()))
            d2c_people = np.where(s.d2c, pop, 0.0)
            row["population_d2c_not_eligible"].append(float((d2c_people * (1.0 - self.d2c_share)).sum()))
            row["population_d2c_attached"].append(float((d2c_people * self.d2c_share * s.attached_share).sum()))
            row["family_calls_served_d2c"].append(float(s.family_calls_served_d2c.sum()))
            no_path_share = s.people_share_no_path
            people_no_path = people_without_112(pop, no_path_share)
        else:  # the D2C figures count areas on D2C only
            for name in ("d2c_blocked", "responders_served_d2c", "public_sms_served_d2c", "d2c_blocked_non_emergency",
                         "d2c_blocked_data_mbps", "d2c_not_eligible", "population_d2c_not_eligible",
                         "population_d2c_attached", "family_calls_served_d2c"):
                row[name].append(0.0)
        row["population_no_112"].append(people_no_path)
        row["population_no_112_without_d2c"].append(people_no_path_without_d2c)
        self.outages[""].update(no_path_share, state.t_s, dt)
        self.outages["_without_d2c"].update(no_path_without_d2c, state.t_s, dt)
        for name, count in zip(CAUSES, by_cause[1:]):
            self.causes[name].append(count)
        self._without_terrestrial_s.add(off, dt)
        self._unserved_s.add(unserved, dt)
        self._on_d2c_s.add(s.d2c, dt)
        self.area_offered += offered
        self.area_served += served
        self.area_served_terrestrial += served_terrestrial
        self.snapshots.record(state, people_no_path, people_terrestrial, no_path_share)

    def _sites(self, cause: np.ndarray) -> tuple[np.ndarray, tuple[int, ...]]:
        """The sites in service, and how many are in service and down by each cause (the last step's
        while no site changed). A comparison a cause: one ``bincount`` over the codes is slower."""
        kept = self._site_counts
        if kept is not None and np.array_equal(kept[0], cause):
            return kept[1], kept[2]
        in_service = cause == IN_SERVICE
        counts = (int(np.count_nonzero(in_service)),
                  *(int(np.count_nonzero(cause == code)) for code in self._cause_codes))
        self._site_counts = (cause.copy(), in_service, counts)
        return in_service, counts

    def _people_warned(self, reach: np.ndarray) -> float:
        """People a cell-broadcast warning would reach (the last step's figure while the areas are the same)."""
        kept = self._warning
        if kept is not None and (kept[0] is reach or np.array_equal(kept[0], reach)):
            return kept[1]
        people = float(self.world.area_population[reach].sum())
        self._warning = (reach.copy(), people)
        return people

    def result(self, *, affected_area_s: np.ndarray | None, graph_recomputations: int, traffic=None,
               restoration: dict | None = None, space_text: str | None = None, offer: OfferGate | None = None,
               log: Sequence[tuple[float, str]] = ()) -> Result:
        """The run so far as a :class:`Result`, from what was recorded and what the other stages report.

        ``affected_area_s``: when the incidents reach each area (the headline's
        incident start); ``graph_recomputations``: the network stage's count;
        ``traffic``: the traffic stage's finished metrics (``TrafficHook.finish``);
        ``restoration``: the restoration stage's summary; ``space_text``: the
        space stage's description (None: no D2C); ``offer``: how the D2C offer was
        opened in this run; ``log``: the actions applied, as (t_s, text).
        """
        sc, w = self.scenario, self.world
        row = self.series
        offered = float(np.sum(row["emergency_offered"]))
        served = float(np.sum(row["emergency_served"]))
        served_terrestrial = float(np.sum(row["emergency_served_without_d2c"]))
        sites_total = w.n_sites
        down = sites_total - np.asarray(row["sites_in_service"], dtype=float)
        timeline = {name: _round(values) for name, values in row.items()}
        timeline["sites_down_by_cause"] = {name: values for name, values in self.causes.items()}
        summary = {
            **self._headline(affected_area_s),
            "emergency_service_survival": _ratio(served, offered),
            "emergency_service_survival_without_d2c": _ratio(served_terrestrial, offered),
            "peak_sites_down_fraction": float(down.max() / sites_total) if len(down) and sites_total else 0.0,
            "peak_sites_down_at_s": float(row["t_s"][int(np.argmax(down))]) if len(down) else 0.0,
            "min_population_terrestrial_fraction": _ratio(min(row["population_terrestrial"], default=0.0),
                                                          w.population_total),
            "d2c_population_peak": int(max(row["population_d2c"], default=0.0)),
            "d2c_blocked": round(float(np.sum(row["d2c_blocked"])), 3),
            "d2c_blocked_non_emergency": round(float(np.sum(row["d2c_blocked_non_emergency"])), 3),
            "d2c_blocked_data_mbit": round(float(np.sum(row["d2c_blocked_data_mbps"])) * sc.step_s, 3),
            "d2c_not_eligible": round(float(np.sum(row["d2c_not_eligible"])), 3),
            "d2c_population_not_eligible_peak": int(max(row["population_d2c_not_eligible"], default=0.0)),
            "population_warning_reach_min_fraction": _ratio(min(row["population_warning_reach"], default=0.0),
                                                            w.population_total),
            "emergency_offered": round(offered, 3),
            "emergency_served": round(served, 3),
            "population_total": int(w.population_total),
            "sites_total": sites_total,
            "steps_run": len(row["t_s"]),
            "graph_recomputations": graph_recomputations,
        }
        if traffic is not None:
            summary.update(traffic_summary(traffic))
        return Result(
            traffic=traffic.to_dict() if traffic is not None else None,
            restoration=restoration,
            scenario=ScenarioInfo(
                name=sc.name,
                seed=sc.seed,
                start=sc.start.isoformat().replace("+00:00", "Z"),
                step_s=sc.step_s,
                steps=sc.steps,
                duration_s=sc.duration_s,
                topology=w.topology.name,
                description=sc.description,
                # resolved, so that the same run gives the same bytes from any working directory
                path=str(Path(sc.path).resolve()) if sc.path else "",
            ),
            timeline=timeline,
            summary=summary,
            worst_areas=self._worst_areas(),
            assumptions=self._assumptions(space_text, offer),
            decisions=[{"t_s": t, "action": text} for t, text in log],
            places=self.snapshots.to_dict(sc),
        )

    def _headline(self, affected: np.ndarray | None) -> dict:
        """The headline figures (d2c/headline.py), with and without D2C, first in the summary."""
        w, row = self.world, self.series
        t = np.asarray(row["t_s"], dtype=float)
        sites_down = w.n_sites - np.asarray(row["sites_in_service"], dtype=float)
        no_path = {v: np.asarray(row["population_no_112" + v], dtype=float) for v in VARIANTS}
        first_affected = float(affected.min()) if affected is not None and affected.size else np.inf
        start_s = incident_start_s(t, first_affected, sites_down, *no_path.values())
        out: dict = {"incident_start_s": start_s}
        for v, people in no_path.items():
            head = people_headline(t, people, self.scenario.step_s, w.population_total)
            longest = self.outages[v].longest(w.area_population)
            out.update({
                f"no_112_person_hours{v}": head.person_hours,
                f"worst_no_112_share{v}": head.worst_share,
                f"worst_no_112_people{v}": head.worst_people,
                f"worst_no_112_at_s{v}": head.worst_at_s,
                f"worst_no_112_utc{v}": _utc(self.scenario.start, head.worst_at_s) if head.worst_people else None,
                f"longest_area_outage_hours{v}": rounded(longest.seconds / 3600.0, "hours"),
                f"longest_area_outage_area{v}": w.area_ids[longest.area] if longest.area >= 0 else None,
                f"longest_area_outage_name{v}": w.area_names[longest.area] if longest.area >= 0 else None,
                f"longest_area_outage_from_s{v}": longest.from_s if longest.area >= 0 else None,
                f"longest_area_outage_ongoing{v}": longest.ongoing,
                f"longest_area_outage_areas{v}": longest.areas_as_long,
                **{f"restore_people_{x}_hours{v}": rounded(restore_hours(t, people, x / 100, start_s), "hours")
                   for x in RESTORE_FRACTIONS},
            })
        out.update({f"restore_sites_{x}_hours": rounded(restore_hours(t, sites_down, x / 100, start_s), "hours")
                    for x in RESTORE_FRACTIONS})
        return out

    def _worst_areas(self) -> list[WorstArea]:
        w = self.world
        person_hours = w.area_population * self.area_s_without_terrestrial / 3600.0
        order = np.lexsort((np.arange(len(w.area_ids)), -person_hours))[:WORST_AREAS]
        return [
            WorstArea(
                id=w.area_ids[i],
                name=w.area_names[i],
                population=int(w.area_population[i]),
                hours_without_terrestrial=round(float(self.area_s_without_terrestrial[i] / 3600.0), 3),
                hours_unserved=round(float(self.area_s_unserved[i] / 3600.0), 3),
                hours_on_d2c=round(float(self.area_s_on_d2c[i] / 3600.0), 3),
                longest_outage_hours=rounded(self.outages[""].longest_s[i] / 3600.0, "hours"),
                longest_outage_hours_without_d2c=rounded(self.outages["_without_d2c"].longest_s[i] / 3600.0,
                                                            "hours"),
                emergency_survival=_ratio(float(self.area_served[i]), float(self.area_offered[i])),
                emergency_survival_without_d2c=_ratio(float(self.area_served_terrestrial[i]),
                                                         float(self.area_offered[i])),
            )
            for i in order
            if person_hours[i] > 0
        ]

    def _assumptions(self, space_text: str | None, offer: OfferGate | None) -> list[str]:
        sc, w, d = self.scenario, self.world, self.scenario.demand
        site_battery_h = w.battery_s[w.slices["site"]] / 3600.0
        with_generator = float((w.generator_s[w.slices["site"]] > 0).mean()) if w.n_sites else 0.0
        lines = [f"step {sc.step_s:g} s over {sc.duration_s / 3600:g} h, seed {sc.seed}"]
        lines += [incident.describe() for incident in sc.incidents]
        lines += [
            f"site batteries: median {np.median(site_battery_h):g} h (range {site_battery_h.min():g}-"
            f"{site_battery_h.max():g} h); {with_generator:.0%} of sites with a generator",
            f"112 demand: {d.emergency_calls_per_person_hour:g} calls and {d.emergency_sms_per_person_hour:g} SMS "
            f"per person-hour, x{d.surge_factor:g} surge in hit areas decaying over {d.surge_decay_hours:g} h, "
            f"calls held {d.call_hold_s:g} s",
            "112 calls may use any operator's surviving site (limited service, 3GPP TS 22.101)",
            "D2C: " + (space_text if space_text is not None else "off, no satellite provider in the scenario")
            + ("; " + gate_text(offer) if space_text is not None and offer is not None and gate_text(offer) else ""),
            sc.restoration.describe() if sc.restoration is not None else "restoration off: nothing is repaired "
            "unless a response or decision repairs it",
        ]
        if space_text is not None and sc.d2c is not None:
            lines += _offer_lines(sc, w, self.d2c_share)
        return lines


def offer_text(offer: Offer, partner_share: float | None = None) -> str:
    """The offer in one line: when it opens, its phases, whose subscribers, how many handsets."""
    when = ("from the start" if offer.activation_s == 0 else "when a decision switches it on"
            if offer.activation_s is None else f"from {offset_text(offer.activation_s)}")
    phases = "; ".join(f"{', '.join(p.services) or 'nothing'} from {offset_text(p.from_s)}" for p in offer.phases)
    whose = ("every operator's subscribers" if offer.operators is None
             else "subscribers of " + ", ".join(offer.operators) + " only")
    share = "" if partner_share is None else f" ({partner_share:.0%} of handsets)"
    return (f"D2C offer: open {when}; {phases or 'every service the provider has'}; serves {whose}{share}, "
            f"on {offer.compatible_handsets:.0%} of handsets (compatible); people outside it have no D2C path")


def gate_text(gate: OfferGate) -> str:
    """How the offer was opened in this run (empty when it opened as the scenario planned)."""
    standby = "on standby in this drill" if gate.held_by_drill else "waiting for a decision"
    if gate.on_since_s is None:
        return f"{standby}, never switched on"
    if gate.held_by_drill or gate.offer.activation_s is None:
        return f"{standby}, switched on at {offset_text(gate.on_since_s)}"
    return ""


def _offer_lines(sc: Scenario, w: World, d2c_share: np.ndarray) -> list[str]:
    """What the D2C offer, the attach model and the non-emergency demand assumed."""
    d, a = sc.demand, sc.d2c.attach
    served = float((w.area_population * d2c_share).sum() / w.population_total) if w.population_total else 0.0
    operators = sc.d2c.offer.operators
    partners = served / sc.d2c.offer.compatible_handsets if sc.d2c.offer.compatible_handsets > 0 else 0.0
    return [
        offer_text(sc.d2c.offer, partners if operators is not None else None) + f": {served:.0%} of people in all",
        f"D2C attach: handsets attach to a beam at up to the random-access limit ({rach_attach_per_s(a):,.0f}/s: "
        f"{a.prach_occasions_per_s:g} PRACH occasions/s, {a.contention_preambles} preambles, "
        f"{a.rar_grants_per_occasion:g} grants per occasion; TS 36.211, TR 37.868) and the beam's messaging capacity "
        f"at {a.signalling_bytes_per_attach:,.0f} B per attach (assumed); {a.handsets_per_person:g} handsets per "
        "person (assumed); 112 attempts make an emergency attach first (TS 23.401)",
        f"non-emergency demand on D2C: calls to family at {d.family_erlangs_per_person:g} Erlang per person "
        f"(AGCOM), x{d.family_surge_factor:g} surge decaying over {d.family_surge_decay_hours:g} h (assumed, Tohoku "
        f"2011 saw 50-60x attempts), {d.public_sms_per_person_hour:g} SMS per person-hour and "
        f"{d.data_kbps_per_person:g} kbit/s per person with the 112 surge; it gets what 112 and responders leave",
    ]


def traffic_summary(traffic) -> dict:
    """The headline traffic figures of a run (all bearers together; by bearer in ``traffic``)."""
    s = traffic.summary
    return {
        "call_setup_success": s["calls"]["all"]["setup_success_ratio"],
        "call_setup_success_ci95": s["calls"]["all"]["setup_success_ci95"],
        "voice_mos_median": s["calls"]["all"]["mos_median"],
        "voice_mos_median_ci95": s["calls"]["all"]["mos_median_ci95"],
        "sms_delivery_ratio": s["sms"]["sms112"]["all"]["delivery_ratio"],
        "sms_delivery_ci95": s["sms"]["sms112"]["all"]["delivery_ci95"],
        "warning_reach": s["warnings"]["all"]["reach_ratio"],
        "traffic_sample": traffic.sample,
    }


def served_share(served, offered) -> np.ndarray:
    """Elementwise share of 112 demand served (1 where there was none to serve)."""
    served = np.asarray(served, dtype=float)
    offered = np.asarray(offered, dtype=float)
    return np.divide(served, offered, out=np.ones_like(served), where=offered > 0)


def _utc(start, t_s: float) -> str:
    """The wall-clock time of ``t_s`` into the run, ISO 8601 in UTC."""
    return (start + timedelta(seconds=t_s)).isoformat().replace("+00:00", "Z")


def _ratio(num: float, den: float) -> float:
    return round(num / den, 6) if den > 0 else 1.0


def _round(values: list) -> list:
    if values and isinstance(values[0], float):
        return [round(v, 4) for v in values]
    return list(values)


class _SecondsWhere:
    """Per area, seconds spent in a state: ``dt`` added where a mask is set, step after step.

    Steps with the same mask are added at once when the mask changes (or the total is read): with a
    whole number of seconds a step, ``k`` additions of ``dt`` are exactly ``k dt``. Other step
    lengths are added each step.
    """

    def __init__(self, n_areas: int):
        self._total = np.zeros(n_areas)
        self._pending: tuple | None = None  # (mask, steps, dt_s)

    def add(self, mask: np.ndarray, dt_s: float) -> None:
        p = self._pending
        if p is not None and p[2] == dt_s and float(dt_s).is_integer() and (p[0] is mask or np.array_equal(p[0], mask)):
            self._pending = (p[0], p[1] + 1, dt_s)
            return
        self._apply()
        self._pending = (np.array(mask, dtype=bool), 1, dt_s)

    def _apply(self) -> None:
        if self._pending is not None:
            mask, steps, dt_s = self._pending
            self._pending = None
            np.add(self._total, steps * dt_s, out=self._total, where=mask)

    @property
    def total(self) -> np.ndarray:
        self._apply()
        return self._total
