"""kill -9 at random moments during run, traffic, report and a checkpointed run: the output is the old
file or the new one, never partial; the next run removes the temp files the killed one left; and a run
resumed from whatever checkpoint a killed run left gives the uninterrupted run's bytes.

No timing is asserted: a kill lands wherever the machine's load puts it, and every outcome (before the
first write, while writing, after the end) must satisfy the same checks."""

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


def _scenario(tmp_path: Path) -> None:
    write(tmp_path, "small.yaml", SMALL_TOPOLOGY)
    write(tmp_path, "s.yaml", scenario_text("[{kind: blackout, area: everywhere, at: T+1h, duration: 6h}]",
                                            duration="24h"))


def _kill_test(tmp_path: Path, kills: int, seed: int, output: str, command: list[str], check) -> None:
    _scenario(tmp_path)
    out = tmp_path / output
    out.write_bytes(b"OLD")
    rng = random.Random(seed)
    # kill within the time a whole command takes here, measured, so that the kills land while it works
    # (start-up, run, write) and not after it has ended, however fast the machine or the model
    t0 = time.monotonic()
    timed = subprocess.run(D2C + command, cwd=tmp_path, capture_output=True, timeout=300)
    whole_s = time.monotonic() - t0
    assert timed.returncode == 0 and check(out.read_bytes()), timed.stderr
    out.write_bytes(b"OLD")
    for _ in range(kills):
        _kill_at_random(D2C + command, tmp_path, rng, max_delay_s=whole_s)
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
    # 30 days of small-network steps: about 13 s on a quiet machine (a day took 1.4 s in all), so that
    # the 5 s signal lands during the run, not after it has written its result
    write(tmp_path, "s.yaml", scenario_text(duration="720h"))
    for delay in (1.5, 5.0):  # 1.5 s: while d2c loads its modules or just after; 5 s: during the run
        proc = subprocess.Popen(D2C + ["run", "s.yaml", "--json", "out.json"], cwd=tmp_path,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        if proc.returncode == 0:  # the machine was fast enough to finish first: a complete result
            assert len(json.loads((tmp_path / "out.json").read_bytes())["timeline"]["t_s"]) == 30 * 1440
            (tmp_path / "out.json").unlink()
            continue
        assert proc.returncode == 130, err
        lines = err.decode().strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("interrupted"), err
        assert not (tmp_path / "out.json").exists()
        assert _temps(tmp_path, "out.json") == []


def _complete_html(data: bytes) -> bool:
    return data.startswith(b"<!DOCTYPE html>") and data.rstrip().endswith(b"</html>")


def _result_json(tmp_path: Path) -> None:
    done = subprocess.run(D2C + ["run", "s.yaml", "-q", "--no-traffic", "--json", "result.json"], cwd=tmp_path,
                          capture_output=True, timeout=600)
    assert done.returncode == 0, done.stderr


def test_kill_9_during_report_never_leaves_a_partial_document(tmp_path):
    _scenario(tmp_path)
    _result_json(tmp_path)
    _kill_test(tmp_path, kills=3, seed=5, output="report.html", command=["report", "result.json", "--out", "report.html"],
               check=_complete_html)


# ------------------------------------------------------------------ checkpointed runs

CHECKPOINTED = ["run", "s.yaml", "-q", "--json", "out.json", "--checkpoint", "ck.d2c", "--checkpoint-every", "1h"]


def _identity(path: Path):
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    return info.st_ino, info.st_mtime_ns, info.st_size


def _kill_after_next_checkpoint(cmd: list[str], cwd: Path, rng: random.Random, max_extra_s: float) -> None:
    """Start ``cmd``, wait until it has written a new checkpoint (or ended), then kill -9 it a random moment later.

    Waiting for the file, not for a time, keeps the test meaningful on a loaded machine: the kill always
    comes after this run has saved at least once, wherever it lands in the saves that follow.
    """
    ck = cwd / "ck.d2c"
    before = _identity(ck)
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    waited = 0.0
    while proc.poll() is None and _identity(ck) == before and waited < 600:
        time.sleep(0.02)
        waited += 0.02
    time.sleep(rng.uniform(0.0, max_extra_s))
    proc.send_signal(signal.SIGKILL)
    proc.wait()


def _checkpoint_complete(path: Path) -> bool:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return archive.testzip() is None and {"meta.json", "state.json"} <= set(archive.namelist())


def _kill_checkpointed_runs(tmp_path: Path, kills: int, seed: int) -> None:
    _scenario(tmp_path)
    full = subprocess.run(D2C + ["run", "s.yaml", "-q", "--json", "full.json"], cwd=tmp_path, capture_output=True,
                          timeout=600)
    assert full.returncode == 0, full.stderr
    rng = random.Random(seed)
    out, ck = tmp_path / "out.json", tmp_path / "ck.d2c"
    resumed = 0
    for _ in range(kills):
        resume = ["--resume", "ck.d2c"] if ck.exists() else []
        resumed += bool(resume)
        _kill_after_next_checkpoint(D2C + CHECKPOINTED + resume, tmp_path, rng, max_extra_s=1.5)
        if ck.exists():
            assert _checkpoint_complete(ck)  # never a partial checkpoint
        if out.exists():
            assert out.read_bytes() == (tmp_path / "full.json").read_bytes()  # never a partial result
    assert ck.exists() and resumed == kills - 1  # each run after the first resumed a killed one's checkpoint
    done = subprocess.run(D2C + CHECKPOINTED + ["--resume", "ck.d2c"], cwd=tmp_path, capture_output=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == (tmp_path / "full.json").read_bytes()  # resumed after kills: the same bytes
    assert _temps(tmp_path, "ck.d2c") == [] and _temps(tmp_path, "out.json") == []


def test_kill_9_during_a_checkpointed_run_then_resume_gives_the_same_bytes(tmp_path):
    _kill_checkpointed_runs(tmp_path, kills=2, seed=15)


@pytest.mark.slow
def test_kill_9_during_checkpointed_runs_many_times(tmp_path):
    _kill_checkpointed_runs(tmp_path, kills=12, seed=3)
