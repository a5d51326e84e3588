"""Lognormal fragility curves: the chance that shaking breaks a piece of equipment.

P(DS >= ds | PGA) = Phi( ln(PGA / median_g) / beta ), the form used throughout
the FEMA Hazus Earthquake Model Technical Manual (chapter on lifelines).
"""

from __future__ import annotations

from dataclasses import dataclass
from math import erf, sqrt

import numpy as np

DAMAGE_STATES = ("slight", "moderate", "extensive", "complete")


@dataclass(frozen=True)
class Fragility:
    """Median PGA (g) and lognormal dispersion for each damage state."""

    name: str
    median_g: tuple[float, float, float, float]
    beta: tuple[float, float, float, float]

    def exceedance(self, pga_g: np.ndarray, state: str = "moderate") -> np.ndarray:
        """Probability of reaching at least ``state`` at each PGA."""
        k = DAMAGE_STATES.index(state)
        pga = np.maximum(np.asarray(pga_g, dtype=float), 1e-12)
        z = np.log(pga / self.median_g[k]) / self.beta[k]
        return normal_cdf(z)


def normal_cdf(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + _erf(np.asarray(z) / sqrt(2.0)))


_erf = np.vectorize(erf, otypes=[float])


# FEMA, Hazus-MH Earthquake Model Technical Manual, chapter 8 (Lifelines:
# communication systems), fragility of a communication facility (central office,
# cell site shelter) with anchored components. The values are as transcribed
# for this release and have not been re-checked against a copy of the manual:
# check them against the edition you use; a scenario can override them
# (``fragility:`` in the earthquake block).
COMMUNICATION_FACILITY = Fragility(
    "communication facility, anchored components (Hazus)",
    median_g=(0.15, 0.32, 0.58, 1.28),
    beta=(0.75, 0.70, 0.65, 0.80),
)

# FEMA, Hazus-MH Earthquake Model Technical Manual, chapter 8 (Lifelines:
# electric power), low-voltage substation (34.5 kV to 150 kV) with anchored components.
SUBSTATION_LOW_VOLTAGE = Fragility(
    "low-voltage substation, anchored components (Hazus)",
    median_g=(0.15, 0.29, 0.45, 0.90),
    beta=(0.70, 0.55, 0.45, 0.45),
)

# The damage state from which equipment is out of service for the rest of the
# run: Hazus describes moderate damage to a central office as out of service
# for a few days, slight damage as a short interruption.
OUT_OF_SERVICE_STATE = "moderate"
