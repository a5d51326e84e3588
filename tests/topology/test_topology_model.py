"""The model's pieces behave as documented in docs/TOPOLOGY_MODEL.md."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

import reftable
from d2c.topology import params as P
from d2c.topology.italy import ITALY
from d2c.topology.radio import erlang_b_channels


@pytest.mark.parametrize("erlangs, channels", [(5.08, 10), (5.09, 11), (13.18, 20), (13.19, 21), (21.93, 30)])
def test_erlang_b_matches_the_published_tables(erlangs, channels):
    # Erlang B tables at 2 % blocking: 10 channels carry 5.084 E, 20 carry 13.182 E, 30 carry 21.932 E.
    assert erlang_b_channels(np.array([erlangs]), 0.02)[0] == channels


def test_operator_shares_follow_agcom_order(national):
    count = Counter(s["operator"] for s in national["sites"])
    assert count["Iliad"] == min(count.values())
    assert abs(sum(P.OPERATOR_SHARE.values()) - 1) < 1e-12


def test_towers_are_shared_as_a_documented_share(national):
    tenants = Counter((s["lat"], s["lon"]) for s in national["sites"])
    assert max(tenants.values()) == 4
    assert min(tenants.values()) == 1  # operators' own towers
    # INWIT after the 2020 merger: over 22,000 sites and over 40,000 tenants (Agenzia Nova,
    # 11 May 2020), 1.8 tenants a tower. Shared towers get about that; operators' own towers
    # (one tenant) and the families' town grids (two) bring the whole network close to it.
    ratio = len(national["sites"]) / len(tenants)
    assert 1.3 < ratio < 2.2
    # towers open to all (town centres, the rural layer): the drawn 1.8, plus operators that joined one
    # where no place was free for a tower of their own
    shared = Counter((s["lat"], s["lon"]) for s in national["sites"] if s["id"].split("-")[0][1:].isdigit())
    assert P.TENANTS_PER_SHARED_TOWER - 0.05 < sum(shared.values()) / len(shared) < P.TENANTS_PER_SHARED_TOWER + 0.4


def test_market_shares_are_agcoms_and_sum_to_one(national):
    # AGCOM's human-SIM shares at 30 September 2023 (the rest MVNOs, spread pro rata; source in the file)
    table = "agcom_human_sims_2023q3.csv"
    agcom = {row["operator"]: float(row["share_percent"]) for row in reftable.rows(table)}
    shares = {o["name"]: o["market_share"] for o in national["operators"]}
    assert set(shares) == set(agcom)
    assert sum(shares.values()) == pytest.approx(1.0, **reftable.tolerance(table))
    for name, pct in agcom.items():
        assert shares[name] == pytest.approx(pct / sum(agcom.values()), **reftable.tolerance(table))


def test_capacity_grows_with_the_people_served(national):
    sites = national["sites"]
    rome_centre = next(s for s in sites if s["id"].startswith("S3169070") and s["operator"] == "TIM")
    assert rome_centre["capacity_calls"] >= P.MIN_CALLS
    calls = np.array([s["capacity_calls"] for s in sites])
    assert calls.min() >= P.MIN_CALLS
    assert calls.max() > 2 * P.MIN_CALLS
    # busy-hour voice across Italy: the sites carry at least the offered traffic
    people = sum(a["population"] for a in national["areas"])
    offered = people * P.SIMS_PER_PERSON * P.ERLANG_PER_SUBSCRIBER
    assert calls.sum() > offered


def test_batteries_follow_the_stated_distribution(national):
    hours = np.array([s["battery_hours"] for s in national["sites"]])
    no_backup = hours == P.NO_BACKUP_HOURS
    assert hours[~no_backup].min() >= P.BATTERY_CLIP_HOURS[0] and hours.max() <= P.BATTERY_CLIP_HOURS[1]
    # a few sites without a working battery, as Ookla saw fail within 30 min in Iberia (2025)
    assert 0.02 < np.mean(no_backup) < 0.2
    generators = np.mean([s["generator_hours"] > 0 for s in national["sites"]])
    assert 0.05 < generators < 0.3


def test_operators_differ_in_autonomy_as_in_the_iberian_blackout(national):
    # Iberia, 28 April 2025 (Ookla): operators' users were 2 to 6 times more or
    # less likely to lose service on the same grid loss. A blackout of 4 h must
    # leave the operators' shares of sites still on battery that far apart.
    by_op: dict[str, list[float]] = {}
    for s in national["sites"]:
        by_op.setdefault(s["operator"], []).append(max(s["battery_hours"], s["generator_hours"]))
    down_at_4h = {op: np.mean(np.array(h) < 4.0) for op, h in by_op.items()}
    ratio = max(down_at_4h.values()) / min(down_at_4h.values())
    assert 2.0 <= ratio <= 6.0, down_at_4h
    medians = {op: np.median(h) for op, h in by_op.items()}
    assert len({round(m, 1) for m in medians.values()}) == len(medians)  # no single value for all


def test_city_sites_hold_less_than_country_towers(national):
    # dense-area small cells ran dry first in Iberia (Ookla): same operator, shorter batteries in Rome
    def median_of(pred):
        return np.median([s["battery_hours"] for s in national["sites"] if s["operator"] == "TIM" and pred(s)])
    rome = median_of(lambda s: s["id"].startswith("S3169070"))
    country = median_of(lambda s: s["radius_km"] >= 5.0)
    assert rome < 0.9 * country


def test_access_nodes_do_not_all_run_dry_at_once(national):
    access = np.array([n["battery_hours"] for n in national["transport"]["nodes"] if n["kind"] == "access"])
    assert access.std() > 1.0  # a spread, not the old single 8 h
    assert np.mean(access <= 8.0) < 0.95


def test_substation_layer_is_about_as_dense_as_the_real_one(national):
    # Italy: about 2,100 primary substations (e-distribuzione ~1,800, ~85 % of customers).
    assert 1500 < len(national["substations"]) < 3500


def test_country_tables_match_the_geonames_data(source_it):
    by_gid = {c["geonameid"]: c for c in source_it}
    code_of = {name: code for code, name in ITALY.regions.items()}
    assert sum(len(v) for v in ITALY.provinces.values()) == 107
    for region, gids in ITALY.provinces.items():
        for gid in gids:
            assert by_gid[gid]["admin1code"] == code_of[region], (region, gid)
    for region, gid in ITALY.capitals.items():
        assert by_gid[gid]["admin1code"] == code_of[region]
        assert gid in ITALY.provinces[region]
    for region, gids in ITALY.extra_psaps.items():
        assert all(by_gid[g]["admin1code"] == code_of[region] for g in gids)
    assert by_gid[ITALY.core_cities["Roma"]]["name"] == "Rome"
    assert by_gid[ITALY.core_cities["Milano"]]["name"] == "Milan"


def test_national_counts_are_plausible(national):
    n_sites = len(national["sites"])
    assert 20_000 < n_sites < 80_000  # Italy's operators run tens of thousands of sites
    nodes = Counter(n["kind"] for n in national["transport"]["nodes"])
    assert nodes["national"] == len(ITALY.core_cities)
    assert 500 < nodes["access"] < 10_000
    assert len(national["psaps"]) >= 20
    assert len(national["gateways"]) == 3


def test_summary_counts_what_is_in_the_dict(lazio):
    from d2c.topology import summarize

    s = summarize(lazio)
    assert s["areas"] == len(lazio["areas"])
    assert s["population"] == sum(a["population"] for a in lazio["areas"])
    assert sum(s["sites_per_operator"].values()) == s["sites"] == len(lazio["sites"])
    assert sum(s["transport_nodes"].values()) == len(lazio["transport"]["nodes"])
    assert sum(s["links"].values()) == len(lazio["transport"]["links"])
    assert s["microwave_chained_sites"] == sum(
        1 for x in lazio["sites"] if x["backhaul"] in {y["id"] for y in lazio["sites"]})


def test_build_command_reproduces_the_arguments():
    from d2c.topology import build_command

    assert build_command("it", region="Valle d'Aosta", seed=3) == \
        "d2c topology build --country IT --region 'Valle d'\\''Aosta' --seed 3"
    assert build_command("IT", bbox=(42.4, 12.9, 43, 13.6), out="x.yaml", seed=1) == \
        "d2c topology build --country IT --bbox 42.4,12.9,43,13.6 --out x.yaml --seed 1"


def test_a_share_of_sites_is_anchored_as_stated(national):
    # ANCHORED_SHARE of the sites bolted down (the format's default), the rest written `anchored: false`
    loose = np.array([s.get("anchored", True) is False for s in national["sites"]])
    assert all(s.get("anchored", False) is False for s in national["sites"])  # only `false` is written
    assert abs(1 - loose.mean() - P.ANCHORED_SHARE) < 0.01
