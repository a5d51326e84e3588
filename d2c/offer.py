"""Who D2C serves, and from when: the provider's offer in a scenario.

A D2C service is opened by a decision, not by the satellites being overhead.
In the first disaster use (Hurricane Helene, North Carolina, October 2024) the
FCC's emergency authority came on day 9-10 after landfall, the service was
best-effort SMS only, and only one partner operator's subscribers (T-Mobile)
could use it, on compatible phones (SpaceX and T-Mobile statements of
6 October 2024, as reported by DatacenterDynamics, 7 October 2024). An
:class:`Offer` says the same four things for a scenario: when the service is
switched on (``activation``), which services each phase carries
(``phases``), whose subscribers it serves (``operators``) and what share of
their handsets can use it (``compatible_handsets``).

The engine asks :meth:`OfferGate.restrict` for the beams a step may use
(none before activation; no voice in an SMS-only phase), and the fallback
asks :func:`eligible_share` for the share of each area's handsets the offer
serves. Everyone else is not served by D2C, and the report says so.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np


__all__ = ["COMPATIBLE_HANDSETS", "COMPATIBLE_HANDSETS_SOURCE", "OFFER_SERVICES", "Offer", "OfferGate", "Phase",
           "eligible_share"]

OFFER_SERVICES = ("sms", "voice", "data")

COMPATIBLE_HANDSETS = 0.8
COMPATIBLE_HANDSETS_SOURCE = (
    "assumed 0.8 (range 0.5-0.95): SpaceX offered Helene texting 'for most cell phones on the T-Mobile network' "
    "(SpaceX, 6 Oct 2024, reported by DatacenterDynamics 7 Oct 2024); an LTE D2C cell works with unmodified LTE "
    "phones that support the partner's band, so older and non-LTE handsets are left out"
)


@dataclass(frozen=True)
class Phase:
    """From ``from_s`` (seconds after the scenario start) the offer carries ``services``."""

    from_s: float
    services: tuple[str, ...]


@dataclass(frozen=True)
class Offer:
    """A D2C provider's offer in a scenario (the ``d2c:`` block; docs/FORMATS.md).

    ``activation_s``: seconds after the start at which the service opens, or
    ``None`` for ``on_decision`` (a drill's ``d2c-on`` decision, or
    ``Simulation.switch_d2c_on()``). ``phases``: empty means every service
    the provider has, from activation. ``operators``: ``None`` means every
    operator's subscribers.
    """

    activation_s: float | None = 0.0
    phases: tuple[Phase, ...] = ()
    operators: tuple[str, ...] | None = None
    compatible_handsets: float = COMPATIBLE_HANDSETS

    def services_at(self, t_s: float) -> tuple[str, ...]:
        """Services of the phase in force at ``t_s`` (ignoring activation): all before any phase list.

        >>> Offer(phases=(Phase(0.0, ("sms",)), Phase(3600.0, OFFER_SERVICES))).services_at(1800.0)
        ('sms',)
        """
        if not self.phases:
            return OFFER_SERVICES
        current: tuple[str, ...] = ()
        for phase in self.phases:
            if phase.from_s <= t_s:
                current = phase.services
        return current


def eligible_share(offer: Offer, operator_share: np.ndarray, operators: list[str]) -> np.ndarray:
    """Per area, the share of handsets the offer serves: the partners' share x compatible handsets.

    ``operator_share`` is (areas x operators), each row the operators' shares
    of that area's handsets (rows of an area no site covers are all zero: the
    operators' shares over the whole territory stand in for them).

    >>> eligible_share(Offer(operators=("B",), compatible_handsets=0.5), np.array([[0.25, 0.75], [0.0, 0.0]]), ["A", "B"])
    array([0.375, 0.375])
    """
    share = np.asarray(operator_share, dtype=float)  # pragma: no mutate  (equivalent: sums and shares of numbers)
    if offer.operators is None or share.shape[1] == 0:
        partners = np.ones(share.shape[0])
    else:
        chosen = np.isin(np.asarray(operators), offer.operators)
        national = share.sum(axis=0)
        national = national / national.sum() if national.sum() > 0 else np.full(share.shape[1], 1.0 / share.shape[1])
        rows = np.where(share.sum(axis=1, keepdims=True) > 0, share, national[None, :])
        partners = rows[:, chosen].sum(axis=1)
    return partners * offer.compatible_handsets


class OfferGate:
    """The offer's clock in a run: activation (or the decision that switches it on) and phases."""

    def __init__(self, offer: Offer):
        self.offer = offer
        self.on_since_s: float | None = offer.activation_s
        self.held_by_drill = False

    @property
    def waiting_for_decision(self) -> bool:
        return self.on_since_s is None

    def hold_for_decision(self) -> None:
        """Keep the service off until :meth:`switch_on` (a drill's D2C on standby)."""
        self.on_since_s = None
        self.held_by_drill = True

    def switch_on(self, t_s: float) -> None:
        """Open the service at ``t_s`` (no effect if it is already open or scheduled earlier)."""
        if self.on_since_s is None or self.on_since_s > t_s:
            self.on_since_s = t_s

    def services_at(self, t_s: float) -> tuple[str, ...]:
        if self.on_since_s is None or t_s < self.on_since_s:
            return ()
        return self.offer.services_at(t_s)

    def restrict(self, d2c, t_s: float):
        """The beams this step may use (a ``d2c.fallback.D2CCapacity``): none before activation, and only
        the pools of the phase in force."""
        services = self.services_at(t_s)
        if not services:
            return type(d2c).none(d2c.area_beam.size)
        if len(services) == len(OFFER_SERVICES):
            return d2c
        keep = {"beam_calls": "voice", "beam_sms": "sms", "beam_mbps": "data"}
        return dataclasses.replace(d2c, **{name: np.where(service in services, getattr(d2c, name), 0.0)
                                           for name, service in keep.items()})
