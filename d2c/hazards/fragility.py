"""Lognormal fragility curves: the chance that shaking breaks a piece of equipment.

P(DS >= ds | PGA) = Phi( ln(PGA / median_g) / beta ), the form used throughout
the FEMA Hazus Earthquake Model Technical Manual (chapter on lifelines).

Every curve used by default is a row of :data:`FRAGILITY_TABLE`, which names
the table it comes from. A value that could not be checked against its table
is marked assumed and has a plausible range in :data:`RANGES` (keyed
``"<row>.median_g.<state>"`` and ``"<row>.beta.<state>"``): that is what a
sensitivity sweep varies, through the earthquake block's ``fragility:``
(``docs/FORMATS.md``). ``tests/data/hazus_fragility.csv`` holds the same rows
with their sources, and the tests check the curves against it.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import erf, sqrt

import numpy as np

__all__ = ["DAMAGE_STATES", "Fragility", "normal_cdf", "FRAGILITY_TABLE", "RANGES", "COMMUNICATION_FACILITY",
           "COMMUNICATION_FACILITY_UNANCHORED", "SUBSTATION_LOW_VOLTAGE", "OUT_OF_SERVICE_STATE",
           "exceedance_by_class"]

DAMAGE_STATES = ("slight", "moderate", "extensive", "complete")


@dataclass(frozen=True)
class Fragility:
    """Median PGA (g) and lognormal dispersion for each damage state, and where they come from."""

    name: str
    median_g: tuple[float, float, float, float]
    beta: tuple[float, float, float, float]
    source: str = ""

    def exceedance(self, pga_g: np.ndarray, state: str = "moderate") -> np.ndarray:
        """Probability of reaching at least ``state`` at each PGA.

        >>> round(float(COMMUNICATION_FACILITY.exceedance(np.array([0.32]))[0]), 6)
        0.5
        """
        k = DAMAGE_STATES.index(state)
        pga = np.maximum(np.asarray(pga_g, dtype=float), 1e-12)
        z = np.log(pga / self.median_g[k]) / self.beta[k]
        return normal_cdf(z)


def normal_cdf(z: np.ndarray) -> np.ndarray:
    """The standard normal CDF, element by element.

    >>> normal_cdf(np.array([0.0, 1.96])).round(4).tolist()
    [0.5, 0.975]
    """
    return 0.5 * (1.0 + _erf(np.asarray(z, dtype=float) / sqrt(2.0)))


_erf = np.vectorize(erf, otypes=[float])


def exceedance_by_class(pga_g: np.ndarray, state: str, curves: tuple[Fragility, ...], klass: np.ndarray) -> np.ndarray:
    """``curves[klass[i]].exceedance(pga_g[i], state)`` for every i, in one vectorised pass.

    >>> a, u = COMMUNICATION_FACILITY, COMMUNICATION_FACILITY_UNANCHORED
    >>> p = exceedance_by_class(np.array([0.3, 0.3]), "moderate", (a, u), np.array([0, 1]))
    >>> bool(p[1] > p[0])
    True
    """
    k = DAMAGE_STATES.index(state)
    median = np.array([c.median_g[k] for c in curves])[klass]
    beta = np.array([c.beta[k] for c in curves])[klass]
    pga = np.maximum(np.asarray(pga_g, dtype=float), 1e-12)
    return normal_cdf(np.log(pga / median) / beta)


_HAZUS_21 = "FEMA, Hazus-MH 2.1 Earthquake Model Technical Manual (2013), chapter 8 (utility systems)"

# Communication facility (central office, cell-site shelter or cabinet) with
# anchored components: the Hazus communication-facility curve. assumed: the
# Hazus table for communication facilities could not be consulted (searched
# twice; the second search, for issue 12, in: stored copies of the Technical
# Manual, Hazus-MH MR3, MR4, MH 2.0 and Hazus 4.2 SP3, of which only the front
# matter is readable; the Hazus 6.1 manual is listed by a public data project
# but not stored; public libraries carrying Hazus lifeline tables, the
# SimCenter damage and loss model library (Hazus 5.1 power, water and
# transportation only, no communication), IN-CORE, a Lehigh interdependency
# model (central-office curves of its own, uncited) and European
# critical-infrastructure risk pipelines (telecom masts mapped to curves of a
# vulnerability database whose parameters are not published in the code)).
# A third search (the manuals' stored text queried with the chapter's own wording,
# papers on telecommunication lifelines, exact strings in public repositories) found
# nothing either. The values are those the model has carried since its first release,
# and each has the range in RANGES. docs/VALIDATION.md lists the search.
COMMUNICATION_FACILITY = Fragility(
    "communication facility, anchored components (Hazus)",
    median_g=(0.15, 0.32, 0.58, 1.28),
    beta=(0.75, 0.70, 0.65, 0.80),
    source="assumed: Hazus communication-facility curve, anchored components; table not consulted",
)

# The same facility with unanchored components (cabinets and battery racks not
# bolted down). assumed: derived, not read. The anchored medians above times
# the unanchored/anchored ratio of the Hazus low-voltage substation (the
# SUBSTATION_* rows below: 0.13/0.15, 0.26/0.29, 0.34/0.45, 0.74/0.90), rounded
# to 0.01 g; dispersions as the anchored curve. Range in RANGES.
COMMUNICATION_FACILITY_UNANCHORED = Fragility(
    "communication facility, unanchored components (derived from Hazus)",
    median_g=(0.13, 0.29, 0.44, 1.05),
    beta=(0.75, 0.70, 0.65, 0.80),
    source="assumed: anchored curve x Hazus low-voltage substation unanchored/anchored median ratio",
)

# source: Hazus-MH 2.1 Technical Manual, section 8.5 (electric power), fragility
# of low-voltage substations (34.5 kV to 150 kV), anchored components:
# medians 0.15/0.29/0.45/0.90 g, betas 0.70/0.55/0.45/0.45; unanchored 0.13/0.26/0.34/0.74 g,
# 0.65/0.50/0.40/0.40 (manual PDF p. 454). Read from an independent public
# transcription of that page, not from the manual itself.
SUBSTATION_LOW_VOLTAGE = Fragility(
    "low-voltage substation, anchored components (Hazus)",
    median_g=(0.15, 0.29, 0.45, 0.90),
    beta=(0.70, 0.55, 0.45, 0.45),
    source=f"source: {_HAZUS_21}, low-voltage substation, anchored (PDF p. 454)",
)
SUBSTATION_LOW_VOLTAGE_UNANCHORED = Fragility(
    "low-voltage substation, unanchored components (Hazus)",
    median_g=(0.13, 0.26, 0.34, 0.74),
    beta=(0.65, 0.50, 0.40, 0.40),
    source=f"source: {_HAZUS_21}, low-voltage substation, unanchored (PDF p. 454)",
)

# The coefficient table: row name -> curve. Rows match tests/data/hazus_fragility.csv.
FRAGILITY_TABLE = {
    "communication_facility_anchored": COMMUNICATION_FACILITY,
    "communication_facility_unanchored": COMMUNICATION_FACILITY_UNANCHORED,
    "substation_low_voltage_anchored": SUBSTATION_LOW_VOLTAGE,
    "substation_low_voltage_unanchored": SUBSTATION_LOW_VOLTAGE_UNANCHORED,
}


def _assumed_ranges() -> dict[str, tuple[float, float]]:
    """Ranges of the assumed rows: medians from 0.6x to 1.5x (the spread of the Hazus
    lifeline-facility tables between their weakest and strongest classes of one kind),
    dispersions 0.4-0.9 (the span of Hazus facility betas)."""
    out: dict[str, tuple[float, float]] = {}
    for row in ("communication_facility_anchored", "communication_facility_unanchored"):
        curve = FRAGILITY_TABLE[row]
        for state, m, b in zip(DAMAGE_STATES, curve.median_g, curve.beta):
            out[f"{row}.median_g.{state}"] = (round(0.6 * m, 3), round(1.5 * m, 3))
            out[f"{row}.beta.{state}"] = (0.4, 0.9)
    return out


# The plausible range of every assumed fragility value, for sweeps.
RANGES = _assumed_ranges()

# The damage state from which equipment is out of service for the rest of the
# run: Hazus describes moderate damage to a central office as out of service
# for a few days, slight damage as a short interruption.
OUT_OF_SERVICE_STATE = "moderate"
