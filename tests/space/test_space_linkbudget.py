"""Link budget: FSPL, the TR 38.821 link-budget table, CQI table, service classes."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import reftable
from d2c.space.geometry import slant_range_km
from d2c.space.linkbudget import (
    CQI_SNR_THRESHOLD_DB,
    CQI_SPECTRAL_EFFICIENCY,
    SERVICE_DATA,
    SERVICE_NONE,
    SERVICE_SMS,
    SERVICE_VOICE,
    SMS_MIN_RATE_KBPS,
    VOICE_CALL_RATE_KBPS,
    LinkBudget,
    PropagationLosses,
    RadioLink,
    cqi_from_snr_db,
    free_space_path_loss_db,
    nr_throughput_mbps,
    service_class,
    shannon_mbps,
)
from d2c.space.provider import available_presets, load_provider


def test_fspl_worked_example():
    # 20 log10(1000) + 20 log10(2000) + 32.44 = 60 + 66.02 + 32.44 = 158.46 dB (ITU-R P.525).
    assert free_space_path_loss_db(1000.0, 2000.0) == pytest.approx(158.46, abs=0.005)


# 3GPP TR 38.821 Table 6.1.3.3-1, LEO-600 S-band handheld at 30 deg, downlink and uplink rows (source in the file).
TR_BUDGET = "tr38821_link_budget.csv"
TR_ROWS = {row["direction"]: row for row in reftable.rows(TR_BUDGET)}
LOSS_COLUMNS = ("atmospheric_db", "shadow_db", "scintillation_db", "polarisation_db", "other_db")


def _tr(direction: str) -> tuple[dict, float, float, PropagationLosses]:
    """The row, its slant range (km), its EIRP (dBW: the density over the band where the table gives one)."""
    row = TR_ROWS[direction]
    d = float(slant_range_km(float(row["altitude_km"]), float(row["elevation_deg"])))
    density = row["eirp_density_dbw_per_mhz"]
    eirp = float(density) + 10 * math.log10(float(row["bandwidth_mhz"])) if density else float(row["eirp_dbw"])
    return row, d, eirp, PropagationLosses(*(float(row[c]) for c in LOSS_COLUMNS))


TR_LOSSES = _tr("downlink")[3]


@pytest.mark.parametrize("direction", sorted(TR_ROWS))
def test_tr38821_leo600_s_band_cnr(direction):
    row, d, eirp, losses = _tr(direction)
    b = LinkBudget(direction, float(row["frequency_mhz"]), d, eirp, float(row["gt_db_per_k"]),
                   float(row["bandwidth_mhz"]), losses)
    assert b.path_loss_db == pytest.approx(float(row["fspl_db"]), **reftable.tolerance(TR_BUDGET, "fspl_db"))
    assert b.cnr_db == pytest.approx(float(row["cnr_db"]), **reftable.tolerance(TR_BUDGET, "cnr_db"))


def test_radio_link_reproduces_the_tr_rows():
    (dl, d, _, losses), ul = _tr("downlink"), TR_ROWS["uplink"]
    radio = RadioLink(float(dl["frequency_mhz"]), float(ul["frequency_mhz"]), float(dl["eirp_density_dbw_per_mhz"]),
                      float(ul["gt_db_per_k"]), float(dl["bandwidth_mhz"]), losses=losses)
    assert radio.downlink(d).cnr_db == pytest.approx(float(dl["cnr_db"]), **reftable.tolerance(TR_BUDGET, "cnr_db"))
    assert radio.uplink(d).cnr_db == pytest.approx(float(ul["cnr_db"]), **reftable.tolerance(TR_BUDGET, "cnr_db"))


def test_budget_lines_are_printable_and_consistent():
    b = LinkBudget("downlink", 2000.0, 1075.0, 48.8, -31.6, 30.0, TR_LOSSES)
    lines = {line.name: line for line in b.lines()}
    assert lines["free-space path loss"].unit == "dB"
    assert lines["C/N"].value == pytest.approx(b.cnr_db)
    assert lines["C/N0"].value - lines["C/N"].value == pytest.approx(10 * math.log10(30e6))
    assert lines["Shannon bound"].value >= lines["throughput (NR CQI table)"].value


def test_cqi_table_is_ts38214_table_5_2_2_1_2():
    # Spectral efficiency = modulation order x code rate / 1024 of the same table (source in the file).
    table = "ts38214_cqi_table1.csv"
    rows = reftable.rows(table)
    assert [int(r["cqi"]) for r in rows] == list(range(1, len(CQI_SPECTRAL_EFFICIENCY)))
    expected = [int(r["modulation_order"]) * int(r["code_rate_x1024"]) / 1024 for r in rows]
    assert CQI_SPECTRAL_EFFICIENCY[1:] == pytest.approx(expected, **reftable.tolerance(table))
    assert np.all(np.diff(CQI_SNR_THRESHOLD_DB) > 0)


def test_cqi_from_snr_edges():
    assert cqi_from_snr_db(-6.71) == 0
    assert cqi_from_snr_db(-6.7) == 1
    assert cqi_from_snr_db(22.7) == 15
    assert cqi_from_snr_db(40.0) == 15


@settings(max_examples=200, deadline=None)
@given(st.floats(-20.0, 40.0), st.floats(0.2, 20.0))
def test_nr_throughput_never_beats_shannon(snr_db, bw_mhz):
    assert nr_throughput_mbps(snr_db, bw_mhz, 0.0) <= shannon_mbps(snr_db, bw_mhz) + 1e-12


def test_voice_rate_is_amr_wb_with_headers():
    # AMR-WB 12.65 kbit/s (TS 26.201) in RFC 4867 framing with ROHC and L2 headers.
    assert VOICE_CALL_RATE_KBPS == pytest.approx(16.4)
    assert 12.65 < VOICE_CALL_RATE_KBPS < 2 * 12.65
    assert SMS_MIN_RATE_KBPS < VOICE_CALL_RATE_KBPS


def test_service_class_thresholds_and_cap():
    # Thresholds worked out by hand: one 2,000-byte SMS-over-IMS transaction in 10 s is 1.6 kbit/s;
    # an AMR-WB 12.65 call with RFC 4867 framing, ROHC and L2 headers is 41 B / 20 ms = 16.4 kbit/s.
    rates = np.array([0.0, 1.59, 1.6, 16.39, 16.4, 127.9, 128.0, 5000.0])
    assert list(service_class(rates)) == [SERVICE_NONE, SERVICE_NONE, SERVICE_SMS, SERVICE_SMS, SERVICE_VOICE,
                                          SERVICE_VOICE, SERVICE_DATA, SERVICE_DATA]
    assert list(service_class(rates, SERVICE_SMS)) == [0, 0, 1, 1, 1, 1, 1, 1]


def test_weaker_direction_decides_the_service():
    # Strong beam, a handset allocation so narrow its uplink carries only SMS.
    radio = RadioLink(2185.0, 1995.0, 60.0, -20.0, 20.0, ue_uplink_bandwidth_mhz=0.015)
    dl, ul = radio.rates_kbps(np.array([500.0]))
    assert dl[0] > 10_000 and ul[0] < VOICE_CALL_RATE_KBPS
    assert radio.service(np.array([500.0]))[0] == SERVICE_SMS


@pytest.mark.parametrize("name", available_presets())
def test_service_ranges_match_the_rates(name):
    # The closed-form reach of each class equals classifying the rates distance by distance.
    radio = load_provider(name).radio
    d = np.linspace(50.0, 15000.0, 40001)
    dl, ul = radio.rates_kbps(d)
    assert np.array_equal(radio.service(d), service_class(np.minimum(dl, ul), radio.max_service))


def test_beam_capacity_counts_calls_from_the_weaker_direction():
    radio = RadioLink(2185.0, 1995.0, 34.0, 1.1, 5.0)
    cap = radio.beam_capacity(np.array([600.0, 1e6]))
    dl, ul_one = radio.rates_kbps(np.array([600.0]))
    ul = ul_one * radio.uplink_allocations_per_beam
    assert cap.voice_calls[0] == int(min(dl[0], ul[0]) // 16.4)  # 16.4 kbit/s per AMR-WB call, by hand
    assert cap.voice_calls[1] == 0 and cap.service[1] == SERVICE_NONE
    assert cap.downlink_mbps[0] == pytest.approx(dl[0] / 1000.0)


def test_downlink_reach_is_where_cqi_1_ends():
    radio = RadioLink(2185.0, 1995.0, 34.0, 1.1, 5.0)
    d = radio.downlink_max_range_km()
    assert radio.downlink(d).cnr_db == pytest.approx(CQI_SNR_THRESHOLD_DB[0])
    assert radio.downlink(d * 0.999).cqi == 1 and radio.downlink(d * 1.001).cqi == 0


def test_the_printed_budget_adds_up_line_by_line():
    # What `d2c linkbudget` prints must add up as a budget on paper does (textbook form, see
    # REFERENCE.md): C/N0 = EIRP - losses + G/T - k, with k = -228.6 dBW/K/Hz; C/N = C/N0 - 10 log10(B);
    # FSPL = 20 log10(d/km) + 20 log10(f/MHz) + 32.44; Shannon = B log2(1 + C/N).
    radio = load_provider("starlink-dtc").radio
    losses = ("free-space path loss", "atmospheric loss", "shadow margin", "scintillation loss", "polarization loss",
              "additional losses", "handset body loss", "building-entry loss")
    for budget in (radio.downlink(600.0), radio.uplink(900.0)):
        lines = budget.lines()
        v = {line.name: line.value for line in lines}
        unit = {line.name: line.unit for line in lines}
        assert [line.name for line in lines][:4] == ["frequency", "slant range", "transmitter EIRP", losses[0]]
        assert v["slant range"] in (600.0, 900.0)
        assert v["Boltzmann constant"] == -228.6
        assert v[losses[0]] == pytest.approx(20 * np.log10(v["slant range"]) + 20 * np.log10(v["frequency"]) + 32.44,
                                             abs=1e-9)
        assert v["C/N0"] == pytest.approx(v["transmitter EIRP"] - sum(v[k] for k in losses) + v["receiver G/T"]
                                          - v["Boltzmann constant"], abs=1e-9)
        assert v["C/N"] == pytest.approx(v["C/N0"] - 10 * np.log10(v["bandwidth"] * 1e6), abs=1e-9)
        assert v["Shannon bound"] == pytest.approx(v["bandwidth"] * np.log2(1 + 10 ** (v["C/N"] / 10)), rel=1e-9)
        assert unit == {"frequency": "MHz", "slant range": "km", "transmitter EIRP": "dBW", **{k: "dB" for k in losses},
                        "receiver G/T": "dB/K", "Boltzmann constant": "dBW/K/Hz", "C/N0": "dBHz", "bandwidth": "MHz",
                        "C/N": "dB", "CQI": "", "spectral efficiency": "bit/s/Hz",
                        "throughput (NR CQI table)": "Mbit/s", "Shannon bound": "Mbit/s"}


def test_a_beam_carries_sms_and_data_at_the_rates_of_its_weaker_direction():
    # One SMS-over-IMS transaction is 2,000 bytes (16 kbit): a beam of R kbit/s carries R / 16 SMS a second.
    # Data is offered only where the class reaches data (>= 128 kbit/s), in Mbit/s = kbit/s / 1000.
    radio = RadioLink(2185.0, 1995.0, 34.0, 1.1, 5.0)
    d = np.array([500.0, 3000.0, 1e6])
    cap = radio.beam_capacity(d)
    dl, ul_one = radio.rates_kbps(d)
    ul = ul_one * radio.uplink_allocations_per_beam
    weaker = np.minimum(dl, ul)
    service = cap.service
    assert cap.sms_per_s == pytest.approx(np.where(service >= SERVICE_SMS, weaker / 16.0, 0.0))
    assert cap.uplink_mbps == pytest.approx(np.where(service >= SERVICE_DATA, ul / 1000.0, 0.0))
    assert cap.downlink_mbps == pytest.approx(np.where(service >= SERVICE_DATA, dl / 1000.0, 0.0))
    assert service[-1] == SERVICE_NONE and cap.sms_per_s[-1] == 0.0 and cap.uplink_mbps[-1] == 0.0
    assert service[0] == SERVICE_DATA  # 500 km: the strong end of this beam carries data


def test_a_voice_class_beam_carries_calls_but_no_data():
    # A handset allocation so narrow that the uplink reaches voice (>= 16.4 kbit/s) but not data.
    radio = RadioLink(2185.0, 1995.0, 60.0, -15.0, 20.0, ue_uplink_bandwidth_mhz=0.05)
    d = np.array([500.0])
    cap = radio.beam_capacity(d)
    dl, ul_one = radio.rates_kbps(d)
    assert 16.4 <= ul_one[0] < 128.0, ul_one
    assert cap.service[0] == SERVICE_VOICE
    assert cap.voice_calls[0] == int(min(dl[0], ul_one[0] * radio.uplink_allocations_per_beam) // 16.4) > 0
    assert cap.downlink_mbps[0] == 0.0 and cap.uplink_mbps[0] == 0.0
