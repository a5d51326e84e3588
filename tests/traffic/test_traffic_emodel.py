"""ITU-T G.107 E-model and the G.107.1 wideband scale."""

from __future__ import annotations

import math

import numpy as np
import pytest

import reftable
from d2c.traffic import emodel as E


def test_default_connection_gives_r_93_2_and_mos_4_41():
    # G.107 section 7.7 / Table 3: with all default values R = 93.2; Annex B
    # then gives MOS_CQE = 4.41.
    r = float(E.r_factor())
    assert r == pytest.approx(93.2, abs=0.05)
    assert float(E.mos_from_r(r)) == pytest.approx(4.41, abs=0.005)


def test_default_intermediate_terms():
    # G.107 eqs. 7-2..7-16 with Table 3 defaults: No = -61.18 dBm0p, Ro = 94.77,
    # Is = 1.41 (the decomposition 93.2 = Ro - Is - Id of the default case).
    ro, no = E.basic_snr()
    is_, _ = E.simultaneous_impairment()
    assert float(no) == pytest.approx(-61.18, abs=0.01)
    assert float(ro) == pytest.approx(94.77, abs=0.01)
    assert float(is_) == pytest.approx(1.41, abs=0.01)


TABLE_B1 = "g107_table_b1.csv"  # G.107 Annex B, Table B.1: R 90/80/70/60/50 and their MOS_CQE (source in the file)


@pytest.mark.parametrize("row", reftable.rows(TABLE_B1), ids=lambda r: f"R{r['r']}")
def test_mos_at_user_satisfaction_boundaries(row):
    assert float(E.mos_from_r(float(row["r"]))) == pytest.approx(float(row["mos_cqe"]), **reftable.tolerance(TABLE_B1))


def test_mos_curve_limits():
    # G.107 eq. B-4: MOS = 1 for R < 0, 4.5 for R > 100.
    assert list(E.mos_from_r([-5, 0, 100, 120])) == pytest.approx([1.0, 1.0, 4.5, 4.5])


def _idd_by_hand(ta: float) -> float:
    # G.107 eqs. 7-27/7-28 with mT = 100 ms, sT = 1, evaluated with math, not numpy.
    if ta <= 100:
        return 0.0
    x = math.log10(ta / 100) / math.log10(2)
    return 25 * ((1 + x ** 6) ** (1 / 6) - 3 * (1 + (x / 3) ** 6) ** (1 / 6) + 2)


@pytest.mark.parametrize("ta", [0, 50, 100, 150, 200, 300, 400, 500, 800])
def test_absolute_delay_impairment_follows_g107(ta):
    # Idd is zero up to mT = 100 ms and then grows as eq. 7-27; at 200 ms
    # (X = 1) it is 25 (2^(1/6) - 3 (1 + 3^-6)^(1/6) + 2) = 3.04.
    idd = float(E.delay_impairment(Ta=ta)["Idd"])
    assert idd == pytest.approx(_idd_by_hand(ta), abs=1e-9)
    if ta == 200:
        assert idd == pytest.approx(3.04, abs=0.01)


def test_delay_planning_limits_of_g114():
    # ITU-T G.114 (05/2003): below about 150 ms one-way most applications are not
    # significantly affected, and 400 ms should not be exceeded for general
    # network planning; its Figure 1 derives this from the E-model, where R
    # falls below 70 ("many users dissatisfied", G.109) around 400 ms.
    # With the G.107 defaults and T = Ta, Tr = 2 Ta: R(150) stays within
    # about 4 points of 93.2 and R(400) is below 70.
    def r_at(d):
        return float(E.r_factor(T=d, Ta=d, Tr=2 * d))

    assert r_at(0) == pytest.approx(93.2, abs=0.05)
    assert r_at(150) > 88.0
    assert r_at(400) < 70.0
    rs = [r_at(d) for d in (0, 100, 150, 200, 300, 400, 500)]
    assert all(a > b for a, b in zip(rs, rs[1:]))


def test_talker_echo_term_vanishes_without_delay():
    # G.107 eq. 7-19: Idte carries the factor (1 - exp(-T)); T < 1 ms gives 0.
    assert float(E.delay_impairment(T=0)["Idte"]) == 0.0
    assert float(E.delay_impairment(T=100)["Idte"]) > 0.0


@pytest.mark.parametrize("ppl", [0.0, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0])
def test_packet_loss_impairment_follows_eq_7_29(ppl):
    # G.107 eq. 7-29 with G.113 Appendix I values for G.711 with packet loss
    # concealment (Ie = 0, Bpl = 25.1, random loss BurstR = 1): e.g. 2 % loss
    # gives Ie,eff = 95 * 2 / 27.1 = 7.01.
    expected = 0 + (95 - 0) * ppl / (ppl / 1.0 + 25.1)
    assert float(E.effective_equipment_impairment(0, ppl, 25.1, 1.0)) == pytest.approx(expected, abs=1e-12)
    if ppl == 2.0:
        assert expected == pytest.approx(7.01, abs=0.01)


def test_bursty_loss_impairs_more_than_random_loss():
    # G.107 section 7.5: BurstR > 1 (bursty loss) raises Ie,eff at the same Ppl.
    random = E.effective_equipment_impairment(E.AMR_WB_1265_IE_WB, 2.0, E.AMR_WB_1265_BPL, 1.0)
    bursty = E.effective_equipment_impairment(E.AMR_WB_1265_IE_WB, 2.0, E.AMR_WB_1265_BPL, 2.0)
    assert bursty > random > E.AMR_WB_1265_IE_WB


def test_loss_lowers_r_through_ie_eff():
    # R falls by exactly the Ie,eff increase when only Ppl changes (eq. 7-1).
    r0 = float(E.r_factor(Ie=11, Bpl=19))
    r2 = float(E.r_factor(Ie=11, Bpl=19, Ppl=2))
    assert r0 - r2 == pytest.approx(float(E.effective_equipment_impairment(11, 2, 19) - 11), abs=1e-9)


def test_wideband_amr_wb_scale():
    # G.107.1: Ro,wb = 129, Annex A maps R/1.29 through the G.107 Annex B curve.
    # AMR-WB 12.65 kbit/s has Ie,wb = 13 (G.113 App. IV, Table IV.1): with no
    # delay or loss Rwb = 129 - 13 - 1.29 Id(0), so MOS is close to 4.33.
    r = float(E.r_wideband(0.0, 0.0))
    id0 = float(E.delay_impairment(T=0, Ta=0, Tr=0)["Id"])
    assert r == pytest.approx(129 - 13 - 1.29 * id0, abs=1e-9)
    assert float(E.mos_from_r_wideband(116.0)) == pytest.approx(4.337, abs=0.001)
    assert float(E.mos_from_r_wideband(129.0)) == pytest.approx(4.5, abs=1e-9)


def test_burst_ratio_of_observed_losses():
    # BurstR = mean burst length / (1 / (1 - p)): 10 losses in 10 bursts at 1 %
    # loss is random (0.99 -> clamped at 1); 10 losses in 2 bursts is bursty.
    assert float(E.burst_ratio(10, 10, 0.01)) == pytest.approx(1.0)
    assert float(E.burst_ratio(10, 2, 0.01)) == pytest.approx(5 * 0.99)
    assert float(E.burst_ratio(0, 0, 0.0)) == 1.0


def test_vectorised_inputs():
    # G.107 eq. 7-1 per connection; more delay and loss never raise R.
    ta = np.array([0.0, 100.0, 300.0])
    r = E.r_wideband(ta, np.array([0.0, 1.0, 5.0]))
    assert r.shape == (3,) and np.all(np.diff(r) < 0)


def test_mos_curve_is_the_formula_right_up_to_its_limits():
    # G.107 Annex B: the clamps apply only for R < 0 and R > 100; in between eq. B-4 holds, and it
    # dips below 1 just above R = 0: R = 0.5 gives
    # 1 + 0.0175 + 0.5 x (-59.5) x 99.5 x 7e-6 = 1.0175 - 0.02072 = 0.99678 (below 1, not clamped);
    # R = 100.5 is above 100, so MOS = 4.5 (the formula would give 4.5033).
    assert float(E.mos_from_r(0.5)) == pytest.approx(0.99678, abs=1e-5)
    assert float(E.mos_from_r(100.5)) == 4.5


def test_one_long_burst_is_bursty():
    # 3 packets lost in a single burst at 3 % loss: mean burst 3 against 1 / (1 - 0.03) = 1.031
    # under random loss, so BurstR = 3 x 0.97 = 2.91.
    assert float(E.burst_ratio(3, 1, 0.03)) == pytest.approx(2.91)
