"""Attach storms (d2c/attach.py) step by step: random access, signalling, emergency attaches first.

Every figure is worked out by hand in the comment beside it; tests/test_offer.py
checks the same model through the fallback stage and whole runs.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from d2c.attach import AttachQueue, AttachSettings, preamble_successes, rach_attach_per_s


def test_defaults_are_the_cited_lte_settings():
    # TS 36.211 Table 5.7.1-2, prach-ConfigIndex 6: subframes 1 and 6 of each 10 ms frame = 200 occasions/s;
    # 54 of 64 preambles for contention and 3 grants per response over a 5-subframe window (TR 37.868
    # Table 6.2.2.1-1); one handset a person and 6,000 B an attach are the stated assumptions.
    s = AttachSettings()
    assert (s.prach_occasions_per_s, s.contention_preambles, s.rar_grants_per_occasion) == (2 / 0.010, 64 - 10, 3 * 5)
    assert (s.handsets_per_person, s.signalling_bytes_per_attach) == (1.0, 6000.0)


@pytest.mark.parametrize("n, m, expected", [
    (0.0, 54, 0.0),             # nobody contends
    (0.5, 54, 0.5),             # less than one contender: no collision term
    (1.0, 54, 1.0),             # alone on the preambles
    (2.0, 4, 2 * 0.75),         # two handsets on 4 preambles: each alone with probability 3/4
    (10.0, 2, 10 * 0.5 ** 9),   # ten on two: almost every pick collides
])
def test_preamble_successes_by_hand(n, m, expected):
    assert float(preamble_successes(n, m)) == pytest.approx(expected)


def test_random_access_rate_is_capped_by_preambles_or_grants():
    best = 54 * (53 / 54) ** 53  # 20.05 single picks per occasion at the optimum (about 54 / e)
    assert best == pytest.approx(54 / math.e, rel=0.01)
    # with 30 grants per occasion the preambles are the limit: 200 x 20.05
    assert rach_attach_per_s(AttachSettings(rar_grants_per_occasion=30.0)) == pytest.approx(200 * best)
    # with 15 (the default) the grants are: 200 x 15 = 3,000 a second
    assert rach_attach_per_s(AttachSettings()) == pytest.approx(3000.0)
    assert rach_attach_per_s(AttachSettings(prach_occasions_per_s=100.0, contention_preambles=10)) == \
        pytest.approx(100 * 10 * 0.9 ** 9)


def _queue(**settings):
    # three areas: 100 handsets, none, 50
    return AttachQueue(np.array([100.0, 0.0, 50.0]), AttachSettings(**settings))


def test_an_area_with_no_handsets_to_attach_counts_as_attached():
    q = _queue()
    assert q.share(np.array([0, 1, 2])).tolist() == [0.0, 1.0, 0.0]
    assert q.settings.signalling_bytes_per_attach == 6000.0  # the fallback prices an attach with it


def test_whole_handset_counts_still_attach_fractions():
    q = AttachQueue(np.array([3, 1]), AttachSettings())  # integers, as a caller may count handsets
    q.begin(np.array([0, 1]), np.array([0, 0]), 1, np.array([0.5, 0.0]), np.array([10.0]), np.array([1.0]), 1.0)
    assert q.attached.tolist() == [0.5, 0.0]


def test_fractions_of_a_handset_by_hand():
    # expected values are fractional (0.8 handsets of a tiny village): 0.5 emergency attaches asked, 0.25 fit
    q = AttachQueue(np.array([0.8]), AttachSettings())
    step = q.begin(np.array([0]), np.array([0]), 1, np.array([0.5]), np.array([0.25]), np.array([1.0]), 1.0)
    assert step.emergency_ratio.tolist() == [0.5]
    assert step.normal_requests.tolist() == pytest.approx([0.8 - 0.25])  # 0.55 waiting
    q.finish(np.array([0.11]))  # 0.11 of them get through
    assert q.attached.tolist() == pytest.approx([0.25 + 0.11])
    assert q.share(np.array([0])).tolist() == pytest.approx([0.36 / 0.8])


def test_emergency_attaches_then_the_queue_by_length():
    q = _queue()
    areas, beam = np.array([0, 2]), np.array([0, 0])
    # 10 + 5 emergency attaches want the beam; 30 SMS of room at 2 SMS an attach = 15: all get through
    step = q.begin(areas, beam, 1, np.array([10.0, 5.0]), np.array([30.0]), np.array([2.0]), 1.0)
    assert step.emergency_ratio.tolist() == [1.0]
    assert step.emergency_sms_used.tolist() == [30.0]  # 15 attaches x 2
    # waiting: (100 - 10) + (50 - 5) = 135, all within the random access left (3,000 - 15)
    assert step.normal_requests.tolist() == [135.0]
    assert q.attached.tolist() == [10.0, 0.0, 5.0]
    # 27 ordinary attaches fit the rest of the beam: shared 90 : 45, so 18 and 9
    q.finish(np.array([27.0]))
    assert q.attached.tolist() == pytest.approx([28.0, 0.0, 14.0])
    assert q.share(np.array([0, 1, 2])).tolist() == pytest.approx([0.28, 1.0, 0.28])
    # next step: 2 more emergency attaches in area 0; waiting (100 - 28 - 2) + (50 - 14) = 106
    step = q.begin(areas, beam, 1, np.array([2.0, 0.0]), np.array([1e6]), np.array([1.0]), 1.0)
    assert step.normal_requests.tolist() == pytest.approx([106.0])
    q.finish(np.array([106.0]))
    assert q.attached.tolist() == pytest.approx([100.0, 0.0, 50.0])
    # everyone attached: nobody waits
    step = q.begin(areas, beam, 1, np.array([0.0, 0.0]), np.array([1e6]), np.array([1.0]), 1.0)
    assert step.normal_requests.tolist() == [0.0]


def test_signalling_limits_the_emergency_attaches():
    q = _queue()
    # 10 SMS of room at 2 an attach: 5 of the 15 emergency attaches, a third of each area's
    step = q.begin(np.array([0, 2]), np.array([0, 0]), 1, np.array([10.0, 5.0]), np.array([10.0]),
                   np.array([2.0]), 1.0)
    assert step.emergency_ratio.tolist() == pytest.approx([1 / 3])
    assert step.emergency_sms_used.tolist() == pytest.approx([10.0])
    assert q.attached.tolist() == pytest.approx([10 / 3, 0.0, 5 / 3])


def test_random_access_limits_the_emergency_attaches():
    # one occasion a second: min(20.05, 15) = 15 attaches/s, 7.5 in a half-second step, half of the 15 asked
    q = _queue(prach_occasions_per_s=1.0)
    step = q.begin(np.array([0, 2]), np.array([0, 0]), 1, np.array([10.0, 5.0]), np.array([1000.0]),
                   np.array([1.0]), 0.5)
    assert step.emergency_ratio.tolist() == pytest.approx([0.5])
    assert step.emergency_sms_used.tolist() == pytest.approx([7.5])
    assert step.normal_requests.tolist() == pytest.approx([0.0])  # no random access left this step


def test_a_beam_without_signalling_attaches_no_one():
    q = _queue()
    step = q.begin(np.array([0, 2]), np.array([0, 1]), 2, np.array([10.0, 0.0]), np.array([30.0, 30.0]),
                   np.array([0.0, 2.0]), 1.0)
    # beam 0 carries no signalling: its 10 emergency attaches fail; beam 1 was asked for none
    assert step.emergency_ratio.tolist() == [0.0, 1.0]
    assert step.normal_requests.tolist() == [0.0, 50.0]
    assert q.attached.tolist() == [0.0, 0.0, 0.0]
    # and with nobody calling, such a beam lets no ordinary attach through either
    step = q.begin(np.array([0]), np.array([0]), 1, np.array([0.0]), np.array([30.0]), np.array([0.0]), 1.0)
    assert step.normal_requests.tolist() == [0.0]


def test_each_beam_serves_its_own_areas():
    q = _queue()
    # area 0 on beam 1 and area 2 on beam 0 (of three beams; beam 2 covers no one)
    step = q.begin(np.array([0, 2]), np.array([1, 0]), 3, np.array([4.0, 6.0]), np.array([3.0, 100.0, 9.0]),
                   np.array([1.0, 1.0, 1.0]), 1.0)
    # beam 0: 6 asked, 3 fit; beam 1: 4 asked, all fit; beam 2: none asked
    assert step.emergency_ratio.tolist() == pytest.approx([0.5, 1.0, 1.0])
    assert step.normal_requests.tolist() == pytest.approx([50 - 3, 100 - 4, 0.0])
    q.finish(np.array([47.0, 10.0, 0.0]))
    assert q.attached.tolist() == pytest.approx([4.0 + 10.0, 0.0, 50.0])


def test_attaches_never_exceed_the_handsets_and_leaving_detaches():
    q = _queue()
    q.begin(np.array([0, 2]), np.array([0, 0]), 1, np.zeros(2), np.array([1e9]), np.array([1.0]), 1.0)
    q.finish(np.array([1e6]))  # more than are waiting
    assert q.attached.tolist() == [100.0, 0.0, 50.0]
    q.leave(np.array([True, False, False]))  # area 0 is back on a cell
    assert q.attached.tolist() == [0.0, 0.0, 50.0]
    # a step with nobody waiting changes nothing
    q.begin(np.array([2]), np.array([0]), 1, np.zeros(1), np.array([1e9]), np.array([1.0]), 1.0)
    q.finish(np.array([0.0]))
    assert q.attached.tolist() == [0.0, 0.0, 50.0]
