"""Coverage per operator: own footprints, market shares, towns that lose their coverage in parts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from conftest import write
from d2c.base.errors import ConfigError
from d2c.config.topology import load_topology
from d2c.fallback import Fallback, operator_share
from d2c.world import World

ROOT = Path(__file__).resolve().parent.parent


def _generated(name: str) -> World:
    path = ROOT / "topologies" / name
    if not path.exists():
        pytest.fail(f"{path} is missing: run `make topologies` (make test builds it)")
    return World(load_topology(path))


@pytest.fixture(scope="module")
def italy() -> World:
    return _generated("italy.yaml")


def _people_without_a_cell(world: World, site_up: np.ndarray) -> float:
    covered = Fallback(world).terrestrial(site_up, site_up, site_up)
    return float(world.area_population[~covered].sum() / world.area_population.sum())


def test_a_national_blackout_takes_people_off_the_network_without_a_jump(italy):
    # Every site on battery, then generator; they go down in the order of their autonomy.
    sites = italy.slices["site"]
    autonomy_h = (italy.battery_s[sites] + italy.generator_s[sites]) / 3600.0
    rank = np.empty(italy.n_sites, np.int64)
    rank[np.lexsort((np.arange(italy.n_sites), autonomy_h))] = np.arange(italy.n_sites)
    deciles = np.arange(10) / 10.0  # 0 % to 90 % of sites down (at 100 % everyone is out by definition)
    out = np.array([_people_without_a_cell(italy, rank >= round(d * italy.n_sites)) for d in deciles])
    # X = 27 pp. A place covered by n sites failing independently is lost with probability f^n when a
    # share f of the sites is down. Between consecutive deciles below 90 %, f^n can rise by at most
    # max_n (0.9^n - 0.8^n) = 0.269 (n = 6): no mix of redundant coverage steps by more. A bigger step
    # needs many people to share one fate: a city that is one point loses everyone at once.
    assert np.all(np.diff(out) >= 0)
    assert np.diff(out).max() <= 0.27
    assert out[5] < 0.02 and out[-1] > 0.05  # half the sites down costs few people; 90 % costs many
    # ... and no one point carries a city: the largest area holds under 0.1 % of the people
    # (Rome's 2.3 M people as one area were 3.9 %; as 64 points, 0.06 % each).
    assert italy.area_population.max() < 0.001 * italy.area_population.sum()


def test_losing_the_sites_of_one_part_of_a_city_loses_that_part_not_all_of_it():
    world = _generated("lazio.yaml")
    rome = np.array([i for i, a in enumerate(world.area_ids) if a.split("-")[0] == "A3169070"])
    assert rome.size > 32
    cov = world.coverage
    edge = rome[-1]  # the last point of the sunflower, on the edge of the footprint
    up = np.ones(world.n_sites, dtype=bool)
    up[cov.site[cov.area == edge]] = False  # every site reaching that point
    covered = Fallback(world).terrestrial(up, up, up)
    lost = world.area_population[rome][~covered[rome]].sum() / world.area_population[rome].sum()
    assert not covered[edge]
    assert 0 < lost < 0.5


OPERATORS = """
name: shares
operators:
  - {name: TIM, market_share: 0.30}
  - {name: Vodafone, market_share: 0.25}
  - {name: WindTre, market_share: 0.30}
  - {name: Iliad, market_share: 0.15}
areas:
  - {name: Both, lat: 42.00, lon: 13.00, population: 1000}
  - {name: Lone, lat: 42.30, lon: 13.00, population: 1000}
sites:
  - {id: T, lat: 42.00, lon: 13.00, operator: TIM, radius_km: 5, capacity_calls: 10, capacity_mbps: 50, backhaul: CORE}
  - {id: I, lat: 42.00, lon: 13.00, operator: Iliad, radius_km: 5, capacity_calls: 90, capacity_mbps: 50, backhaul: CORE}
  - {id: W, lat: 42.30, lon: 13.00, operator: WindTre, radius_km: 5, capacity_calls: 10, capacity_mbps: 50, backhaul: CORE}
  - {id: V, lat: 43.00, lon: 13.00, operator: Vodafone, radius_km: 5, capacity_calls: 10, capacity_mbps: 50, backhaul: CORE}
cores:
  - {id: CORE, lat: 43.50, lon: 13.00}
psaps:
  - {id: PSAP, lat: 43.51, lon: 13.00, cores: [CORE]}
"""


def test_an_areas_handsets_follow_the_market_shares_of_the_operators_present(tmp_path):
    world = World(load_topology(write(tmp_path, "t.yaml", OPERATORS)))
    share = operator_share(world)
    col = {name: i for i, name in enumerate(world.operators)}
    # Both: TIM and Iliad present, 0.30 : 0.15, whatever their sites' capacity (10 and 90 calls)
    assert share[0, col["TIM"]] == pytest.approx(2 / 3) and share[0, col["Iliad"]] == pytest.approx(1 / 3)
    assert share[0, col["Vodafone"]] == 0 and share[0, col["WindTre"]] == 0
    assert share[1, col["WindTre"]] == pytest.approx(1.0)  # Lone: only WindTre


@pytest.mark.parametrize("bad, message", [
    ("market_share: 0.15}", "market shares summing to 1"),
    ("market_share: 1.5}", r"operators\[3\]\.market_share: expected a number"),
])
def test_market_shares_that_do_not_add_up_are_refused_with_their_line(tmp_path, bad, message):
    text = OPERATORS.replace("{name: Iliad, market_share: 0.15}", "{name: Iliad, " + bad).replace(
        "{name: TIM, market_share: 0.30}", "{name: TIM, market_share: 0.40}")
    with pytest.raises(ConfigError, match=r"t\.yaml:\d+: " + ("operators: expected " if "summing" in message else "")
                       + message):
        load_topology(write(tmp_path, "t.yaml", text), cache=False)


def test_an_operator_of_the_sites_missing_from_the_shares_is_refused(tmp_path):
    text = OPERATORS.replace("  - {name: Iliad, market_share: 0.15}\n", "").replace("0.25}", "0.40}")
    with pytest.raises(ConfigError, match=r"t\.yaml:\d+: operators: expected every operator of the sites listed"):
        load_topology(write(tmp_path, "t.yaml", text), cache=False)
