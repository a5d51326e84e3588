"""Captures: pcap format, arrival timestamps, atomic writes, regenerated fates."""

from __future__ import annotations

import os

import numpy as np
import pytest

from d2c.traffic import capture, pcap, records as R, write_pcap
from d2c.traffic.timing import INVITE_TX_OFFSETS_S

from .conftest import START, read_pcap, run, tshark, tshark_fields


@pytest.fixture(scope="module")
def small():
    return run(steps=2, call_hold_s=20.0)


def test_global_header_is_classic_pcap_raw_ipv4(tmp_path, small):
    # libpcap savefile: magic a1b2c3d4 (microseconds), version 2.4, LINKTYPE_RAW (101).
    path = tmp_path / "x.pcap"
    n = write_pcap(path, small)
    head = path.read_bytes()[:24]
    assert head[:4] == bytes.fromhex("d4c3b2a1")
    assert int.from_bytes(head[4:6], "little") == 2 and int.from_bytes(head[6:8], "little") == 4
    assert int.from_bytes(head[20:24], "little") == 101
    assert n == len(read_pcap(path)) > 0


def test_pcap_opens_in_tshark_with_no_malformed_packets(tmp_path, small):
    # Every record of the libpcap file is read and dissected without error.
    path = tmp_path / "x.pcap"
    write_pcap(path, small, only="all")
    total = tshark(path, "-q", "-z", "io,stat,0")
    assert "Frames" in total or "frames" in total.lower()
    bad = tshark(path, "-Y", "_ws.malformed || _ws.expert.severity >= error")
    assert bad.strip() == ""
    frames = tshark_fields(path, "frame", "frame.number")
    assert len(frames) == len(read_pcap(path))


def test_timestamps_are_arrival_times_in_order(tmp_path, small):
    # Scenario start + send time + one-way delay + queueing, for the INVITE that got through.
    path = tmp_path / "x.pcap"
    write_pcap(path, small)
    recs = read_pcap(path)
    times = np.array([t for t, _ in recs])
    assert np.all(np.diff(times) >= 0)
    calls = small.calls[(small.calls["outcome"] == R.CALL_ANSWERED)]
    rows = tshark_fields(path, 'sip.Method == "INVITE"', "sip.Call-ID", "frame.time_epoch")
    t_by_id = {cid.split("@")[0]: float(t) for cid, t in rows}
    for c in calls:
        expected = (START.timestamp() + c["t_attempt_s"] + INVITE_TX_OFFSETS_S[c["n_invite_tx"] - 1]
                    + (c["owd_ms"] + c["wait_up_ms"]) / 1000.0)
        assert t_by_id[f"{int(c['key']):020d}"] == pytest.approx(expected, abs=1.5e-6)


def test_survivors_match_the_replayed_fates(tmp_path, small):
    # The regenerated voice packets are the ones the replay scored: survivors =
    # sent - lost on the radio link; "all" adds exactly the lost ones.
    groups = capture.packet_groups(small)
    voice = [g for g in groups if g.kind == "rtp"]
    survived = sum(int(g.survived.sum()) for g in voice)
    total = sum(g.survived.size for g in voice)
    c, p = small.calls, small.ptt
    assert total == int(c["sent_up"].sum() + c["sent_dn"].sum() + p["sent"].sum())
    assert total - survived == int(c["lost_up"].sum() + c["lost_dn"].sum() + p["lost"].sum())
    a, s = tmp_path / "all.pcap", tmp_path / "surv.pcap"
    n_all, n_surv = write_pcap(a, small, only="all"), write_pcap(s, small)
    assert n_all - n_surv == sum(int((~g.survived).sum()) for g in groups)


def test_failed_write_leaves_no_partial_file(tmp_path, small, monkeypatch):
    # Atomic write: temp file in the same directory, os.replace only on success.
    path = tmp_path / "capture.pcap"
    path.write_bytes(b"previous capture")
    monkeypatch.setattr(pcap, "CHUNK_PACKETS", 1000)
    real_records = pcap.records
    calls = {"n": 0}

    def failing(*args, **kw):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("disk full")
        return real_records(*args, **kw)

    monkeypatch.setattr(pcap, "records", failing)
    with pytest.raises(OSError, match="disk full"):
        write_pcap(path, small)
    assert calls["n"] == 3                                   # it failed mid-way, after writing
    assert path.read_bytes() == b"previous capture"
    assert sorted(os.listdir(tmp_path)) == ["capture.pcap"]  # no temporary left behind
    fresh = tmp_path / "new.pcap"
    with pytest.raises(OSError):
        calls["n"] = 0
        write_pcap(fresh, small)
    assert not fresh.exists() and sorted(os.listdir(tmp_path)) == ["capture.pcap"]


def test_only_must_be_known(tmp_path, small):
    # write_pcap contract (docs/TRAFFIC.md): "survivors" or "all"; no file on error.
    with pytest.raises(ValueError, match="survivors"):
        write_pcap(tmp_path / "x.pcap", small, only="some")
    assert not (tmp_path / "x.pcap").exists()


def test_regeneration_is_deterministic(tmp_path, small):
    # DESIGN.md "Deterministic": same seed, same capture, byte for byte.
    a, b = tmp_path / "a.pcap", tmp_path / "b.pcap"
    write_pcap(a, small)
    write_pcap(b, run(steps=2, call_hold_s=20.0))
    assert a.read_bytes() == b.read_bytes()


def test_results_without_segments_refuse_to_regenerate_voice(tmp_path):
    # keep_segments=False saves memory on long runs; a capture would then miss
    # voice packets, so write_pcap refuses instead of writing a partial capture.
    res = run(steps=2, call_hold_s=20.0, keep_segments=False)
    assert res.segments.size == 0 and res.calls["sent_up"].sum() > 0
    with pytest.raises(ValueError, match="keep_segments"):
        write_pcap(tmp_path / "x.pcap", res)
    assert list(tmp_path.iterdir()) == []


def test_kinds_split_the_capture_and_its_size_is_known_before_writing(tmp_path, small):
    # --kinds: the captures of each traffic kind, put together, are the whole capture
    # (same packets at the same times); capture_size predicts each file to the byte
    # (24-byte global header + 16-byte record header per packet + the packets).
    whole = tmp_path / "all.pcap"
    write_pcap(whole, small, only="all")
    parts = []
    for kind in capture.TRAFFIC_KINDS:
        path = tmp_path / f"{kind}.pcap"
        n = write_pcap(path, small, only="all", kinds=(kind,))
        size = pcap.capture_size(small, only="all", kinds=(kind,))
        assert n == sum(p for p, _ in size.values())
        assert path.stat().st_size == 24 + sum(b for _, b in size.values())
        parts += read_pcap(path)
    assert sorted(parts) == sorted(read_pcap(whole))
    assert set(pcap.capture_size(small, only="all")) >= {"calls", "sms", "ptt", "warnings"}
    with pytest.raises(ValueError, match="unknown traffic kind 'voice'"):
        write_pcap(tmp_path / "x.pcap", small, kinds=("voice",))
    assert not (tmp_path / "x.pcap").exists()
