"""Crew pools on the small two-village network: who looks after what, how many crews, and each drive by hand.

Hand figures: one degree of latitude is 6371.0 km x pi / 180 = 111.19 km, so along a meridian
0.05 deg = 5.560 km. Crews drive great-circle distance x detour 1.3 at 50 km/h: 93.6 s per km.
"""

from __future__ import annotations

import numpy as np
import pytest

from d2c.config.topology import load_topology
from d2c.restoration.pools import EQUIPMENT, LINK, SUBSTATION, build_pools
from d2c.restoration.settings import RestorationSettings
from d2c.world import World
from tests.conftest import SMALL_TOPOLOGY, write

S_PER_KM = 1.3 / 50.0 * 3600.0  # 93.6 s
KM_PER_DEG = 111.19

# Alpha (S1) in one region, Beta (S2, S3, and everything north of it) in another; REG a regional node.
# Alpha, the first area, is in the region that sorts second.
REGIONS = (SMALL_TOPOLOGY.replace("population: 1000}", "population: 1000, region: Molise}")
           .replace("population: 500}", "population: 500, region: Lazio}")
           .replace("{id: REG, lat: 42.50, lon: 13.00,", "{id: REG, lat: 42.50, lon: 13.00, kind: regional,")
           # a second substation where AGG1 stands, feeding nothing
           .replace("  - {id: SUB, lat: 42.05, lon: 13.00}", "  - {id: SUB, lat: 42.05, lon: 13.00}\n  - {id: SUB2, lat: 42.05, lon: 13.00}"))

SETTINGS = RestorationSettings(crews_per_100_sites=180, operator_crews_per_100_sites={"Vodafone": 40},
                               network_crews_per_region=4, splicing_crews_per_region=5, substation_crews_per_region=6,
                               generators_per_100_sites=120, operator_generators_per_100_sites={"Vodafone": 300},
                               network_generators_per_region=7, trucks_per_region=3, speed_kmh=50, detour_factor=1.3)


@pytest.fixture(scope="module")
def worlds(tmp_path_factory):
    d = tmp_path_factory.mktemp("pools")
    return (World(load_topology(write(d, "regions.yaml", REGIONS))),
            World(load_topology(write(d, "small.yaml", SMALL_TOPOLOGY))))


def test_a_pool_per_kind_operator_and_region(worlds):
    regions, small = worlds
    pools = build_pools(regions, SETTINGS)
    # S1 is nearest Alpha (Molise); S2, S3, the nodes, the links' midpoints and SUB are nearest Beta (Lazio)
    assert pools.names == ["field/TIM/Lazio", "field/TIM/Molise", "field/Vodafone/Lazio", "grid/Lazio",
                           "network/Lazio", "splicing/Lazio"]
    assert pools.target_pool[EQUIPMENT].tolist() == [1, 0, 2, 4, 4, 4, 4]  # S1 S2 S3 AGG1 REG CORE PSAP
    assert pools.target_pool[LINK].tolist() == [5, 5, 5] and pools.target_pool[SUBSTATION].tolist() == [3, 3]
    assert build_pools(small, SETTINGS).names == ["field/TIM", "field/Vodafone", "grid", "network", "splicing"]


def test_crews_generators_and_trucks_per_pool(worlds):
    pools = build_pools(worlds[0], SETTINGS)
    # field crews: 180 per 100 sites x 1 site = 1.8 -> 2; Vodafone's own 40 x 1 = 0.4 -> 0, raised to the minimum 1;
    # grid, network and splicing crews per region as set
    assert pools.crews.tolist() == [2, 2, 1, 6, 4, 5]
    # generators: 120 per 100 sites x 1 = 1.2 -> 1; Vodafone's 300 x 1 = 3; the network pool's 7; none for the
    # grid and splicing crews. Fuel trucks for the operators' and the network pools only.
    assert pools.generators.tolist() == [1, 1, 3, 0, 7, 0]
    assert pools.trucks.tolist() == [3, 3, 3, 0, 3, 0]
    assert pools.crew_pool.tolist() == [0, 0, 1, 1, 2, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 5]
    assert pools.truck_pool.tolist() == [0, 0, 0, 1, 1, 1, 2, 2, 2, 4, 4, 4]
    more = build_pools(worlds[0], RestorationSettings(min_crews_per_pool=3, crews_per_100_sites=180))
    assert more.crews[:3].tolist() == [3, 3, 3]
    # one region: TIM's two sites in one pool. 75.25 per 100 sites x 2 = 1.505 -> 2 crews and 2 generators;
    # Vodafone's one site: 0.7525 -> 1 generator
    one = build_pools(worlds[1], RestorationSettings(crews_per_100_sites=75.25, generators_per_100_sites=75.25))
    assert one.crews[:2].tolist() == [2, 1] and one.generators[:2].tolist() == [2, 1]


def test_each_job_is_a_drive_from_the_depot_nearest_its_pool(worlds):
    pools = build_pools(worlds[0], SETTINGS)
    travel = pools.travel_s
    # field/TIM/Molise is S1 alone: depot AGG1, 0.05 deg north: 5.560 km
    assert travel[EQUIPMENT][0] == pytest.approx(0.05 * KM_PER_DEG * S_PER_KM, rel=1e-3)
    # field/TIM/Lazio is S2 alone: depot AGG1, 0.04 deg south: 4.448 km
    assert travel[EQUIPMENT][1] == pytest.approx(0.04 * KM_PER_DEG * S_PER_KM, rel=1e-3)
    # S3 (42.09, 13.01) from AGG1 (42.05, 13.00): 4.448 km north, 0.01 deg x cos 42.07 x 111.19 = 0.826 km east
    assert travel[EQUIPMENT][2] == pytest.approx(np.hypot(4.448, 0.826) * S_PER_KM, rel=1e-3)
    # the network pool (AGG1, REG, CORE, PSAP) centres on 42.44 N: depot REG (42.50); AGG1 0.45 deg away,
    # CORE 0.10, PSAP 0.11
    assert travel[EQUIPMENT][3:].tolist() == pytest.approx(
        [0.45 * KM_PER_DEG * S_PER_KM, 0.0, 0.10 * KM_PER_DEG * S_PER_KM, 0.11 * KM_PER_DEG * S_PER_KM], rel=1e-3)
    # splicing: links at their midpoints (L1, L2 AGG1-REG at 42.275; L3 REG-CORE at 42.55): centroid 42.37, depot REG
    assert travel[LINK].tolist() == pytest.approx(
        [0.225 * KM_PER_DEG * S_PER_KM] * 2 + [0.05 * KM_PER_DEG * S_PER_KM], rel=1e-3)
    assert travel[SUBSTATION].tolist() == [0.0, 0.0]  # SUB and SUB2 stand where AGG1 does
    slower = build_pools(worlds[0], RestorationSettings(speed_kmh=25, detour_factor=1.3))
    assert slower.travel_s[EQUIPMENT][0] == pytest.approx(2 * travel[EQUIPMENT][0], rel=1e-9)


def test_people_behind_each_target(worlds):
    people = build_pools(worlds[0], SETTINGS).people
    # Alpha's 1000 on S1; Beta's 500 shared by S2 and S3, which both cover it; AGG1 carries all 1500, and so
    # does REG, which AGG1 hangs off on its way to the core; the core and the answering point serve everyone
    assert people[EQUIPMENT].tolist() == [1000.0, 250.0, 250.0, 1500.0, 1500.0, 1500.0, 1500.0]
    assert people[SUBSTATION].tolist() == [1500.0, 0.0]  # SUB feeds S1, S2 and S3; SUB2 nothing
    # AGG1-REG (both routes: either alone carries them) and REG-CORE carry everyone's way to the core
    assert people[LINK].tolist() == [1500.0, 1500.0, 1500.0]


# No transport network: sites straight on the core, no links, no substation
BARE = """
name: bare
areas:
  - {name: Alpha, lat: 42.00, lon: 13.00, population: 1000}
sites:
  - {id: S1, lat: 42.00, lon: 13.00, operator: TIM, radius_km: 3, capacity_calls: 10, capacity_mbps: 50, backhaul: CORE}
  - {id: S2, lat: 42.10, lon: 13.00, operator: TIM, radius_km: 3, capacity_calls: 10, capacity_mbps: 50, backhaul: CORE}
  - {id: S3, lat: 42.20, lon: 13.00, operator: WindTre, radius_km: 3, capacity_calls: 10, capacity_mbps: 50,
     backhaul: CORE}
cores:
  - {id: CORE, lat: 42.30, lon: 13.00}
psaps:
  - {id: PSAP, lat: 42.30, lon: 13.00, cores: [CORE]}
"""


def test_without_transport_nodes_a_pool_works_from_its_centroid(tmp_path):
    world = World(load_topology(write(tmp_path, "bare.yaml", BARE)))
    pools = build_pools(world, SETTINGS)
    assert pools.names == ["field/TIM", "field/WindTre", "network"]  # one region, named by nothing: no suffix
    # TIM's centroid 42.05 N: 0.05 deg to each site; WindTre's S3 is its own centroid; the core and answering
    # point share their place
    assert pools.travel_s[EQUIPMENT].tolist() == pytest.approx(
        [0.05 * KM_PER_DEG * S_PER_KM] * 2 + [0.0, 0.0, 0.0], abs=0.5)
    assert pools.travel_s[LINK].size == 0 and pools.people[LINK].size == 0 and pools.score[LINK].size == 0
    # S2 and S3 stand 11 and 22 km from Alpha with a 3 km radius: they cover no one
    assert pools.people[EQUIPMENT].tolist() == [1000.0, 0.0, 0.0, 1000.0, 1000.0]


def test_the_depot_is_the_nearest_node_itself(tmp_path):
    # two nodes a degree of longitude apart; S1 0.01 deg east of N0: 0.01 x cos 42 x 111.19 = 0.826 km
    nodes = BARE.replace("backhaul: CORE}", "backhaul: N0}", 1).replace("cores:", """transport:
  nodes:
    - {id: N0, lat: 42.00, lon: 12.99}
    - {id: N1, lat: 42.00, lon: 14.00}
  links:
    - {id: L1, a: N0, b: CORE}
    - {id: L2, a: N1, b: CORE}
cores:""", 1)
    world = World(load_topology(write(tmp_path, "nodes.yaml", nodes)))
    assert build_pools(world, SETTINGS).travel_s[EQUIPMENT][0] == pytest.approx(0.826 * S_PER_KM, rel=2e-3)


def order(score: np.ndarray, world: World) -> list[str]:
    return [world.equipment_ids[i] for i in np.argsort(score, kind="stable")]


def test_each_policy_orders_the_work_its_own_way(worlds):
    world = worlds[0]

    def equipment_order(policy: str) -> list[str]:
        s = RestorationSettings(policy=policy, speed_kmh=50, detour_factor=1.3)
        return order(build_pools(world, s).score[EQUIPMENT], world)

    # critical first: the core and answering point, the regional node, the aggregation node, then sites
    # (most people first among equals)
    assert equipment_order("critical_first") == ["CORE", "PSAP", "REG", "AGG1", "S1", "S2", "S3"]
    # most people first: among sites, S1 (1000) before S2 and S3 (250 each)
    sites = [i for i in equipment_order("most_people") if i.startswith("S")]
    assert sites == ["S1", "S2", "S3"]
    # nearest first: by the drives above (REG 0 s, S2 416 s, S3 423 s, S1 520 s, CORE 1041 s, PSAP, AGG1)
    assert equipment_order("nearest") == ["REG", "S2", "S3", "S1", "CORE", "PSAP", "AGG1"]
    # links: critical first takes the more critical end (REG, regional, for L1 and L2; CORE for L3)
    links = build_pools(world, RestorationSettings(policy="critical_first")).score[LINK]
    assert links[2] < links[0] == links[1]


# A chain A -> B -> CORE, and C, a node no link reaches; one village and one site on each node
CHAIN = """
name: chain
areas:
  - {name: PA, lat: 42.00, lon: 13.00, population: 100}
  - {name: PB, lat: 42.20, lon: 13.00, population: 200}
  - {name: PC, lat: 42.40, lon: 13.00, population: 50}
sites:
  - {id: SA, lat: 42.00, lon: 13.00, operator: TIM, radius_km: 3, capacity_calls: 10, capacity_mbps: 50, backhaul: A}
  - {id: SB, lat: 42.20, lon: 13.00, operator: TIM, radius_km: 3, capacity_calls: 10, capacity_mbps: 50, backhaul: B}
  - {id: SC, lat: 42.40, lon: 13.00, operator: TIM, radius_km: 3, capacity_calls: 10, capacity_mbps: 50, backhaul: C}
transport:
  nodes:
    - {id: A, lat: 42.00, lon: 13.05}
    - {id: B, lat: 42.20, lon: 13.05}
    - {id: C, lat: 42.40, lon: 13.05}
  links:
    - {id: LAB, a: A, b: B}
    - {id: LBC, a: CORE, b: B}
cores:
  - {id: CORE, lat: 42.30, lon: 13.10}
psaps:
  - {id: PSAP, lat: 42.30, lon: 13.10, cores: [CORE]}
"""


def test_a_node_carries_everyone_whose_way_to_the_core_crosses_it(tmp_path):
    world = World(load_topology(write(tmp_path, "chain.yaml", CHAIN)))
    people = build_pools(world, SETTINGS).people
    nodes = [people[EQUIPMENT][world.equipment_index[n]] for n in ("A", "B", "C")]
    # A: its own 100; B: its 200 and A's 100; C: reached by no link, its own 50
    assert nodes == [100.0, 300.0, 50.0]
    assert people[LINK].tolist() == [100.0, 300.0]  # A-B carries A's people; CORE-B (written either way) B's
