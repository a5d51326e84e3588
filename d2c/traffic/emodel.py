"""ITU-T G.107 E-model (narrowband) and the G.107.1 wideband scale, vectorised.

R = Ro - Is - Id - Ie,eff + A (G.107 eq. 7-1). Every input may be a numpy
array; the defaults are G.107 Table 3, which give R = 93.2.

Voice in d2c is AMR-WB, so calls are scored on the wideband scale of G.107.1:
Rwb = Ro,wb - Is,wb - Id,wb - Ie,eff,wb + A with Ro,wb = 129 and Is,wb = 0
(G.107.1 section 7), and MOS from Rwb / 1.29 through the G.107 Annex B curve
(G.107.1 Annex A). The delay impairment is the G.107 Id (talker echo, listener
echo, absolute delay) carried onto the wideband scale by the same factor 1.29
(a d2c simplification, stated in docs/TRAFFIC.md).
"""

from __future__ import annotations

import numpy as np

# --- G.107 Table 3 default values -------------------------------------------
DEFAULTS = dict(
    SLR=8.0,     # send loudness rating, dB
    RLR=2.0,     # receive loudness rating, dB
    STMR=15.0,   # sidetone masking rating, dB
    Dr=3.0,      # D-value of telephone, receive side (LSTR = STMR + Dr)
    Ds=3.0,      # D-value of telephone, send side
    TELR=65.0,   # talker echo loudness rating, dB
    WEPL=110.0,  # weighted echo path loss, dB
    T=0.0,       # mean one-way delay of the echo path, ms
    Tr=0.0,      # round-trip delay in a 4-wire loop, ms
    Ta=0.0,      # absolute (mouth-to-ear) delay, ms
    qdu=1.0,     # quantizing distortion units
    Ie=0.0,      # equipment impairment factor
    Bpl=1.0,     # packet-loss robustness factor
    Ppl=0.0,     # random packet-loss probability, %
    BurstR=1.0,  # burst ratio
    Nc=-70.0,    # circuit noise referred to 0 dBr point, dBm0p
    Nfor=-64.0,  # noise floor at the receive side, dBmp
    Ps=35.0,     # room noise at the send side, dB(A)
    Pr=35.0,     # room noise at the receive side, dB(A)
    A=0.0,       # advantage factor
    mT=100.0,    # minimum perceivable delay for Idd, ms (G.107 eq. 7-27/7-28)
    sT=1.0,      # delay sensitivity (1 = default, G.107 section 7.4)
)

#: G.107.1 section 7.2: wideband basic signal-to-noise ratio (no noise impairments).
RO_WB = 129.0
#: G.107.1 Annex A: R on the wideband scale is divided by 1.29 before Annex B.
WB_SCALE = 1.29

#: AMR-WB 12.65 kbit/s (G.722.2 mode 2), handset listening: Ie,wb = 13
#: (ITU-T G.113 Appendix IV, Table IV.1).
AMR_WB_1265_IE_WB = 13.0
#: AMR-WB 12.65 kbit/s packet-loss robustness Bpl = 4.3 (G.113 Appendix IV,
#: Table IV.4; published for random loss, diotic listening only -- d2c uses it
#: for handsets as the only published figure).
AMR_WB_1265_BPL = 4.3


# Equivalent under mutation (lines marked "no mutate" below): the explicit float64 only
# restates what the arithmetic does anyway; integer or float64 inputs give the same result.
def _p(kw: dict, name: str):
    return np.asarray(kw.get(name, DEFAULTS[name]), dtype=np.float64)  # pragma: no mutate


def basic_snr(**kw) -> np.ndarray:
    """Ro and the total noise No (G.107 section 7.2, eqs. 7-2 to 7-7).

    With the Table 3 defaults Ro is 94.77, the first term of the default R = 93.2
    (94.77 - Is 1.41 - Id 0.15, see :func:`simultaneous_impairment`, :func:`delay_impairment`):

    >>> Ro, No = basic_snr()
    >>> round(float(Ro), 2)
    94.77
    """
    SLR, RLR, Ds, Nc, Nfor, Ps, Pr = (_p(kw, n) for n in ("SLR", "RLR", "Ds", "Nc", "Nfor", "Ps", "Pr"))
    LSTR = _p(kw, "STMR") + _p(kw, "Dr")
    OLR = SLR + RLR
    Nfo = Nfor + RLR
    Pre = Pr + 10 * np.log10(1 + 10 ** ((10 - LSTR) / 10))
    Nor = RLR - 121 + Pre + 0.008 * (Pre - 35) ** 2
    Nos = Ps - SLR - Ds - 100 + 0.004 * (Ps - OLR - Ds - 14) ** 2
    No = 10 * np.log10(10 ** (Nc / 10) + 10 ** (Nos / 10) + 10 ** (Nor / 10) + 10 ** (Nfo / 10))
    Ro = 15 - 1.5 * (SLR + No)
    return Ro, No


def simultaneous_impairment(**kw) -> np.ndarray:
    """Is = Iolr + Ist + Iq (G.107 section 7.3, eqs. 7-8 to 7-16); returns ``(Is, Ist)``.

    >>> round(float(simultaneous_impairment()[0]), 2)
    1.41
    """
    Ro, No = basic_snr(**kw)
    SLR, RLR, STMR, TELR, T, qdu = (_p(kw, n) for n in ("SLR", "RLR", "STMR", "TELR", "T", "qdu"))
    OLR = SLR + RLR
    Xolr = OLR + 0.2 * (64 + No - RLR)
    Iolr = 20 * ((1 + (Xolr / 8) ** 8) ** (1 / 8) - Xolr / 8)
    STMRo = -10 * np.log10(10 ** (-STMR / 10) + np.exp(-T / 4) * 10 ** (-TELR / 10))
    Ist = (12 * (1 + ((STMRo - 13) / 6) ** 8) ** (1 / 8)
           - 28 * (1 + ((STMRo + 1) / 19.4) ** 35) ** (1 / 35)
           - 13 * (1 + ((STMRo - 3) / 33) ** 13) ** (1 / 13) + 29)
    Q = 37 - 15 * np.log10(np.maximum(qdu, 1.0))
    G = 1.07 + 0.258 * Q + 0.0602 * Q ** 2
    Z = 46 / 30 - G / 40
    Y = (Ro - 100) / 15 + 46 / 8.4 - G / 9
    Iq = 15 * np.log10(1 + 10 ** Y + 10 ** Z)
    return Iolr + Ist + Iq, Ist


def delay_impairment(**kw) -> dict[str, np.ndarray]:
    """Id = Idte + Idle + Idd (G.107 section 7.4, eqs. 7-18 to 7-28).

    With the defaults (no delay, T = 0) only the listener echo counts:

    >>> {k: round(float(v), 2) for k, v in delay_impairment().items()}
    {'Idte': 0.0, 'Idle': 0.15, 'Idd': 0.0, 'Id': 0.15}
    """
    Ro, No = basic_snr(**kw)
    _, Ist = simultaneous_impairment(**kw)
    RLR, STMR, TELR, WEPL, T, Tr, Ta, mT, sT = (
        _p(kw, n) for n in ("RLR", "STMR", "TELR", "WEPL", "T", "Tr", "Ta", "mT", "sT"))
    # Talker echo (7-19 to 7-22); low sidetone (STMR < 9 dB) uses TERVs = TERV + Ist/2.
    TERV = TELR - 40 * np.log10((1 + T / 10) / (1 + T / 150)) + 6 * np.exp(-0.3 * T ** 2)
    TERV = np.where(STMR < 9, TERV + Ist / 2, TERV)
    Re = 80 + 2.5 * (TERV - 14)
    Roe = -1.5 * (No - RLR)
    Idte = ((Roe - Re) / 2 + np.sqrt((Roe - Re) ** 2 / 4 + 100) - 1) * (1 - np.exp(-T))
    Idte = np.where(STMR > 20, np.sqrt(Idte ** 2 + Ist ** 2), Idte)
    Idte = np.where(T < 1, 0.0, Idte)
    # Listener echo (7-25, 7-26).
    Rle = 10.5 * (WEPL + 7) * (Tr + 1) ** -0.25
    Idle = (Ro - Rle) / 2 + np.sqrt((Ro - Rle) ** 2 / 4 + 169)
    # Too-long absolute delay (7-27, 7-28).
    with np.errstate(divide="ignore", invalid="ignore"):  # pragma: no mutate  (warnings only; masked below)
        X = np.log10(np.maximum(Ta, 1e-12) / mT) / np.log10(2)
        e = 6 * sT
        Idd = 25 * ((1 + X ** e) ** (1 / e) - 3 * (1 + (X / 3) ** e) ** (1 / e) + 2)
    Idd = np.where(Ta > mT, Idd, 0.0)
    return {"Idte": Idte, "Idle": Idle, "Idd": Idd, "Id": Idte + Idle + Idd}


def effective_equipment_impairment(Ie, Ppl, Bpl, BurstR=1.0) -> np.ndarray:
    """Ie,eff = Ie + (95 - Ie) * Ppl / (Ppl / BurstR + Bpl) (G.107 eq. 7-29); Ppl in %.

    Ie 10, 2 % random loss, Bpl 8: 10 + 85 x 2 / 10.

    >>> float(effective_equipment_impairment(10.0, 2.0, 8.0))
    27.0
    """
    Ie, Ppl, Bpl, BurstR = (np.asarray(x, dtype=np.float64) for x in (Ie, Ppl, Bpl, BurstR))  # pragma: no mutate
    return Ie + (95 - Ie) * Ppl / (Ppl / BurstR + Bpl)


def r_factor(**kw) -> np.ndarray:
    """Transmission rating R (G.107 eq. 7-1); keyword inputs default to Table 3.

    The default connection rates 93.2 (G.107 clause 7.7):

    >>> round(float(r_factor()), 1)
    93.2
    """
    Ro, _ = basic_snr(**kw)
    Is, _ = simultaneous_impairment(**kw)
    Id = delay_impairment(**kw)["Id"]
    Ie_eff = effective_equipment_impairment(_p(kw, "Ie"), _p(kw, "Ppl"), _p(kw, "Bpl"), _p(kw, "BurstR"))
    return Ro - Is - Id - Ie_eff + _p(kw, "A")


def mos_from_r(R) -> np.ndarray:
    """MOS_CQE from R (G.107 Annex B, eq. B-4).

    >>> [round(float(m), 2) for m in mos_from_r([93.2, 70.0])]
    [4.41, 3.6]
    """
    R = np.asarray(R, dtype=np.float64)  # pragma: no mutate
    mos = 1 + 0.035 * R + R * (R - 60) * (100 - R) * 7e-6
    return np.where(R < 0, 1.0, np.where(R > 100, 4.5, mos))


def r_wideband(Ta_ms, Ppl, BurstR=1.0, Ie_wb=AMR_WB_1265_IE_WB, Bpl=AMR_WB_1265_BPL, A=0.0) -> np.ndarray:
    """Wideband rating for a handset call with perfect echo control (G.107 Table 3
    echo defaults), mouth-to-ear delay Ta, echo path T = Ta and loop Tr = 2 Ta.

    AMR-WB 12.65 without delay or loss: 129 - Ie,wb 13 - 1.29 x the default Id 0.15.

    >>> round(float(r_wideband(0.0, 0.0)), 1)
    115.8
    """
    Ta = np.asarray(Ta_ms, dtype=np.float64)  # pragma: no mutate
    A = np.asarray(A, dtype=np.float64)  # pragma: no mutate
    Id = delay_impairment(T=Ta, Ta=Ta, Tr=2 * Ta)["Id"]
    Ie_eff = effective_equipment_impairment(Ie_wb, Ppl, Bpl, BurstR)
    return RO_WB - WB_SCALE * Id - Ie_eff + A


def mos_from_r_wideband(Rwb) -> np.ndarray:
    """MOS from the wideband rating (G.107.1 Annex A): Annex B curve at Rwb / 1.29.

    The top of the wideband scale, 129, is R = 100 and MOS 1 + 0.035 x 100 = 4.5:

    >>> float(mos_from_r_wideband(129.0))
    4.5
    """
    Rwb = np.asarray(Rwb, dtype=np.float64)  # pragma: no mutate
    return mos_from_r(Rwb / WB_SCALE)


def burst_ratio(n_lost, n_bursts, ppl_ratio) -> np.ndarray:
    """BurstR = mean observed loss-burst length / mean burst length under random
    loss, 1 / (1 - p) (G.107 section 7.5 / Appendix I definition); 1 when no loss.

    At 50 % loss random bursts last 1 / (1 - 0.5) = 2 packets: one burst of 4 is BurstR 2;
    three lone losses (0.5 by the formula) count as random, BurstR 1.

    >>> burst_ratio([4, 3], [1, 3], 0.5).tolist()
    [2.0, 1.0]
    """
    n_lost = np.asarray(n_lost, dtype=np.float64)  # pragma: no mutate
    n_bursts = np.asarray(n_bursts, dtype=np.float64)  # pragma: no mutate
    p = np.asarray(ppl_ratio, dtype=np.float64)  # pragma: no mutate
    with np.errstate(divide="ignore", invalid="ignore"):  # pragma: no mutate  (warnings only; masked below)
        br = (n_lost / n_bursts) * (1 - p)
    return np.where((n_bursts > 0) & (p < 1), np.maximum(br, 1.0), 1.0)
