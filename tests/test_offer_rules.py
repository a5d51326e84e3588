"""The offer's rules (d2c/offer.py) one by one: phases, eligibility shares and the activation clock.

tests/test_offer.py checks the same rules through whole runs; here each one is
pinned with shares worked out by hand.
"""

from __future__ import annotations

import numpy as np
import pytest

from d2c.offer import COMPATIBLE_HANDSETS, OFFER_SERVICES, Offer, OfferGate, Phase, eligible_share
from d2c.stages import D2CCapacity

SMS_THEN_ALL = (Phase(600.0, ("sms",)), Phase(3600.0, ("sms", "voice", "data")))


def test_the_services_an_offer_can_carry():
    assert OFFER_SERVICES == ("sms", "voice", "data")


def test_an_offer_without_phases_carries_everything_at_once():
    assert Offer().services_at(0.0) == ("sms", "voice", "data")
    assert Offer().activation_s == 0.0 and Offer().operators is None
    # the assumed share of compatible handsets, within its stated 0.5-0.95 range
    assert Offer().compatible_handsets == COMPATIBLE_HANDSETS and 0.5 <= COMPATIBLE_HANDSETS <= 0.95


@pytest.mark.parametrize("t_s, services", [(0.0, ()), (599.0, ()), (600.0, ("sms",)), (3599.0, ("sms",)),
                                           (3600.0, ("sms", "voice", "data")), (1e6, ("sms", "voice", "data"))])
def test_phases_take_over_at_their_start(t_s, services):
    # before the first phase nothing, then SMS from T+10m, everything from T+1h (a phase starts at its own second)
    assert Offer(phases=SMS_THEN_ALL).services_at(t_s) == services


def test_every_operator_and_compatible_handsets():
    shares = np.array([[0.25, 0.75], [0.0, 0.0]])
    assert eligible_share(Offer(compatible_handsets=0.5), shares, ["A", "B"]).tolist() == [0.5, 0.5]


def test_partners_share_and_the_national_mix_for_uncovered_areas():
    # area 0: B holds 0.75 of the handsets; area 1: 0.5; area 2 has no site, so the national mix stands in:
    # operator totals 0.25 + 0.5 = 0.75 (A) and 0.75 + 0.5 = 1.25 (B), B's national share 1.25 / 2 = 0.625
    shares = np.array([[0.25, 0.75], [0.5, 0.5], [0.0, 0.0]])
    got = eligible_share(Offer(operators=("B",), compatible_handsets=0.8), shares, ["A", "B"])
    assert got.tolist() == pytest.approx([0.75 * 0.8, 0.5 * 0.8, 0.625 * 0.8])
    both = eligible_share(Offer(operators=("A", "B"), compatible_handsets=1.0), shares, ["A", "B"])
    assert both.tolist() == pytest.approx([1.0, 1.0, 1.0])
    none = eligible_share(Offer(operators=("C",), compatible_handsets=1.0), shares, ["A", "B"])
    assert none.tolist() == [0.0, 0.0, 0.0]


def test_one_covered_area_gives_the_national_mix():
    # only area 0 has sites (A 0.25, B 0.75): its mix stands in for the uncovered area 1
    got = eligible_share(Offer(operators=("B",), compatible_handsets=1.0), np.array([[0.25, 0.75], [0.0, 0.0]]),
                         ["A", "B"])
    assert got.tolist() == pytest.approx([0.75, 0.75])


def test_no_site_anywhere_splits_handsets_evenly_among_operators():
    # no operator covers any area: each of the three operators holds a third everywhere
    got = eligible_share(Offer(operators=("A",), compatible_handsets=0.9), np.zeros((2, 3)), ["A", "B", "C"])
    assert got.tolist() == pytest.approx([0.3, 0.3])


def test_no_operators_at_all():
    got = eligible_share(Offer(operators=("A",), compatible_handsets=0.6), np.zeros((2, 0)), [])
    assert got.tolist() == pytest.approx([0.6, 0.6])


def test_the_gate_opens_at_activation():
    gate = OfferGate(Offer(activation_s=1800.0))
    assert not gate.waiting_for_decision and gate.held_by_drill is False
    assert gate.services_at(1799.0) == () and gate.services_at(1800.0) == ("sms", "voice", "data")


def test_on_decision_waits_for_the_switch_and_an_earlier_switch_wins():
    gate = OfferGate(Offer(activation_s=None))
    assert gate.waiting_for_decision and gate.services_at(1e9) == ()
    gate.switch_on(900.0)
    assert not gate.waiting_for_decision and gate.on_since_s == 900.0
    gate.switch_on(1200.0)  # already open: no effect
    assert gate.on_since_s == 900.0
    scheduled = OfferGate(Offer(activation_s=3600.0))
    scheduled.switch_on(600.0)  # switched on before the scheduled activation: opens now
    assert scheduled.on_since_s == 600.0


def test_a_drill_holds_the_service_until_its_decision():
    gate = OfferGate(Offer(activation_s=0.0))
    gate.hold_for_decision()
    assert gate.held_by_drill and gate.waiting_for_decision and gate.services_at(60.0) == ()
    gate.switch_on(120.0)
    assert gate.services_at(119.0) == () and gate.services_at(120.0) == ("sms", "voice", "data")


def _beams() -> D2CCapacity:
    # three areas, two beams: voice 10/20 calls, SMS 100/200, data 5/6 Mbit/s
    n = 3
    return D2CCapacity(np.array([0, 1, -1]), np.array([10.0, 20.0]), np.array([100.0, 200.0]), np.array([5.0, 6.0]),
                       np.ones(n, int), np.ones(n), np.full(n, 60.0))


def test_the_gate_restricts_the_beams_to_the_phase_in_force():
    gate = OfferGate(Offer(phases=SMS_THEN_ALL))
    before = gate.restrict(_beams(), 0.0)  # no phase yet: no beam at all
    assert before.area_beam.tolist() == [-1, -1, -1] and before.beam_calls.size == 0
    sms_only = gate.restrict(_beams(), 600.0)
    assert sms_only.beam_calls.tolist() == [0.0, 0.0] and sms_only.beam_mbps.tolist() == [0.0, 0.0]
    assert sms_only.beam_sms.tolist() == [100.0, 200.0] and sms_only.area_beam.tolist() == [0, 1, -1]
    beams = _beams()
    assert gate.restrict(beams, 3600.0) is beams  # everything: the beams as they are
    voice_data = OfferGate(Offer(phases=(Phase(0.0, ("voice", "data")),))).restrict(_beams(), 0.0)
    assert voice_data.beam_sms.tolist() == [0.0, 0.0] and voice_data.beam_calls.tolist() == [10.0, 20.0]
    assert voice_data.beam_mbps.tolist() == [5.0, 6.0]
