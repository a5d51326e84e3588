"""Shared helpers for the traffic tests: a small scenario, tshark access."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pytest

from conftest import tshark_path
from d2c.traffic import AreaTable, StepConditions, TrafficStage, write_pcap

START = datetime(2016, 8, 24, 1, 36, tzinfo=timezone.utc)  # Amatrice earthquake, 03:36 local

# Five places around the 2016 epicentre (INGV): two on terrestrial cells, two on
# D2C beams (one with only 2 channels, so calls get 503), one without service.
AREAS = AreaTable(
    area_id=["Amatrice", "Accumoli", "Arquata", "Norcia", "Castelluccio"],
    lat_deg=np.array([42.628611, 42.694722, 42.772222, 42.792778, 42.828611]),
    lon_deg=np.array([13.288889, 13.247500, 13.296111, 13.093333, 13.206944]),
    population=np.array([2600.0, 650.0, 1100.0, 4900.0, 150.0]),
)
TERRESTRIAL, D2C, NONE = 1, 2, 0
WARNING_TEXT = "IT-alert: terremoto. Uscire dagli edifici con calma, raggiungere le aree di attesa."


def conditions(t_s: float, step_s: float = 60.0, **over) -> StepConditions:
    n = AREAS.n
    base = dict(
        t_s=t_s, step_s=step_s,
        call_attempts=np.array([6.0, 8.0, 3.0, 4.0, 2.0]),
        sms_attempts=np.array([1.0, 1.0, 1.0, 1.0, 1.0]),
        public_sms_attempts=np.array([2.0, 1.0, 1.0, 3.0, 1.0]),
        responder_calls=np.array([0.3, 0.3, 0.3, 0.3, 0.3]),
        bearer=np.array([TERRESTRIAL, D2C, D2C, TERRESTRIAL, NONE], dtype=np.int8),
        capacity_calls=np.array([20.0, 2.0, 10.0, 20.0, 0.0]),
        sms_ok=np.array([True, True, True, False, False]),
        one_way_delay_ms=np.array([25.0, 48.0, 52.0, 25.0, 0.0]),
        loss_ratio=np.array([0.0, 0.02, 0.01, 0.005, 0.0]),
        load_ratio=np.array([0.3, 0.8, 0.6, 0.5, 0.0]),
        warning_reach=np.array([True, True, False, True, False]),
        background_flows=np.array([0.5, 0.5, 0.0, 0.0, 0.5]),
    )
    base.update(over)
    for k, v in list(base.items()):
        if isinstance(v, np.ndarray):
            assert v.shape == (n,), k
    return StepConditions(**base)


def run(seed: int = 11, steps: int = 4, sample: float = 1.0, areas: AreaTable = AREAS,
        cond=conditions, warn_step: int | None = 1, **stage_kw):
    stage = TrafficStage(areas, START, seed=seed, sample=sample, **stage_kw)
    for s in range(steps):
        c = cond(60.0 * s)
        if warn_step is not None and s == warn_step:
            mask = np.array([True, True, True, False, False])
            c = replace(c, warnings=((4370, WARNING_TEXT, mask),))
        stage.step(c)
    return stage.finish()


def tshark(pcap: Path, *args: str) -> str:
    out = subprocess.run([tshark_path(), "-r", str(pcap), *args], capture_output=True, text=True,
                         timeout=600)
    if out.returncode != 0:
        raise AssertionError(f"tshark failed ({out.returncode}): {out.stderr}")
    return out.stdout


def tshark_fields(pcap: Path, display_filter: str, *fields: str, extra=()) -> list[list[str]]:
    args = ["-Y", display_filter, "-T", "fields", "-E", "separator=\t", "-E", "occurrence=a",
            "-E", "aggregator=|", *extra]
    for f in fields:
        args += ["-e", f]
    lines = tshark(pcap, *args).splitlines()
    return [line.split("\t") for line in lines if line.strip()]


def read_pcap(path) -> list[tuple[float, bytes]]:
    """Minimal classic-pcap reader (timestamps, packet bytes) for checks."""
    data = Path(path).read_bytes()
    assert int.from_bytes(data[:4], "little") == 0xA1B2C3D4, "not a microsecond little-endian pcap"
    out, pos = [], 24
    while pos < len(data):
        sec, usec, incl, orig = np.frombuffer(data[pos:pos + 16], dtype="<u4")
        assert incl == orig
        pos += 16
        out.append((sec + usec / 1e6, data[pos:pos + int(incl)]))
        pos += int(incl)
    return out


def area_of_ue(ip_text: str) -> int:
    """Inverse of addressing.ue_ip for the area part (octets 2 and 3)."""
    o = [int(x) for x in ip_text.split(".")]
    return (o[1] - 100) * 156 + (o[2] - 100)


@pytest.fixture(scope="session")
def tshark_bin() -> str:
    return tshark_path()


@pytest.fixture(scope="module")
def scenario(tmp_path_factory, tshark_bin):
    """One run of the small scenario and its capture (survivors)."""
    res = run(call_hold_s=30.0)
    path = tmp_path_factory.mktemp("traffic") / "scenario.pcap"
    write_pcap(path, res)
    return res, path
