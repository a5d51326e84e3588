"""Ctrl-C while the drill's clock runs: the clock stops after the step in progress and the room is asked
(finish and write, save, quit without writing, or go on); going on continues from a whole step."""

from __future__ import annotations

import json
import os
import signal

from rich.console import Console

from _drill_helpers import drill_file, scripted_reader
from d2c.drill import Drill, load_drill
from d2c.drill.prompt import Session


def _session(tmp_path, small, ctrl_c_after_step: int) -> Session:
    """A 2 h drill (120 steps) whose process gets a real SIGINT while it computes step ``ctrl_c_after_step``."""
    drill = Drill(load_drill(drill_file(tmp_path, small, duration="2h")))
    real_step = drill.step

    def step():
        state = real_step()
        if drill.sim.index == ctrl_c_after_step:
            os.kill(os.getpid(), signal.SIGINT)  # as the terminal sends it: mid-step, from outside
        return state

    drill.step = step
    console = Console(width=160, height=50, record=True, force_terminal=True, color_system=None)
    return Session(drill, console)


def _summary(sim) -> str:
    return json.dumps(sim.result().to_dict()["summary"], sort_keys=True)


def test_ctrl_c_while_the_clock_runs_stops_it_after_the_step_and_asks(tmp_path, small):
    session = _session(tmp_path, small, ctrl_c_after_step=30)
    # e runs to the end; Ctrl-C lands at step 30: Enter goes on (at the prompt), then Ctrl-C and x quit
    kept = session.loop(scripted_reader("e", "", KeyboardInterrupt(), "x"))
    assert kept is False  # x: nothing is written
    sim = session.drill.sim
    assert sim.index == 30 and not sim.done  # stopped there, not at the end the command asked for
    assert len(sim.recorder.series["t_s"]) == 30  # every step begun was recorded whole
    screen = session.console.export_text()
    assert "Ctrl-C: the clock stopped at T+00:30" in screen
    assert "going on (the clock stopped at T+00:30: r or e to run on)" in screen


def test_going_on_after_ctrl_c_gives_the_same_drill_as_no_ctrl_c(tmp_path, small):
    session = _session(tmp_path, small, ctrl_c_after_step=45)
    assert session.loop(scripted_reader("r 90", "", "e", "q")) is True
    assert session.drill.sim.done
    plain = Drill(load_drill(tmp_path / "drill.yaml"))
    plain.run_to_end()
    assert _summary(session.drill.sim) == _summary(plain.sim)


def test_ctrl_c_while_the_clock_runs_then_s_finishes_and_writes(tmp_path, small):
    session = _session(tmp_path, small, ctrl_c_after_step=10)
    assert session.loop(scripted_reader("run 1h", "s")) is True  # s: finish as q does, outputs written
    assert session.drill.sim.done


def test_the_prompts_own_ctrl_c_handler_is_put_back(tmp_path, small):
    before = signal.getsignal(signal.SIGINT)
    session = _session(tmp_path, small, ctrl_c_after_step=10_000)
    session.handle("r 20")
    assert session.drill.sim.index == 20
    assert signal.getsignal(signal.SIGINT) is before
