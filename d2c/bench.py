"""Benchmarks: ``make bench`` (``python -m d2c.bench``) prints the figures the issues ask for.

- ``engine``: a synthetic topology of 60,000 sites, 10,000 areas and 2,000
  transport links over Italy, 72 h at 60 s with a blackout and an earthquake,
  D2C off and on (a 648-satellite direct-to-cell shell), with stage shares;
- ``traffic``: packet generation with templates against scapy one by one
  (same run), and the replay rate;
- ``national``: the national topology build from GeoNames, and the
  ``italy-blackout-2003`` scenario for 72 h with D2C on, with restoration
  off and on (the ratio of the two run times, target <= 1.5x).

Each figure runs in its own process so that its peak memory is its own.
Nothing here is a test, only figures.
"""

from __future__ import annotations

import resource
import time
from datetime import datetime, timezone

import numpy as np

from d2c.config.scenario import D2CSettings, Demand, Scenario
from d2c.config.topology import Area, Core, Gateway, Link, Power, Psap, Site, Substation, Topology, TransportNode
from d2c.engine import Simulation
from d2c.hazards.blackout import Blackout
from d2c.hazards.earthquake import Earthquake, Shock
from d2c.hazards.footprint import Footprint
from d2c.damage import COMMUNICATION_FACILITY
from d2c.space import load_provider
from d2c.world import World

ITALY_BBOX = (36.6, 6.7, 47.0, 18.5)  # S, W, N, E


def synthetic_topology(n_sites: int = 60_000, n_areas: int = 10_000, n_links: int = 2_000, seed: int = 1) -> Topology:
    """A national-size network: areas with lognormal populations, sites near them, a two-level transport tree."""
    rng = np.random.default_rng(seed)
    s, w, n, e = ITALY_BBOX
    area_lat, area_lon = rng.uniform(s, n, n_areas), rng.uniform(w, e, n_areas)
    population = np.maximum(rng.lognormal(7.5, 1.3, n_areas).astype(int), 50)
    areas = tuple(Area(f"A{i}", f"Area {i}", float(area_lat[i]), float(area_lon[i]), int(population[i]))
                  for i in range(n_areas))
    n_cores, n_regional = 4, 100
    n_agg = n_links - n_regional - n_cores * 2 - 100  # links: one uplink per aggregation node + the rest
    substations = tuple(Substation(f"SUB{i}", float(v), float(u))
                        for i, (v, u) in enumerate(zip(rng.uniform(s, n, 500), rng.uniform(w, e, 500))))
    power = lambda sub, hours, gen=0.0: Power(sub, hours, gen)  # noqa: E731
    cores = tuple(Core(f"CORE{i}", float(rng.uniform(s, n)), float(rng.uniform(w, e)), None,
                       ("voice", "sms", "data", "cbc"), power(None, 8.0, 168.0)) for i in range(n_cores))
    regional = [TransportNode(f"REG{i}", float(rng.uniform(s, n)), float(rng.uniform(w, e)), "regional",
                              power(f"SUB{i}", 12.0, 72.0)) for i in range(n_regional)]
    agg = [TransportNode(f"AGG{i}", float(rng.uniform(s, n)), float(rng.uniform(w, e)), "aggregation",
                         power(f"SUB{i % 500}", 8.0)) for i in range(n_agg)]
    links = [Link(f"LA{i}", f"AGG{i}", f"REG{i % n_regional}", "fibre") for i in range(n_agg)]
    links += [Link(f"LR{i}", f"REG{i}", f"REG{(i + 1) % n_regional}", "fibre") for i in range(n_regional)]
    links += [Link(f"LC{i}", f"REG{i}", f"CORE{i % n_cores}", "fibre") for i in range(n_cores * 2)]
    links += [Link(f"LX{i}", f"AGG{i}", f"REG{(i + 7) % n_regional}", "microwave") for i in range(100)]
    home = rng.integers(0, n_areas, n_sites)
    site_lat = area_lat[home] + rng.normal(0, 0.02, n_sites)
    site_lon = area_lon[home] + rng.normal(0, 0.02, n_sites)
    battery = np.round(rng.uniform(2, 8, n_sites) * 2) / 2
    operators = ("TIM", "Vodafone", "WindTre", "Iliad")
    sites = tuple(
        Site(f"S{i}", float(np.clip(site_lat[i], -90, 90)), float(site_lon[i]), operators[i % 4], 8.0, 120.0, 150.0,
             f"AGG{i % n_agg}", power(f"SUB{i % 500}", float(battery[i]), 24.0 if i % 10 == 0 else 0.0))
        for i in range(n_sites)
    )
    gateways = tuple(Gateway(f"GW{i}", lat, lon, "CORE0", power(None, 72.0, 168.0))
                     for i, (lat, lon) in enumerate(((41.98, 13.60), (45.90, 9.30), (40.67, 16.60))))
    psaps = tuple(Psap(f"PSAP{i}", float(rng.uniform(s, n)), float(rng.uniform(w, e)), ("CORE0", "CORE1"), "",
                       power(None, 72.0, 168.0)) for i in range(20))
    return Topology(name="synthetic-italy", areas=areas, sites=sites, cores=cores, psaps=psaps,
                    substations=substations, nodes=tuple(regional + agg), links=tuple(links), gateways=gateways)


def national_scenario(topology: Topology, hours: float = 72.0, d2c: str | None = None) -> Scenario:
    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    quake = Earthquake((Shock(3600.0, 42.7, 13.2, 8.0, 6.5),), "normal", "random", COMMUNICATION_FACILITY)
    blackout = Blackout(Footprint(circle=(43.5, 11.5, 300.0)), 1800.0, 20 * 3600.0)
    settings = D2CSettings(load_provider(d2c)) if d2c else None
    return Scenario(name="bench-national", topology=topology, start=start, duration_s=hours * 3600, step_s=60.0,
                    seed=1, incidents=(quake, blackout), demand=Demand(), d2c=settings)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _print_run_figures(sim: Simulation, result) -> None:
    """Peak memory, each stage's share of the loop, and the headline of a run."""
    print(f"  peak memory          {_peak_rss_mb():8.0f} MB  (target <= 2048 MB)")
    shares = sim.stage_seconds
    total = sum(shares.values()) or 1.0
    print("  stage shares         " + ", ".join(f"{k} {v / total:.0%}" for k, v in shares.items()))
    sm = result.summary
    print(f"  graph recomputations {sm['graph_recomputations']}, peak sites down {sm['peak_sites_down_fraction']:.1%}, "
          f"survival {sm['emergency_service_survival']:.1%} (without D2C {sm['emergency_service_survival_without_d2c']:.1%})")


def bench_engine(d2c: str | None = None) -> None:
    t0 = time.perf_counter()
    topology = synthetic_topology()
    t1 = time.perf_counter()
    scenario = national_scenario(topology, d2c=d2c)
    world = World(topology)
    sim = Simulation(scenario, world=world)
    t2 = time.perf_counter()
    result = sim.run()
    t3 = time.perf_counter()
    print("engine, national scale: 60,000 sites, 10,000 areas, 2,000 links; 72 h at 60 s (4,320 steps); "
          + (f"D2C on ({d2c}, {len(sim.space.segment.constellation)} satellites)" if d2c else "D2C off"))
    print(f"  build topology       {t1 - t0:8.2f} s")
    print(f"  world + incidents    {t2 - t1:8.2f} s")
    print(f"  time loop            {t3 - t2:8.2f} s   ({(t3 - t2) / sim.steps * 1000:.2f} ms/step)")
    print(f"  total wall           {t3 - t0:8.2f} s   (target <= 60 s)")
    _print_run_figures(sim, result)


def bench_traffic() -> None:
    from d2c.traffic import bench_traffic as measure

    figures = measure()
    gen, replay = figures["generation"], figures["replay"]
    print("traffic: packets built with scapy once per kind and stamped with numpy, against scapy one by one")
    for kind in ("rtp", "invite", "call_mix"):
        g = gen[kind]
        print(f"  {kind:<8} templates {g['template_pps']:>12,.0f} pkt/s   scapy {g['scapy_pps']:>9,.0f} pkt/s   "
              f"ratio {g['ratio']:>7,.0f}x  (target >= 50x)")
    print(f"  replay   {replay['packets_per_s']:>12,.0f} pkt/s over {replay['packets']:,} packets "
          f"(target >= 1,000,000 pkt/s)")
    print(f"  peak memory          {_peak_rss_mb():8.0f} MB")


def bench_national(hours: float = 72.0) -> None:
    from dataclasses import replace
    from pathlib import Path

    from d2c.config.scenario import load_scenario
    from d2c.topology import build_topology

    t0 = time.perf_counter()
    topology = build_topology(country="IT", seed=1, name="italy")
    t1 = time.perf_counter()
    print(f"national topology build (GeoNames, {len(topology['areas']):,} areas, {len(topology['sites']):,} sites): "
          f"{t1 - t0:.2f} s")
    path = Path(__file__).resolve().parent.parent / "scenarios" / "italy-blackout-2003.yaml"
    if not path.exists():
        print(f"  {path.name} not found: skipped")
        return
    t2 = time.perf_counter()
    scenario = replace(load_scenario(path), duration_s=hours * 3600.0)
    t3 = time.perf_counter()
    # restoration off first (the scenario as a fixed schedule), then on with its defaults
    off_s = time.perf_counter()
    Simulation(replace(scenario, restoration=None)).run()
    off_s = time.perf_counter() - off_s
    t4 = time.perf_counter()
    sim = Simulation(scenario)
    result = sim.run()
    t5 = time.perf_counter()
    print(f"italy-blackout-2003, {hours:g} h at {scenario.step_s:g} s, D2C "
          f"{'on (' + scenario.d2c.provider.name + ')' if scenario.d2c else 'off'}")
    print(f"  load YAML            {t3 - t2:8.2f} s")
    print(f"  run, restoration off {off_s:8.2f} s")
    print(f"  run, restoration on  {t5 - t4:8.2f} s   (target <= 60 s); on/off {(t5 - t4) / off_s:.2f}x "
          "(target <= 1.5x)")
    rs = result.restoration or {}
    print(f"  restoration          {rs.get('crews', 0):,} crews, {rs.get('generators_deployed', 0):,} generators "
          f"deployed, {rs.get('fuel_deliveries', 0):,} fuel deliveries, {rs.get('restarts', 0):,} restarts")
    _print_run_figures(sim, result)


FIGURES = {
    "engine": lambda: bench_engine(),
    "engine-d2c": lambda: bench_engine(d2c="starlink-dtc"),
    "traffic": bench_traffic,
    "national": bench_national,
}


def main(argv: list[str] | None = None) -> None:
    import subprocess
    import sys

    names = (argv if argv is not None else sys.argv[1:]) or list(FIGURES)
    if len(names) == 1:
        FIGURES[names[0]]()
        return
    for name in names:  # one process each, so peak memory is per figure
        subprocess.run([sys.executable, "-m", "d2c.bench", name], check=True)
        print()


if __name__ == "__main__":
    main()
