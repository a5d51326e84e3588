"""The scenario's ``restoration:`` block: every field lands where it should, and bad values are one line each."""

from __future__ import annotations

import pytest

from d2c.base import reader as r
from d2c.base.errors import ConfigError
from d2c.restoration.settings import RestorationSettings, parse_restoration

FULL = """\
restoration:
  policy: nearest
  crews: {per_100_sites: 1.5, minimum: 2, network_per_region: 3, splicing_per_region: 4,
          substation_per_region: 5, shift_start_utc_h: 6, shift_hours: 12, speed_kmh: 40, detour_factor: 1.4,
          per_operator: {TIM: 2.5, Iliad: 0.5}}
  repair_hours: {slight: 2, moderate: 6, extensive: 20, complete: 100, beta: 0.4, splice: 7, substation: 30}
  recut: {probability: 0.3, window_hours: 48}
  generators: {per_100_sites: 10, per_operator: {TIM: 0}, network_per_region: 1, tank_hours: 36,
               hookup_minutes: 45}
  fuel: {trucks_per_region: 3, sites_per_round: 8, stop_minutes: 20, refuel_below_hours: 5}
  grid: {curve: [{after: 0h, share: 0}, {after: 12h, share: 0.5}, {after: 2d, share: 1}]}
  restart_lag: {median_minutes: 45, beta: 1.2,
                per_operator: {TIM: {median_minutes: 90}, Iliad: {median_minutes: 10, beta: 0.5}}}
"""


def parse(text: str) -> RestorationSettings | None:
    root = r.Fields(r.compose_text(text, "scenario.yaml"), r.Ctx("scenario.yaml"))
    return root.req("restoration", parse_restoration)


def test_every_field_of_the_block_is_read_into_its_setting():
    s = parse(FULL)
    assert s == RestorationSettings(
        policy="nearest", crews_per_100_sites=1.5, operator_crews_per_100_sites={"TIM": 2.5, "Iliad": 0.5},
        min_crews_per_pool=2, network_crews_per_region=3, splicing_crews_per_region=4,
        substation_crews_per_region=5, shift_start_h=6.0, shift_hours=12.0, speed_kmh=40.0, detour_factor=1.4,
        repair_hours=(2.0, 6.0, 20.0, 100.0), repair_beta=0.4, splice_hours=7.0, substation_repair_hours=30.0,
        recut_probability=0.3, recut_window_hours=48.0, generators_per_100_sites=10.0,
        operator_generators_per_100_sites={"TIM": 0.0}, network_generators_per_region=1, portable_tank_hours=36.0,
        hookup_minutes=45.0, trucks_per_region=3, sites_per_round=8, stop_minutes=20.0, refuel_below_hours=5.0,
        grid_curve=((0.0, 0.0), (12.0, 0.5), (48.0, 1.0)), restart_lag_median_minutes=45.0, restart_lag_beta=1.2,
        # TIM gives no beta: it takes the block's 1.2
        operator_restart_lag={"TIM": (90.0, 1.2), "Iliad": (10.0, 0.5)})


def test_the_report_states_every_figure_of_the_block():
    assert parse(FULL).describe() == (
        "restoration: policy nearest; 1.5 field crews per 100 sites, Iliad 0.5, TIM 2.5 (at least 2 per operator and "
        "region), 3 network, 4 splicing and 5 substation crews per region, working 6:00 UTC for 12 h a day, "
        "40 km/h x 1.4; median repair 2/6/20/100 h by damage state, splice 7 h, substation 30 h; 10 portable "
        "generators per 100 sites (36 h tanks), 3 fuel trucks per operator and region (8 sites a round, refuel "
        "below 5 h); grid: restoration curve 0% by 0 h, 50% by 12 h, 100% by 48 h; restart lag median 45 min "
        "(beta 1.2) (assumed, see d2c/restoration/defaults.py)")
    text = parse("restoration: {crews: {shift_hours: 24}}").describe()
    assert "working round the clock," in text and "; grid: substation crews;" in text


def test_off_on_and_an_empty_block():
    assert parse("restoration: off") is None and parse("restoration: false") is None
    assert parse("restoration: on") == RestorationSettings() == parse("restoration: {}")
    # a block that sets one field leaves the others at their defaults
    one = parse("restoration: {fuel: {stop_minutes: 12}}")
    assert one == RestorationSettings(stop_minutes=12.0)
    assert parse("restoration: {restart_lag: {median_minutes: 30}}") == RestorationSettings(
        restart_lag_median_minutes=30.0)


@pytest.mark.parametrize("block, message", [
    ("{policy: fastest}", "3: restoration.policy: expected one of most_people"),
    ("{crews: {per_100_sites: 0}}", "3: restoration.crews.per_100_sites: expected a number > 0"),
    ("{crews: {minimum: 0}}", "3: restoration.crews.minimum: expected a whole number"),
    ("{crews: {shift_hours: 25}}", "3: restoration.crews.shift_hours: expected a number"),
    ("{crews: {shift_start_utc_h: -1}}", "3: restoration.crews.shift_start_utc_h: expected a number"),
    ("{crews: {speed_kmh: 301}}", "3: restoration.crews.speed_kmh: expected a number"),
    ("{crews: {detour_factor: 0.9}}", "3: restoration.crews.detour_factor: expected a number"),
    ("{crews: {per_operator: {TIM: 0}}}", "3: restoration.crews.per_operator.TIM: expected a number > 0"),
    ("{crews: {helicopters: 2}}", "3: restoration.crews.helicopters: expected a known field"),
    ("{repair_hours: {slight: 10, moderate: 5}}",
     "3: restoration.repair_hours: expected repair hours that do not decrease from slight to complete, got '10/5/"),
    ("{repair_hours: {beta: 3.5}}", "3: restoration.repair_hours.beta: expected a number"),
    ("{recut: {probability: 1.5}}", "3: restoration.recut.probability: expected a number"),
    ("{generators: {network_per_region: -1}}", "3: restoration.generators.network_per_region: expected a whole"),
    ("{generators: {per_operator: {TIM: -1}}}", "3: restoration.generators.per_operator.TIM: expected a number"),
    ("{fuel: {sites_per_round: 0}}", "3: restoration.fuel.sites_per_round: expected a whole number"),
    ("{fuel: {refuel_below_hours: 0}}", "3: restoration.fuel.refuel_below_hours: expected a number > 0"),
    ("{grid: {curve: [{after: 2h, share: 0}, {after: 1h, share: 1}]}}",
     "3: restoration.grid.curve: expected points in increasing time with shares that do not decrease"),
    ("{grid: {curve: [{after: 1h, share: 0.8}, {after: 2h, share: 0.5}, {after: 3h, share: 1}]}}",
     "3: restoration.grid.curve: expected points in increasing time with shares that do not decrease"),
    ("{grid: {curve: [{after: 1h, share: 0.5}]}}",
     "3: restoration.grid.curve: expected a last point with share 1 (every substation back), got 0.5"),
    ("{restart_lag: {per_operator: {TIM: {beta: 1}}}}",
     "3: restoration.restart_lag.per_operator.TIM.median_minutes: expected this required field"),
    ("{restart_lag: {per_operator: {TIM: {median_minutes: 5, beta: 4}}}}",
     "3: restoration.restart_lag.per_operator.TIM.beta: expected a number"),
    ("{restart_lag: {per_operator: {TIM: {median_minutes: 5, beta: -0.1}}}}",
     "3: restoration.restart_lag.per_operator.TIM.beta: expected a number"),
    ("{restart_lag: {per_operator: {TIM: {median_minutes: -1}}}}",
     "3: restoration.restart_lag.per_operator.TIM.median_minutes: expected a number"),
    ("{grid: {curve: [{after: 0h, share: -0.1}, {after: 1h, share: 1}]}}",
     "3: restoration.grid.curve[0].share: expected a number"),
    ("{grid: {curve: [{after: 0h, share: 0}, {after: 1h, share: 1.5}]}}",
     "3: restoration.grid.curve[1].share: expected a number"),
    ("{grid: {curve: [{after: 1h, share: 0}, {after: 1h, share: 1}]}}",
     "3: restoration.grid.curve: expected points in increasing time"),
    ("{repair_hours: {slight: 0}}", "3: restoration.repair_hours.slight: expected a number > 0"),
    ("5", "3: restoration: expected a mapping of fields, got '5'"),
])
def test_a_bad_value_is_one_line_naming_file_line_and_field(block, message):
    with pytest.raises(ConfigError) as err:
        parse(f"name: x\nseed: 1\nrestoration: {block}\n")
    assert f"scenario.yaml:{message}" in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize("block, field, value", [
    ("{crews: {detour_factor: 1}}", "detour_factor", 1.0),  # the limits themselves are allowed
    ("{crews: {detour_factor: 5}}", "detour_factor", 5.0),
    ("{crews: {shift_start_utc_h: 0, shift_hours: 24}}", "shift_hours", 24.0),
    ("{crews: {speed_kmh: 300}}", "speed_kmh", 300.0),
    ("{repair_hours: {slight: 5, moderate: 5, extensive: 5, complete: 5}}", "repair_hours", (5.0,) * 4),
    ("{repair_hours: {beta: 0}}", "repair_beta", 0.0),
    ("{recut: {probability: 1, window_hours: 0}}", "recut_probability", 1.0),
    ("{generators: {per_100_sites: 0, network_per_region: 0, hookup_minutes: 0}}", "generators_per_100_sites", 0.0),
    ("{fuel: {trucks_per_region: 0, stop_minutes: 0}}", "trucks_per_region", 0),
    ("{restart_lag: {median_minutes: 0, beta: 3}}", "restart_lag_beta", 3.0),
    ("{restart_lag: {per_operator: {TIM: {median_minutes: 0.5, beta: 0}}}}", "operator_restart_lag",
     {"TIM": (0.5, 0.0)}),
    ("{repair_hours: {slight: 0.5}}", "repair_hours", (0.5, 12.0, 48.0, 240.0)),
    ("{grid: {curve: [{after: 0h, share: 0.5}, {after: 1h, share: 0.5}, {after: 2h, share: 1}]}}", "grid_curve",
     ((0.0, 0.5), (1.0, 0.5), (2.0, 1.0))),  # a flat stretch of the curve is allowed
])
def test_values_at_the_limits_are_accepted(block, field, value):
    assert getattr(parse(f"restoration: {block}\n"), field) == value


def test_every_assumed_default_lies_in_its_stated_range():
    from d2c.restoration import defaults as d

    for name, (low, high) in d.RANGES.items():
        if name.startswith("repair_hours."):
            value = d.REPAIR_HOURS[name.split(".")[1]]
        else:
            value = getattr(d, name.upper())
        assert low <= value <= high, name
