"""The space stage as a comparison needs it: no sky when nobody needs a beam, SMS link shares only.

A comparison's figures read, of a step's beams, only what the attach queue and
the share of people with a 112 path over D2C rest on (:mod:`d2c.compare.lanes`):
which area is under which beam, the beams' pools, and the share of handsets
whose link closes for the SMS class. :class:`SmsStage` is ``D2CStage`` giving
exactly those, computed as ``D2CStage`` computes them, and nothing more:

* when no area without a cell has any emergency demand, ``plan_beams`` would
  point no beam at all; the step then has no beams and the sky (satellite
  positions, visibility, feeder paths) is not computed for it;
* the link share is worked out for the SMS class only (the voice and data
  rows are NaN: nothing in a comparison reads them).

The other per-area fields of its capacity (satellites visible, delay,
elevation) are not filled in on a step without beams; a comparison reads none.
"""

from __future__ import annotations

import numpy as np

from d2c.space.stage import D2CStage
from d2c.stages import D2CCapacity, StepDemand

__all__ = ["SmsStage"]


class SmsStage(D2CStage):
    """``D2CStage`` for a comparison; :meth:`ready` hands it a step's capacity planned with other
    lanes' (``d2c.compare.beams``)."""

    _ready: tuple[float, D2CCapacity] | None = None
    link_classes = 1  # SMS only: the voice and data rows are NaN

    @staticmethod
    def needs_beams(need: np.ndarray, weight) -> bool:
        """Whether ``plan_beams`` would point any beam: an area in need with some emergency demand."""
        return bool(np.any(need & (np.broadcast_to(weight, need.shape) > 0)))

    def ready(self, t_s: float, capacity: D2CCapacity) -> None:
        """The capacity :meth:`capacity` returns at ``t_s``, planned elsewhere from the same inputs."""
        self._ready = (t_s, capacity)

    def capacity(self, t_s: float, need: np.ndarray, demand: StepDemand, gateway_ok: np.ndarray) -> D2CCapacity:
        if self._ready is not None:
            at, capacity = self._ready
            self._ready = None
            if at == t_s:
                return capacity
        weight = demand.call_erlangs + demand.sms + demand.responder_erlangs
        if not self.needs_beams(need, weight):
            # no cell with demand in need: plan_beams points no beam (weights are never negative)
            n_areas = need.size
            empty = np.zeros(0)
            return D2CCapacity(np.full(n_areas, -1), empty, empty, empty, np.zeros(n_areas, dtype=np.int32),
                               np.full(n_areas, np.nan), np.full(n_areas, np.nan), beam_messaging_bytes_per_s=empty,
                               area_link_share=None if self.link_table is None else np.zeros((3, n_areas)))
        return super().capacity(t_s, need, demand, gateway_ok)
