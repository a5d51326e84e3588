"""kill -9 at random moments during a run: the output is the old file or the new one, never partial,
and the next run removes the temp files the killed one left."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import SMALL_TOPOLOGY, scenario_text, write

D2C = [sys.executable, "-m", "d2c"]


def _kill_at_random(cmd: list[str], cwd: Path, rng: random.Random, max_delay_s: float) -> None:
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(rng.uniform(0.0, max_delay_s))
    proc.send_signal(signal.SIGKILL)
    proc.wait()


def _temps(folder: Path, name: str) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(f".{name}.") and p.name.endswith(".tmp")]


def _kill_test(tmp_path: Path, kills: int, seed: int, output: str, command: list[str], check) -> None:
    write(tmp_path, "small.yaml", SMALL_TOPOLOGY)
    write(tmp_path, "s.yaml", scenario_text("[{kind: blackout, area: everywhere, at: T+1h, duration: 6h}]",
                                            duration="24h"))
    out = tmp_path / output
    out.write_bytes(b"OLD")
    rng = random.Random(seed)
    for _ in range(kills):
        _kill_at_random(D2C + command, tmp_path, rng, max_delay_s=8.0)
        data = out.read_bytes()
        assert data == b"OLD" or check(data), data[:80]  # never partial
        if data != b"OLD":
            out.write_bytes(b"OLD")
    done = subprocess.run(D2C + command, cwd=tmp_path, capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert check(out.read_bytes())
    assert _temps(tmp_path, output) == []  # whatever the killed runs left is gone


def _complete_json(data: bytes) -> bool:
    doc = json.loads(data)
    return len(doc["timeline"]["t_s"]) == 1440


def _complete_pcap(data: bytes) -> bool:
    from scapy.utils import rdpcap
    import io

    return data[:4] in (b"\xd4\xc3\xb2\xa1", b"\xa1\xb2\xc3\xd4") and len(rdpcap(io.BytesIO(data))) > 0


def test_kill_9_during_run_never_leaves_a_partial_result(tmp_path):
    _kill_test(tmp_path, kills=2, seed=15, output="out.json", command=["run", "s.yaml", "-q", "--json", "out.json"],
               check=_complete_json)


@pytest.mark.slow
@pytest.mark.parametrize("what", ["run", "traffic"])
def test_kill_9_many_times(tmp_path, what):
    if what == "run":
        _kill_test(tmp_path, kills=15, seed=1, output="out.json",
                   command=["run", "s.yaml", "-q", "--json", "out.json"], check=_complete_json)
    else:
        _kill_test(tmp_path, kills=15, seed=2, output="out.pcap",
                   command=["traffic", "s.yaml", "-q", "--pcap", "out.pcap"], check=_complete_pcap)


def test_sigint_during_start_up_and_run_is_one_line_and_status_130(tmp_path):
    write(tmp_path, "small.yaml", SMALL_TOPOLOGY)
    write(tmp_path, "s.yaml", scenario_text(duration="24h"))
    for delay in (1.5, 5.0):  # 1.5 s: usually while d2c loads its modules; 5 s: during the run
        proc = subprocess.Popen(D2C + ["run", "s.yaml", "--json", "out.json"], cwd=tmp_path,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        if proc.returncode == 0:  # the machine was fast enough to finish first
            continue
        assert proc.returncode == 130, err
        lines = err.decode().strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("interrupted"), err
        assert not (tmp_path / "out.json").exists()
        assert _temps(tmp_path, "out.json") == []
