"""The compare aggregation on a two-scenario toy: restored person-hours, a year's expectation, EUR per person-hour,
the denial cases and the tornado, each worked out by hand from the figures below (no simulation runs).

Person-hours without any 112 path, per scenario and seed (none / A / B), and what each provider restores:

    quake  seed 1: 1000 / 400 / 700  -> A 600, B 300      flood seed 1: 300 / 200 / 100 -> A 100, B 200
    quake  seed 2: 1200 / 600 / 1000 -> A 600, B 200      flood seed 2: 500 / 300 / 300 -> A 200, B 200

Means: quake A 600, B 250; flood A 150, B 200. Rates: quake 0.2 a year (sourced), flood 1.0 (assumed 0.1-2).
A year: A = 0.2 x 600 + 1.0 x 150 = 270; B = 0.2 x 250 + 1.0 x 200 = 250.
Costs counted for D2C: A 2e6 EUR x share 0.5 = 1e6 -> 3703.7 EUR per person-hour; B 3e5 x 1.0 -> 1200.
"""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pytest

from d2c.compare.decision import annual, decide, restored
from d2c.compare.figure import Figure
from d2c.compare.spec import Case, Comparison, ProviderEntry, ScenarioEntry
from d2c.compare.tornado import tornado
from d2c.space import Provider
from d2c.space.provider import Assumption

PH = {  # (scenario, seed) -> person-hours without 112 for none, A, B
    ("quake", 1): (1000.0, 400.0, 700.0), ("quake", 2): (1200.0, 600.0, 1000.0),
    ("flood", 1): (300.0, 200.0, 100.0), ("flood", 2): (500.0, 300.0, 300.0),
}
WORST = {  # (scenario, seed) -> worst share without 112 for none, A, B
    ("quake", 1): (0.5, 0.2, 0.3), ("quake", 2): (0.7, 0.4, 0.5),
    ("flood", 1): (0.6, 0.05, 0.4), ("flood", 2): (0.6, 0.15, 0.5),
}
# under the cases and the sensitivity, on the reduced seed (seed 1) only
VARIANTS = {
    ("quake", "A|case=withdrawn"): 900.0, ("quake", "B|case=withdrawn"): 1000.0,
    ("flood", "A|case=withdrawn"): 280.0, ("flood", "B|case=withdrawn"): 300.0,
    ("flood", "B|case=jammed"): 250.0,
    ("quake", "A|satellite.beams_per_satellite=low"): 700.0, ("quake", "A|satellite.beams_per_satellite=high"): 300.0,
    ("flood", "A|satellite.beams_per_satellite=low"): 280.0, ("flood", "A|satellite.beams_per_satellite=high"): 150.0,
}


def figures(person_hours: float, worst: float = 0.0) -> SimpleNamespace:
    return SimpleNamespace(person_hours_without_112=person_hours, worst_share_without_112=worst)


def toy_runs() -> dict:
    runs = {}
    for (scenario, seed), values in PH.items():
        for key, ph, worst in zip(("none", "A", "B"), values, WORST[(scenario, seed)]):
            runs[(scenario, seed, key)] = figures(ph, worst)
    for (scenario, key), ph in VARIANTS.items():
        runs[(scenario, 1, key)] = figures(ph)
    return runs


def toy(cost_a=Figure(2e6, low=5e5, high=4e6), share_b=Figure(1.0, low=0.5, high=1.0)) -> Comparison:
    walker = Provider.from_walker("53:24/3/1", 550)  # 19 beams per satellite (TR 38.821 Set-1)
    # A's one assumed figure: 19 beams per satellite, swept over 4-30; B's figures all taken as sourced
    beams = Assumption("satellite.beams_per_satellite", 19, 4, 30, "toy range")
    providers = (
        ProviderEntry("none", None),
        ProviderEntry("A", replace(walker, assumed={beams.name: beams}), cost_eur_per_year=cost_a,
                      d2c_share_of_cost=Figure(0.5, source="toy")),
        ProviderEntry("B", replace(walker, assumed={}), cost_eur_per_year=Figure(3e5, source="toy"),
                      d2c_share_of_cost=share_b),
    )
    scenarios = (
        ScenarioEntry("quake.yaml", "quake", "earthquake", Figure(0.2, source="toy"), (1, 2), (), 3600.0),
        ScenarioEntry("flood.yaml", "flood", "flood", Figure(1.0, low=0.1, high=2.0), (1, 2), (), 3600.0),
    )
    withdrawn = SimpleNamespace(kind="withdrawal", describe=lambda: "withdrawn from the start")
    jammed = SimpleNamespace(kind="jamming", describe=lambda: "uplink jammed")
    cases = (Case("withdrawn", withdrawn), Case("jammed", jammed, providers=("B",), scenarios=("flood",)),
             Case("nowhere", jammed, scenarios=("tsunami",)))
    return Comparison("toy", "", providers, scenarios, cases, reduced_seeds=1)


def test_restored_is_none_minus_the_provider_seed_by_seed():
    assert restored(toy_runs(), "quake", (1, 2), "B").tolist() == [300.0, 200.0]


def test_a_year_weights_each_scenario_by_its_rate():
    assert annual(toy(), {"quake": 600.0, "flood": 150.0}) == pytest.approx(270.0)
    assert annual(toy(), {"quake": 600.0, "flood": 150.0}, {"quake": 1.0, "flood": 2.0}) == pytest.approx(900.0)


def test_the_decision_table_by_hand():
    decision = decide(toy(), toy_runs())
    assert decision.ranking() == ["A", "B", "none"] and decision.classes == ["earthquake", "flood"]
    a, b, none = (decision.row(p) for p in ("A", "B", "none"))
    assert (a.annual_restored, b.annual_restored, none.annual_restored) == (270.0, 250.0, 0.0)
    # p5/p95 of two seeds interpolate linearly: B's quake [300, 200] -> 205 / 295, A's flood [100, 200] -> 105 / 195
    # A: 0.2 x 600 + 105 = 225 and 0.2 x 600 + 195 = 315; B: 0.2 x 205 + 200 = 241 and 0.2 x 295 + 200 = 259
    assert (a.annual_p5, a.annual_p95, b.annual_p5, b.annual_p95) == pytest.approx((225.0, 315.0, 241.0, 259.0))
    assert a.by_class == {"earthquake": 120.0, "flood": 150.0} and b.by_class == {"earthquake": 50.0, "flood": 200.0}
    assert a.cost_eur_per_year == 1e6 and a.eur_per_person_hour == pytest.approx(3703.7037, abs=1e-4)
    assert b.eur_per_person_hour == 1200.0
    assert none.eur_per_person_hour == float("inf") and none.to_dict()["eur_per_person_hour"] is None
    assert b.by_scenario["quake"].to_dict() == {"class": "earthquake", "rate_per_year": 0.2, "restored_mean": 250.0,
                                      "restored_p5": 205.0, "restored_p95": 295.0, "worst_share": 0.4,
                                      "worst_share_without_d2c": 0.6}
    # the worst instant of the library: the median over seeds, in the scenario where it is worst
    assert (a.worst_share, a.worst_scenario) == (pytest.approx(0.3), "quake")
    assert (b.worst_share, b.worst_scenario) == (pytest.approx(0.45), "flood")
    # none: 0.6 in both scenarios (medians of 0.5/0.7 and 0.6/0.6): a tie keeps the first scenario
    assert (none.worst_share, none.worst_scenario) == (pytest.approx(0.6), "quake")


def test_equal_restored_ranks_the_cheaper_first():
    runs = toy_runs()
    for (scenario, seed), (_, a, _) in PH.items():
        runs[(scenario, seed, "B")] = figures(a)  # B restores exactly what A does, for 3e5 against 1e6 a year
    assert decide(toy(), runs).ranking() == ["B", "A", "none"]


def test_denial_cases_on_the_reduced_seeds():
    a, b = (decide(toy(), toy_runs()).row(p) for p in ("A", "B"))
    # withdrawn, seed 1: A restores 100 (quake) and 20 (flood) instead of 600 and 100:
    # 0.2 x 100 + 20 = 40 of 0.2 x 600 + 100 = 220 a year
    assert a.cases["withdrawn"].to_dict() == {"kind": "withdrawal", "describe": "withdrawn from the start",
                                    "annual_restored_normal": 220.0, "annual_restored": 40.0,
                                    "remains_share": pytest.approx(40 / 220, abs=1e-6)}
    assert b.cases["withdrawn"].annual_restored == 0.0 and b.cases["withdrawn"].remains_share == 0.0
    # jammed: B on the flood only, 50 of 200
    assert b.cases["jammed"].annual_restored_normal == 200.0 and b.cases["jammed"].remains_share == 0.25
    assert "jammed" not in a.cases and "nowhere" not in b.cases  # not its provider; no scenario of the library


def test_a_case_where_nothing_was_restored_has_no_share():
    runs = toy_runs()
    for key in ("A", "A|case=withdrawn"):
        runs[("quake", 1, key)] = figures(1000.0)
        runs[("flood", 1, key)] = figures(300.0)
    assert decide(toy(), runs).row("A").cases["withdrawn"].remains_share is None


def bars_by_figure(comparison=None):
    comparison = comparison or toy()
    runs = toy_runs()
    return {b.figure: b for b in tornado(comparison, runs, decide(comparison, runs))}


def test_tornado_a_provider_parameter_and_where_it_flips_the_ranking():
    bar = bars_by_figure()["A satellite.beams_per_satellite"]
    # seed 1 deltas against A's own run: low 4 beams quake -300, flood -80; high 30 beams quake +100, flood +50:
    # at low 270 + 0.2 x -300 - 80 = 130, at high 270 + 0.2 x 100 + 50 = 340
    assert (bar.kind, bar.base_value, bar.low_value, bar.high_value) == ("parameter", 19.0, 4.0, 30.0)
    assert (bar.base, bar.at_low, bar.at_high, bar.swing) == (270.0, 130.0, 340.0, 210.0)
    # B's 250 is crossed on the way from (19, 270) to (4, 130): at 19 - 15 x 20 / 140 = 16.857 beams
    assert bar.flip == "A falls behind B at 16.86"
    assert bar.measure == "person-hours restored a year by A"


def test_tornado_an_assumed_rate_and_the_rate_at_which_the_order_changes():
    bars = bars_by_figure()
    assert "rate quake" not in bars  # sourced, not swept
    bar = bars["rate flood"]
    # the leader A: 120 + 150 r; at r = 0.1: 135, at r = 2: 420. B: 50 + 200 r overtakes A where 120 + 150 r =
    # 50 + 200 r: r = 1.4
    assert (bar.kind, bar.base, bar.at_low, bar.at_high) == ("rate", 270.0, 135.0, 420.0)
    assert bar.flip == "B overtakes A at 1.4 a year" and bar.measure == "person-hours restored a year by A"


def test_tornado_costs_and_the_cost_at_which_a_provider_becomes_the_cheaper():
    bars = bars_by_figure()
    cost = bars["cost A"]
    # 5e5 x 0.5 / 270 = 925.9 and 4e6 x 0.5 / 270 = 7407.4 EUR per person-hour; A is cheaper than B's 1200 below
    # c x 0.5 / 270 = 1200: c = 648,000 EUR a year
    assert (cost.kind, cost.base, cost.at_low, cost.at_high) == pytest.approx(
        ("cost", 3703.7037, 925.9259, 7407.4074), abs=1e-3)
    assert cost.flip == "A overtakes B at 6.48e+05"
    share = bars["D2C share of cost B"]
    # 0.5 x 3e5 / 250 = 600 and 1.0 x 3e5 / 250 = 1200: B stays the cheaper, no flip
    assert (share.at_low, share.at_high, share.flip) == (600.0, 1200.0, "")
    assert "cost B" not in bars and "D2C share of cost A" not in bars  # sourced figures are not swept
    # widest swing first: cost A 6481.5, share B 600, rate flood 285, parameter A 210
    assert [b.figure for b in tornado(toy(), toy_runs(), decide(toy(), toy_runs()))] == [
        "cost A", "D2C share of cost B", "rate flood", "A satellite.beams_per_satellite"]


def test_a_cost_that_only_reaches_a_tie_still_flips():
    # at 648,000 EUR a year A costs exactly B's 1200 per person-hour: reported as the flip point
    bar = bars_by_figure(toy(cost_a=Figure(2e6, low=648_000.0, high=4e6)))["cost A"]
    assert bar.at_low == pytest.approx(1200.0) and bar.flip == "A overtakes B at 6.48e+05"
    no_flip = bars_by_figure(toy(cost_a=Figure(2e6, low=1e6, high=4e6)))["cost A"]
    assert no_flip.flip == ""


def test_figures_are_reported_to_their_stated_decimals():
    # the toy with 0.00042 more person-hours under none on the flood's seed 1 (and a worst share 4e-7 higher):
    # A restores 100.00042 there, so its flood mean is 150.00021 and its year 270.00021; the table gives
    # person-hours to 3 decimals, EUR per person-hour to 4 and shares to 6
    runs = toy_runs()
    runs[("flood", 1, "none")] = figures(300.00042, 0.6)
    runs[("quake", 1, "B")] = figures(700.0, 0.3000004)  # B's quake median 0.4000002
    comparison = toy()
    comparison = replace(comparison, cases=(comparison.cases[2],) + comparison.cases[:2])  # an idle case first
    a, b = (decide(comparison, runs).row(p) for p in ("A", "B"))
    assert a.annual_restored == 270.0 and isinstance(a.annual_restored, float)
    # p5: 0.2 x 600 + (100.00042 + 0.05 x 99.99958) = 225.000399; p95: 120 + 100.00042 + 0.95 x 99.99958 = 315.00002
    assert (a.annual_p5, a.annual_p95) == (225.0, 315.0) and isinstance(a.annual_p5, float)
    assert isinstance(a.annual_p95, float) and a.by_class["flood"] == 150.0 and isinstance(a.by_class["flood"], float)
    flood = a.by_scenario["flood"]
    assert (flood.restored_mean, flood.restored_p5, flood.restored_p95) == (150.0, 105.0, 195.0)
    assert all(isinstance(v, float) for v in (flood.restored_mean, flood.restored_p5, flood.restored_p95))
    # 1e6 / 270.00021 = 3703.70082
    assert a.eur_per_person_hour == 3703.7008
    assert b.by_scenario["quake"].worst_share == 0.4
    # withdrawn: 0.2 x 100 + 20.00042 = 40.00042 of 0.2 x 600 + 100.00042 = 220.00042: 0.1818197 -> 0.18182
    assert a.cases["withdrawn"].annual_restored == 40.0 and a.cases["withdrawn"].annual_restored_normal == 220.0
    assert isinstance(a.cases["withdrawn"].annual_restored, float)
    assert isinstance(a.cases["withdrawn"].annual_restored_normal, float)
    assert a.cases["withdrawn"].remains_share == 0.18182
    assert b.cases["jammed"].annual_restored_normal == 200.0  # found after the idle case
    assert a.to_dict()["annual_restored"] == 270.0 and a.to_dict()["provider"] == "A"


def test_a_bar_as_a_dict_carries_every_field_and_its_swing():
    bar = bars_by_figure()["A satellite.beams_per_satellite"]
    assert bar.to_dict() == {
        "figure": "A satellite.beams_per_satellite", "kind": "parameter",
        "measure": "person-hours restored a year by A", "base_value": 19.0, "low_value": 4.0, "high_value": 30.0,
        "base": 270.0, "at_low": 130.0, "at_high": 340.0, "flip": "A falls behind B at 16.86", "swing": 210.0}


def test_tornado_a_parameter_that_flips_the_ranking_only_at_its_high_end():
    # A's beams swapped round: at 4 beams quake 300 / flood 150 (A restores 700 and 150 on seed 1: +100, +50),
    # at 30 beams quake 700.00042 / flood 280 (restores 299.99958 and 20: -300.00042, -80):
    # at low 270 + 0.2 x 100 + 50 = 340 (still first, no flip); at high 270 + 0.2 x -300.00042 - 80
    # = 129.999916, given to 3 decimals: 130.0; B's 250 is crossed at 19 + 11 x -20 / -140 = 20.571 beams
    runs = toy_runs()
    runs[("quake", 1, "A|satellite.beams_per_satellite=low")] = figures(300.0)
    runs[("flood", 1, "A|satellite.beams_per_satellite=low")] = figures(150.0)
    runs[("quake", 1, "A|satellite.beams_per_satellite=high")] = figures(700.00042)
    runs[("flood", 1, "A|satellite.beams_per_satellite=high")] = figures(280.0)
    comparison = toy()
    bar = {b.figure: b for b in tornado(comparison, runs, decide(comparison, runs))}["A satellite.beams_per_satellite"]
    assert (bar.at_low, bar.at_high) == (340.0, 130.0)
    assert bar.flip == "A falls behind B at 20.57"


def test_tornado_an_assumed_rate_bar_gives_its_range_to_3_decimals():
    # flood's rate swept 0.100001-2.000001: the leader A's 120 + 150 r is 135.00015 and 420.00015, given as
    # 135.0 and 420.0; B overtakes A at 1.4 a year as before
    comparison = replace(toy(), scenarios=(toy().scenarios[0],
                                           replace(toy().scenarios[1], rate_per_year=Figure(1.0, low=0.100001,
                                                                                            high=2.000001))))
    bar = bars_by_figure(comparison)["rate flood"]
    assert (bar.base_value, bar.low_value, bar.high_value) == (1.0, 0.100001, 2.000001)
    assert (bar.at_low, bar.at_high) == (135.0, 420.0)
    assert bar.flip == "B overtakes A at 1.4 a year"


def test_tornado_a_cost_that_flips_the_ranking_only_at_its_high_end():
    # A at 5e5 EUR a year (range 4e5-4e6): 5e5 x 0.5 / 270 = 925.9 EUR per person-hour, cheaper than B's 1200;
    # at 4e5 cheaper still (740.7), at 4e6 dearer (7407.4): A falls behind B at c x 0.5 / 270 = 1200, c = 648,000
    bar = bars_by_figure(toy(cost_a=Figure(5e5, low=4e5, high=4e6)))["cost A"]
    assert (bar.base_value, bar.low_value, bar.high_value) == (5e5, 4e5, 4e6)
    assert (bar.base, bar.at_low, bar.at_high) == pytest.approx((925.9259, 740.7407, 7407.4074), abs=1e-3)
    assert bar.flip == "A falls behind B at 6.48e+05"


def test_a_provider_that_restores_nothing_has_no_cost_bar_and_one_that_restores_little_has():
    # B with none's person-hours everywhere restores 0: its assumed share of cost has no EUR per person-hour
    runs = toy_runs()
    for (scenario, seed), values in PH.items():
        runs[(scenario, seed, "B")] = figures(values[0], WORST[(scenario, seed)][0])
    comparison = toy()
    bars = {b.figure: b for b in tornado(comparison, runs, decide(comparison, runs))}
    assert "D2C share of cost B" not in bars
    assert bars["cost A"].flip == ""  # B at no finite price: A is the cheaper whatever its cost
    # B restoring 0.5 person-hours a year (0.5 on each flood seed, rate 1): 0.5 x 3e5 / 0.5 = 300,000 EUR each
    for seed in (1, 2):
        runs[("flood", seed, "B")] = figures(PH[("flood", seed)][0] - 0.5, WORST[("flood", seed)][0])
    bars = {b.figure: b for b in tornado(comparison, runs, decide(comparison, runs))}
    assert bars["D2C share of cost B"].at_low == pytest.approx(300_000.0)


def test_the_order_flips_only_when_two_providers_cross():
    from d2c.compare.tornado import _order_flip

    # A at 1.0 moving to 1.2 stays behind B's 1.5 (gaps -0.5 and -0.3): no flip, however small the gaps
    assert _order_flip({"A": 1.0, "B": 1.5}, "A", 1.2, True, 0.0, 1.0) == ""
    # tied at the base, then apart: not a flip (nothing was overtaken)
    assert _order_flip({"A": 1.0, "B": 1.0}, "A", 2.0, True, 0.0, 1.0) == ""
    # from 1 ahead to level: a flip at the end of the range, x = 0 + 10 x (1 - 2) / (1 - 2) = 10
    assert _order_flip({"A": 2.0, "B": 1.0}, "A", 1.0, True, 0.0, 10.0) == "A falls behind B at 10"
    # from 0.5 behind to 0.1 ahead (a rise of 0.6): overtakes at 0 + 1 x 0.5 / 0.6 = 0.8333
    assert _order_flip({"A": 1.0, "B": 1.5}, "A", 1.6, True, 0.0, 1.0) == "A overtakes B at 0.8333"
    # lower is better (costs): A at 1.6 falling to 1.0 under B's 1.5 overtakes it
    assert _order_flip({"A": 1.6, "B": 1.5}, "A", 1.0, False, 0.0, 1.0) == "A overtakes B at 0.1667"
