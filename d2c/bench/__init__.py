"""Benchmarks: ``make bench`` (``python -m d2c.bench``) prints the figures the issues ask for.

- ``engine``: a synthetic topology of 60,000 sites, 10,000 areas and 2,000
  transport links over Italy, 72 h at 60 s with a blackout and an earthquake,
  D2C off and on (a 648-satellite direct-to-cell shell), with stage shares;
- ``traffic``: packet generation with templates against scapy one by one
  (same run), and the replay rate;
- ``national``: the national topology build from GeoNames, and the
  ``italy-blackout-2003`` scenario for 72 h with D2C on, with restoration
  off and on (the ratio of the two run times, target <= 1.5x);
- ``national-radio``: the same scenario with the indoor radio path (share indoors,
  ITU-R P.2109 building-entry loss, body loss) against every handset outdoors.
- ``europe``: a synthetic Europe-sized topology (500,000 sites, 100,000 areas,
  20,000 links; its random draws stored once by ``europe-topology`` as a ``.npz``
  in the cache folder, never committed), 72 h at 60 s with D2C on, against 60 s and 4 GB; ``scaling``: a
  sweep over 1, 2 and 4 Dask worker processes (docs/SCALING.md);
- ``commands``: the README's commands as whole processes (wall, CPU, peak memory, median of 3 after a
  warm-up) against their targets, and the traffic replay's share of the national run's CPU time;
  ``commands-national``: only the national run with and without its traffic, and that share;
- ``compare``: ``comparisons/italy-d2c.yaml`` (its 5 providers and none, its
  whole scenario library, 4 seeds) on shared terrestrial passes against each
  provider run on its own: CPU and wall time, the ratio, peak memory.

Each figure runs in its own process so that its peak memory is its own.
Nothing here is a test, only figures.
"""

from __future__ import annotations

import hashlib
import io
import json
import resource
import time
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from d2c.cluster import dask_client
from d2c.config.scenario import D2CSettings, Demand, Scenario
from d2c.config.topology_cache import cache_dir
from d2c.base.topology_model import Area, Core, Gateway, Link, Power, Psap, Site, Substation, Topology, TransportNode
from d2c.engine import Simulation
from d2c.report.files import write_atomic
from d2c.hazards.blackout import Blackout
from d2c.hazards.earthquake import Earthquake, Shock
from d2c.hazards.footprint import Footprint
from d2c.hazards.fragility import COMMUNICATION_FACILITY
from d2c.space import load_provider
from d2c.sweep import run_seed
from d2c.world import World

ITALY_BBOX = (36.6, 6.7, 47.0, 18.5)  # S, W, N, E
# Continental Europe from Lisbon to the Baltic states and Cyprus' latitude (no Russia, no Iceland)
EUROPE_BBOX = (35.0, -9.5, 62.0, 30.0)
# Europe-sized: about 450 M people (EU + UK + EFTA + Western Balkans) on about 500k sites (issue 16;
# assumed: {low: 350k, high: 650k} sites, Italy's 38k sites for 59 M people scaled by population)
EUROPE = {"n_sites": 500_000, "n_areas": 100_000, "n_links": 20_000, "median_people": 1930.0}  # lognormal sigma 1.3: mean 4,500 an area


def synthetic_topology(n_sites: int = 60_000, n_areas: int = 10_000, n_links: int = 2_000, seed: int = 1,
                       bbox: tuple[float, float, float, float] = ITALY_BBOX, name: str = "synthetic-italy",
                       median_people: float = 1800.0) -> Topology:
    """A national-size network: areas with lognormal populations, sites near them, a two-level transport tree."""
    return _assemble(_synthetic_arrays(n_sites, n_areas, n_links, seed, bbox, median_people), name)


def _synthetic_arrays(n_sites: int, n_areas: int, n_links: int, seed: int,
                      bbox: tuple[float, float, float, float], median_people: float) -> dict[str, np.ndarray]:
    """The random draws of :func:`synthetic_topology`, as plain numeric arrays (all the rest follows from
    their lengths): what the Europe bench keeps in its ``.npz`` cache entry."""
    rng = np.random.default_rng(seed)
    s, w, n, e = bbox
    a = {"area_lat": rng.uniform(s, n, n_areas), "area_lon": rng.uniform(w, e, n_areas)}
    a["population"] = np.maximum(rng.lognormal(np.log(median_people), 1.3, n_areas).astype(int), 50)
    n_cores, n_regional = 4, max(100, n_links // 20)
    n_agg = n_links - n_regional - n_cores * 2 - 100  # links: one uplink per aggregation node + the rest
    n_sub = max(500, n_sites // 120)
    a["sub_lat"], a["sub_lon"] = rng.uniform(s, n, n_sub), rng.uniform(w, e, n_sub)
    for group, count in (("core", n_cores), ("reg", n_regional), ("agg", n_agg)):
        pairs = [(float(rng.uniform(s, n)), float(rng.uniform(w, e))) for _ in range(count)]
        a[f"{group}_lat"], a[f"{group}_lon"] = np.array(pairs, dtype=float).reshape(-1, 2).T
    home = rng.integers(0, n_areas, n_sites)
    a["site_lat"] = np.clip(a["area_lat"][home] + rng.normal(0, 0.02, n_sites), -90, 90)
    a["site_lon"] = a["area_lon"][home] + rng.normal(0, 0.02, n_sites)
    a["battery_hours"] = np.round(rng.uniform(2, 8, n_sites) * 2) / 2
    pairs = [(float(rng.uniform(s, n)), float(rng.uniform(w, e))) for _ in range(20)]
    a["psap_lat"], a["psap_lon"] = np.array(pairs, dtype=float).T
    return a


def _assemble(a: dict[str, np.ndarray], name: str) -> Topology:
    """The topology of :func:`_synthetic_arrays`' draws."""
    n_areas, n_sites, n_sub = len(a["area_lat"]), len(a["site_lat"]), len(a["sub_lat"])
    n_cores, n_regional, n_agg = len(a["core_lat"]), len(a["reg_lat"]), len(a["agg_lat"])
    areas = tuple(Area(f"A{i}", f"Area {i}", float(a["area_lat"][i]), float(a["area_lon"][i]), int(a["population"][i]))
                  for i in range(n_areas))
    substations = tuple(Substation(f"SUB{i}", float(v), float(u))
                        for i, (v, u) in enumerate(zip(a["sub_lat"], a["sub_lon"])))
    power = lambda sub, hours, gen=0.0: Power(sub, hours, gen)  # noqa: E731
    cores = tuple(Core(f"CORE{i}", float(a["core_lat"][i]), float(a["core_lon"][i]), None,
                       ("voice", "sms", "data", "cbc"), power(None, 8.0, 168.0)) for i in range(n_cores))
    regional = [TransportNode(f"REG{i}", float(a["reg_lat"][i]), float(a["reg_lon"][i]), "regional",
                              power(f"SUB{i % n_sub}", 12.0, 72.0)) for i in range(n_regional)]
    agg = [TransportNode(f"AGG{i}", float(a["agg_lat"][i]), float(a["agg_lon"][i]), "aggregation",
                         power(f"SUB{i % n_sub}", 8.0)) for i in range(n_agg)]
    links = [Link(f"LA{i}", f"AGG{i}", f"REG{i % n_regional}", "fibre") for i in range(n_agg)]
    links += [Link(f"LR{i}", f"REG{i}", f"REG{(i + 1) % n_regional}", "fibre") for i in range(n_regional)]
    links += [Link(f"LC{i}", f"REG{i}", f"CORE{i % n_cores}", "fibre") for i in range(n_cores * 2)]
    links += [Link(f"LX{i}", f"AGG{i}", f"REG{(i + 7) % n_regional}", "microwave") for i in range(100)]
    operators = ("TIM", "Vodafone", "WindTre", "Iliad")
    sites = tuple(
        Site(f"S{i}", float(a["site_lat"][i]), float(a["site_lon"][i]), operators[i % 4], 8.0, 120.0, 150.0,
             f"AGG{i % n_agg}", power(f"SUB{i % n_sub}", float(a["battery_hours"][i]), 24.0 if i % 10 == 0 else 0.0))
        for i in range(n_sites)
    )
    gateways = tuple(Gateway(f"GW{i}", lat, lon, "CORE0", power(None, 72.0, 168.0))
                     for i, (lat, lon) in enumerate(((41.98, 13.60), (45.90, 9.30), (40.67, 16.60))))
    psaps = tuple(Psap(f"PSAP{i}", float(a["psap_lat"][i]), float(a["psap_lon"][i]), ("CORE0", "CORE1"), "",
                       power(None, 72.0, 168.0)) for i in range(len(a["psap_lat"])))
    return Topology(name=name, areas=areas, sites=sites, cores=cores, psaps=psaps,
                    substations=substations, nodes=tuple(regional + agg), links=tuple(links), gateways=gateways)


def national_scenario(topology: Topology, hours: float = 72.0, d2c: str | None = None,
                      blackout_km: float = 300.0) -> Scenario:
    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    quake = Earthquake((Shock(3600.0, 42.7, 13.2, 8.0, 6.5),), "normal", "random", COMMUNICATION_FACILITY)
    blackout = Blackout(Footprint(circle=(43.5, 11.5, blackout_km)), 1800.0, 20 * 3600.0)
    settings = D2CSettings(load_provider(d2c)) if d2c else None
    return Scenario(name="bench-national", topology=topology, start=start, duration_s=hours * 3600, step_s=60.0,
                    seed=1, incidents=(quake, blackout), demand=Demand(), d2c=settings)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _print_run_figures(sim: Simulation, result, memory_target_mb: float = 2048.0) -> None:
    """Peak memory, each stage's share of the loop, and the headline of a run."""
    print(f"  peak memory          {_peak_rss_mb():8.0f} MB  (target <= {memory_target_mb:.0f} MB)")
    shares = sim.stage_seconds
    total = sum(shares.values()) or 1.0
    print("  stage shares         " + ", ".join(f"{k} {v / total:.0%}" for k, v in shares.items()))
    sm = result.summary
    print(f"  graph recomputations {sm.graph_recomputations}, peak sites down {sm.peak_sites_down_fraction:.1%}, "
          f"survival {sm.emergency_service_survival:.1%} (without D2C {sm.emergency_service_survival_without_d2c:.1%})")


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


# Bumped whenever _synthetic_arrays draws differently or its arrays change: older entries are ignored.
EUROPE_FORMAT_VERSION = 1


def europe_topology(rebuild: bool = False, params: dict | None = None) -> Topology:
    """The Europe-sized synthetic topology (``EUROPE``, or ``params``), its draws kept in the cache folder.

    It is generated, never committed: ``python -m d2c.bench europe-topology`` stores the generator's
    random draws as a ``.npz`` of plain numeric arrays (read with ``allow_pickle=False``: nothing in it
    can run), written atomically and keyed by the generator's parameters, the bounding box and
    :data:`EUROPE_FORMAT_VERSION`. A missing, damaged or mismatched entry is drawn again and rewritten.
    """
    params = dict(EUROPE if params is None else params)
    path = europe_cache_path(params)
    arrays = None if rebuild else _read_arrays(path)
    if arrays is None:
        arrays = _synthetic_arrays(seed=1, bbox=EUROPE_BBOX, **params)
        buffer = io.BytesIO()
        np.savez(buffer, **arrays)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, buffer.getvalue())
    return _assemble(arrays, "synthetic-europe")


def europe_cache_path(params: dict) -> Path:
    """The ``.npz`` entry for these generator parameters (format version, seed 1, ``EUROPE_BBOX``)."""
    key = json.dumps({"format": EUROPE_FORMAT_VERSION, "seed": 1, "bbox": EUROPE_BBOX, **params}, sort_keys=True)
    return cache_dir() / "bench" / f"europe-{hashlib.sha256(key.encode()).hexdigest()[:16]}.npz"


_ARRAY_NAMES = ("area_lat", "area_lon", "population", "sub_lat", "sub_lon", "core_lat", "core_lon", "reg_lat",
                "reg_lon", "agg_lat", "agg_lon", "site_lat", "site_lon", "battery_hours", "psap_lat", "psap_lon")


def _read_arrays(path: Path) -> dict[str, np.ndarray] | None:
    """The stored draws, or None when the entry is missing or damaged (a zip member's CRC, a missing
    array, mismatched lengths or a non-numeric array)."""
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in _ARRAY_NAMES}
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        return None
    pairs = [k for k in _ARRAY_NAMES if k.endswith("_lat")]
    if any(a.dtype.kind not in "fi" or a.ndim != 1 for a in arrays.values()) \
            or any(len(arrays[k]) != len(arrays[k[:-4] + "_lon"]) for k in pairs) \
            or len(arrays["population"]) != len(arrays["area_lat"]) \
            or len(arrays["battery_hours"]) != len(arrays["site_lat"]):
        return None
    return arrays


def bench_europe_topology() -> None:
    """Build the Europe-sized topology into the cache folder (or load the stored copy)."""
    t0 = time.perf_counter()
    topology = europe_topology()
    print(f"Europe-sized synthetic topology: {len(topology.sites):,} sites, {len(topology.areas):,} areas, "
          f"{len(topology.links):,} links, {topology.population / 1e6:,.0f} M people: ready in "
          f"{time.perf_counter() - t0:.1f} s (built once, then loaded from the cache folder)")


def bench_europe(hours: float = 72.0, d2c: str | None = "starlink-dtc") -> None:
    """72 h at 60 s over the Europe-sized topology, D2C on, a 600 km blackout and an earthquake."""
    t0, c0 = time.perf_counter(), time.process_time()
    topology = europe_topology()
    t1 = time.perf_counter()
    world = World(topology)
    sim = Simulation(national_scenario(topology, hours=hours, d2c=d2c, blackout_km=600.0), world=world)
    t2, c2 = time.perf_counter(), time.process_time()
    result = sim.run()
    t3, c3 = time.perf_counter(), time.process_time()
    print(f"Europe-sized: {world.n_sites:,} sites, {len(world.area_ids):,} areas, {len(world.link_ids):,} links; "
          f"{hours:g} h at 60 s ({sim.steps:,} steps); D2C {'on (' + d2c + ')' if d2c else 'off'}")
    print(f"  load stored topology {t1 - t0:8.2f} s")
    print(f"  world + incidents    {t2 - t1:8.2f} s")
    print(f"  time loop            {t3 - t2:8.2f} s wall {c3 - c2:8.2f} s CPU ({(c3 - c2) / sim.steps * 1000:.1f} ms/step)")
    print(f"  total                {t3 - t0:8.2f} s wall {c3 - c0:8.2f} s CPU   (target <= 60 s for 72 h)")
    _print_run_figures(sim, result, memory_target_mb=4096.0)


def bench_scaling(scenario: str = "scenarios/amatrice-2016.yaml", seeds: int = 8,
                  workers: tuple[int, ...] = (1, 2, 4)) -> None:
    """``d2c sweep`` of ``seeds`` seeds on a local Dask cluster of 1, 2 and 4 worker processes
    (docs/SCALING.md): wall time from submitting to the last result, cluster start excluded."""
    import os

    from d2c.config.scenario import load_scenario

    sc = load_scenario(scenario)
    print(f"sweep scaling: {sc.name}, {seeds} seeds, {sc.steps:,} steps each; {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f} at the start")
    base = None
    for n in workers:
        with dask_client(None, n) as client:
            # warm-up, one run a worker (imports, the topology's world): seeds outside the measured ones
            client.gather([client.submit(run_seed, sc, 10_000 + k, pure=False) for k in range(n)])
            t0 = time.perf_counter()
            futures = [client.submit(run_seed, sc, seed, pure=False) for seed in range(sc.seed, sc.seed + seeds)]
            client.gather(futures)
            wall = time.perf_counter() - t0
        base = base or wall
        print(f"  {n} worker process{'es' if n > 1 else '  '}   {wall:8.1f} s   {seeds / wall * 60:6.1f} runs/min   "
              f"speed-up {base / wall:4.2f}x   (load average {os.getloadavg()[0]:.1f})")


def bench_traffic() -> None:
    from d2c.bench.traffic import bench_traffic as measure

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
    t4, c4 = time.perf_counter(), time.process_time()
    sim = Simulation(scenario)
    c_built = time.process_time()
    result = sim.run()
    t5, c5 = time.perf_counter(), time.process_time()
    print(f"italy-blackout-2003, {hours:g} h at {scenario.step_s:g} s, D2C "
          f"{'on (' + scenario.d2c.provider.name + ')' if scenario.d2c else 'off'}")
    print(f"  load YAML            {t3 - t2:8.2f} s")
    print(f"  run, restoration off {off_s:8.2f} s")
    print(f"  run, restoration on  {t5 - t4:8.2f} s   on/off {(t5 - t4) / off_s:.2f}x (target <= 1.5x)")
    # the engine-only figure in CPU time (the machine may be shared): the time loop, then with the build
    print(f"  engine only, CPU     {c5 - c_built:8.2f} s   (target <= 5 s; {c5 - c4:.2f} s with the world and "
          f"incidents built, {(c5 - c_built) / sim.steps * 1000:.2f} ms a step)")
    rs = result.restoration
    if rs is not None:
        print(f"  restoration          {rs.crews:,} crews, {rs.generators_deployed:,} generators "
              f"deployed, {rs.fuel_deliveries:,} fuel deliveries, {rs.restarts:,} restarts")
    _print_run_figures(sim, result)


def bench_national_radio(hours: float = 72.0) -> None:
    """``italy-blackout-2003`` with the radio path as it is (indoor share, ITU-R P.2109
    building-entry loss, body loss) against the same run with every handset outdoors."""
    from dataclasses import replace
    from pathlib import Path

    from d2c.config.scenario import Population, load_scenario

    path = Path(__file__).resolve().parent.parent / "scenarios" / "italy-blackout-2003.yaml"
    if not path.exists():
        print(f"  {path.name} not found: skipped")
        return
    scenario = replace(load_scenario(path), duration_s=hours * 3600.0)
    world = World(scenario.topology)
    runs = {}
    for label, population in (("outdoors (idealised)", Population(indoors=False)), ("indoor model", scenario.population)):
        t0 = time.perf_counter()
        sim = Simulation(replace(scenario, population=population), world=world)
        result = sim.run()
        runs[label] = (time.perf_counter() - t0, result)
    (t_out, r_out), (t_in, r_in) = runs.values()
    night = [i for i, t in enumerate(r_in.timeline.t_s) if t < 4 * 3600.0]
    no_out = sum(r_out.timeline.population_no_112[i] for i in night) / max(len(night), 1)
    no_in = sum(r_in.timeline.population_no_112[i] for i in night) / max(len(night), 1)
    cells = sum(r_in.timeline.population_no_112_without_d2c[i] for i in night) / max(len(night), 1)
    print(f"italy-blackout-2003, {hours:g} h at {scenario.step_s:g} s, D2C "
          f"{scenario.d2c.provider.name if scenario.d2c else 'off'}: the radio path with and without indoor losses")
    print(f"  run, all outdoors    {t_out:8.2f} s")
    print(f"  run, indoor model    {t_in:8.2f} s   ({t_in / t_out:.2f}x, target <= 1.3x)")
    print(f"  people without a 112 path, mean of the first 4 h (night): {cells:,.0f} on the cells alone, "
          f"{no_out:,.0f} with D2C all outdoors, {no_in:,.0f} with D2C and the indoor model")


def _alone_timed(item: tuple) -> tuple:
    """One separate run (``run_alone``) and the CPU time it took in this process."""
    from d2c.compare.shared import run_alone

    c = time.process_time()
    figures = run_alone(*item)
    return figures, time.process_time() - c


def bench_compare(path: str = "comparisons/italy-d2c.yaml", seeds: int = 4, only: tuple[str, ...] = (),
                  jobs: int = 1) -> None:
    """``compare``: every provider of the shipped comparison (5 and ``none``) x its whole scenario
    library x 4 seeds on shared terrestrial passes, against each provider run on its own (a complete
    ``Simulation`` per provider and seed, reading its scenario as ``d2c run`` does), in this process.

    The decision runs only: denial cases and the sensitivity are extra passes that separate
    runs would not make. Each separate run is checked to give the same figures.
    ``only``: these scenarios of the library (``python -m d2c.bench compare:NAME,NAME``), so that
    parts of the library can be measured in separate processes; the ratio is on CPU time either way.
    ``jobs``: separate runs made in this many worker processes (``compare:NAME/JOBS``), each run's
    CPU time counted in its worker.
    """
    from dataclasses import replace

    from d2c.compare import IN_PROCESS, load_comparison
    from d2c.compare.execute import execute
    from d2c.compare.plan import plan

    full = load_comparison(path)
    comparison = replace(full, scenarios=tuple(replace(s, seeds=s.seeds[:seeds]) for s in full.scenarios
                                               if not only or s.name in only), cases=(), reduced_seeds=0)
    tasks = plan(comparison)
    total = sum(t.runs for t in tasks)
    print(f"compare: {len(comparison.providers) - 1} providers and none x {len(tasks)} scenarios "
          f"({'of' if only else 'the whole'} library) x {seeds} seeds = {total} runs")
    # CPU time of this process as well as wall time: on a shared machine the wall clock
    # measures the neighbours too, and the ratio is taken on CPU time.
    # Scenario by scenario: its shared passes, then the same runs one by one (so that a partial run
    # on a busy machine still gives each finished scenario's ratio).
    cmp_wall = cmp_cpu = alone_wall = alone_cpu = 0.0
    for task in tasks:
        w, c = time.perf_counter(), time.process_time()
        runs = execute([task], IN_PROCESS)
        wall, cpu = time.perf_counter() - w, time.process_time() - c
        cmp_wall, cmp_cpu = cmp_wall + wall, cmp_cpu + cpu
        print(f"  {task.scenario:30s} compare {wall:7.1f} s wall {cpu:7.1f} s CPU   peak memory so far "
              f"{_peak_rss_mb():.0f} MB", flush=True)
        w, c = time.perf_counter(), time.process_time()
        items = [(task.path, seed, variant) for seed, variants in task.seeds for variant in variants]
        if jobs > 1:  # separate runs in worker processes, their CPU times summed
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(jobs) as pool:
                done = list(pool.map(_alone_timed, items))
        else:
            done = [_alone_timed(item) for item in items]
        for (path, seed, variant), (figures, _) in zip(items, done):
            assert figures == runs[(task.scenario, seed, variant.key)], (task.scenario, seed, variant.key)
        workers_cpu = sum(cpu for _, cpu in done) if jobs > 1 else 0.0
        wall_a, cpu_a = time.perf_counter() - w, time.process_time() - c + workers_cpu
        alone_wall, alone_cpu = alone_wall + wall_a, alone_cpu + cpu_a
        print(f"  {'':30s} alone   {wall_a:7.1f} s wall {cpu_a:7.1f} s CPU   {cpu_a / cpu:5.2f} x CPU "
              f"(all so far {alone_cpu / cmp_cpu:.2f} x, target >= 3 x)", flush=True)
    print(f"  compare (in process) {cmp_wall:8.1f} s wall {cmp_cpu:8.1f} s CPU   peak memory {_peak_rss_mb():.0f} MB "
          "(the process, the separate runs included)")
    print(f"  each provider alone  {alone_wall:8.1f} s wall {alone_cpu:8.1f} s CPU   ({total} complete runs, same figures)")
    print(f"  speed-up             {alone_cpu / cmp_cpu:8.2f} x CPU, {alone_wall / cmp_wall:.2f} x wall (target >= 3 x)")


def bench_ground_motion(n_sites: int = 40_000) -> None:
    """A national-size within-event field: 40,000 places over Italy's extent, both Jayaram-Baker ranges."""
    from d2c.hazards.correlation import RANGE_CLUSTERED_KM, RANGE_UNCLUSTERED_KM, correlated_standard_normal
    from d2c.hazards.rupture import local_km

    rng = np.random.default_rng(1)
    lat, lon = rng.uniform(36.6, 47.1, n_sites), rng.uniform(6.6, 18.5, n_sites)
    east, north = local_km(lat, lon, 41.9, 12.5)
    print(f"correlated ground-motion field, {n_sites:,} places over Italy's extent")
    for range_km in (RANGE_CLUSTERED_KM, RANGE_UNCLUSTERED_KM):
        correlated_standard_normal(east, north, range_km, rng)  # warm-up
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            correlated_standard_normal(east, north, range_km, rng)
            times.append(time.perf_counter() - t0)
        print(f"  range {range_km:4.1f} km        {float(np.median(times)):8.2f} s   (target < 2 s, median of 3)")


def bench_topology_cache() -> None:
    """The national topology: parsed from its YAML, then loaded from its compiled cache entry."""
    import os
    import tempfile

    from d2c.config.topology import load_topology

    os.environ["D2C_CACHE_DIR"] = tempfile.mkdtemp(prefix="d2c-bench-cache-")
    path = "topologies/italy.yaml"
    t0 = time.perf_counter()
    load_topology(path)  # parse, check and store
    t1 = time.perf_counter()
    times = []
    for _ in range(3):
        t = time.perf_counter()
        load_topology(path)
        times.append(time.perf_counter() - t)
    print(f"national topology ({path})")
    print(f"  YAML parse + store   {t1 - t0:8.2f} s")
    print(f"  cached load          {float(np.median(times)):8.2f} s   (target < 1 s, median of 3)")


def _timed_command(args: list[str]) -> tuple[float, float, float]:
    """Wall time (s), CPU time (s, user + system) and peak memory (MB) of one whole ``d2c`` process,
    as a user runs it (interpreter start, imports, topology load, the command, its outputs)."""
    import os
    import subprocess
    import sys

    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "d2c", *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"d2c {' '.join(args)} failed: {proc.stderr.read().decode(errors='replace')[-400:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0


# The commands of the README's "Use" section, as a user types them (the result files they read are
# written by the runs before them). (label, arguments, wall target s, memory target MB): targets from
# issue 16 where it sets one; None where no target is set. Not timed here, being long by nature or
# measured by another figure: `traffic` (a multi-GB capture), `sweep` and `compare` (figures
# `scaling` and `compare`), `hindcast`, `drill` (interactive).
def _commands(out: str) -> list[tuple[str, list[str], float | None, float | None]]:
    national, amatrice = "scenarios/italy-blackout-2003.yaml", "scenarios/amatrice-2016.yaml"
    return [
        ("run amatrice-2016 (make run), default traffic", ["run", amatrice, "--json", f"{out}/a.json", "--quiet"],
         None, None),
        ("run national blackout, default traffic", ["run", national, "--json", f"{out}/n.json", "--quiet"],
         10.0, 1024.0),
        ("run national blackout, --no-traffic", ["run", national, "--json", f"{out}/m.json", "--quiet",
                                                 "--no-traffic"], None, None),
        ("validate national (topology from the cache)", ["validate", national], None, None),
        ("validate amatrice-2016 + centro-italia", ["validate", amatrice, "topologies/centro-italia.yaml"],
         None, None),
        ("report national --format html", ["report", f"{out}/n.json", "--format", "html", "--out", f"{out}/n.html"],
         None, None),
        ("export national --format geojson", ["export", f"{out}/n.json", "--format", "geojson", "--out",
                                              f"{out}/n.geojson"], None, None),
        ("explain amatrice-2016 Amatrice", ["explain", f"{out}/a.json", "Amatrice"], None, None),
        ("sky over Amatrice, starlink-dtc", ["sky", "--lat", "42.63", "--lon", "13.29", "--at",
                                            "2016-08-24T01:40:00Z", "--provider", "starlink-dtc"], None, None),
        ("linkbudget starlink-dtc at 45 deg", ["linkbudget", "--provider", "starlink-dtc", "--elevation-deg", "45"],
         None, None),
    ]


NATIONAL_RUNS = ("run national blackout, default traffic", "run national blackout, --no-traffic")


def bench_commands(runs: int = 3, only: tuple[str, ...] = ()) -> None:
    """The commands of the README, timed as whole processes: median of ``runs`` after a warm-up.
    ``only``: these commands' labels (figure ``commands-national``: the national run with and without
    its traffic, and the replay's share).

    The warm-up also fills the compiled topology cache, as a user's first run does. The machine's
    load average is printed before and after (its other jobs lengthen the wall times; CPU time is
    the process's own).
    """
    import os
    import tempfile

    out = tempfile.mkdtemp(prefix="d2c-bench-")
    print(f"whole commands as a user types them (median of {runs} after a warm-up): wall time, CPU time "
          f"(user + system), peak memory; {os.cpu_count()} CPUs, load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} at the start")
    cpus = {}
    for label, args, wall_target, mb_target in _commands(out):
        if only and label not in only:
            continue
        _timed_command(args)
        figures = [_timed_command(args) for _ in range(runs)]
        wall, cpu, mb = (float(np.median([f[k] for f in figures])) for k in range(3))
        cpus[label] = cpu
        target = (f"target <= {wall_target:g} s, <= {mb_target:g} MB: "
                  f"{'met' if wall <= wall_target and mb <= mb_target else 'NOT met'}" if wall_target
                  else "no target set")
        print(f"  {label:<46} {wall:7.2f} s wall {cpu:7.2f} s CPU {mb:6.0f} MB   ({target})", flush=True)
    # on CPU time: the wall clock of a shared machine measures the neighbours too
    if all(label in cpus for label in NATIONAL_RUNS):
        default, bare = (cpus[label] for label in NATIONAL_RUNS)
        share = max(default - bare, 0.0) / default
        print(f"  traffic replay share of the national run   {share:7.0%}   of its CPU time (target <= 20%: "
              f"{'met' if share <= 0.20 else 'NOT met'})")
    print(f"  load average at the end {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


FIGURES = {
    "engine": lambda: bench_engine(),
    "engine-d2c": lambda: bench_engine(d2c="starlink-dtc"),
    "traffic": bench_traffic,
    "national": bench_national,
    "national-radio": bench_national_radio,
    "compare": bench_compare,
    "ground-motion": bench_ground_motion,
    "topology-cache": bench_topology_cache,
    "commands": bench_commands,
    "commands-national": lambda: bench_commands(only=NATIONAL_RUNS),
    "europe-topology": bench_europe_topology,
    "europe": bench_europe,
    "scaling": bench_scaling,
}


USAGE = ("usage: python -m d2c.bench [FIGURE ...]   (no figure: all of them, each in its own process); "
         "figures: " + ", ".join(FIGURES) + ", compare:NAME[,NAME...][/JOBS]")


def _unknown(names: list[str]) -> str | None:
    """The first name that is not a figure (``compare:NAMES[/JOBS]`` is one), or None."""
    for name in names:
        if name in FIGURES:
            continue
        picked, _, jobs = name.partition(":")[2].partition("/")
        if name.startswith("compare:") and picked and (not jobs or jobs.isdigit() and int(jobs) > 0):
            continue
        return name
    return None


def main(argv: list[str] | None = None) -> None:
    """Print the named figures (all of them without a name). ``-h``/``--help``: the figure names, status 0;
    an unknown name: one line naming it and the figures, status 2 (no traceback)."""
    import subprocess
    import sys

    names = (argv if argv is not None else sys.argv[1:]) or list(FIGURES)
    if any(name in ("-h", "--help") for name in names):
        print(USAGE)
        raise SystemExit(0)
    bad = _unknown(names)
    if bad is not None:
        sys.stderr.write(f"python -m d2c.bench: unknown figure {bad!r}; {USAGE.split('; ', 1)[1]}\n")
        raise SystemExit(2)
    if len(names) == 1:
        if names[0].startswith("compare:"):
            picked, _, jobs = names[0].split(":", 1)[1].partition("/")
            bench_compare(only=tuple(picked.split(",")), jobs=int(jobs or 1))
            return
        FIGURES[names[0]]()
        return
    for name in names:  # one process each, so peak memory is per figure
        subprocess.run([sys.executable, "-m", "d2c.bench", name], check=True)
        print()
