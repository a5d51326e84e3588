"""Demand per area and step (d2c/demand.py), with the test's own rates, worked out by hand.

Three areas of 1,000, 2,000 and 500 people; the incident reaches the first at 0 s, the second at
1 h, the third never. Rates (not the defaults): 0.01 112 calls, 0.002 112 SMS and 0.1 public SMS
per person-hour, calls held 90 s; surge x5 decaying over 2 h; 4 responders per 1,000 at 0.1
Erlang; 2 kbit/s of data a person; calls to family 0.003 Erlang a person, held 120 s, surging x3
over 4 h.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from d2c.config.scenario import Demand
from d2c.demand import DemandModel

SETTINGS = Demand(emergency_calls_per_person_hour=0.01, emergency_sms_per_person_hour=0.002,
                  public_sms_per_person_hour=0.1, call_hold_s=90.0, surge_factor=5.0, surge_decay_hours=2.0,
                  responders_per_1000=4.0, responder_erlangs=0.1, data_kbps_per_person=2.0,
                  family_erlangs_per_person=0.003, family_call_hold_s=120.0, family_surge_factor=3.0,
                  family_surge_decay_hours=4.0)
POPULATION = np.array([1000.0, 2000.0, 500.0])
HOUR = 3600.0


@pytest.fixture
def model():
    return DemandModel(SETTINGS, POPULATION, np.array([0.0, HOUR, math.inf]))


def test_the_surge_jumps_when_an_area_is_hit_and_decays(model):
    assert model.surge(0.0).tolist() == [5.0, 1.0, 1.0]  # the first area from its first second
    assert model.surge(HOUR - 1).tolist()[1] == 1.0
    assert model.surge(HOUR).tolist()[1] == 5.0
    # two hours in: 1 + 4 e^-1 = 2.4715; one hour in: 1 + 4 e^-0.5 = 3.4261
    assert model.surge(2 * HOUR) == pytest.approx([2.4715178, 3.4261226, 1.0])
    # another factor and decay: x3 over 4 h, two hours in: 1 + 2 e^-0.5 = 2.2131
    assert model.surge(2 * HOUR, 3.0, 4.0) == pytest.approx([2.2130613, 1 + 2 * math.exp(-0.25), 1.0])


def test_one_step_of_demand_by_hand(model):
    d = model.at(2 * HOUR, 60.0)
    surge = np.array([2.4715178, 3.4261226, 1.0])
    person_hours = np.array([1000.0, 2000.0, 500.0]) / 60  # a minute each
    calls = person_hours * 0.01 * surge  # 0.0412, 0.1142, 0.0833
    assert d.calls == pytest.approx(calls)
    assert d.call_erlangs == pytest.approx(calls * 90 / 60)
    assert d.sms == pytest.approx(person_hours * 0.002 * surge)
    assert d.public_sms == pytest.approx(person_hours * 0.1 * surge)
    # responders only where the incident is: 1000 x 4/1000 x 0.1 = 0.4, 0.8; none in the third area
    assert d.responder_erlangs == pytest.approx([0.4, 0.8, 0.0])
    assert d.data_mbps == pytest.approx([2.0 * 2.4715178, 4.0 * 3.4261226, 1.0])
    family = np.array([3.0 * 2.2130613, 6.0 * (1 + 2 * math.exp(-0.25)), 1.5])
    assert d.family_call_erlangs == pytest.approx(family)
    assert d.family_calls == pytest.approx(family * 60 / 120)


def test_a_longer_step_scales_the_attempts_not_the_load(model):
    one, ten = model.at(0.0, 60.0), model.at(0.0, 600.0)
    assert ten.calls == pytest.approx(10 * one.calls)
    assert ten.sms == pytest.approx(10 * one.sms) and ten.public_sms == pytest.approx(10 * one.public_sms)
    assert ten.family_calls == pytest.approx(10 * one.family_calls)
    # Erlangs (concurrent calls) and Mbit/s do not depend on the step
    for name in ("call_erlangs", "responder_erlangs", "data_mbps", "family_call_erlangs"):
        assert getattr(ten, name) == pytest.approx(getattr(one, name)), name


def test_before_the_incident_demand_is_the_normal_rate(model):
    d = model.at(-HOUR, 3600.0)
    assert d.calls == pytest.approx([10.0, 20.0, 5.0])  # 1000 person-hours x 0.01
    assert d.responder_erlangs.tolist() == [0.0, 0.0, 0.0]
    assert d.family_call_erlangs == pytest.approx([3.0, 6.0, 1.5])


def test_responders_stay_while_the_surge_has_not_died_away(model):
    # six hours after the first area is hit its surge is 1 + 4 e^-3 = 1.20: responders still out there
    d = model.at(6 * HOUR, 60.0)
    assert model.surge(6 * HOUR)[0] == pytest.approx(1.1991483)
    assert d.responder_erlangs == pytest.approx([0.4, 0.8, 0.0])


def test_steps_of_one_length_in_a_row_then_another_length(model):
    # the engine asks for every step with the same length: the second ask must give that step's own demand
    model.at(0.0, 60.0)
    d = model.at(2 * HOUR, 60.0)
    surge = np.array([2.4715178, 3.4261226, 1.0])  # as worked out above, two hours in
    assert d.calls == pytest.approx(np.array([1000.0, 2000.0, 500.0]) / 60 * 0.01 * surge)
    # then a ten-minute step: ten times the attempts of the one-minute step at the same instant
    assert model.at(2 * HOUR, 600.0).calls == pytest.approx(10 * d.calls)


def test_steps_whose_surges_are_the_last_ones_get_that_demand_and_others_their_own():
    # every area hit at 1 h: before it, the surge is 1 everywhere and each step's demand is the normal rate
    model = DemandModel(SETTINGS, POPULATION, np.full(3, HOUR))
    before = model.at(0.0, 60.0)
    assert model.at(60.0, 60.0).calls.tolist() == before.calls.tolist()
    hit = model.at(HOUR, 60.0)
    assert hit.calls == pytest.approx(5 * before.calls)  # the x5 surge from the hit on
    later = model.at(HOUR + 60.0, 60.0)
    assert later.calls[0] < hit.calls[0]  # decaying: a step later is a step lower
    # same instant and surge but a ten-minute step: its own attempts, not the last step's
    assert model.at(HOUR + 60.0, 600.0).calls == pytest.approx(10 * later.calls)


def test_every_kind_of_attempt_of_a_step_by_hand():
    # Alpha (1,000 people) hit at 0: one hour in, surge 1 + 4 e^-0.5, family surge 1 + 2 e^-0.25
    model = DemandModel(SETTINGS, POPULATION, np.array([0.0, math.inf, math.inf]))
    d = model.at(HOUR, 60.0)
    surge, family = 1 + 4 * math.exp(-0.5), 1 + 2 * math.exp(-0.25)
    # read in another order than the stage that computes them: each is its own figure
    assert d.family_calls[0] == pytest.approx(1000 * 0.003 * family * 60 / 120.0)
    assert d.family_call_erlangs[0] == pytest.approx(1000 * 0.003 * family)
    assert d.data_mbps[0] == pytest.approx(1000 * 2.0 / 1000 * surge)
    assert d.responder_erlangs.tolist() == [pytest.approx(1000 * 4.0 / 1000 * 0.1), 0.0, 0.0]
    assert d.public_sms[0] == pytest.approx(1000 / 60 * 0.1 * surge)
    assert d.call_erlangs[0] == pytest.approx(1000 / 60 * 0.01 * surge / 60 * 90.0)
    assert d.sms[1] == pytest.approx(2000 / 60 * 0.002)  # not hit: the normal rate
