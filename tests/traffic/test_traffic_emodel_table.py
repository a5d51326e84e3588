"""d2c's E-model against a verification table of ITU-T G.107 (06/2015) clause 7.

tests/data/g107_verification.csv holds 87 connections (one-way delay 0..800 ms,
loudness ratings, sidetone either side of the 9 dB and 20 dB rules, echo loss,
noise, quantizing distortion, four narrowband codecs and AMR-WB under random and
bursty packet loss) with every term of the E-model worked out by
tools/g107_table.py, a scalar reading of the Recommendation that shares no code
with d2c. Its "defaults" row is the published check of clause 7.7 (R = 93.2).

Tolerance: 1e-4 on every term (the table is written to 6 decimals, so rounding
costs at most 5e-7; anything wider than 1e-4 is a different equation).
"""

from __future__ import annotations

import numpy as np
import pytest

import reftable
from d2c.traffic import emodel as E

TABLE = "g107_verification.csv"
TOLERANCE = reftable.tolerance(TABLE)["abs"]
INPUTS = ("SLR", "RLR", "STMR", "Dr", "Ds", "TELR", "WEPL", "T", "Tr", "Ta", "qdu", "Ie", "Bpl", "Ppl",
          "BurstR", "Nc", "Nfor", "Ps", "Pr", "A", "mT", "sT")


ROWS = reftable.rows(TABLE)


def _column(name: str, rows=ROWS) -> np.ndarray:
    return np.array([float(r[name]) for r in rows])


def _inputs(rows=ROWS) -> dict[str, np.ndarray]:
    return {n: _column(n, rows) for n in INPUTS}


def _computed() -> dict[str, np.ndarray]:
    kw = _inputs()
    ro, no = E.basic_snr(**kw)
    is_, ist = E.simultaneous_impairment(**kw)
    delay = E.delay_impairment(**kw)
    ie_eff = E.effective_equipment_impairment(kw["Ie"], kw["Ppl"], kw["Bpl"], kw["BurstR"])
    r = E.r_factor(**kw)
    return {"No": no, "Ro": ro, "Is": is_, "Ist": ist, "Idte": delay["Idte"], "Idle": delay["Idle"],
            "Idd": delay["Idd"], "Id": delay["Id"], "Ie_eff": ie_eff, "R": r, "MOS": E.mos_from_r(r)}


def _check(name: str, got: np.ndarray, rows=ROWS) -> None:
    want = _column(name, rows)
    bad = [f"{r['case']}: {name} {g:.6f}, G.107 gives {w:.6f}"
           for r, g, w in zip(rows, np.broadcast_to(got, want.shape), want) if not abs(g - w) <= TOLERANCE]
    assert not bad, "\n".join(bad)


def test_table_covers_the_delays_and_codecs_asked_for():
    # the table is the evidence; make sure it still spans what the tests below claim
    delays = {float(r["Ta"]) for r in ROWS}
    assert {0.0, 100.0, 150.0, 400.0, 800.0} <= delays
    assert {float(r["STMR"]) for r in ROWS} >= {5.0, 9.0, 20.0, 23.0}
    assert {float(r["Ppl"]) for r in ROWS} >= {0.0, 1.0, 3.0, 10.0}
    assert len([r for r in ROWS if r["Rwb"]]) >= 5


@pytest.mark.parametrize("term", ["No", "Ro", "Is", "Ist", "Idte", "Idle", "Idd", "Id", "Ie_eff", "R", "MOS"])
def test_each_e_model_term_matches_the_recommendation(term):
    _check(term, _computed()[term])


def test_each_connection_alone_gives_the_same_r():
    # the vectorised model must not mix connections: scalar calls give the table's R too
    for r in ROWS[::7]:
        kw = {n: float(r[n]) for n in INPUTS}
        assert float(E.r_factor(**kw)) == pytest.approx(float(r["R"]), abs=TOLERANCE), r["case"]


def test_published_default_connection():
    # G.107 clause 7.7: with every input at its Table 3 default, R = 93.2.
    (row,) = [r for r in ROWS if r["case"] == "defaults"]
    assert float(row["R"]) == pytest.approx(93.2, abs=0.05)
    assert float(E.r_factor()) == pytest.approx(float(row["R"]), abs=TOLERANCE)


def test_wideband_handset_rows():
    # G.107.1 clause 7 and Annex A as docs/TRAFFIC.md states them for a handset call:
    # Rwb = 129 - 1.29 Id(T = Ta, Tr = 2 Ta) - Ie,eff,wb + A, MOS from Rwb / 1.29.
    rows = [r for r in ROWS if r["Rwb"]]
    ta, ppl, burst, ie, bpl, a = (_column(n, rows) for n in ("Ta", "Ppl", "BurstR", "Ie", "Bpl", "A"))
    rwb = E.r_wideband(ta, ppl, BurstR=burst, Ie_wb=ie, Bpl=bpl, A=a)
    _check("Rwb", rwb, rows)
    _check("MOSwb", E.mos_from_r_wideband(rwb), rows)


def test_amr_wb_defaults_are_the_g113_figures():
    # r_wideband's defaults are AMR-WB 12.65 kbit/s: Ie,wb = 13 (G.113 App. IV Table IV.1)
    # and Bpl = 4.3 (Table IV.4); the table's AMR-WB rows carry those as inputs.
    rows = [r for r in ROWS if r["case"].startswith("AMR-WB")]
    got = E.r_wideband(_column("Ta", rows), _column("Ppl", rows), BurstR=_column("BurstR", rows))
    _check("Rwb", got, rows)
    random = [r for r in rows if float(r["BurstR"]) == 1.0]  # and random loss (BurstR = 1) by default
    _check("Rwb", E.r_wideband(_column("Ta", random), _column("Ppl", random)), random)
