"""TrafficStage: admission, signalling timers, delay, loss, determinism, sampling."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from d2c.traffic import TrafficStage, records as R
from d2c.traffic.timing import INVITE_TX_OFFSETS_S, PAGING_CYCLE_S

from .conftest import AREAS, D2C, NONE, START, TERRESTRIAL, WARNING_TEXT, conditions, run


def _max_concurrency(calls: np.ndarray, area: int) -> int:
    """Largest number of calls holding a channel at once in one area (event sweep)."""
    c = calls[(calls["area"] == area) & (calls["t_end_s"] > calls["t_attempt_s"])]
    if c.size == 0:
        return 0
    t = np.concatenate([c["t_attempt_s"], c["t_end_s"]])
    d = np.concatenate([np.ones(c.size, int), -np.ones(c.size, int)])
    order = np.lexsort((d, t))          # at equal times, a departure before an arrival
    return int(np.cumsum(d[order]).max())


def test_blocked_call_gets_503_and_counts_as_failed():
    # Accumoli (D2C beam, 2 channels) gets 8 calls a minute held 90 s on average:
    # most find no channel. RFC 3261 section 21.5.4: 503 Service Unavailable.
    res = run()
    acc = res.calls[res.calls["area"] == 1]
    blocked = acc["outcome"] == R.CALL_BLOCKED
    assert blocked.sum() > 0
    assert np.all(np.isnan(acc["t_answer_s"][blocked]))          # never answered
    assert np.all(np.isfinite(acc["t_invite_rx_s"][blocked]))    # the network saw the INVITE
    d2c = res.summary["calls"]["d2c"]
    n_d2c = (res.calls["bearer"] == D2C).sum()
    assert d2c["blocked_503_ratio"] == pytest.approx(((res.calls["bearer"] == D2C)
                                                      & (res.calls["outcome"] == R.CALL_BLOCKED)).sum() / n_d2c)
    assert d2c["setup_success_ratio"] < 1.0
    assert res.counts["calls_blocked_503"] == int((res.calls["outcome"] == R.CALL_BLOCKED).sum())


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_capacity_is_never_exceeded(seed):
    # Never more calls holding channels at once than capacity_calls (Erlang loss system).
    res = run(seed=seed, steps=6)
    for area, cap in enumerate([20, 2, 10, 20, 0]):
        assert _max_concurrency(res.calls, area) <= cap


def test_shrinking_capacity_drops_latest_calls():
    # From step 3 on Accumoli's beam has 1 channel instead of 2: concurrent
    # calls after the change never exceed 1, and the excess is dropped.
    def cond(t):
        c = conditions(t, call_attempts=np.array([6.0, 3.0, 3.0, 4.0, 2.0]))
        if t >= 180:
            c = replace(c, capacity_calls=np.array([20.0, 1.0, 10.0, 20.0, 0.0]))
        return c

    res = run(seed=5, steps=6, cond=cond)
    c = res.calls[res.calls["area"] == 1].copy()
    c["t_attempt_s"] = np.maximum(c["t_attempt_s"], 180.0)
    late = c[c["t_end_s"] > 180.0]
    assert _max_concurrency(late, 1) <= 1


def test_lost_bearer_drops_calls_in_progress():
    # Amatrice loses its terrestrial cell at t = 120 s: calls in progress end there.
    def cond(t):
        c = conditions(t)
        if t >= 120:
            b = c.bearer.copy()
            b[0] = NONE
            c = replace(c, bearer=b)
        return c

    res = run(seed=3, steps=4, cond=cond)
    a = res.calls[(res.calls["area"] == 0) & (res.calls["t_attempt_s"] < 120)]
    live = a[(a["outcome"] == R.CALL_ANSWERED) & (a["t_answer_s"] < 120)]
    assert np.all(live["t_end_s"] <= 120.0)
    assert live["dropped"].any()
    after = res.calls[(res.calls["area"] == 0) & (res.calls["t_attempt_s"] >= 120)]
    assert np.all(after["outcome"] == R.CALL_NO_SERVICE)


def test_same_seed_gives_identical_records_and_summary():
    # DESIGN.md "Deterministic: one seed in, the same result out, bit for bit."
    a, b = run(seed=42), run(seed=42)
    for name in ("calls", "sms", "ptt", "warnings", "bulk", "segments"):
        assert getattr(a, name).tobytes() == getattr(b, name).tobytes(), name
    assert json.dumps(a.to_dict(), sort_keys=True) == json.dumps(b.to_dict(), sort_keys=True)
    c = run(seed=43)
    assert a.calls.tobytes() != c.calls.tobytes()


def test_sample_scales_counts_and_is_reported():
    # Poisson thinning: drawing with sample s gives s times the flows on average.
    def busy(t):
        return conditions(t, call_attempts=np.full(5, 200.0), public_sms_attempts=np.full(5, 300.0),
                          capacity_calls=np.full(5, 5000.0))

    full = run(seed=8, steps=2, cond=busy, warn_step=None)
    quarter = run(seed=8, steps=2, cond=busy, warn_step=None, sample=0.25)
    n_full, n_q = full.counts["call_attempts"], quarter.counts["call_attempts"]
    assert n_full == pytest.approx(2 * 5 * 200, rel=0.1)
    assert n_q == pytest.approx(0.25 * n_full, rel=0.12)           # ~4 sigma for 500 draws
    assert quarter.sample == 0.25 and quarter.to_dict()["sample"] == 0.25
    assert quarter.estimated_counts["call_attempts"] == pytest.approx(n_q / 0.25)
    assert quarter.counts["public_sms"] == pytest.approx(0.25 * full.counts["public_sms"], rel=0.12)


def test_no_bearer_means_no_service_and_no_packets():
    # bearer 0 = no radio: the handset cannot send anything (engine contract).
    res = run()
    c = res.calls[res.calls["area"] == 4]
    assert c.size > 0 and np.all(c["outcome"] == R.CALL_NO_SERVICE)
    assert np.all(c["n_invite_tx"] == 0) and np.all(c["sent_up"] == 0)
    m = res.sms[res.sms["area"] == 4]
    assert np.all(m["outcome"] == R.MSG_NO_SERVICE) and np.all(m["n_tx"] == 0)


def test_sms_without_path_to_the_centre_is_not_delivered():
    # Norcia: radio up but sms_ok False -> every MESSAGE retransmission (Timer E,
    # 11 sends in 32 s, RFC 3261 section 17.1.2.2) goes unanswered.
    res = run()
    m = res.sms[res.sms["area"] == 3]
    assert m.size > 0
    assert np.all(m["outcome"] == R.MSG_NO_PATH) and np.all(m["n_tx"] == 11)
    ok = res.sms[res.sms["area"] == 0]
    assert np.all(ok["outcome"] == R.MSG_DELIVERED)


def test_post_dial_delay_is_round_trip_without_loss_or_queueing():
    # No loss, empty queue: INVITE up (one-way delay) and 200 OK down, so
    # PDD = 2 x one_way_delay_ms (+ answer_s).
    def clean(t):
        return conditions(t, loss_ratio=np.zeros(5), load_ratio=np.zeros(5))

    res = run(cond=clean, answer_s=2.0, warn_step=None)
    ans = res.calls[res.calls["outcome"] == R.CALL_ANSWERED]
    owd = np.array([25.0, 48.0, 52.0, 25.0, 0.0])[ans["area"]]
    assert np.allclose(ans["pdd_ms"], 2 * owd + 2000.0, atol=1e-6)


def test_lost_invites_follow_timer_a():
    # With 30 % loss, some INVITEs need retransmissions at 0.5, 1.5, 3.5 s ...
    # (RFC 3261 Timer A) and the PDD includes that wait.
    def lossy(t):
        return conditions(t, loss_ratio=np.full(5, 0.3), load_ratio=np.zeros(5),
                          capacity_calls=np.full(5, 500.0))

    res = run(cond=lossy, seed=4, warn_step=None)
    c = res.calls[(res.calls["outcome"] == R.CALL_ANSWERED) & (res.calls["n_ok_tx"] == 1)]
    retx = c[c["n_invite_tx"] > 1]
    assert retx.size > 0
    owd = np.array([25.0, 48.0, 52.0, 25.0, 0.0])[retx["area"]]
    expected = INVITE_TX_OFFSETS_S[retx["n_invite_tx"] - 1] * 1000 + 2 * owd
    assert np.allclose(retx["pdd_ms"], expected, atol=1e-6)


def test_queueing_near_full_load_adds_delay_and_late_voice():
    # M/M/1 at rho = 0.97 vs 0.1: longer post-dial delay, late voice packets, lower MOS.
    def load(rho):
        return lambda t: conditions(t, load_ratio=np.full(5, rho), loss_ratio=np.zeros(5),
                                    capacity_calls=np.full(5, 500.0))

    lo = run(cond=load(0.1), seed=9, warn_step=None)
    hi = run(cond=load(0.97), seed=9, warn_step=None)
    pick = lambda r: r.calls[(r.calls["outcome"] == R.CALL_ANSWERED) & (r.calls["bearer"] == TERRESTRIAL)]
    assert np.median(pick(hi)["pdd_ms"]) > np.median(pick(lo)["pdd_ms"])
    assert pick(hi)["late_up"].sum() > 0 and pick(lo)["late_up"].sum() == 0
    assert np.nanmedian(pick(hi)["mos"]) < np.nanmedian(pick(lo)["mos"])


def test_radio_loss_lowers_voice_mos():
    # Radio loss reaches the voice packets at its rate and lowers MOS through
    # Ie,eff (G.107 eq. 7-29, AMR-WB Bpl 4.3 from G.113 App. IV).
    def loss(p):
        return lambda t: conditions(t, loss_ratio=np.full(5, p), load_ratio=np.zeros(5),
                                    capacity_calls=np.full(5, 500.0))

    clean, lossy = run(cond=loss(0.0), seed=2, warn_step=None), run(cond=loss(0.05), seed=2, warn_step=None)
    lc = lossy.calls[lossy.calls["sent_up"] > 500]
    ppl = lc["lost_up"] / lc["sent_up"]
    assert np.mean(ppl) == pytest.approx(0.05, abs=0.01)
    assert np.nanmedian(lossy.calls["mos"]) < np.nanmedian(clean.calls["mos"]) - 0.5
    assert clean.mos_median["terrestrial"] > 3.8


def test_voice_packets_match_call_durations():
    # 50 packets per second per direction (20 ms AMR-WB frames) while a call lasts.
    res = run(steps=20, warn_step=None)
    c = res.calls[(res.calls["outcome"] == R.CALL_ANSWERED) & ~res.calls["dropped"]
                  & (res.calls["t_end_s"] < 60 * 20)]
    expected = np.ceil((c["t_end_s"] - c["t_answer_s"]) / 0.02 - 1e-9)
    assert np.array_equal(c["sent_up"], expected.astype(np.uint32))
    assert np.array_equal(c["sent_up"], c["sent_dn"])


def test_warning_reach_and_time_to_reach():
    # Warning 4370 over Amatrice, Accumoli, Arquata; Arquata cannot be reached.
    res = run()
    w = res.warnings
    assert set(w["area"]) == {0, 1, 2}
    assert list(w["reached"]) == [True, True, False]
    pop = AREAS.population
    assert res.warning_reach["all"] == pytest.approx((pop[0] + pop[1]) / (pop[0] + pop[1] + pop[2]))
    assert res.warning_reach["terrestrial"] == 1.0
    assert res.warning_reach["d2c"] == pytest.approx(pop[1] / (pop[1] + pop[2]))
    dt = (w["t_reach_s"] - w["t_issue_s"])[w["reached"]]
    owd = np.array([25.0, 48.0])
    assert np.all(dt >= owd / 1000) and np.all(dt <= owd / 1000 + PAGING_CYCLE_S)
    assert res.summary["warnings"]["issued"][0]["message_id"] == 4370
    assert res.summary["warnings"]["issued"][0]["text"] == WARNING_TEXT


def test_warning_identifier_outside_pws_range_is_rejected():
    stage = TrafficStage(AREAS, START, seed=1)
    bad = replace(conditions(0.0), warnings=((4352, "ETWS earthquake", np.ones(5, bool)),))
    with pytest.raises(ValueError, match="4370-4399, 6400"):  # 4352 is ETWS (TS 23.041), not EU-Alert
        stage.step(bad)


def test_step_conditions_are_checked():
    # DESIGN.md "clear errors": wrong shapes and a zero sample are refused.
    stage = TrafficStage(AREAS, START, seed=1)
    with pytest.raises(ValueError, match="call_attempts"):
        stage.step(replace(conditions(0.0), call_attempts=np.ones(3)))
    with pytest.raises(ValueError, match="sample"):
        TrafficStage(AREAS, START, seed=1, sample=0.0)


def test_aml_follows_each_call_from_the_callers_handset():
    # ETSI TS 103 625: an AML SMS is sent for every emergency call with radio,
    # within 20 s of the call start, from the caller's identity.
    res = run()
    aml = res.sms[res.sms["kind"] == R.SMS_KIND_AML]
    served = res.calls[res.calls["bearer"] > 0]
    assert aml.size == served.size
    src = res.calls[aml["call_row"]]
    assert np.array_equal(src["flow"], aml["flow"]) and np.array_equal(src["area"], aml["area"])
    assert np.all((aml["t_send_s"] >= src["t_attempt_s"]) & (aml["t_send_s"] <= src["t_attempt_s"] + 20))


def test_to_dict_is_json_and_split_by_bearer():
    # DESIGN.md "a machine-readable JSON result"; metrics split by bearer.
    d = run().to_dict()
    text = json.dumps(d)
    assert "NaN" not in text
    for key in ("all", "terrestrial", "d2c"):
        assert key in d["calls"] and key in d["warnings"] and key in d["sms"]["sms112"]
    assert d["counts"]["call_attempts"] > 0 and d["sample"] == 1.0
    assert d["calls"]["terrestrial"]["post_dial_delay_ms"]["p50"] > 0
