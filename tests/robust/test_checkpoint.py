"""Checkpoint and resume: a run resumed from any checkpoint gives the same bytes as one never stopped,
and a checkpoint that does not belong to the run (edited scenario or topology, other version, other
options, damaged or cut short) is refused in one line with status 2."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest

from d2c import checkpoint
from d2c.checkpoint import CheckpointError, Checkpointer, fingerprint, resume, save
from d2c.config.scenario import load_scenario
from d2c.engine import Simulation
from d2c.state_tree import StateError, decode, diff, patch
from d2c.traffic.stage import EngineTraffic
from d2c.world import World

from .conftest import SMALL_TOPOLOGY, d2c, refused, scenario_text, write

GATEWAY = SMALL_TOPOLOGY + """
gateways:
  - {id: GW, lat: 42.2, lon: 13.4, core: CORE, battery_hours: 8}
"""
# Everything a run accumulates: damage the crews repair, a blackout on batteries, planned responses still
# to come at the checkpoint, D2C beams with attach queues, warnings, and the traffic replay's random draws.
BUSY = scenario_text(
    "[{kind: earthquake, at: T+10m, lat: 42.05, lon: 13.0, depth_km: 8, magnitude: 6.4},"
    " {kind: blackout, area: everywhere, at: T+20m, duration: 3h}]",
    extra="""
demand: {emergency_calls_per_person_hour: 0.5, emergency_sms_per_person_hour: 0.05}
responses: [{at: T+1h, generator: S1, hours: 2}, {at: T+270m, repair_link: L1}, {at: T+5h, generator: S2, hours: 1}]
warnings:
  - {at: T+4h, area: everywhere, text: "IT-Alert test", message_id: 4381}
d2c: {provider: starlink-dtc, core: operator}
""", duration="6h")
OPTIONS = {"traffic": True, "sample": None}


def _builder(path: Path):
    sc = load_scenario(path)

    def build(world=None) -> Simulation:
        world = world or World(sc.topology)
        return Simulation(sc, world=world, traffic=EngineTraffic(sc, world))

    return build


def _result_bytes(sim: Simulation) -> str:
    return json.dumps(sim.run().to_dict(), indent=1)


@pytest.fixture(scope="module")
def shared(tmp_path_factory) -> Path:
    """The busy scenario in a folder of its own, for the tests that only read it."""
    folder = tmp_path_factory.mktemp("busy")
    write(folder, "small.yaml", GATEWAY)
    return write(folder, "s.yaml", BUSY)


@pytest.fixture(scope="module")
def uninterrupted(shared) -> str:
    return _result_bytes(_builder(shared)())


@pytest.mark.parametrize("stop_after_steps", [1, 250])
def test_a_run_resumed_from_a_checkpoint_gives_the_same_bytes(shared, uninterrupted, tmp_path, stop_after_steps):
    build = _builder(shared)
    sim = build()
    for _ in range(stop_after_steps):
        sim.step()
    path = save(tmp_path / "ck.d2c", sim, build(sim.world), fingerprint(sim, OPTIONS))
    del sim  # resume starts from the file alone, as after a crash
    resumed = resume(path, _builder(shared), OPTIONS)
    assert resumed.index == stop_after_steps
    assert _result_bytes(resumed) == uninterrupted


def test_the_checkpoint_holds_what_the_run_changed(shared, tmp_path):
    build = _builder(shared)
    sim = build()
    for _ in range(300):
        sim.step()
    save(tmp_path / "ck.d2c", sim, build(sim.world), fingerprint(sim, OPTIONS))
    with zipfile.ZipFile(tmp_path / "ck.d2c") as archive:
        meta = json.loads(archive.read("meta.json"))
        state = archive.read("state.json").decode()
        names = archive.namelist()
    assert meta["seed"] == 7 and meta["index"] == 300 and meta["format"] == checkpoint.FORMAT
    assert meta["scenario_sha256"] == hashlib.sha256(shared.read_bytes()).hexdigest()
    assert meta["topology_sha256"] == hashlib.sha256((shared.parent / "small.yaml").read_bytes()).hexdigest()
    assert all(n in ("meta.json", "state.json") or (n.startswith("arrays/") and n.endswith(".npy")) for n in names)
    # the random generators, the scheduled responses still to come and the restoration crews are in the state
    for fragment in ('"rng"', '"_scheduled"', "d2c.actions:AddGenerator", '"jobs"', '"series"'):
        assert fragment in state, fragment
    assert "d2c.actions:RepairLink" not in state  # applied at 4.5 h, before the checkpoint at 5 h


def test_the_command_line_saves_as_it_goes_and_resumes(shared, uninterrupted, tmp_path):
    saved = d2c("run", shared, "-q", "--checkpoint", tmp_path / "ck.d2c", "--checkpoint-every", "2h",
                "--json", tmp_path / "full.json")
    assert saved.exit_code == 0, saved.output
    assert (tmp_path / "full.json").read_text() == uninterrupted + "\n"  # saving changes nothing in the run
    meta = json.loads(zipfile.ZipFile(tmp_path / "ck.d2c").read("meta.json"))
    assert meta["t_s"] == 4 * 3600.0  # saved at 2 h and 4 h; the end (6 h) needs none
    resumed = d2c("run", shared, "-q", "--resume", tmp_path / "ck.d2c", "--json", tmp_path / "resumed.json")
    assert resumed.exit_code == 0, resumed.output
    assert (tmp_path / "resumed.json").read_bytes() == (tmp_path / "full.json").read_bytes()


@pytest.fixture
def light(tmp_path) -> Path:
    """A short run with restoration at work, for the refusals."""
    write(tmp_path, "small.yaml", GATEWAY)
    return write(tmp_path, "light.yaml", scenario_text(
        "[{kind: earthquake, at: T+10m, lat: 42.05, lon: 13.0, depth_km: 8, magnitude: 6.4}]", duration="2h"))


@pytest.fixture
def saved(light, tmp_path) -> Path:
    run = d2c("run", light, "-q", "--no-traffic", "--checkpoint", tmp_path / "ck.d2c", "--checkpoint-every", "1h")
    assert run.exit_code == 0, run.output
    return tmp_path / "ck.d2c"


def _resume(scenario, path, *extra):
    return d2c("run", scenario, "-q", "--no-traffic", "--resume", path, *extra)


def test_an_edited_scenario_or_topology_is_refused(light, saved, tmp_path):
    light.write_text(light.read_text().replace("magnitude: 6.4", "magnitude: 6.5"))
    refused(_resume(light, saved), str(saved), "this scenario file")
    light.write_text(light.read_text().replace("magnitude: 6.5", "magnitude: 6.4"))
    assert _resume(light, saved).exit_code == 0
    topology = tmp_path / "small.yaml"
    topology.write_text(topology.read_text().replace("population: 500", "population: 501"))
    refused(_resume(light, saved), "this topology file")


def test_another_seed_is_refused(light, saved):
    light.write_text(light.read_text().replace("seed: 7", "seed: 8"))
    refused(_resume(light, saved), "this scenario file")


def test_other_options_or_another_version_are_refused(light, saved, monkeypatch):
    refused(d2c("run", light, "-q", "--resume", saved), "options", "traffic=False")
    monkeypatch.setattr(checkpoint, "code_hash", lambda: "0" * 64)
    refused(_resume(light, saved), "this version of d2c")


@pytest.mark.parametrize("keep", [0.0, 0.3, 0.9, 0.999])
def test_a_truncated_checkpoint_is_refused(light, saved, keep):
    data = saved.read_bytes()
    saved.write_bytes(data[:int(len(data) * keep)])
    refused(_resume(light, saved), str(saved), "got ")


def test_a_changed_byte_is_refused(light, saved):
    # a byte inside the state: the zip's own checksum or the content hash catches it
    data = bytearray(saved.read_bytes())
    with zipfile.ZipFile(saved) as archive:
        info = archive.getinfo("state.json")
    data[info.header_offset + 30 + len(info.filename) + 5] ^= 0x55
    saved.write_bytes(bytes(data))
    refused(_resume(light, saved), "damaged")


def _rewrite(saved: Path, meta_change=None, members_change=None) -> None:
    """Rewrite a checkpoint with its hash recomputed, as a deliberate forger would."""
    with zipfile.ZipFile(saved) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    meta = json.loads(members.pop("meta.json"))
    if members_change:
        members_change(members)
    meta["content_sha256"] = checkpoint._content_hash(members)
    if meta_change:
        meta_change(meta)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("meta.json", json.dumps(meta))
        for name, data in members.items():
            archive.writestr(name, data)
    saved.write_bytes(out.getvalue())


def test_a_forged_state_cannot_name_code_outside_d2c(light, saved):
    def add_object(members):
        tree = json.loads(members["state.json"])
        tree["root"]["."]["log"] = {"=": {"O": "os:system", "a": {}}}
        members["state.json"] = json.dumps(tree).encode()

    _rewrite(saved, members_change=add_object)
    refused(_resume(light, saved), "a class outside d2c")
    with pytest.raises(StateError, match="outside d2c"):
        decode({"O": "subprocess:Popen", "a": {}}, {})
    with pytest.raises(StateError, match="not a class of d2c"):
        decode({"O": "d2c.checkpoint:json", "a": {}}, {})


def test_an_array_saved_with_pickle_is_refused(light, saved):
    import numpy as np

    def pickled(members):
        buffer = io.BytesIO()
        np.lib.format.write_array(buffer, np.array([{"x": 1}], dtype=object), allow_pickle=True)
        members["arrays/a0.npy"] = buffer.getvalue()

    _rewrite(saved, members_change=pickled)
    refused(_resume(light, saved), "damaged array")


def test_other_files_are_refused_in_one_line(light, saved, tmp_path):
    (tmp_path / "not.d2c").write_text("hello")
    refused(_resume(light, tmp_path / "not.d2c"), "damaged or truncated")
    refused(_resume(light, tmp_path / "absent.d2c"), "an existing checkpoint file")
    refused(_resume(light, tmp_path), "not a regular file")
    _rewrite(saved, meta_change=lambda meta: meta.update(format=99))
    refused(_resume(light, saved), "format 99")


def test_checkpoint_options_are_checked_before_the_run(light, tmp_path):
    refused(d2c("run", light, "--checkpoint", tmp_path / "no-such-folder" / "ck.d2c"), "does not exist")
    refused(d2c("run", light, "--checkpoint", tmp_path / "ck.d2c", "--checkpoint-every", "20s"), "at least one step")
    refused(d2c("run", light, "--checkpoint", tmp_path / "ck.d2c", "--checkpoint-every", "soon"),
            "--checkpoint-every", "a duration")
    assert not (tmp_path / "ck.d2c").exists()


def test_the_state_tree_keeps_sharing_and_exact_floats():
    import numpy as np
    from types import SimpleNamespace as NS

    def graph():
        shared = np.zeros(4)
        return NS(a=shared, b=NS(same=shared), x=0.1, rng=np.random.default_rng(3), items=[NS(v=1)])

    live, pristine, target = graph(), graph(), graph()
    live.a[2] = -0.0 + 1e-300
    live.x = 0.1 + 2 ** -55  # one unit in the last place away
    live.rng.random(5)
    live.items[0].v = 2
    tree, arrays = diff(live, pristine)
    patch(target, json.loads(json.dumps(tree)), arrays)
    assert target.a is target.b.same  # still one array, as in the live graph
    assert target.a.tobytes() == live.a.tobytes() and target.x == live.x
    assert target.rng.random() == live.rng.random()
    assert target.items[0].v == 2
    assert diff(target, live)[0] == {"root": None}  # nothing left to patch


def test_a_checkpointer_saves_on_the_cadence(light, tmp_path):
    build = _builder(light)
    sim = build()
    saver = Checkpointer(tmp_path / "ck.d2c", 30 * 60.0, lambda: build(sim.world), OPTIONS)
    sim.run(on_step=lambda state: saver.after_step(sim))
    assert saver.saved == 3  # 30, 60 and 90 min; not at the 2 h end


def test_a_resumed_capture_writes_the_same_packets(light, tmp_path):
    full = d2c("traffic", light, "-q", "--pcap", tmp_path / "full.pcap", "--json", tmp_path / "full.json")
    assert full.exit_code == 0, full.output
    saved = d2c("traffic", light, "-q", "--pcap", tmp_path / "first.pcap", "--checkpoint", tmp_path / "ck.d2c",
                "--checkpoint-every", "1h")
    assert saved.exit_code == 0, saved.output
    resumed = d2c("traffic", light, "-q", "--pcap", tmp_path / "resumed.pcap", "--json", tmp_path / "resumed.json",
                  "--resume", tmp_path / "ck.d2c")
    assert resumed.exit_code == 0, resumed.output
    assert (tmp_path / "resumed.pcap").read_bytes() == (tmp_path / "full.pcap").read_bytes()
    assert (tmp_path / "resumed.json").read_bytes() == (tmp_path / "full.json").read_bytes()
    # a capture's checkpoint holds its packets: a run without them cannot take it up
    refused(d2c("run", light, "-q", "--resume", tmp_path / "ck.d2c"), "packets=True")
