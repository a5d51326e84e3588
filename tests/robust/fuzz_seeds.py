"""The files the fuzz test mutates: one of each kind d2c reads, small enough to check in milliseconds."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from .conftest import SMALL_TOPOLOGY

ROOT = Path(__file__).resolve().parent.parent.parent

SCENARIO = """
name: fuzz
description: every section a scenario may have
topology: small.yaml
start: 2024-01-01T00:00:00Z
duration: 2h
step: 60s
seed: 7
demand: {surge_factor: 10, call_hold_s: 90}
incidents:
  - {kind: earthquake, at: T+10m, lat: 42.05, lon: 13.0, magnitude: 6.1, depth_km: 8,
     aftershocks: [{at: T+40m, lat: 42.06, lon: 13.01, magnitude: 5.0}]}
  - {kind: blackout, area: {circle: {lat: 42.0, lon: 13.0, radius_km: 20}}, at: T+15m, duration: 1h}
  - kind: flood
    zones:
      - area: {polygon: [[42.0, 12.9], [42.1, 12.9], [42.1, 13.1]]}
        depth_m: [{at: T+20m, depth_m: 0.5}, {at: T+1h, depth_m: 2.0}]
  - kind: attack
    actions:
      - {at: T+30m, cut: [L1]}
      - {at: T+35m, jam: {circle: {lat: 42.09, lon: 13.0, radius_km: 2}}, duration: 20m}
d2c: {walker: "53:120/12/1", altitude_km: 550}
warnings:
  - {at: T+25m, area: everywhere, text: Stay outside, message_id: 4371}
responses:
  - {at: T+1h, repair: S1}
  - {at: T+50m, generator: S2, hours: 6}
"""

DRILL = """
name: fuzz-drill
scenario: scenario.yaml
objectives:
  - {text: Keep 112 up, measure: emergency_service_survival, at_least: 0.9}
injects:
  - {at: T+20m, text: The mayor calls}
decisions:
  generator: {action: generator, delay: 30m, cost_eur: 1500, available: 2, fuel_hours: 6}
  cow: {action: cell-on-wheels, delay: 1h, capacity_calls: 20, fuel_hours: 12, backhaul: satellite-operator}
  warning: {action: warning, delay: 10m, text: Stay away}
  fibre: {action: repair-link, delay: 1h}
"""

DECISIONS = """
drill: fuzz-drill
decisions:
  - {at: T+10m, decision: warning, target: everywhere}
  - {at: T+20m, decision: generator, target: S1}
  - {at: T+30m, decision: fibre, target: L1}
"""

COMPARISON = """
name: fuzz-comparison
seeds: 2
reduced_seeds: 1
providers:
  - name: none
  - name: shell
    walker: "53:120/12/1"
    altitude_km: 550
    core: operator
    cost_eur_per_year: {value: 1.0e+7, assumed: [1.0e+6, 5.0e+7]}
scenarios:
  - file: scenario.yaml
    class: earthquake
    rate_per_year: {value: 0.04, assumed: [0.02, 0.08]}
"""


def write_seeds(folder: Path) -> dict[str, Path]:
    """Write one file of each kind into ``folder``; return kind -> path (the file to mutate)."""
    files = {
        "topology": ("small.yaml", SMALL_TOPOLOGY),
        "scenario": ("scenario.yaml", SCENARIO),
        "drill": ("fuzz-drill.yaml", DRILL),
        "decisions": ("decisions.yaml", DECISIONS),
        "comparison": ("comparison.yaml", COMPARISON),
        "provider": ("provider.yaml", (ROOT / "d2c" / "space" / "presets" / "starlink-dtc.yaml").read_text()),
    }
    paths = {}
    for kind, (name, text) in files.items():
        path = folder / name
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        paths[kind] = path
    paths["result"] = folder / "result.json"
    paths["result"].write_text(json.dumps(_result(paths["scenario"]), indent=1) + "\n", encoding="utf-8")
    return paths


def _result(scenario: Path) -> dict:
    from dataclasses import replace

    from d2c.config.scenario import load_scenario
    from d2c.engine import Simulation

    sc = load_scenario(scenario)
    return Simulation(replace(sc, duration_s=1800.0)).run().to_dict()
