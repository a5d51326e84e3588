"""The regional 112 centre's own decision: divert a PSAP's calls to a backup answering point.

On the small topology every site's 112 calls end at the one PSAP. When the PSAP is destroyed, no site
can complete a 112 call (the cause is "core": the core has no answering point to deliver to); once the
112 centre's diversion acts, the calls are answered elsewhere and the sites carry 112 again.
"""

from __future__ import annotations

import os
import socket

import numpy as np
import pytest
from rich.console import Console

from _drill_helpers import drill_file, states_to_end
from d2c.drill import Decision, Drill, load_drill
from d2c.drill.prompt import Session
from d2c.drill.serve import RoomServer
from d2c.drill.wire import parse_address, receive, send
from d2c.engine import Simulation
from d2c.network import CAUSE_CODE

CATALOGUE = """
decisions:
  backup-112: {action: backup-psap, delay: 30m, role: 112-centre}
  fix: {action: repair-equipment, delay: 10m, role: operators}
"""
INJECTS = "[{at: T+30m, text: The 112 centre's building is evacuated, destroy: [PSAP]}]"
HOUR = 3600.0


def _spec(tmp_path, small):
    return load_drill(drill_file(tmp_path, small, incidents="[]", duration="3h", injects=INJECTS, catalogue=CATALOGUE))


def test_diverting_the_destroyed_psap_brings_112_back_once_it_acts(tmp_path, small):
    spec = _spec(tmp_path, small)
    with_it = Drill(spec, scripted=[Decision(HOUR, "backup-112", "PSAP")], strict=True)
    without = Drill(spec)
    states, baseline = states_to_end(with_it), states_to_end(without)
    t_s = np.array([s.t_s for s in states])
    core = np.array([s.network.cause == CAUSE_CODE["core"] for s in states])
    in_service = np.array([s.network.in_service for s in states])
    served = np.array([float(s.service.emergency_served.sum()) for s in states])
    lost = (t_s >= 0.5 * HOUR) & (t_s < 1.5 * HOUR)  # PSAP destroyed, the diversion not acting yet
    assert core[lost].all() and served[lost].sum() == 0.0
    assert in_service[t_s >= 1.5 * HOUR].all()  # from T+1h30 (taken at T+1h, 30 min delay) every site carries 112
    assert (served[t_s >= 1.5 * HOUR] > 0).all()
    assert all((b.network.cause == CAUSE_CODE["core"]).all() for b in baseline if b.t_s >= 0.5 * HOUR)
    with_result, without_result = with_it.sim.result(), without.sim.result()
    assert with_result.summary.emergency_service_survival > without_result.summary.emergency_service_survival


def test_a_psap_that_works_is_unchanged_by_a_diversion(tmp_path, small):
    spec = load_drill(drill_file(tmp_path, small, incidents="[]", duration="1h", catalogue=CATALOGUE))
    diverted = Drill(spec, scripted=[Decision(0.0, "backup-112", "PSAP")], strict=True)
    plain = Drill(spec)
    for a, b in zip(states_to_end(diverted), states_to_end(plain)):
        assert np.array_equal(a.network.cause, b.network.cause)
        assert np.array_equal(a.service.emergency_served, b.service.emergency_served)


def test_only_a_psap_can_be_diverted_and_only_by_the_112_centre(tmp_path, small):
    spec = _spec(tmp_path, small)
    session = Session(Drill(spec), Console(file=open(os.devnull, "w")))
    for line, expected in (
            ("d backup-112 S1", "error: backup-112: no PSAP (112 answering point) 'S1' in the topology"),
            ("d backup-112", "error: backup-112: needs a target: PSAP (112 answering point)"),
            ("role operators", "role: operators"),
            ("d backup-112 PSAP", "error: backup-112 is a decision of 112-centre, not of operators "
                                  "(role 112-centre to take it)")):
        session.handle(line)
        assert session.messages == [expected], session.messages
    assert "PSAP" in session.complete("d backup-112 ")
    with pytest.raises(KeyError, match="'S1' is not a PSAP"):
        Simulation(spec.scenario).divert_psap("S1")


def test_a_112_centre_player_attached_over_the_socket_takes_it(tmp_path, small):
    session = Session(Drill(_spec(tmp_path, small)), Console(file=open(os.devnull, "w")))
    sock = tmp_path / "s.sock"
    server = RoomServer(session, parse_address(str(sock)))
    server.open()
    try:
        raw = socket.socket(socket.AF_UNIX)
        raw.connect(str(sock))
        stream = raw.makefile("rwb")
        send(stream, {"hello": {"role": "112-centre"}})
        assert "welcome" in receive(stream)
        view = receive(stream)["view"]
        assert [e["name"] for e in view["catalogue"]] == ["backup-112"] and view["calls_answered"] == 0
        send(stream, {"decide": "backup-112 PSAP"})
        while "reply" not in (answer := receive(stream)):
            pass
        assert answer["reply"].startswith("decided: backup-112 PSAP: taken at T+00:00, acts at T+00:30")
        raw.close()
    finally:
        server.close()
    assert [(t.decision.name, t.decision.target) for t in session.drill.taken] == [("backup-112", "PSAP")]


def test_the_result_measures_the_diversion_and_states_its_assumption(tmp_path, small):
    from d2c.drill import document

    drill = Drill(_spec(tmp_path, small), scripted=[Decision(HOUR, "backup-112", "PSAP")], strict=True)
    doc = document(drill)
    entry = doc["drill"]["decisions"][0]
    assert entry["description"] == "112 calls of PSAP answered by a backup answering point"
    assert entry["effect"]["emergency_service_survival_delta"] > 0  # against the same drill without it
    assert any(line.startswith("backup answering point: a diverted PSAP's 112 calls") for line in doc["assumptions"])
