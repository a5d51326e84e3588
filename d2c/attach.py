"""Attach storms: how fast a D2C beam can take on the handsets whose cells just died.

When the cells of a region die, every handset there that the D2C offer
serves looks for the satellite cell and tries to attach at once. A beam
takes them on at a limited rate, set by the weaker of two steps of the LTE
attach (3GPP TS 23.401 sec. 5.3.2.1):

* **Random access.** Each contending handset sends one of the cell's
  contention preambles in a PRACH occasion (TS 36.211 sec. 5.7, TS 36.321
  sec. 5.1). A preamble chosen by exactly one handset succeeds; with ``n``
  handsets on ``m`` preambles the expected successes are
  ``n (1 - 1/m)^(n-1)``, at most ``m (1 - 1/m)^(m-1)`` (about ``m / e``) when
  the network's backoff keeps ``n`` near ``m`` (the slotted-ALOHA bound used
  in 3GPP TR 37.868's RACH overload study). The random-access responses
  also cap it: each carries a few uplink grants.
* **Signalling.** Each attach then exchanges RRC connection set-up, NAS
  authentication and security, the default bearer and the IMS registration
  that 112 and SMS over IMS need: ``signalling_bytes_per_attach`` over the
  beam's messaging capacity, which the beam shares with SMS.

A 112 attempt from a handset not yet attached makes an *emergency attach*
(TS 23.401 sec. 5.3.2.1, RRC establishment cause ``emergency``, TS 36.331;
access class 10, TS 22.011 sec. 4.3.1), served before ordinary attaches in
both steps. :class:`AttachQueue` keeps, per area, how many of the offer's
handsets are attached, and drains each beam's queue at its rate, vectorised
over beams.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["ATTACH_SOURCES", "AttachQueue", "AttachSettings", "AttachStep", "preamble_successes",
           "rach_attach_per_s"]


@dataclass(frozen=True)
class AttachSettings:
    """The attach model's parameters (``d2c: attach:`` in a scenario; sources in :data:`ATTACH_SOURCES`)."""

    handsets_per_person: float = 1.0
    prach_occasions_per_s: float = 200.0
    contention_preambles: int = 54
    rar_grants_per_occasion: float = 15.0
    signalling_bytes_per_attach: float = 6000.0


ATTACH_SOURCES = {
    "handsets_per_person": "assumed 1.0 (range 0.8-1.3): one handset per person; Italy has about 1.3 SIMs per "
                           "inhabitant (AGCOM), many of them second SIMs in one handset",
    "prach_occasions_per_s": "LTE prach-ConfigIndex 6: subframes 1 and 6 of every 10 ms frame (TS 36.211 "
                             "Table 5.7.1-2), the setting of TR 37.868 Table 6.2.2.1-1; 200 occasions/s",
    "contention_preambles": "54 of the cell's 64 preambles for contention (TS 36.211 sec. 5.7.2; TR 37.868 "
                            "Table 6.2.2.1-1)",
    "rar_grants_per_occasion": "3 uplink grants per random-access response (TR 37.868 Table 6.2.2.1-1) over a "
                               "5-subframe response window (ra-ResponseWindowSize, TS 36.331): 15 per occasion",
    "signalling_bytes_per_attach": "assumed 6,000 B (range 3,000-12,000): RRC connection set-up, attach with "
                                   "authentication, security and default bearer (TS 23.401 5.3.2.1, about 15 "
                                   "messages incl. UE capabilities) and IMS registration with SIP not compressed "
                                   "(TS 24.229)",
}


def preamble_successes(contenders: np.ndarray | float, preambles: int) -> np.ndarray:
    """Expected preambles picked by exactly one contender: ``n (1 - 1/m)^(n - 1)``.

    >>> round(float(preamble_successes(54, 54)), 2)   # about 54 / e at the optimum
    20.05
    >>> float(preamble_successes(1, 54))
    1.0
    """
    n = np.asarray(contenders, dtype=float)  # pragma: no mutate  (equivalent: the arithmetic below is float anyway)
    return n * (1.0 - 1.0 / preambles) ** np.maximum(n - 1.0, 0.0)


def rach_attach_per_s(settings: AttachSettings) -> float:
    """Random accesses a cell completes per second in a storm, the network's backoff holding the load
    at the optimum: ``occasions/s x min(best preamble successes, grants per occasion)``.

    >>> rach_attach_per_s(AttachSettings())   # 200/s x min(20.05, 15)
    3000.0
    """
    m = settings.contention_preambles
    best = float(preamble_successes(m, m))
    return settings.prach_occasions_per_s * min(best, settings.rar_grants_per_occasion)


@dataclass(frozen=True)
class AttachStep:
    """The emergency part of one step of the attach queue, per beam."""

    emergency_ratio: np.ndarray  # share of emergency-attach requests that got through
    emergency_sms_used: np.ndarray  # messaging pool (SMS this step) taken by emergency attaches
    normal_requests: np.ndarray  # ordinary attaches the random access lets through this step


class AttachQueue:
    """Per area, the offer's handsets attached to D2C; each beam takes on its queue at its attach rate.

    ``handsets``: per area, the handsets the offer serves (people x handsets
    per person x eligible share). Handsets on a cell again detach from D2C
    (``leave``); the rest stay registered across satellite passes. A step is
    :meth:`begin` (emergency attaches) then :meth:`finish` (ordinary ones,
    once the fallback knows how much signalling the beam has left).
    """

    def __init__(self, handsets: np.ndarray, settings: AttachSettings):
        self.handsets = np.asarray(handsets, dtype=float)
        self.settings = settings
        self.rach_per_s = rach_attach_per_s(settings)
        self.attached = np.zeros_like(self.handsets)
        self._pending: tuple = ()  # pragma: no mutate  (equivalent: only finish() reads it, after begin() set it)

    def share(self, areas: np.ndarray) -> np.ndarray:
        """Share of the offer's handsets attached in ``areas`` (indices; 1 where there are none to attach)."""
        attached, handsets = self.attached[areas], self.handsets[areas]
        return np.divide(attached, handsets, out=np.ones_like(attached), where=handsets > 0)

    def leave(self, areas: np.ndarray) -> None:
        """Handsets in ``areas`` (bool) are back on a cell: they detach from D2C."""
        self.attached[areas] = 0.0

    def begin(self, areas: np.ndarray, beam: np.ndarray, n_beams: int, emergency_requests: np.ndarray,
              sms_pool: np.ndarray, sms_per_attach: np.ndarray, dt: float) -> AttachStep:
        """Serve this step's emergency attaches first (random access, then signalling), per beam.

        ``areas``/``beam``: the areas under a beam and each one's beam; ``emergency_requests``: per
        such area, 112 attempts from handsets not yet attached; ``sms_pool`` and ``sms_per_attach``:
        per beam, the messaging pool (SMS this step) and what one attach takes of it (a beam whose
        cost is 0 carries no signalling and attaches no one).
        """
        rach = np.where(sms_per_attach > 0, self.rach_per_s * dt, 0.0)
        want = _per_beam(beam, emergency_requests, n_beams)
        through_rach = np.minimum(want, rach)
        affordable = np.divide(sms_pool, sms_per_attach, out=np.zeros_like(rach), where=sms_per_attach > 0)
        done = np.minimum(through_rach, affordable)
        ratio = np.divide(done, want, out=np.ones_like(done), where=want > 0)
        em_area = emergency_requests * ratio[beam]
        queue = np.maximum(self.handsets[areas] - self.attached[areas] - em_area, 0.0)
        self.attached[areas] += em_area
        waiting = _per_beam(beam, queue, n_beams)
        self._pending = (areas, beam, queue, waiting)
        return AttachStep(ratio, done * sms_per_attach, np.minimum(waiting, rach - through_rach))

    def finish(self, normal_done: np.ndarray) -> None:
        """Add this step's ordinary attaches per beam, shared among its areas by queue length."""
        areas, beam, queue, waiting = self._pending
        got = queue * np.divide(normal_done, waiting, out=np.zeros_like(waiting), where=waiting > 0)[beam]
        self.attached[areas] = np.minimum(self.attached[areas] + got, self.handsets[areas])
        self._pending = ()  # pragma: no mutate  (equivalent: as above)


def _per_beam(beam: np.ndarray, values: np.ndarray, n_beams: int) -> np.ndarray:
    """Sum of ``values`` per beam, as floats (also when no area is under a beam)."""
    # equivalent under mutation: bincount with weights is float64 already (the astype states it)
    return np.bincount(beam, weights=values, minlength=n_beams).astype(float, copy=False)  # pragma: no mutate
