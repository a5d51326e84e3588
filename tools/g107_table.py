"""Write tests/data/g107_verification.csv: E-model terms worked out from ITU-T G.107.

An independent, scalar reading of Recommendation ITU-T G.107 (06/2015) "The E-model:
a computational model for use in transmission planning", clause 7, written with the
``math`` module one equation at a time. It imports nothing from d2c: the table it
writes is what tests/traffic/test_traffic_emodel_table.py holds d2c's vectorised
E-model (d2c/traffic/emodel.py) to.

Each row is one connection: G.107 Table 3 defaults (clause 7.7) with some inputs
changed (one-way delay, loudness ratings, sidetone, echo, noise, quantizing
distortion, packet loss of a codec), and the terms of clause 7:

    clause 7.2  basic signal-to-noise ratio Ro and the total noise No
    clause 7.3  simultaneous impairment Is (Iolr + Ist + Iq)
    clause 7.4  delay impairment Id (talker echo Idte, listener echo Idle, absolute delay Idd)
    clause 7.5  effective equipment impairment Ie,eff (packet loss, codec Ie and Bpl)
    clause 7.1  R = Ro - Is - Id - Ie,eff + A
    Annex B     MOS_CQE from R

and, for handset rows (echo path T = Ta, loop Tr = 2 Ta, every other input at its
default), the wideband rating of G.107.1 clause 7 as d2c states it in docs/TRAFFIC.md:
Rwb = 129 - 1.29 Id - Ie,eff,wb + A, and its MOS from Rwb / 1.29 through Annex B
(G.107.1 Annex A).

Codec inputs (Ie, Bpl) are those of ITU-T G.113 Appendix I (narrowband) and
Appendix IV (AMR-WB); they are only inputs here, the table checks the equations.

Usage: python tools/g107_table.py   (rewrites the CSV; it is deterministic)
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "g107_verification.csv"

# G.107 (06/2015) Table 3, default values and permitted ranges.
TABLE_3 = {
    "SLR": 8.0, "RLR": 2.0, "STMR": 15.0, "Dr": 3.0, "Ds": 3.0, "TELR": 65.0, "WEPL": 110.0,
    "T": 0.0, "Tr": 0.0, "Ta": 0.0, "qdu": 1.0, "Ie": 0.0, "Bpl": 1.0, "Ppl": 0.0, "BurstR": 1.0,
    "Nc": -70.0, "Nfor": -64.0, "Ps": 35.0, "Pr": 35.0, "A": 0.0, "mT": 100.0, "sT": 1.0,
}
INPUTS = list(TABLE_3)
OUTPUTS = ["No", "Ro", "Iolr", "Ist", "Iq", "Is", "Idte", "Idle", "Idd", "Id", "Ie_eff", "R", "MOS", "Rwb", "MOSwb"]


def lg(x: float) -> float:
    return math.log10(x)


def clause_7_2(c: dict) -> tuple[float, float]:
    """Ro, No: eqs. 7-2 .. 7-9 of clause 7.2."""
    olr = c["SLR"] + c["RLR"]
    lstr = c["STMR"] + c["Dr"]
    pre = c["Pr"] + 10 * lg(1 + 10 ** ((10 - lstr) / 10))      # room noise at the receive side, sidetone path
    nor = c["RLR"] - 121 + pre + 0.008 * (pre - 35) ** 2       # receive-side room noise, at 0 dBr
    nos = c["Ps"] - c["SLR"] - c["Ds"] - 100 + 0.004 * (c["Ps"] - olr - c["Ds"] - 14) ** 2
    nfo = c["Nfor"] + c["RLR"]                                  # noise floor, at 0 dBr
    no = 10 * lg(sum(10 ** (n / 10) for n in (c["Nc"], nos, nor, nfo)))
    ro = 15 - 1.5 * (c["SLR"] + no)
    return ro, no


def clause_7_3(c: dict, ro: float, no: float) -> tuple[float, float, float]:
    """Iolr, Ist, Iq: eqs. 7-10 .. 7-19 of clause 7.3."""
    olr = c["SLR"] + c["RLR"]
    xolr = olr + 0.2 * (64 + no - c["RLR"])
    iolr = 20 * ((1 + (xolr / 8) ** 8) ** 0.125 - xolr / 8)
    stmro = -10 * lg(10 ** (-c["STMR"] / 10) + math.exp(-c["T"] / 4) * 10 ** (-c["TELR"] / 10))
    ist = (12 * (1 + ((stmro - 13) / 6) ** 8) ** (1 / 8)
           - 28 * (1 + ((stmro + 1) / 19.4) ** 35) ** (1 / 35)
           - 13 * (1 + ((stmro - 3) / 33) ** 13) ** (1 / 13) + 29)
    q = 37 - 15 * lg(c["qdu"])
    g = 1.07 + 0.258 * q + 0.0602 * q * q
    y = (ro - 100) / 15 + 46 / 8.4 - g / 9
    z = 46 / 30 - g / 40
    iq = 15 * lg(1 + 10 ** y + 10 ** z)
    return iolr, ist, iq


def clause_7_4(c: dict, ro: float, no: float, ist: float) -> tuple[float, float, float]:
    """Idte, Idle, Idd: eqs. 7-20 .. 7-30 of clause 7.4."""
    t = c["T"]
    # Talker echo. Below 1 ms of echo path the echo is heard as sidetone: Idte = 0.
    if t < 1:
        idte = 0.0
    else:
        terv = c["TELR"] - 40 * lg((1 + t / 10) / (1 + t / 150)) + 6 * math.exp(-0.3 * t * t)
        if c["STMR"] < 9:                     # low sidetone: TERVs = TERV + Ist / 2 replaces TERV
            terv += ist / 2
        roe = -1.5 * (no - c["RLR"])
        re = 80 + 2.5 * (terv - 14)
        idte = ((roe - re) / 2 + math.sqrt((roe - re) ** 2 / 4 + 100) - 1) * (1 - math.exp(-t))
        if c["STMR"] > 20:                    # high sidetone: Idtes = sqrt(Idte^2 + Ist^2) replaces Idte
            idte = math.sqrt(idte * idte + ist * ist)
    # Listener echo.
    rle = 10.5 * (c["WEPL"] + 7) * (c["Tr"] + 1) ** -0.25
    idle = (ro - rle) / 2 + math.sqrt((ro - rle) ** 2 / 4 + 169)
    # Too-long absolute delay, with the minimum perceivable delay mT and the sensitivity sT.
    if c["Ta"] <= c["mT"]:
        idd = 0.0
    else:
        x = lg(c["Ta"] / c["mT"]) / lg(2)
        k = 6 * c["sT"]
        idd = 25 * ((1 + x ** k) ** (1 / k) - 3 * (1 + (x / 3) ** k) ** (1 / k) + 2)
    return idte, idle, idd


def clause_7_5(ie: float, ppl: float, bpl: float, burst_r: float) -> float:
    """Ie,eff: the equation of clause 7.5 (Ppl in per cent)."""
    return ie + (95 - ie) * ppl / (ppl / burst_r + bpl)


def annex_b(r: float) -> float:
    """MOS_CQE from R, Annex B (eq. B-4)."""
    if r < 0:
        return 1.0
    if r > 100:
        return 4.5
    return 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6


def row(name: str, source: str, **changed: float) -> dict:
    c = {**TABLE_3, **changed}
    ro, no = clause_7_2(c)
    iolr, ist, iq = clause_7_3(c, ro, no)
    idte, idle, idd = clause_7_4(c, ro, no, ist)
    ie_eff = clause_7_5(c["Ie"], c["Ppl"], c["Bpl"], c["BurstR"])
    is_ = iolr + ist + iq
    id_ = idte + idle + idd
    r = ro - is_ - id_ - ie_eff + c["A"]
    out = {"case": name, "source": source, **c, "No": no, "Ro": ro, "Iolr": iolr, "Ist": ist, "Iq": iq,
           "Is": is_, "Idte": idte, "Idle": idle, "Idd": idd, "Id": id_, "Ie_eff": ie_eff, "R": r,
           "MOS": annex_b(r), "Rwb": "", "MOSwb": ""}
    handset = set(changed) <= {"T", "Tr", "Ta", "Ie", "Bpl", "Ppl", "BurstR", "A"} and c["T"] == c["Ta"] \
        and c["Tr"] == 2 * c["Ta"]
    if handset:   # G.107.1 clause 7: Ro,wb = 129, Is,wb = 0; Id carried by 1.29 (docs/TRAFFIC.md)
        rwb = 129 - 1.29 * id_ - ie_eff + c["A"]
        out["Rwb"], out["MOSwb"] = rwb, annex_b(rwb / 1.29)
    return out


def cases() -> list[dict]:
    rows = [row("defaults", "G.107 clause 7.7: R = 93.2")]
    # One-way delay with echo path T = Ta and loop Tr = 2 Ta (a handset call, echo controlled).
    for d in (1, 25, 50, 100, 150, 200, 250, 300, 400, 500, 600, 800):
        rows.append(row(f"delay {d} ms", "clause 7.4, T = Ta, Tr = 2 Ta", T=d, Ta=d, Tr=2 * d))
    # Each delay term alone.
    for t in (0.5, 1, 2, 5, 20, 100, 300):
        rows.append(row(f"talker echo T {t} ms", "clause 7.4 Idte", T=t))
    for tr in (10, 100, 400, 1000):
        rows.append(row(f"listener echo Tr {tr} ms", "clause 7.4 Idle", Tr=tr))
    for ta in (100, 150, 200, 400, 800):
        rows.append(row(f"absolute delay Ta {ta} ms", "clause 7.4 Idd", Ta=ta))
    rows.append(row("Ta 300 ms, mT 150 ms", "clause 7.4 Idd, mT", Ta=300, mT=150))
    rows.append(row("Ta 300 ms, sT 0.6", "clause 7.4 Idd, sT", Ta=300, sT=0.6))
    rows.append(row("Ta 600 ms, mT 200 ms, sT 2", "clause 7.4 Idd, mT and sT", Ta=600, mT=200, sT=2))
    # Echo with poor echo loss.
    rows.append(row("TELR 45 dB, T 30 ms", "clause 7.4 Idte", TELR=45, T=30, Ta=30, Tr=60))
    rows.append(row("TELR 35 dB, T 150 ms", "clause 7.4 Idte", TELR=35, T=150, Ta=150, Tr=300))
    rows.append(row("WEPL 60 dB, Tr 200 ms", "clause 7.4 Idle", WEPL=60, Tr=200))
    # Talker echo so loud and so early that it adds to the sidetone (STMRo, clause 7.3).
    for telr, t in ((15, 0), (20, 2), (25, 5)):
        rows.append(row(f"TELR {telr} dB, T {t} ms", "clause 7.3 STMRo", TELR=telr, T=t))
        rows.append(row(f"TELR {telr} dB, T {t} ms, STMR 25 dB", "clause 7.3 STMRo", TELR=telr, T=t, STMR=25))
    # Sidetone: the STMR < 9 and STMR > 20 rules of clause 7.4 and their edges.
    for stmr in (5, 9, 12, 20, 21, 23):
        rows.append(row(f"STMR {stmr} dB, T 50 ms", "clauses 7.3 Ist and 7.4 Idte", STMR=stmr, T=50, Ta=50, Tr=100))
    # Loudness ratings.
    for slr, rlr in ((0, 0), (4, -2), (14, 8), (20, 10), (8, 12)):
        rows.append(row(f"SLR {slr} RLR {rlr} dB", "clauses 7.2 and 7.3 Iolr", SLR=slr, RLR=rlr))
    rows.append(row("SLR 14 RLR 8, delay 200 ms", "clauses 7.3 and 7.4", SLR=14, RLR=8, T=200, Ta=200, Tr=400))
    # Noise: circuit, room, noise floor, D-values.
    rows.append(row("Nc -50 dBm0p", "clause 7.2 No", Nc=-50))
    rows.append(row("room noise Ps 55 Pr 50 dB(A)", "clause 7.2 Nos, Nor", Ps=55, Pr=50))
    rows.append(row("Nfor -50 dBmp", "clause 7.2 Nfo", Nfor=-50))
    rows.append(row("Ds 0 Dr -2", "clause 7.2 Nos, LSTR", Ds=0, Dr=-2, Ps=50, Pr=45))
    # Quantizing distortion.
    for qdu in (2, 8, 14):
        rows.append(row(f"qdu {qdu}", "clause 7.3 Iq", qdu=qdu))
    # Codecs and packet loss (G.113 Appendix I Ie/Bpl inputs), random and bursty.
    codecs = {
        "G.711 with PLC": (0.0, 25.1),
        "G.711 without PLC": (0.0, 4.3),
        "G.729A + VAD": (11.0, 19.0),
        "G.723.1 6.3k + VAD": (15.0, 16.1),
    }
    for label, (ie, bpl) in codecs.items():
        for ppl, burst in ((0, 1), (1, 1), (3, 1), (10, 1), (3, 2)):
            rows.append(row(f"{label}, Ppl {ppl}% BurstR {burst}", "clause 7.5 with G.113 App. I",
                            Ie=ie, Bpl=bpl, Ppl=ppl, BurstR=burst))
    rows.append(row("G.729A, 2% loss, 150 ms", "clauses 7.4 and 7.5", Ie=11, Bpl=19, Ppl=2, T=150, Ta=150, Tr=300))
    rows.append(row("advantage A 10, 300 ms", "clause 7.6", A=10, T=300, Ta=300, Tr=600))
    # AMR-WB 12.65 handset calls (Ie,wb 13, Bpl 4.3, G.113 Appendix IV), the wideband columns.
    for d, ppl, burst in ((0, 0, 1), (100, 0, 1), (250, 1, 1), (400, 2, 1.5), (600, 5, 1)):
        rows.append(row(f"AMR-WB {d} ms, Ppl {ppl}% BurstR {burst}", "G.107.1 clause 7, Annex A",
                        T=d, Ta=d, Tr=2 * d, Ie=13, Bpl=4.3, Ppl=ppl, BurstR=burst))
    return rows


def main() -> None:
    rows = cases()
    with OUT.open("w", newline="", encoding="utf-8") as f:
        f.write("# E-model terms by ITU-T G.107 (06/2015) clause 7 and Annex B, and the G.107.1 wideband\n"
                "# scale for handset rows; written by tools/g107_table.py (scalar, independent of d2c).\n"
                "# Inputs not listed in a case are G.107 Table 3 defaults. Outputs to 6 decimals.\n")
        w = csv.DictWriter(f, fieldnames=["case", "source", *INPUTS, *OUTPUTS], lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: (f"{v:.6f}" if isinstance(v, float) and k in OUTPUTS else
                            (f"{v:g}" if isinstance(v, float) else v)) for k, v in r.items()})
    print(f"{OUT}: {len(rows)} connections")


if __name__ == "__main__":
    main()
