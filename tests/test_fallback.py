"""The fallback stage (d2c/fallback.py) one step at a time, on the model-branch network.

The network (tests/conftest.py, BRANCHES): S1 (TIM, 30 calls) covers Alpha
(1,000 people) and Beta (500), so Alpha holds 2/3 of it and Beta 1/3; S2 (TIM)
and S3 (Vodafone), 10 calls each, cover Gamma (300); S4 (TIM, 10 calls) covers
Delta (200). Site order S1, S2, S3, S4; area order Alpha, Beta, Gamma, Delta.
Every expected value below is worked out from those numbers.
"""

from __future__ import annotations

import numpy as np
import pytest

from conftest import BRANCHES, write
from d2c.attach import AttachSettings
from d2c.config.topology import load_topology
from d2c.fallback import Fallback, allocate_by_priority, operator_share
from d2c.stages import D2CCapacity, StepDemand
from d2c.world import World

ALPHA, BETA, GAMMA, DELTA = range(4)
ALL = np.array([True, True, True, True])


# Variants of the same network: one operator only (S3 becomes TIM's), and a fifth area, last in the
# list, that no site covers.
ONE_OPERATOR = BRANCHES.replace("operator: Vodafone", "operator: TIM")
WITH_UNCOVERED = BRANCHES.replace(
    "  - {name: Delta, lat: 42.600, lon: 13.000, population: 200}\n",
    "  - {name: Delta, lat: 42.600, lon: 13.000, population: 200}\n"
    "  - {name: Epsilon, lat: 44.000, lon: 13.000, population: 50}\n")


def _world(tmp_path_factory, text: str) -> World:
    return World(load_topology(write(tmp_path_factory.mktemp("branches"), "branches.yaml", text)))


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    return _world(tmp_path_factory, BRANCHES)


def sites(*up: str) -> np.ndarray:
    return np.array([f"S{k}" in up for k in range(1, 5)])


def demand(calls=(0, 0, 0, 0), sms=(0, 0, 0, 0), public_sms=(0, 0, 0, 0), responders=(0, 0, 0, 0), data=(0, 0, 0, 0),
           family=(0, 0, 0, 0)) -> StepDemand:
    # one call attempt holds one Erlang here (Little's law with a 60 s hold time in a 60 s step)
    a = lambda v: np.array(v, dtype=float)  # noqa: E731
    return StepDemand(calls=a(calls), call_erlangs=a(calls), sms=a(sms), public_sms=a(public_sms),
                      responder_erlangs=a(responders), data_mbps=a(data), family_calls=a(family),
                      family_call_erlangs=a(family))


def beams(area_beam, calls, sms, mbps, link=None, messaging=None) -> D2CCapacity:
    n = len(area_beam)
    return D2CCapacity(np.array(area_beam), np.array(calls, float), np.array(sms, float), np.array(mbps, float),
                       np.ones(n, int), np.full(n, 20.0), np.full(n, 50.0),
                       beam_messaging_bytes_per_s=None if messaging is None else np.array(messaging, float),
                       area_link_share=None if link is None else np.array(link, float))


NO_BEAM = beams([-1, -1, -1, -1], [], [], [])


def test_priority_allocation_by_hand():
    # 5 of capacity: the first class takes its 3, the second the remaining 2 of its 4, the third nothing
    got = allocate_by_priority(np.array([5.0, 1.0]), [np.array([3.0, 0.5]), np.array([4.0, 4.0]), np.array([1.0, 1.0])])
    assert [g.tolist() for g in got] == [[3.0, 0.5], [2.0, 0.5], [0.0, 0.0]]


def test_operator_shares_follow_the_capacity_of_the_covering_sites(world):
    # Gamma: TIM's S2 and Vodafone's S3 have 10 calls each -> half and half; the others are TIM's only
    assert world.operators == ["TIM", "Vodafone"]
    assert operator_share(world).tolist() == [[1.0, 0.0], [1.0, 0.0], [0.5, 0.5], [1.0, 0.0]]


def test_a_site_covering_two_areas_shares_its_calls_by_population(world):
    fb = Fallback(world)
    covered = fb.terrestrial(sites("S1", "S2", "S3", "S4"), ALL[:4], ALL[:4])
    assert covered.tolist() == [True, True, True, True]
    # Alpha 40 Erlangs on 30 x 2/3 = 20 calls: half served; Beta 5 on 10: all; Gamma 25 on 10 + 10: 20
    s = fb.step(demand(calls=(40, 5, 25, 0)), NO_BEAM)
    assert s.capacity_calls.tolist() == pytest.approx([20.0, 10.0, 20.0, 10.0])
    assert s.calls_served_terrestrial.tolist() == pytest.approx([20.0, 5.0, 20.0, 0.0])
    assert s.people_share_terrestrial.tolist() == [1.0, 1.0, 1.0, 1.0]
    assert s.calls_served_d2c.tolist() == [0.0] * 4 and s.d2c.tolist() == [False] * 4
    assert s.calls_offered.tolist() == [40.0, 5.0, 25.0, 0.0] and s.sms_offered.tolist() == [0.0] * 4


def test_a_site_down_takes_its_capacity_and_its_paths_with_it(world):
    fb = Fallback(world)
    up = sites("S1", "S3")  # S2 (TIM, Gamma) and S4 (Delta) down
    sms_ok = sites("S1")  # S3's SMS path is down
    cbc_ok = sites("S3")  # S1's cell broadcast is down
    assert fb.terrestrial(up, sms_ok, cbc_ok).tolist() == [True, True, True, False]
    s = fb.step(demand(calls=(0, 0, 25, 3), sms=(2, 2, 2, 2)), NO_BEAM)
    assert s.capacity_calls.tolist() == pytest.approx([20.0, 10.0, 10.0, 0.0])  # Gamma keeps S3's 10
    assert s.calls_served_terrestrial.tolist() == pytest.approx([0.0, 0.0, 10.0, 0.0])
    assert s.sms_path.tolist() == [True, True, False, False]
    assert s.sms_served_terrestrial.tolist() == [2.0, 2.0, 0.0, 0.0]
    assert s.warning_reach.tolist() == [False, False, True, False]
    assert s.people_share_terrestrial.tolist() == [1.0, 1.0, 1.0, 0.0]
    assert s.people_share_no_path.tolist() == [0.0, 0.0, 0.0, 1.0]


def test_the_stage_recomputes_when_any_site_state_changes(world):
    fb = Fallback(world)
    on = sites("S1", "S2", "S3", "S4")
    fb.terrestrial(on, on, on)
    assert fb.step(demand(sms=(1, 1, 1, 1)), NO_BEAM).sms_path.all()
    fb.terrestrial(on, sites("S2", "S3", "S4"), on)  # only S1's SMS path changes
    assert fb.step(demand(sms=(1, 1, 1, 1)), NO_BEAM).sms_path.tolist() == [False, False, True, True]
    fb.terrestrial(on, on, sites("S1"))  # only the cell broadcast changes
    assert fb.step(demand(), NO_BEAM).warning_reach.tolist() == [True, True, False, False]
    fb.terrestrial(sites("S2"), on, on)  # only the radios change
    assert fb.step(demand(), NO_BEAM).terrestrial.tolist() == [False, False, True, False]


@pytest.mark.parametrize("stuck", [1.0, 0.4])
def test_handsets_on_a_site_with_a_dead_core_stay_stuck_there(world, stuck):
    # S2 (TIM) has its radio up but its core cannot complete a 112 call; Vodafone's S3 works. In Gamma,
    # TIM's half of the handsets has no working TIM site: `stuck` of them stay on S2 and have no path.
    fb = Fallback(world, stuck_on_failed_core=stuck)
    fb.terrestrial(sites("S1", "S3", "S4"), ALL, ALL, site_core_failed=sites("S2"))
    s = fb.step(demand(calls=(1, 1, 4, 1), sms=(1, 1, 2, 1)), NO_BEAM)
    assert s.people_share_terrestrial.tolist() == pytest.approx([1.0, 1.0, 1.0 - 0.5 * stuck, 1.0])
    assert s.calls_served_terrestrial[GAMMA] == pytest.approx(4 * (1.0 - 0.5 * stuck))
    assert s.sms_served_terrestrial[GAMMA] == pytest.approx(2 * (1.0 - 0.5 * stuck))


def test_vodafone_handsets_stuck_on_their_dead_core(world):
    # the other way round: Vodafone's S3 has its radio up and its core dead, TIM's S2 works; Vodafone's
    # half of Gamma is stuck, nobody else
    fb = Fallback(world, stuck_on_failed_core=1.0)
    fb.terrestrial(sites("S1", "S2", "S4"), ALL, ALL, site_core_failed=sites("S3"))
    assert fb.step(demand(), NO_BEAM).people_share_terrestrial.tolist() == pytest.approx([1.0, 1.0, 0.5, 1.0])


def test_one_operator_with_a_dead_core_beside_a_working_site(tmp_path_factory):
    # S3 is TIM's too: in Gamma TIM's S2 has a dead core but S3 works, so no TIM handset is stranded
    world = _world(tmp_path_factory, ONE_OPERATOR)
    assert world.operators == ["TIM"]
    fb = Fallback(world, stuck_on_failed_core=1.0)
    fb.terrestrial(sites("S1", "S3", "S4"), ALL, ALL, site_core_failed=sites("S2"))
    assert fb.step(demand(), NO_BEAM).people_share_terrestrial.tolist() == [1.0, 1.0, 1.0, 1.0]
    # and S4's dead core (Delta's only site) strands everyone there
    fb.terrestrial(sites("S1", "S2", "S3"), ALL, ALL, site_core_failed=sites("S4"))
    assert fb.step(demand(), NO_BEAM).people_share_terrestrial.tolist() == [1.0, 1.0, 1.0, 0.0]


def test_an_area_no_site_covers(tmp_path_factory):
    # Epsilon, last in the list, has no site: no terrestrial path, and D2C when a beam covers it
    world = _world(tmp_path_factory, WITH_UNCOVERED)
    fb = Fallback(world)
    on = np.ones(4, bool)
    assert fb.terrestrial(on, on, on).tolist() == [True, True, True, True, False]
    s = fb.step(StepDemand(*(np.ones(5),) * 6), D2CCapacity(np.array([-1, -1, -1, -1, 0]), np.array([5.0]),
                np.array([5.0]), np.array([5.0]), np.ones(5, int), np.ones(5), np.ones(5)))
    assert s.capacity_calls.tolist() == pytest.approx([20.0, 10.0, 20.0, 10.0, 5.0])
    assert s.calls_served_d2c.tolist() == [0.0, 0.0, 0.0, 0.0, 1.0]


def test_before_any_site_state_there_is_no_terrestrial_service(world):
    # a fresh stage that has not yet been told the sites' states serves nothing by land
    s = Fallback(world).step(demand(calls=(1, 1, 1, 1), sms=(1, 1, 1, 1)), beams([0, 0, -1, -1], [5], [5], [5]))
    assert s.terrestrial.tolist() == [False] * 4 and s.calls_served_terrestrial.tolist() == [0.0] * 4
    assert s.sms_served_terrestrial.tolist() == [0.0] * 4 and s.people_share_terrestrial.tolist() == [0.0] * 4
    assert s.warning_reach.tolist() == [True, True, False, False]
    assert s.sms_path.tolist() == [True, True, False, False]
    assert s.calls_served_d2c.tolist() == [1.0, 1.0, 0.0, 0.0]


def test_a_site_simply_down_strands_no_one(world):
    # S2 is down (no radio, no core failure) and Vodafone's S3 works: TIM's handsets in Gamma camp on S3
    fb = Fallback(world, stuck_on_failed_core=1.0)
    fb.terrestrial(sites("S1", "S3", "S4"), ALL, ALL, site_core_failed=np.zeros(4, bool))
    assert fb.step(demand(), NO_BEAM).people_share_terrestrial.tolist() == [1.0, 1.0, 1.0, 1.0]
    # and a dead core beside a working site of the same operator strands no one either (S1 up, S4 failed)
    fb = Fallback(world, stuck_on_failed_core=1.0)
    fb.terrestrial(sites("S1", "S2", "S3"), ALL, ALL, site_core_failed=sites("S4"))
    assert fb.step(demand(), NO_BEAM).people_share_terrestrial.tolist() == [1.0, 1.0, 1.0, 0.0]


# ---------------------------------------------------------------- on D2C

def _no_sites(world, **kw):
    fb = Fallback(world, **kw)
    off = np.zeros(4, bool)
    fb.terrestrial(off, off, off)
    return fb


def test_areas_with_cells_stay_off_the_beam(world):
    fb = Fallback(world)
    fb.terrestrial(sites("S1"), sites("S1"), sites("S1"))  # Alpha and Beta have S1
    s = fb.step(demand(calls=(1, 1, 1, 1)), beams([0, 0, 0, -1], [10], [10], [10]))
    assert s.d2c.tolist() == [False, False, True, False]
    assert s.calls_served_d2c.tolist() == [0.0, 0.0, 1.0, 0.0]
    assert s.capacity_calls.tolist() == pytest.approx([20.0, 10.0, 10.0, 0.0])  # Gamma: its beam's 10
    assert s.warning_reach.tolist() == [True, True, True, False]  # under a beam: warnings reach
    assert s.attached_share.tolist() == [1.0, 1.0, 1.0, 1.0]


def test_a_beam_shares_its_pools_by_priority_across_its_areas(world):
    fb = _no_sites(world)
    # Alpha and Beta on beam 0 (4 calls, 5 SMS, 6 Mbit/s), Gamma on beam 1 (plenty), Delta on none.
    # 112 calls 3 + 2 = 5 Erlangs on 4: each gets 4/5; responders get nothing on beam 0.
    # 112 SMS 2 + 2 = 4 of 5 SMS: all; public SMS 4 + 6 = 10 on the 1 left: a tenth each.
    # Data 6 + 6 = 12 Mbit/s on 6: half; family calls find no voice left on beam 0.
    d = demand(calls=(3, 2, 1, 1), sms=(2, 2, 1, 1), public_sms=(4, 6, 1, 1), responders=(1, 1, 1, 1),
               data=(6, 6, 1, 1), family=(2, 2, 1, 1))
    s = fb.step(d, beams([0, 0, 1, -1], [4, 100, 50], [5, 100, 50], [6, 100, 50]))  # beam 2 covers no one
    assert s.calls_served_d2c.tolist() == pytest.approx([2.4, 1.6, 1.0, 0.0])
    assert s.responders_served_d2c.tolist() == pytest.approx([0.0, 0.0, 1.0, 0.0])
    assert s.family_calls_served_d2c.tolist() == pytest.approx([0.0, 0.0, 1.0, 0.0])
    assert s.sms_served_d2c.tolist() == pytest.approx([2.0, 2.0, 1.0, 0.0])
    assert s.public_sms_served_d2c.tolist() == pytest.approx([0.4, 0.6, 1.0, 0.0])
    assert s.data_served_d2c_mbps.tolist() == pytest.approx([3.0, 3.0, 1.0, 0.0])
    # blocked: 112 calls 0.6 and 0.4; calls to family 2 + public SMS 3.6 (Alpha), 2 + 5.4 (Beta)
    assert s.emergency_blocked_d2c.tolist() == pytest.approx([0.6, 0.4, 0.0, 0.0])
    assert s.non_emergency_blocked_d2c.tolist() == pytest.approx([5.6, 7.4, 0.0, 0.0])
    assert s.data_blocked_d2c_mbps.tolist() == pytest.approx([3.0, 3.0, 0.0, 0.0])
    assert s.d2c.tolist() == [True, True, True, False]
    assert s.people_share_d2c.tolist() == [1.0, 1.0, 1.0, 0.0]
    assert s.people_share_no_path.tolist() == [0.0, 0.0, 0.0, 1.0]
    assert s.capacity_calls.tolist() == [4.0, 4.0, 100.0, 0.0]
    assert s.attached_share.tolist() == [1.0, 1.0, 1.0, 1.0]  # no attach model: everyone at once


def test_a_beam_with_no_room_at_all_is_no_d2c(world):
    fb = _no_sites(world)
    link = [[0.5] * 4, [0.5] * 4, [0.5] * 4]
    s = fb.step(demand(calls=(1, 1, 1, 1), sms=(1, 1, 1, 1), data=(1, 1, 1, 1), public_sms=(1, 1, 1, 1)),
                beams([0, 1, -1, -1], [0, 0], [0, 2], [0, 0], link=link), d2c_share=np.full(4, 0.5))
    # Alpha, under a beam with nothing: none of its figures counts as D2C (outside the offer, unreachable,
    # blocked), it simply has no D2C
    assert s.emergency_not_eligible_d2c[ALPHA] == 0.0 and s.emergency_unreachable_d2c[ALPHA] == 0.0
    assert s.non_emergency_blocked_d2c[ALPHA] == 0.0 and s.data_blocked_d2c_mbps[ALPHA] == 0.0
    # Beta: half its 2 attempts outside the offer; of the offer's, half the call and half the SMS unreachable
    assert s.emergency_not_eligible_d2c[BETA] == pytest.approx(1.0)
    assert s.emergency_unreachable_d2c[BETA] == pytest.approx(0.5 * (0.5 + 0.5))
    s = fb.step(demand(calls=(1, 1, 1, 1), sms=(1, 1, 1, 1)), beams([0, 1, -1, -1], [0, 0], [0, 2], [0, 0]))
    # beam 0 has nothing: Alpha is not on D2C and nothing of its is counted blocked; beam 1 has SMS only
    assert s.d2c.tolist() == [False, True, False, False]
    assert s.sms_path.tolist() == [False, True, False, False]
    assert s.emergency_blocked_d2c.tolist() == pytest.approx([0.0, 1.0, 0.0, 0.0])  # Beta's call: no voice
    assert s.people_share_d2c.tolist() == [0.0, 1.0, 0.0, 0.0]
    assert s.warning_reach.tolist() == [True, True, False, False]


@pytest.mark.parametrize("calls, sms, mbps, path, family, public, data",
                         [(0.5, 0, 0, True, 1.0, 0.0, 0.0), (0, 0.5, 0, True, 0.0, 0.5, 0.0),
                          (0, 0, 0.5, False, 0.0, 0.0, 0.5)])
def test_half_a_call_or_half_an_sms_of_room_is_still_a_beam(world, calls, sms, mbps, path, family, public, data):
    # a weak beam: room for half a call, half an SMS this step, or half a Mbit/s; still D2C service.
    # Alpha offers one 112 call, one call to family, one public SMS and 1 Mbit/s: the 112 call takes
    # the half call (the family call is blocked), the public SMS gets the half SMS (half blocked), data
    # the half Mbit/s; a class the beam does not carry is not offered, so not counted blocked.
    fb = _no_sites(world)
    d = demand(calls=(1, 0, 0, 0), family=(1, 0, 0, 0), public_sms=(1, 0, 0, 0), data=(1, 0, 0, 0))
    s = fb.step(d, beams([0, -1, -1, -1], [calls], [sms], [mbps]))
    assert s.d2c.tolist() == [True, False, False, False]
    assert s.people_share_d2c[ALPHA] == (1.0 if path else 0.0)  # data alone is no 112 path
    assert s.sms_path[ALPHA] == (sms > 0)
    assert s.emergency_blocked_d2c[ALPHA] == pytest.approx(1.0 - calls)
    assert s.non_emergency_blocked_d2c[ALPHA] == pytest.approx(family + public)
    assert s.data_blocked_d2c_mbps[ALPHA] == pytest.approx(data)
    assert s.family_calls_served_d2c[ALPHA] == 0.0
    assert s.public_sms_served_d2c[ALPHA] == pytest.approx(0.5 if sms else 0.0)
    assert s.data_served_d2c_mbps[ALPHA] == pytest.approx(0.5 if mbps else 0.0)
    assert s.sms_served_d2c.tolist() == [0.0] * 4 and s.responders_served_d2c.tolist() == [0.0] * 4


def test_the_offer_and_the_radio_link_thin_the_handsets_reaching_the_beam(world):
    fb = _no_sites(world)
    # everyone on one big beam; the offer serves half of each area's handsets. Indoors, the link closes for
    # SMS for 80% of them, for voice 40%, for data 20% (shares of all handsets, rows SMS, voice, data).
    link = [[0.8] * 4, [0.4] * 4, [0.2] * 4]
    d = demand(calls=(10, 10, 10, 10), sms=(10, 10, 10, 10), data=(10, 10, 10, 10), public_sms=(10, 0, 0, 0),
               family=(10, 0, 0, 0), responders=(10, 0, 0, 0))
    s = fb.step(d, beams([0, 0, 0, 0], [11], [1e3], [1e3], link=link), d2c_share=np.full(4, 0.5))
    # calls: 10 x 0.5 (offer) x 0.4 (voice link) = 2; SMS: 10 x 0.5 x 0.8 = 4; data 10 x 0.5 x 0.2 = 1
    assert s.calls_served_d2c.tolist() == pytest.approx([2.0] * 4)
    assert s.sms_served_d2c.tolist() == pytest.approx([4.0] * 4)
    assert s.data_served_d2c_mbps.tolist() == pytest.approx([1.0] * 4)
    # Alpha's routine traffic thins the same way: public SMS like SMS (4), responders and family calls
    # like calls (2 Erlangs each). The beam's 11 calls: 8 to 112, 2 to responders, the last 1 to family
    # (half of Alpha's 2 family attempts)
    assert s.public_sms_served_d2c[ALPHA] == pytest.approx(4.0)
    assert s.responders_served_d2c[ALPHA] == pytest.approx(2.0)
    assert s.family_calls_served_d2c[ALPHA] == pytest.approx(1.0)
    assert s.non_emergency_blocked_d2c[ALPHA] == pytest.approx(1.0)
    # outside the offer: half of the 20 attempts; unreachable: of the offer's 5 calls 60%, of its 5 SMS 20%
    assert s.emergency_not_eligible_d2c.tolist() == pytest.approx([10.0] * 4)
    assert s.emergency_unreachable_d2c.tolist() == pytest.approx([0.5 * (10 * 0.6 + 10 * 0.2)] * 4)
    assert s.emergency_blocked_d2c.tolist() == pytest.approx([0.0] * 4)
    # a D2C 112 path: the offer's handsets whose SMS link closes, 0.5 x 0.8
    assert s.people_share_d2c.tolist() == pytest.approx([0.4] * 4)


def test_no_link_at_all_reaches_no_one(world):
    fb = _no_sites(world)
    link = [[0.0] * 4, [0.0] * 4, [0.0] * 4]
    s = fb.step(demand(calls=(1, 1, 1, 1), data=(1, 1, 1, 1)), beams([0, 0, 0, 0], [9], [9], [9], link=link))
    assert s.calls_served_d2c.tolist() == [0.0] * 4 and s.data_served_d2c_mbps.tolist() == [0.0] * 4
    assert s.people_share_d2c.tolist() == [0.0] * 4
    assert s.emergency_unreachable_d2c.tolist() == [1.0] * 4


def test_an_sms_path_on_the_ground_keeps_112_sms_off_the_beam(world):
    # S1's SMS path works though its radio does not carry calls: Alpha and Beta send 112 SMS by land
    fb = Fallback(world)
    off = np.zeros(4, bool)
    fb.terrestrial(off, sites("S1"), off)
    s = fb.step(demand(sms=(3, 3, 3, 0)), beams([0, 0, 0, -1], [5], [5], [5]))
    assert s.sms_served_terrestrial.tolist() == [3.0, 3.0, 0.0, 0.0]
    assert s.sms_served_d2c.tolist() == pytest.approx([0.0, 0.0, 3.0, 0.0])


def test_with_an_attach_queue_only_attached_handsets_make_routine_traffic(world):
    fb = _no_sites(world, step_s=60.0)
    # Alpha's 1,000 handsets (one a person, all served by the offer) under a beam whose messaging
    # carries 1,000 B/s: 100 SMS a 60 s step, so 600 B an SMS and an attach (6,000 B) costs 10 SMS.
    # two handsets a person, half of them served by the offer: as many handsets as people
    assert fb.attach_queue(np.full(4, 0.5), AttachSettings(handsets_per_person=2.0)).handsets.tolist() == \
        [1000.0, 500.0, 300.0, 200.0]
    assert fb.attach_queue(np.full(4, 0.5), AttachSettings(handsets_per_person=3.0)).handsets.tolist() == \
        [1500.0, 750.0, 450.0, 300.0]
    queue = fb.attach_queue(np.ones(4), AttachSettings())
    assert queue.handsets.tolist() == [1000.0, 500.0, 300.0, 200.0]
    d = demand(calls=(2, 0, 0, 0), public_sms=(50, 0, 0, 0))
    s = fb.step(d, beams([0, -1, -1, -1], [10], [100], [0], messaging=[1000.0]), None, queue)
    # the 2 callers make emergency attaches first (20 SMS), then 80 SMS of room: 8 ordinary attaches;
    # no handset was attached before the step, so no public SMS goes out on it
    assert s.calls_served_d2c[ALPHA] == pytest.approx(2.0)
    assert s.public_sms_served_d2c[ALPHA] == pytest.approx(0.0)
    assert s.attached_share[ALPHA] == pytest.approx((2 + 8) / 1000)
    assert s.people_share_d2c[ALPHA] == pytest.approx(10 / 1000)
    assert s.attached_share[BETA] == 1.0  # not on a beam


def test_attach_storm_through_the_stage_step_by_step(world):
    # Alpha: 1,000 people x 0.1 handsets x an offer serving half of them = 50 handsets, alone on beam 0
    # (10 calls, 10 Mbit/s). Beam 0's messaging carries 10 bytes/s per SMS of the step, so an SMS is
    # 600 B and an attach (6,000 B) costs 10 SMS. Gamma (30 handsets) is under beam 1, data only.
    # Each step Alpha offers 2 112 calls (2 Erlangs), 2 112 SMS, 4 public SMS, 1 call to family
    # (1 Erlang), 1 Erlang of responders and 2 Mbit/s; Gamma one 112 call.
    fb = _no_sites(world, step_s=60.0)
    share = np.array([0.5, 1.0, 1.0, 1.0])
    queue = fb.attach_queue(share, AttachSettings(handsets_per_person=0.1))
    d = demand(calls=(2, 0, 1, 0), sms=(2, 0, 0, 0), public_sms=(4, 0, 0, 0), family=(1, 0, 0, 0),
               responders=(1, 0, 0, 0), data=(2, 0, 0, 0))

    def step(sms_per_step):
        return fb.step(d, beams([0, -1, 1, -1], [10, 0], [sms_per_step, 0], [10, 5],
                                messaging=[10.0 * sms_per_step, 0.0]), share, queue)

    # Step 1, 40 SMS: nobody attached yet. The 4 attempts x 0.5 = 2 emergency attaches take 20 SMS; the
    # 2 x 0.5 = 1 112 SMS take 1; the 19 left attach 1.9 of the 48 waiting: 2 + 1.9 = 3.9 attached.
    s = step(40.0)
    assert s.calls_served_d2c[ALPHA] == pytest.approx(1.0) and s.sms_served_d2c[ALPHA] == pytest.approx(1.0)
    assert s.emergency_not_eligible_d2c[ALPHA] == pytest.approx(2.0)
    assert s.emergency_blocked_d2c[ALPHA] == pytest.approx(0.0)
    assert s.attached_share[ALPHA] == pytest.approx(3.9 / 50)
    assert s.people_share_d2c[ALPHA] == pytest.approx(0.5 * 3.9 / 50)
    assert s.public_sms_served_d2c[ALPHA] == 0.0  # nobody was attached to send one
    # Gamma's beam carries no signalling: its one 112 call cannot attach, and is blocked
    assert s.emergency_blocked_d2c[GAMMA] == pytest.approx(1.0) and s.attached_share[GAMMA] == 0.0

    # Step 2, 10 SMS: 3.9 / 50 = 0.078 attached. Emergency attaches asked: 4 x 0.5 x 0.922 = 1.844; the
    # 10 SMS fit 1 (ratio 1 / 1.844), then nothing is left. Share of 112 attempts reaching the beam:
    # 0.5 x (0.078 + 0.922 / 1.844) = 0.289; attached handsets' own traffic: 0.5 x 0.078 = 0.039.
    s = step(10.0)
    assert s.calls_served_d2c[ALPHA] == pytest.approx(2 * 0.289)
    assert s.sms_served_d2c[ALPHA] == pytest.approx(0.0)
    assert s.responders_served_d2c[ALPHA] == pytest.approx(0.039)
    assert s.family_calls_served_d2c[ALPHA] == pytest.approx(0.039)
    assert s.data_served_d2c_mbps[ALPHA] == pytest.approx(2 * 0.039)
    # blocked: the 0.578 112 SMS that reached the beam, plus the failed emergency attaches
    # 1.844 x (1 - 1 / 1.844) = 0.844; the public SMS 4 x 0.039 = 0.156 found no room
    assert s.emergency_blocked_d2c[ALPHA] == pytest.approx(0.578 + 0.844)
    assert s.non_emergency_blocked_d2c[ALPHA] == pytest.approx(0.156)
    assert s.attached_share[ALPHA] == pytest.approx(4.9 / 50)
    assert s.attached_share[GAMMA] == 0.0

    # Step 3, 451.2 SMS: 4.9 / 50 = 0.098 attached; emergency attaches 2 x 0.902 = 1.804 (18.04 SMS),
    # 112 SMS 1, ordinary attaches want 43.296 x 10 = 432.96 SMS of the 432.16 left: none for public SMS
    s = step(451.2)
    assert s.attached_share[ALPHA] == pytest.approx((4.9 + 1.804 + 43.296 * 432.16 / 432.96) / 50)
    assert s.public_sms_served_d2c[ALPHA] == pytest.approx(0.0)
    assert s.non_emergency_blocked_d2c[ALPHA] == pytest.approx(4 * 0.5 * 0.098)

    # S1 comes back: Alpha's handsets camp on it and leave the beam
    fb.terrestrial(sites("S1"), sites("S1"), sites("S1"))
    s = fb.step(d, beams([0, -1, 1, -1], [10, 0], [10, 0], [10, 5], messaging=[100.0, 0.0]), share, queue)
    assert s.attached_share[ALPHA] == 1.0 and queue.attached[ALPHA] == 0.0


def test_an_attach_queue_without_signalling_figures_attaches_everyone_at_once(world):
    # the space stage gives no messaging bytes: attaches are not modelled, every handset is attached
    fb = _no_sites(world)
    queue = fb.attach_queue(np.ones(4), AttachSettings())
    s = fb.step(demand(public_sms=(3, 0, 0, 0)), beams([0, -1, -1, -1], [5], [5], [5]), None, queue)
    assert s.attached_share.tolist() == [1.0] * 4
    assert s.public_sms_served_d2c[ALPHA] == pytest.approx(3.0)


def _sixteen_sites() -> str:
    # eight villages 0.1 deg (11 km) apart on a meridian, each with two sites 1 km off it (TIM 10 calls,
    # Vodafone 5), radius 3 km: each site covers its own village only; a wide TIM site (radius 15 km)
    # between the last two villages covers both
    areas = "\n".join(f"  - {{name: V{k}, lat: {42 + 0.1 * k:.2f}, lon: 13.00, population: {100 * (k + 1)}}}"
                      for k in range(8))
    sites = []
    for k in range(8):
        sites.append(f"  - {{id: T{k}, lat: {42 + 0.1 * k:.2f}, lon: 13.01, operator: TIM, radius_km: 3, "
                     f"capacity_calls: 10, capacity_mbps: 50, backhaul: AGG1, substation: SUB, battery_hours: 4}}")
        sites.append(f"  - {{id: V{k}S, lat: {42 + 0.1 * k:.2f}, lon: 12.99, operator: Vodafone, radius_km: 3, "
                     f"capacity_calls: 5, capacity_mbps: 50, backhaul: AGG1, substation: SUB, battery_hours: 4}}")
    sites.append("  - {id: WIDE, lat: 42.65, lon: 13.00, operator: TIM, radius_km: 15, capacity_calls: 30, "
                 "capacity_mbps: 50, backhaul: AGG1, substation: SUB, battery_hours: 4}")
    return (f"name: sixteen\nareas:\n{areas}\nsubstations:\n  - {{id: SUB, lat: 42.3, lon: 13.0}}\n"
            "sites:\n" + "\n".join(sites) + "\n" + BRANCHES[BRANCHES.index("transport:"):])


def test_a_step_that_changes_a_few_sites_gives_what_a_full_pass_gives(tmp_path_factory):
    # With 17 sites the stage recomputes only the villages of the one or two sites that changed (a full
    # pass above 17 // 8 = 2); every figure must equal a fresh stage's full pass, step after step.
    world = _world(tmp_path_factory, _sixteen_sites())
    n_sites, n_areas = world.n_sites, len(world.area_ids)
    assert n_sites == 17
    # by hand first: T0 alone down leaves V0 with Vodafone's 5 calls; WIDE (30 calls) covers V6 (700
    # people) and V7 (800): 30 x 7/15 = 14 and 30 x 8/15 = 16 on top of their own 15
    rng = np.random.default_rng(7)
    fb = Fallback(world, stuck_on_failed_core=0.5)
    states = [np.ones(n_sites, bool) for _ in range(3)] + [np.zeros(n_sites, bool)]
    d = StepDemand(*(np.full(n_areas, 12.0),) * 6)
    fb.terrestrial(*states)
    assert fb.step(d, beams([-1] * n_areas, [], [], [])).capacity_calls[[0, 6, 7]].tolist() == pytest.approx(
        [15.0, 29.0, 31.0])
    states[0][0] = False  # T0 down
    fb.terrestrial(*states)
    assert fb.step(d, beams([-1] * n_areas, [], [], [])).capacity_calls[0] == pytest.approx(5.0)
    earlier = None
    for _ in range(40):
        for _ in range(int(rng.integers(1, 4))):  # one to three sites change one of their flags
            flags = states[int(rng.integers(0, 4))]
            site = int(rng.integers(0, n_sites))
            flags[site] = ~flags[site]
        fresh = Fallback(world, stuck_on_failed_core=0.5)
        fresh.terrestrial(*(f.copy() for f in states))
        fb.terrestrial(*(f.copy() for f in states))
        got, want = fb.step(d, beams([-1] * n_areas, [], [], [])), fresh.step(d, beams([-1] * n_areas, [], [], []))
        for name in ("terrestrial", "sms_path", "warning_reach", "capacity_calls", "calls_served_terrestrial",
                     "sms_served_terrestrial", "people_share_terrestrial"):
            assert np.array_equal(getattr(got, name), getattr(want, name)), name
        if earlier is not None:  # an earlier step's figures are never overwritten by a later step
            service, copies = earlier
            assert all(np.array_equal(getattr(service, k), v) for k, v in copies.items())
        earlier = (got, {k: getattr(got, k).copy() for k in ("terrestrial", "sms_path", "warning_reach",
                                                            "capacity_calls", "people_share_terrestrial")})


# ---------------------------------------------------------------- unequal operators in one area

# A third operator: WindTre's W1 (10 calls, radius 1 km) 0.56 km south of Alpha, 1.67 km from Beta, so it
# covers Alpha only. With market shares TIM 0.5, Vodafone 0.3, WindTre 0.2: Alpha has TIM and WindTre,
# Gamma TIM and Vodafone, Beta and Delta TIM alone.
W1 = ("  - {id: W1, lat: 41.995, lon: 13.000, operator: WindTre, radius_km: 1, capacity_calls: 10, "
      "capacity_mbps: 50, backhaul: AGG1, substation: SUB, battery_hours: 4}\n")
THREE_OPERATORS = BRANCHES.replace("transport:", W1 + "transport:")
MARKET = ("operators:\n  - {name: TIM, market_share: 0.5}\n  - {name: Vodafone, market_share: 0.3}\n"
          "  - {name: WindTre, market_share: 0.2}\n")
THREE_BY_MARKET = THREE_OPERATORS.replace("areas:", MARKET + "areas:", 1)
# Without market shares, by capacity: Vodafone's S3 sized for 30 calls
THREE_BY_CAPACITY = THREE_OPERATORS.replace("operator: Vodafone, radius_km: 3, capacity_calls: 10",
                                            "operator: Vodafone, radius_km: 3, capacity_calls: 30")


def five(*up: str) -> np.ndarray:
    return np.array([name in up for name in ("S1", "S2", "S3", "S4", "W1")])


def test_operator_shares_follow_market_shares_over_the_operators_present(tmp_path_factory):
    world = _world(tmp_path_factory, THREE_BY_MARKET)
    assert world.operators == ["TIM", "Vodafone", "WindTre"]
    # Alpha: 0.5 and 0.2 of 0.7; Beta and Delta: TIM alone; Gamma: 0.5 and 0.3 of 0.8
    assert operator_share(world) == pytest.approx(np.array(
        [[5 / 7, 0.0, 2 / 7], [1.0, 0.0, 0.0], [5 / 8, 3 / 8, 0.0], [1.0, 0.0, 0.0]]))


def test_operator_shares_follow_the_capacity_of_unequal_sites(tmp_path_factory):
    world = _world(tmp_path_factory, THREE_BY_CAPACITY)
    # Alpha: S1's 30 calls x 1000/1500 = 20 for TIM, W1's 10 for WindTre; Gamma: 10 (TIM) and 30 (Vodafone)
    assert operator_share(world) == pytest.approx(np.array(
        [[2 / 3, 0.0, 1 / 3], [1.0, 0.0, 0.0], [0.25, 0.75, 0.0], [1.0, 0.0, 0.0]]))


HALVES = "operators:\n  - {name: TIM, market_share: 0.5}\n  - {name: Vodafone, market_share: 0.5}\n"


@pytest.mark.parametrize("text", [WITH_UNCOVERED, WITH_UNCOVERED.replace("areas:", HALVES + "areas:", 1)])
def test_an_area_no_site_covers_belongs_to_no_operator(tmp_path_factory, text):
    world = _world(tmp_path_factory, text)
    shares = operator_share(world)
    assert shares[4].tolist() == [0.0, 0.0]
    assert shares[2].tolist() == pytest.approx([0.5, 0.5])  # Gamma: 10 and 10 calls, or 0.5 and 0.5


@pytest.mark.parametrize("stuck", [1.0, 0.4])
def test_the_handsets_stuck_on_a_dead_core_are_their_operators_market_share(tmp_path_factory, stuck):
    world = _world(tmp_path_factory, THREE_BY_MARKET)
    fb = Fallback(world, stuck_on_failed_core=stuck)
    # TIM's S1 and S2 have their radio up and their core dead; WindTre's W1 and Vodafone's S3 work.
    # TIM holds 5/7 of Alpha's handsets and 5/8 of Gamma's; Beta, which S1 alone covers, has no site in service.
    fb.terrestrial(five("S3", "S4", "W1"), np.ones(5, bool), np.ones(5, bool), site_core_failed=five("S1", "S2"))
    s = fb.step(demand(calls=(7, 1, 8, 1)), NO_BEAM)
    assert s.people_share_terrestrial.tolist() == pytest.approx(
        [1 - stuck * 5 / 7, 0.0, 1 - stuck * 5 / 8, 1.0])
    assert s.calls_served_terrestrial[[ALPHA, GAMMA]].tolist() == pytest.approx(
        [7 * (1 - stuck * 5 / 7), 8 * (1 - stuck * 5 / 8)])
    # now WindTre's W1 is the dead one and TIM's S1 works: WindTre's 2/7 of Alpha are stuck
    fb.terrestrial(five("S1", "S2", "S3", "S4"), np.ones(5, bool), np.ones(5, bool), site_core_failed=five("W1"))
    assert fb.step(demand(), NO_BEAM).people_share_terrestrial.tolist() == pytest.approx(
        [1 - stuck * 2 / 7, 1.0, 1.0, 1.0])


def test_the_stuck_share_by_capacity_when_a_shared_site_has_the_dead_core(tmp_path_factory):
    world = _world(tmp_path_factory, THREE_BY_CAPACITY)
    fb = Fallback(world, stuck_on_failed_core=1.0)
    # Vodafone's S3 (3/4 of Gamma's handsets by capacity) has a dead core; TIM's S2 is down altogether
    fb.terrestrial(five("S1", "S4", "W1"), np.ones(5, bool), np.ones(5, bool), site_core_failed=five("S3"))
    s = fb.step(demand(calls=(0, 0, 4, 0)), NO_BEAM)
    # Gamma has no site in service at all: no terrestrial path whatever the stuck share
    assert s.people_share_terrestrial.tolist() == pytest.approx([1.0, 1.0, 0.0, 1.0])
    fb.terrestrial(five("S1", "S2", "S4", "W1"), np.ones(5, bool), np.ones(5, bool), site_core_failed=five("S3"))
    s = fb.step(demand(calls=(0, 0, 4, 0)), NO_BEAM)
    assert s.people_share_terrestrial.tolist() == pytest.approx([1.0, 1.0, 0.25, 1.0])
    # S2's 10 calls for Gamma's 4 x 0.25 = 1 Erlang that reaches it: all served
    assert s.calls_served_terrestrial[GAMMA] == pytest.approx(1.0)


def test_one_operator_holds_every_covered_areas_handsets(tmp_path_factory):
    assert operator_share(_world(tmp_path_factory, ONE_OPERATOR)).tolist() == [[1.0]] * 4


def test_a_new_demand_on_unchanged_sites_is_served_anew(world):
    fb = Fallback(world)
    on = sites("S1", "S2", "S3", "S4")
    fb.terrestrial(on, on, on)
    first = fb.step(demand(calls=(10, 0, 0, 0)), NO_BEAM)
    fb.terrestrial(on.copy(), on.copy(), on.copy())  # the next step: no site changed
    # Alpha's 20 calls of capacity: all of 10 Erlangs, then half of 40
    assert fb.step(demand(calls=(40, 0, 0, 0)), NO_BEAM).calls_served_terrestrial[ALPHA] == pytest.approx(20.0)
    assert first.calls_served_terrestrial[ALPHA] == pytest.approx(10.0)


def test_every_site_changing_at_once(world):
    # every core fails at once: every site's radio stays up, none completes a 112 call, SMS or warning
    fb = Fallback(world)
    on, off = sites("S1", "S2", "S3", "S4"), np.zeros(4, bool)
    fb.terrestrial(on, on, on, site_core_failed=off)
    fb.terrestrial(off, off, off, site_core_failed=on)
    s = fb.step(demand(calls=(1, 1, 1, 1)), NO_BEAM)
    assert s.terrestrial.tolist() == [False] * 4 and s.sms_path.tolist() == [False] * 4
    assert s.warning_reach.tolist() == [False] * 4 and s.calls_served_terrestrial.tolist() == [0.0] * 4


def test_an_area_with_less_than_one_call_of_capacity(tmp_path_factory):
    # Beta with 10 people beside Alpha's 1,000 gets 30 x 10/1010 = 0.297 of S1's calls; its half an
    # Erlang of 112 calls is served in that proportion, not whole
    world = _world(tmp_path_factory, BRANCHES.replace("lat: 42.010, lon: 13.000, population: 500",
                                                      "lat: 42.010, lon: 13.000, population: 10"))
    fb = Fallback(world)
    on = sites("S1", "S2", "S3", "S4")
    fb.terrestrial(on, on, on)
    s = fb.step(demand(calls=(0, 0.5, 0, 0)), NO_BEAM)
    assert s.capacity_calls[BETA] == pytest.approx(30 * 10 / 1010)
    assert s.calls_served_terrestrial[BETA] == pytest.approx(30 * 10 / 1010)
