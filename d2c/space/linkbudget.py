"""Satellite-to-handset link budgets, what they carry, and the service class they allow.

The budget follows 3GPP TR 38.821 sec. 6.1.3 (Table 6.1.3.3-1):

    C/N = EIRP + G/T - k - FSPL - L_atm - L_shadow - L_scint - L_pol - L_other - 10 log10(B)

with k = -228.6 dBW/K/Hz. Throughput maps C/N to a CQI of the NR 4-bit CQI table
(3GPP TS 38.214 Table 5.2.2.1-2), whose spectral efficiency is scaled by the occupied
bandwidth and the layer-1/2 overhead of TS 38.306 sec. 4.1.2; the Shannon bound is kept
alongside for comparison.

The service class a handset gets is decided by the weaker direction:
the downlink rate of its beam, and the uplink rate of its own 23 dBm transmission.

=====  =======  ========================================================================
class  name     needs (in both directions)
=====  =======  ========================================================================
0      none     the link does not carry even an SMS transaction in 10 s
1      sms      >= :data:`SMS_MIN_RATE_KBPS` (one SMS-over-IMS transaction in 10 s)
2      voice    >= :data:`VOICE_CALL_RATE_KBPS` (one AMR-WB 12.65 kbit/s call with headers)
3      data     >= :data:`DATA_MIN_RATE_KBPS`
=====  =======  ========================================================================

All functions take numpy arrays and broadcast.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from d2c.constants import BOLTZMANN_DBW_PER_K_HZ

# ----------------------------------------------------------------------------------------
# Service classes
# ----------------------------------------------------------------------------------------

SERVICE_NONE = 0
SERVICE_SMS = 1
SERVICE_VOICE = 2
SERVICE_DATA = 3
SERVICE_NAMES: tuple[str, ...] = ("none", "sms", "voice", "data")

# One voice call: AMR-WB at 12.65 kbit/s carries 253 bits per 20 ms frame (12.65 kbit/s x
# 20 ms; 3GPP TS 26.201 frame structure); the RTP payload adds a 4-bit CMR and a 6-bit table-of-contents entry and pads to
# whole octets (RFC 4867 sec. 4.3, bandwidth-efficient mode), giving 33 bytes.
AMR_WB_12_65_FRAME_BITS = 253
VOICE_FRAME_PERIOD_S = 0.020
_AMR_WB_PAYLOAD_BYTES = math.ceil((4 + 6 + AMR_WB_12_65_FRAME_BITS) / 8)
# Per-packet overhead over the air: RTP/UDP/IP compressed by ROHC (mandatory for IMS voice,
# GSMA IR.92 sec. 4.1; ~3 bytes in steady state, RFC 5795/3095 profile 1), PDCP header with
# 12-bit SN 2 bytes (TS 38.323), RLC UM header 1 byte (TS 38.322), MAC subheader 2 bytes
# (TS 38.321).
_VOICE_OVERHEAD_BYTES = 3 + 2 + 1 + 2
VOICE_CALL_RATE_KBPS = (_AMR_WB_PAYLOAD_BYTES + _VOICE_OVERHEAD_BYTES) * 8 / VOICE_FRAME_PERIOD_S / 1000.0
"""Rate one AMR-WB 12.65 call needs in each direction, 16.4 kbit/s."""

SMS_TRANSACTION_BYTES = 2000
"""Bytes over the air for one SMS over IMS (TS 24.341): SIP MESSAGE carrying the RP-DATA,
its 202 Accepted, the RP-ACK MESSAGE and its 200 OK, uncompressed SIP (assumption, ~500 B each)."""
SMS_DEADLINE_S = 10.0
"""Time within which an SMS transaction must complete for the link to count as SMS-capable
(assumption)."""
SMS_MIN_RATE_KBPS = SMS_TRANSACTION_BYTES * 8 / SMS_DEADLINE_S / 1000.0
"""1.6 kbit/s."""

DATA_MIN_RATE_KBPS = 128.0
"""Lowest rate counted as a data service: messaging apps with pictures, AML over HTTPS and
light web stay usable (assumption, stated in reports)."""

# ----------------------------------------------------------------------------------------
# NR link adaptation
# ----------------------------------------------------------------------------------------

CQI_SPECTRAL_EFFICIENCY = np.array(
    [0.0, 0.1523, 0.2344, 0.3770, 0.6016, 0.8770, 1.1758, 1.4766, 1.9141, 2.4063,
     2.7305, 3.3223, 3.9023, 4.5234, 5.1152, 5.5547]
)
"""Bits/s/Hz for CQI 0..15: 3GPP TS 38.214 Table 5.2.2.1-2 (4-bit CQI Table 1; QPSK to 64QAM)."""

CQI_SNR_THRESHOLD_DB = np.array(
    [-6.7, -4.7, -2.3, 0.2, 2.4, 4.3, 5.9, 8.1, 10.3, 11.7, 14.1, 16.3, 18.7, 21.0, 22.7]
)
"""Lowest SNR (dB) at which CQI 1..15 meets 10 % BLER on an AWGN single-antenna link without
HARQ: link-level simulation results of the Vienna LTE simulator as tabulated by Kawser et al.,
"Downlink SNR to CQI Mapping for Different Multiple Antenna Techniques in LTE", IJIEE 2(5),
2012. The CQI table is the same in LTE (TS 36.213 Table 7.2.3-1) and NR (TS 38.214 Table
5.2.2.1-2), so the thresholds carry over."""

NR_OVERHEAD_DOWNLINK = 0.14
"""Layer-1/2 overhead, FR1 downlink (3GPP TS 38.306 sec. 4.1.2)."""
NR_OVERHEAD_UPLINK = 0.08
"""Layer-1/2 overhead, FR1 uplink (3GPP TS 38.306 sec. 4.1.2)."""
CHANNEL_OCCUPANCY = 0.90
"""Share of a channel filled by resource blocks: 25 PRB x 180 kHz = 4.5 MHz in a 5 MHz NR
channel at 15 kHz SCS (3GPP TS 38.101-1 Table 5.3.2-1); wider channels fill slightly more."""


def free_space_path_loss_db(distance_km: np.ndarray | float, frequency_mhz: np.ndarray | float) -> np.ndarray:
    """FSPL(dB) = 20 log10(d/km) + 20 log10(f/MHz) + 32.44 (ITU-R P.525; 32.44 = 20 log10(4 pi 1e9 / c)).

    1000 km at 2 GHz: 60 + 66.02 + 32.44 dB.

    >>> f"{float(free_space_path_loss_db(1000.0, 2000.0)):.2f}"
    '158.46'
    """
    return 20.0 * np.log10(distance_km) + 20.0 * np.log10(frequency_mhz) + 32.44


def cnr_db(
    eirp_dbw: np.ndarray | float,
    path_loss_db: np.ndarray | float,
    receiver_gt_db_per_k: float,
    bandwidth_hz: float,
    other_losses_db: float = 0.0,
) -> np.ndarray:
    """Carrier-to-noise ratio: EIRP + G/T - k - losses - 10 log10(B) (TR 38.821 sec. 6.1.3.1).

    30 dBW through 160 dB to a -31.6 dB/K handset over 1 MHz: 30 - 31.6 + 228.6 - 160 - 60 dB.

    >>> round(float(cnr_db(30.0, 160.0, -31.6, 1e6)), 1)
    7.0
    """
    return (
        np.asarray(eirp_dbw)
        + receiver_gt_db_per_k
        - BOLTZMANN_DBW_PER_K_HZ
        - np.asarray(path_loss_db)
        - other_losses_db
        - 10.0 * math.log10(bandwidth_hz)
    )


def cqi_from_snr_db(snr_db: np.ndarray | float) -> np.ndarray:
    """Highest CQI (0..15) whose SNR threshold the link meets; 0 means out of range.

    7 dB clears CQI 7's 5.9 dB but not CQI 8's 8.1 dB (:data:`CQI_SNR_THRESHOLD_DB`):

    >>> cqi_from_snr_db([-10.0, 7.0, 25.0]).tolist()
    [0, 7, 15]
    """
    return np.searchsorted(CQI_SNR_THRESHOLD_DB, np.asarray(snr_db, dtype=float), side="right")


def spectral_efficiency_from_snr_db(snr_db: np.ndarray | float) -> np.ndarray:
    """Bits/s/Hz of the CQI the link supports (TS 38.214 Table 5.2.2.1-2).

    CQI 7 is 16QAM at code rate 378/1024, 1.4766 bit/s/Hz in that table:

    >>> float(spectral_efficiency_from_snr_db(7.0))
    1.4766
    """
    return CQI_SPECTRAL_EFFICIENCY[cqi_from_snr_db(snr_db)]


def nr_throughput_mbps(
    snr_db: np.ndarray | float, bandwidth_mhz: float, overhead: float, occupancy: float = 1.0
) -> np.ndarray:
    """Throughput of NR link adaptation: B x occupancy x SE(CQI) x (1 - overhead).

    10 MHz at CQI 7 (1.4766 bit/s/Hz) less the 14 % downlink overhead: 10 x 1.4766 x 0.86.

    >>> round(float(nr_throughput_mbps(7.0, 10.0, NR_OVERHEAD_DOWNLINK)), 2)
    12.7
    """
    return bandwidth_mhz * occupancy * spectral_efficiency_from_snr_db(snr_db) * (1.0 - overhead)


def shannon_mbps(snr_db: np.ndarray | float, bandwidth_mhz: float) -> np.ndarray:
    """Shannon capacity B log2(1 + SNR), the bound no modulation and coding exceeds.

    At 0 dB (SNR 1) a channel carries one bit per second per hertz:

    >>> float(shannon_mbps(0.0, 1.0)), float(shannon_mbps(0.0, 5.0))
    (1.0, 5.0)
    """
    return bandwidth_mhz * np.log2(1.0 + 10.0 ** (np.asarray(snr_db, dtype=float) / 10.0))


def service_class(rate_kbps: np.ndarray | float, max_service: int = SERVICE_DATA) -> np.ndarray:
    """Service class (int8) a sustained rate allows, capped at ``max_service``.

    The thresholds are 1.6 (SMS), 16.4 (one voice call) and 128 kbit/s (data):

    >>> service_class([1.0, 10.0, 20.0, 200.0]).tolist()
    [0, 1, 2, 3]
    >>> int(service_class(200.0, max_service=SERVICE_SMS))
    1
    """
    r = np.asarray(rate_kbps, dtype=float)
    cls = (
        (r >= SMS_MIN_RATE_KBPS).astype(np.int8)
        + (r >= VOICE_CALL_RATE_KBPS)
        + (r >= DATA_MIN_RATE_KBPS)
    ).astype(np.int8)
    return np.minimum(cls, np.int8(max_service))


# ----------------------------------------------------------------------------------------
# Objects
# ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BudgetLine:
    """One printable line of a link budget."""

    name: str
    value: float
    unit: str


@dataclass(frozen=True)
class PropagationLosses:
    """Losses beyond free space, dB (defaults: TR 38.821 Table 6.1.3.3-1, S-band LEO rows)."""

    atmospheric_loss_db: float = 0.1
    shadow_margin_db: float = 3.0
    scintillation_loss_db: float = 2.2
    polarization_loss_db: float = 0.0
    additional_loss_db: float = 0.0
    body_loss_db: float = 0.0
    """Loss of a handset held by its user (head and hand); 0 in the TR 38.821 rows, which
    assume a 0 dBi handset antenna; presets set it (``handset.body_loss_db``)."""

    @property
    def total_db(self) -> float:
        """Sum of all the losses."""
        return (
            self.atmospheric_loss_db
            + self.shadow_margin_db
            + self.scintillation_loss_db
            + self.polarization_loss_db
            + self.additional_loss_db
            + self.body_loss_db
        )


@dataclass(frozen=True)
class LinkBudget:
    """One direction of one link at one distance, from EIRP to throughput."""

    direction: str
    frequency_mhz: float
    slant_range_km: float
    eirp_dbw: float
    receiver_gt_db_per_k: float
    bandwidth_mhz: float
    losses: PropagationLosses = field(default_factory=PropagationLosses)
    overhead: float = NR_OVERHEAD_DOWNLINK
    occupancy: float = 1.0
    building_entry_loss_db: float = 0.0
    """Extra loss of a handset indoors (ITU-R P.2109, :mod:`.entry_loss`); 0 outdoors."""

    @property
    def path_loss_db(self) -> float:
        """Free-space path loss."""
        return float(free_space_path_loss_db(self.slant_range_km, self.frequency_mhz))

    @property
    def cn0_dbhz(self) -> float:
        """Carrier-to-noise density."""
        return float(self.cnr_db + 10.0 * math.log10(self.bandwidth_mhz * 1e6))

    @property
    def cnr_db(self) -> float:
        """Carrier-to-noise ratio over the bandwidth."""
        return float(
            cnr_db(self.eirp_dbw, self.path_loss_db, self.receiver_gt_db_per_k,
                   self.bandwidth_mhz * 1e6, self.losses.total_db + self.building_entry_loss_db)
        )

    @property
    def cqi(self) -> int:
        """CQI index the link supports (0 = none)."""
        return int(cqi_from_snr_db(self.cnr_db))

    @property
    def spectral_efficiency(self) -> float:
        """Bits/s/Hz at that CQI."""
        return float(CQI_SPECTRAL_EFFICIENCY[self.cqi])

    @property
    def throughput_mbps(self) -> float:
        """NR throughput with the CQI table, occupancy and overhead."""
        return float(nr_throughput_mbps(self.cnr_db, self.bandwidth_mhz, self.overhead, self.occupancy))

    @property
    def shannon_mbps(self) -> float:
        """Shannon bound over the same bandwidth."""
        return float(shannon_mbps(self.cnr_db, self.bandwidth_mhz))

    def lines(self) -> list[BudgetLine]:
        """The budget line by line, for printing."""
        L = self.losses
        return [
            BudgetLine("frequency", self.frequency_mhz, "MHz"),
            BudgetLine("slant range", self.slant_range_km, "km"),
            BudgetLine("transmitter EIRP", self.eirp_dbw, "dBW"),
            BudgetLine("free-space path loss", self.path_loss_db, "dB"),
            BudgetLine("atmospheric loss", L.atmospheric_loss_db, "dB"),
            BudgetLine("shadow margin", L.shadow_margin_db, "dB"),
            BudgetLine("scintillation loss", L.scintillation_loss_db, "dB"),
            BudgetLine("polarization loss", L.polarization_loss_db, "dB"),
            BudgetLine("additional losses", L.additional_loss_db, "dB"),
            BudgetLine("handset body loss", L.body_loss_db, "dB"),
            BudgetLine("building-entry loss", self.building_entry_loss_db, "dB"),
            BudgetLine("receiver G/T", self.receiver_gt_db_per_k, "dB/K"),
            BudgetLine("Boltzmann constant", BOLTZMANN_DBW_PER_K_HZ, "dBW/K/Hz"),
            BudgetLine("C/N0", self.cn0_dbhz, "dBHz"),
            BudgetLine("bandwidth", self.bandwidth_mhz, "MHz"),
            BudgetLine("C/N", self.cnr_db, "dB"),
            BudgetLine("CQI", float(self.cqi), ""),
            BudgetLine("spectral efficiency", self.spectral_efficiency, "bit/s/Hz"),
            BudgetLine("throughput (NR CQI table)", self.throughput_mbps, "Mbit/s"),
            BudgetLine("Shannon bound", self.shannon_mbps, "Mbit/s"),
        ]


@dataclass(frozen=True)
class BeamCapacity:
    """What one beam carries at given distances (arrays broadcast with the distances)."""

    service: np.ndarray
    voice_calls: np.ndarray
    sms_per_s: np.ndarray
    downlink_mbps: np.ndarray
    uplink_mbps: np.ndarray


@dataclass(frozen=True)
class RadioLink:
    """The radio side of a D2C system: satellite beam and handset, both directions.

    The downlink is one beam's full channel at the satellite's EIRP density; the uplink is
    one handset's allocation (``ue_uplink_bandwidth_mhz``) at its full power. A beam's
    uplink tiles its channel with such allocations.
    """

    downlink_frequency_mhz: float
    uplink_frequency_mhz: float
    sat_eirp_density_dbw_per_mhz: float
    sat_gt_db_per_k: float
    channel_bandwidth_mhz: float
    ue_eirp_dbm: float = 23.0
    ue_gt_db_per_k: float = -31.6
    ue_uplink_bandwidth_mhz: float = 0.36
    losses: PropagationLosses = field(default_factory=PropagationLosses)
    max_service: int = SERVICE_DATA

    # -- scalar budgets for printing ------------------------------------------------------

    def downlink(self, slant_range_km: float, building_entry_loss_db: float = 0.0) -> LinkBudget:
        """Satellite to handset over one beam's channel (indoors: with a building-entry loss)."""
        return LinkBudget(
            "downlink",
            self.downlink_frequency_mhz,
            float(slant_range_km),
            self.sat_eirp_density_dbw_per_mhz + 10.0 * math.log10(self.channel_bandwidth_mhz),
            self.ue_gt_db_per_k,
            self.channel_bandwidth_mhz,
            self.losses,
            NR_OVERHEAD_DOWNLINK,
            CHANNEL_OCCUPANCY,
            float(building_entry_loss_db),
        )

    def uplink(self, slant_range_km: float, building_entry_loss_db: float = 0.0) -> LinkBudget:
        """One handset's uplink allocation to the satellite (indoors: with a building-entry loss)."""
        return LinkBudget(
            "uplink",
            self.uplink_frequency_mhz,
            float(slant_range_km),
            self.ue_eirp_dbm - 30.0,
            self.sat_gt_db_per_k,
            self.ue_uplink_bandwidth_mhz,
            self.losses,
            NR_OVERHEAD_UPLINK,
            1.0,
            float(building_entry_loss_db),
        )

    @property
    def building_loss_frequency_mhz(self) -> float:
        """Frequency at which building-entry loss is evaluated: the higher of the two
        directions' centres (the loss rises with frequency, so this is the harder one)."""
        return max(self.downlink_frequency_mhz, self.uplink_frequency_mhz)

    def margin_db(self, slant_range_km: np.ndarray) -> np.ndarray:
        """Spare loss (dB) each service class 1..max_service still has at each distance, (..., K).

        A class reaches :attr:`service_max_range_km` and C/N falls 20 dB per decade of
        distance, so an extra loss L keeps the class while L <= 20 log10(reach / d).
        Negative: the class is not offered there even outdoors.
        """
        d = np.maximum(np.asarray(slant_range_km, dtype=float), 1e-9)[..., None]
        reach = np.maximum(self.service_max_range_km, 1e-9)
        return 20.0 * np.log10(reach / d)

    # -- vectorised -------------------------------------------------------------------------

    @property
    def uplink_allocations_per_beam(self) -> int:
        """Handset uplink allocations that fit side by side in a beam's channel."""
        return max(1, int(self.channel_bandwidth_mhz * CHANNEL_OCCUPANCY / self.ue_uplink_bandwidth_mhz + 1e-9))

    def downlink_max_range_km(self, min_cnr_db: float = float(CQI_SNR_THRESHOLD_DB[0])) -> float:
        """Largest distance at which the downlink C/N still reaches ``min_cnr_db`` (CQI 1).

        With EIRP = density + 10 log10(B/MHz), C/N = density + G/T - k - FSPL - losses - 60,
        independent of the bandwidth; FSPL is then solved for the distance.
        """
        fspl_max = (self.sat_eirp_density_dbw_per_mhz + self.ue_gt_db_per_k - BOLTZMANN_DBW_PER_K_HZ
                    - self.losses.total_db - 60.0 - min_cnr_db)
        return float(10.0 ** ((fspl_max - 20.0 * math.log10(self.downlink_frequency_mhz) - 32.44) / 20.0))

    def rates_kbps(self, slant_range_km: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(beam downlink kbit/s, one handset's uplink kbit/s)`` at each distance."""
        d = np.asarray(slant_range_km, dtype=float)
        losses = self.losses.total_db
        dl_eirp = self.sat_eirp_density_dbw_per_mhz + 10.0 * math.log10(self.channel_bandwidth_mhz)
        dl_snr = cnr_db(dl_eirp, free_space_path_loss_db(d, self.downlink_frequency_mhz),
                        self.ue_gt_db_per_k, self.channel_bandwidth_mhz * 1e6, losses)
        ul_snr = cnr_db(self.ue_eirp_dbm - 30.0, free_space_path_loss_db(d, self.uplink_frequency_mhz),
                        self.sat_gt_db_per_k, self.ue_uplink_bandwidth_mhz * 1e6, losses)
        dl = nr_throughput_mbps(dl_snr, self.channel_bandwidth_mhz, NR_OVERHEAD_DOWNLINK, CHANNEL_OCCUPANCY)
        ul = nr_throughput_mbps(ul_snr, self.ue_uplink_bandwidth_mhz, NR_OVERHEAD_UPLINK)
        return dl * 1000.0, ul * 1000.0

    def service(self, slant_range_km: np.ndarray) -> np.ndarray:
        """Service class (int8) of a handset at each distance: the weaker direction decides.

        Both rates fall step-wise with distance, so each class reaches out to a fixed
        distance (:attr:`service_max_range_km`) and the class is a count of comparisons.
        """
        d = np.asarray(slant_range_km, dtype=float)
        limits = self.service_max_range_km
        return ((d[..., None] <= limits).sum(axis=-1)).astype(np.int8)

    @cached_property
    def service_max_range_km(self) -> np.ndarray:
        """Largest distance (km) at which each class 1..max_service is still offered.

        A rate of B x SE(CQI) x (...) reaches ``r`` when the CQI is at least the first
        whose rate does; that CQI holds while C/N >= its threshold, i.e. up to the
        distance where the free-space loss eats the margin.
        """
        needs = (SMS_MIN_RATE_KBPS, VOICE_CALL_RATE_KBPS, DATA_MIN_RATE_KBPS)[: self.max_service]
        dl_rate_per_se = self.channel_bandwidth_mhz * CHANNEL_OCCUPANCY * (1 - NR_OVERHEAD_DOWNLINK) * 1000.0
        ul_rate_per_se = self.ue_uplink_bandwidth_mhz * (1 - NR_OVERHEAD_UPLINK) * 1000.0
        dl_cn_at_1km = float(cnr_db(
            self.sat_eirp_density_dbw_per_mhz + 10.0 * math.log10(self.channel_bandwidth_mhz),
            free_space_path_loss_db(1.0, self.downlink_frequency_mhz), self.ue_gt_db_per_k,
            self.channel_bandwidth_mhz * 1e6, self.losses.total_db))
        ul_cn_at_1km = float(cnr_db(
            self.ue_eirp_dbm - 30.0, free_space_path_loss_db(1.0, self.uplink_frequency_mhz),
            self.sat_gt_db_per_k, self.ue_uplink_bandwidth_mhz * 1e6, self.losses.total_db))

        def reach_km(rate_kbps: float, per_se: float, cn_at_1km: float) -> float:
            ok = np.flatnonzero(CQI_SPECTRAL_EFFICIENCY * per_se >= rate_kbps)
            if ok.size == 0:
                return 0.0
            threshold = CQI_SNR_THRESHOLD_DB[ok[0] - 1]  # CQI q needs C/N >= threshold[q-1]
            return float(10.0 ** ((cn_at_1km - threshold) / 20.0))  # C/N falls 20 dB/decade

        return np.array([
            min(reach_km(r, dl_rate_per_se, dl_cn_at_1km), reach_km(r, ul_rate_per_se, ul_cn_at_1km))
            for r in needs
        ])

    def beam_capacity(self, slant_range_km: np.ndarray) -> BeamCapacity:
        """Capacity of beams pointed at ground cells at these distances.

        Concurrent calls and SMS per second use the weaker of the beam's downlink and its
        tiled uplink; data Mbit/s are counted only where the service class reaches data.
        """
        dl_kbps, ue_ul_kbps = self.rates_kbps(slant_range_km)
        ul_kbps = ue_ul_kbps * self.uplink_allocations_per_beam
        service = service_class(np.minimum(dl_kbps, ue_ul_kbps), self.max_service)
        both = np.minimum(dl_kbps, ul_kbps)
        calls = np.where(service >= SERVICE_VOICE, np.floor(both / VOICE_CALL_RATE_KBPS), 0).astype(np.int32)
        sms = np.where(service >= SERVICE_SMS, both * 1000.0 / (SMS_TRANSACTION_BYTES * 8), 0.0)
        data = service >= SERVICE_DATA
        return BeamCapacity(
            service=service,
            voice_calls=calls,
            sms_per_s=sms,
            downlink_mbps=np.where(data, dl_kbps / 1000.0, 0.0),
            uplink_mbps=np.where(data, ul_kbps / 1000.0, 0.0),
        )
