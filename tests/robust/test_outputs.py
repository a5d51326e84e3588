"""Outputs: only a regular file (or a free name) is replaced, checked before the run; failures keep the old file."""

from __future__ import annotations

import errno
import os
import stat

import pytest

from d2c.report import files
from d2c.report.files import OutputError, write_atomic

from .conftest import d2c, refused


@pytest.mark.parametrize("kind", ["directory", "symlink", "fifo"])
def test_an_output_that_is_not_a_regular_file_is_refused_before_the_run(tmp_path, scenario, kind):
    out = tmp_path / "out.json"
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    {"directory": lambda: out.mkdir(), "symlink": lambda: out.symlink_to(victim),
     "fifo": lambda: os.mkfifo(out)}[kind]()
    line = refused(d2c("run", scenario, "--json", out, "-q"), str(out), "cannot write")
    assert {"directory": "a directory", "symlink": "a symlink", "fifo": "a FIFO"}[kind] in line
    assert victim.read_text() == "keep me"
    assert out.is_symlink() if kind == "symlink" else True
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["out.json", "victim.txt", "small.yaml",
                                                                 "scenario.yaml"])


def test_dev_null_is_never_replaced(scenario):
    refused(d2c("run", scenario, "--json", os.devnull, "-q"), "a character device, not a regular file")
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_a_missing_folder_is_refused_and_not_created(tmp_path, scenario):
    out = tmp_path / "missing" / "out.json"
    refused(d2c("run", scenario, "--json", out, "-q"), "does not exist", "creates no folders")
    assert not out.parent.exists()


def test_a_name_too_long_is_refused_before_the_run(tmp_path, scenario):
    refused(d2c("run", scenario, "--json", tmp_path / ("x" * 300 + ".json"), "-q"), "name is too long")


@pytest.mark.parametrize("command", [["report", "result.json", "--out"], ["drill", "scenario.yaml", "--auto", "--json"],
                                     ["traffic", "scenario.yaml", "--pcap"], ["sweep", "scenario.yaml", "--json"],
                                     ["topology", "build", "--out"],
                                     ["sky", "--lat", "42", "--lon", "13", "--at", "2024-01-01T00:00:00Z",
                                      "--provider", "starlink-dtc", "--json"]])
def test_every_command_checks_its_output_before_work(tmp_path, scenario, command):
    # a directory at the output path: refused at once (the inputs are not even read)
    (tmp_path / "taken.md").mkdir()
    args = [str(tmp_path / a) if a.endswith((".json", ".yaml")) else a for a in command]
    refused(d2c(*args, tmp_path / "taken.md"), "it is a directory")


def test_a_full_disk_after_the_run_is_one_line_and_keeps_the_old_file(tmp_path, scenario, monkeypatch):
    out = tmp_path / "out.json"
    out.write_text("old result")

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    refused(d2c("run", scenario, "--json", out, "-q"), "out.json: cannot write: no space left")
    assert out.read_text() == "old result"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_stale_temp_files_of_a_killed_writer_are_removed_by_the_next_write(tmp_path):
    out = tmp_path / "out.json"
    dead = tmp_path / ".out.json.4194305.abcd1234.tmp"     # above Linux's largest pid: nobody's
    live = tmp_path / f".out.json.{os.getppid()}.efgh5678.tmp"  # a running process still writing
    other = tmp_path / ".other.json.4194305.abcd1234.tmp"  # another output's
    for path in (dead, live, other):
        path.write_text("half")
    write_atomic(out, "new")
    assert out.read_text() == "new"
    assert not dead.exists() and live.exists() and other.exists()


def test_write_atomic_refuses_a_symlink_even_when_called_directly(tmp_path):
    target = tmp_path / "real"
    target.write_text("keep")
    (tmp_path / "link").symlink_to(target)
    with pytest.raises(OutputError, match="symlink"):
        write_atomic(tmp_path / "link", "new")
    assert target.read_text() == "keep"


def test_an_interrupted_write_leaves_the_old_file_and_no_temp(tmp_path):
    out = tmp_path / "out.bin"
    out.write_bytes(b"old")

    def chunks():
        yield b"first"
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_atomic(out, chunks())
    assert out.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.bin"]
    assert files.check_writable(out) == out
