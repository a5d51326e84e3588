"""Shared fixtures: small hand-made topologies written as real YAML files."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Two villages 10 km apart on a tiny network:
#   S1 (village A) -> AGG1 ==fibre L1/L2 (two routes)== REG -> CORE -> PSAP
#   S2 (village B) -> AGG1 as well; S3 (village B) hangs off S2 by microwave.
SMALL_TOPOLOGY = """
name: small
areas:
  - {name: Alpha, lat: 42.00, lon: 13.00, population: 1000}
  - {name: Beta, lat: 42.09, lon: 13.00, population: 500}
substations:
  - {id: SUB, lat: 42.05, lon: 13.00}
sites:
  - {id: S1, lat: 42.00, lon: 13.00, operator: TIM, radius_km: 3, capacity_calls: 10, capacity_mbps: 50,
     backhaul: AGG1, substation: SUB, battery_hours: 4}
  - {id: S2, lat: 42.09, lon: 13.00, operator: TIM, radius_km: 3, capacity_calls: 10, capacity_mbps: 50,
     backhaul: AGG1, substation: SUB, battery_hours: 4, generator_hours: 2}
  - {id: S3, lat: 42.09, lon: 13.01, operator: Vodafone, radius_km: 3, capacity_calls: 5, capacity_mbps: 50,
     backhaul: S2, substation: SUB, battery_hours: 4}
transport:
  nodes:
    - {id: AGG1, lat: 42.05, lon: 13.00, battery_hours: 8}
    - {id: REG, lat: 42.50, lon: 13.00, battery_hours: 8}
  links:
    - {id: L1, a: AGG1, b: REG}
    - {id: L2, a: AGG1, b: REG, route: [[42.30, 13.20]]}
    - {id: L3, a: REG, b: CORE}
cores:
  - {id: CORE, lat: 42.60, lon: 13.00}
psaps:
  - {id: PSAP, lat: 42.61, lon: 13.00, cores: [CORE]}
"""


# The small topology with two operators' cores: TIM's (S1, S2) and Vodafone's (S3), both behind PSAP.
TWO_CORES_TOPOLOGY = SMALL_TOPOLOGY.split("cores:")[0].replace(
    "    - {id: L3, a: REG, b: CORE}", "    - {id: L3, a: REG, b: CORE}\n    - {id: L4, a: REG, b: CORE2}") + """cores:
  - {id: CORE, lat: 42.60, lon: 13.00, operator: TIM}
  - {id: CORE2, lat: 42.62, lon: 13.00, operator: Vodafone}
psaps:
  - {id: PSAP, lat: 42.61, lon: 13.00, cores: [CORE, CORE2]}
"""

# The small topology plus a satellite gateway near the villages, attached to the core.
WITH_GATEWAY = SMALL_TOPOLOGY + """
gateways:
  - {id: GW, lat: 42.2, lon: 13.4, core: CORE, battery_hours: 8}
"""


# The model-branch network (tests/test_model_branches.py draws it): S1 (TIM, 30 calls) covers Alpha
# (1000 people) and Beta (500); S4 (TIM) hangs off S1 by microwave and covers Delta (200); S2 (TIM)
# and S3 (Vodafone, no battery), 10 calls each, cover Gamma (300); AGG3 -> CORE2 is an island.
BRANCHES = """
name: branches
areas:
  - {name: Alpha, lat: 42.000, lon: 13.000, population: 1000}
  - {name: Beta, lat: 42.010, lon: 13.000, population: 500}
  - {name: Gamma, lat: 42.300, lon: 13.000, population: 300}
  - {name: Delta, lat: 42.600, lon: 13.000, population: 200}
substations:
  - {id: SUB, lat: 42.05, lon: 13.00}
sites:
  - {id: S1, lat: 42.005, lon: 13.000, operator: TIM, radius_km: 3, capacity_calls: 30, capacity_mbps: 50,
     backhaul: AGG1, substation: SUB, battery_hours: 4}
  - {id: S2, lat: 42.300, lon: 13.000, operator: TIM, radius_km: 3, capacity_calls: 10, capacity_mbps: 50,
     backhaul: AGG2, substation: SUB, battery_hours: 4}
  - {id: S3, lat: 42.300, lon: 13.001, operator: Vodafone, radius_km: 3, capacity_calls: 10, capacity_mbps: 50,
     backhaul: AGG2, substation: SUB, battery_hours: 0}
  - {id: S4, lat: 42.600, lon: 13.000, operator: TIM, radius_km: 3, capacity_calls: 10, capacity_mbps: 50,
     backhaul: S1, substation: SUB, battery_hours: 4}
transport:
  nodes:
    - {id: AGG1, lat: 42.05, lon: 13.00, battery_hours: 8}
    - {id: AGG2, lat: 42.35, lon: 13.00, battery_hours: 8}
    - {id: REG, lat: 42.50, lon: 13.20, battery_hours: 8}
    - {id: AGG3, lat: 43.50, lon: 13.00, battery_hours: 8}
  links:
    - {id: L1, a: AGG1, b: REG}
    - {id: L2, a: AGG2, b: REG}
    - {id: L3, a: REG, b: CORE}
    - {id: L4, a: AGG3, b: CORE2}
cores:
  - {id: CORE, lat: 42.60, lon: 13.30}
  - {id: CORE2, lat: 43.60, lon: 13.00}
psaps:
  - {id: PSAP, lat: 42.61, lon: 13.30, cores: [CORE]}
  - {id: PSAP2, lat: 43.61, lon: 13.00, cores: [CORE2]}
"""

def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def sites_broken_by_a_quake(tmp_path: Path, topology: str, seeds, magnitude: float) -> "np.ndarray":
    """(seeds x sites) bool: the sites an earthquake under the topology's first spot breaks, seed by seed.

    The topology is written as ``tower.yaml``; the shock is at 42.0 N 13.0 E, a minute into a 1 h run.
    """
    import numpy as np

    from d2c.config.scenario import load_scenario
    from d2c.engine import Simulation

    write(tmp_path, "tower.yaml", topology)
    rows = []
    for seed in seeds:
        path = write(tmp_path, "s.yaml", f"""
name: tower
topology: tower.yaml
start: 2024-01-01T00:00:00Z
duration: 1h
seed: {seed}
restoration: off
incidents: [{{kind: earthquake, at: T+1m, lat: 42.0, lon: 13.0, magnitude: {magnitude}, mechanism: normal}}]
""")
        sim = Simulation(load_scenario(path))
        rows.append(np.isfinite(sim.effects.equipment_damage_s[sim.world.slices["site"]]))
    return np.array(rows)


def scenario_text(incidents: str = "[]", extra: str = "", duration: str = "12h") -> str:
    return f"""
name: test
topology: small.yaml
start: 2024-01-01T00:00:00Z
duration: {duration}
step: 60s
seed: 7
incidents: {incidents}
{extra}
"""


@pytest.fixture
def small(tmp_path):
    """Write the small topology; return a function that writes a scenario on it and returns its path."""
    write(tmp_path, "small.yaml", SMALL_TOPOLOGY)

    def make(incidents: str = "[]", extra: str = "", duration: str = "12h") -> Path:
        return write(tmp_path, "scenario.yaml", scenario_text(incidents, extra, duration))

    return make


@pytest.fixture
def gw(tmp_path):
    """Write the small topology with its satellite gateway; return a function that writes a scenario
    on it (by default D2C from starlink-dtc, 2 h) and returns its path."""
    write(tmp_path, "small.yaml", WITH_GATEWAY)

    def make(incidents: str = "[]", extra: str = "d2c: {provider: starlink-dtc}", duration: str = "2h") -> Path:
        return write(tmp_path, "scenario.yaml", scenario_text(incidents, extra, duration))

    return make


def tshark_path() -> str:
    """Wireshark's tshark, which `make test` installs (`make tools`): a missing one fails, never skips."""
    path = shutil.which("tshark")
    if path is None:
        pytest.fail("tshark is not on PATH: these tests read the captures back with Wireshark's "
                    "dissectors. `make test` installs it (`make tools`).", pytrace=False)
    return path


@pytest.fixture(autouse=True, scope="session")
def _topology_cache(tmp_path_factory):
    """The compiled topology cache of this test run, never the user's (commands run here inherit it).

    Under pytest-xdist (``make test`` runs two workers) the workers of one run share it, so the
    national topology is parsed once per run, not once per worker: entries are written atomically,
    and a worker that finds no entry yet parses the YAML itself, as a user's first run does.
    """
    import os

    if not os.environ.get("PYTEST_XDIST_WORKER"):
        folder = tmp_path_factory.mktemp("topology-cache")
    else:  # the run's own base folder, above each worker's
        folder = tmp_path_factory.getbasetemp().parent / "topology-cache"
        folder.mkdir(exist_ok=True)
    os.environ["D2C_CACHE_DIR"] = str(folder)


# ------------------------------------------------------------------ how two workers share the suite
#
# `make test` runs `pytest -n 2 --dist loadfile`, and the scheduler below makes each group run on one
# worker, and the groups are handed out in the order of this list, the costliest first, so that the
# last ones to finish are short. A test file is one group (its module fixtures run once), except:
# - a folder whose files share session fixtures is one group, so each build runs once a run;
# - a file whose tests share nothing costly is split test by test, so its long tests run side by side.
# Costs are CPU seconds on one worker (measured with `make test` on a 2-core machine; docs/TESTING.md).
# A file missing from the list runs after these, in collection order: list a new costly file here.
SHARED_FOLDERS = ("tests/topology/",)  # national, Lazio and Amatrice builds (tests/topology/conftest.py)
SPLIT_FILES = ("tests/robust/test_kill.py",)  # each kill test sets up its own run
COSTLIEST_FIRST = (
    "tests/test_scenarios.py",                # 41 s: every shipped scenario, the national one included
    "tests/topology/",                        # 24 s
    "tests/robust/test_kill.py::test_kill_9_during_a_checkpointed_run_then_resume_gives_the_same_bytes",
    "tests/test_compare.py",                  # 19 s
    "tests/test_end_to_end.py",               # 15 s
    "tests/traffic/test_traffic_messages.py",  # 15 s
    "tests/test_commands_output.py",          # 14 s
    "tests/test_traffic_run.py",              # 13 s
    "tests/drill/test_drill_report.py",       # 13 s
    "tests/robust/test_sweep_faults.py",      # 15 s
    "tests/robust/test_checkpoint.py",        # 10 s
    "tests/test_sweep.py",                    # 9 s
    "tests/drill/test_drill_amatrice.py",     # 9 s
    "tests/drill/test_drill_save.py",         # 8 s
    "tests/restoration/test_crews.py",        # 8 s
    "tests/robust/test_kill.py::test_sigint_during_start_up_and_run_is_one_line_and_status_130",
    "tests/robust/test_kill.py::test_kill_9_during_report_never_leaves_a_partial_document",
    "tests/test_documents.py",                # 7 s
    "tests/drill/test_serve.py",              # 6 s
    "tests/restoration/test_power.py",        # 5 s
    "tests/test_topology_cache.py",           # 5 s
    "tests/robust/test_kill.py::test_kill_9_during_run_never_leaves_a_partial_result",
)


def worker_group(nodeid: str) -> str:
    """The group a test runs in under ``--dist loadgroup``: its file, its shared folder, or itself.

    >>> worker_group("tests/topology/test_topology_model.py::test_x")
    'tests/topology/'
    >>> worker_group("tests/robust/test_kill.py::test_y[run]")
    'tests/robust/test_kill.py::test_y[run]'
    >>> worker_group("tests/test_engine.py::test_z")
    'tests/test_engine.py'
    """
    path = nodeid.split("::", 1)[0]
    for folder in SHARED_FOLDERS:
        if path.startswith(folder):
            return folder
    return nodeid if path in SPLIT_FILES else path


def pytest_xdist_make_scheduler(config, log):
    """``--dist loadfile`` hands out the groups of ``worker_group``, in the order the workers collected them."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class GroupScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return worker_group(nodeid)

    config.option.loadscopereorder = False  # keep the costliest-first order below, not the largest-first
    return GroupScheduling(config, log)


def pytest_collection_modifyitems(config, items):
    """On an xdist worker: the costliest groups first, each group's tests together, in file order."""
    if not hasattr(config, "workerinput"):
        return
    order = {name: rank for rank, name in enumerate(COSTLIEST_FIRST)}
    groups: dict[str, list] = {}
    for item in items:
        groups.setdefault(worker_group(item.nodeid), []).append(item)
    first_seen = {group: rank for rank, group in enumerate(groups)}
    ranked = sorted(groups, key=lambda group: (order.get(group, len(order)), first_seen[group]))
    items[:] = [item for group in ranked for item in groups[group]]
