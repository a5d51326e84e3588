"""Sovereignty and security cases on the satellite side: D2C denied, jammed, or cut from its gateways.

These are the incidents that differ between a foreign commercial provider and
a sovereign one, and none of them touches the terrestrial network, so they sit
on the engine's space seam: :class:`DeniedSpace` wraps any space stage and
takes away what each case takes away.

* ``withdrawal``: the provider stops serving the territory from ``start_s``
  (a political decision). From then on there are no beams, exactly as without D2C.
* ``jamming``: an attacker jams the D2C uplink over ``area`` from ``start_s``
  to ``end_s``. Handsets there cannot reach the satellite; areas outside keep
  their beams. (Uplink jamming of a satellite beam is a local act: the jammer
  must be within the beam, as the terrestrial jammer must be near the cell.)
* ``gateway_loss``: the named gateways (a destroyed Fucino teleport, or every
  gateway in the country when landing rights are withdrawn) stop carrying
  D2C traffic from ``start_s``. Satellites with inter-satellite links may
  still reach another gateway; bent-pipe ones may not.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from d2c.stages import D2CCapacity
from d2c.timetext import offset_text

__all__ = ["DENIAL_KINDS", "Denial", "DeniedSpace"]

DENIAL_KINDS = ("withdrawal", "jamming", "gateway_loss")


@dataclass(frozen=True)
class Denial:
    """One case: what is denied, from when, where."""

    kind: str  # one of DENIAL_KINDS
    start_s: float = 0.0
    end_s: float = np.inf
    area: object | None = None  # d2c.hazards.footprint.Footprint, for jamming
    gateways: tuple[str, ...] = ()  # gateway ids for gateway_loss; empty: every gateway (landing rights)

    def describe(self) -> str:
        when = offset_text(self.start_s) + ("" if np.isinf(self.end_s) else f" to {offset_text(self.end_s)}")
        if self.kind == "withdrawal":
            return f"provider withdraws D2C service from {when}"
        if self.kind == "jamming":
            return f"D2C uplink jammed over {self.area.describe()} from {when}"
        lost = ", ".join(self.gateways) if self.gateways else "every gateway (landing rights withdrawn)"
        return f"gateway loss: {lost} from {when}"


class DeniedSpace:
    """A space stage under :class:`Denial` cases (the engine's ``SpaceStage`` seam)."""

    def __init__(self, inner, denials: tuple[Denial, ...], area_lat_deg: np.ndarray, area_lon_deg: np.ndarray,
                 gateway_ids: tuple[str, ...]):
        self.inner = inner
        self.denials = tuple(denials)
        self.n_areas = len(area_lat_deg)
        self._jam_masks = [d.area.contains(area_lat_deg, area_lon_deg) if d.kind == "jamming" else None
                           for d in self.denials]
        index = {g: i for i, g in enumerate(gateway_ids)}
        self._gateway_masks = []
        for d in self.denials:
            mask = np.zeros(len(gateway_ids), dtype=bool)
            if d.kind == "gateway_loss":
                unknown = [g for g in d.gateways if g not in index]
                if unknown:
                    raise ValueError(f"gateway_loss: unknown gateway(s) {', '.join(unknown)}; "
                                     f"the topology has {', '.join(gateway_ids) or 'none'}")
                mask[[index[g] for g in d.gateways] if d.gateways else slice(None)] = True
            self._gateway_masks.append(mask)

    def capacity(self, t_s: float, need: np.ndarray, demand, gateway_ok: np.ndarray) -> D2CCapacity:
        active = [i for i, d in enumerate(self.denials) if d.start_s <= t_s < d.end_s]
        if any(self.denials[i].kind == "withdrawal" for i in active):
            return D2CCapacity.none(self.n_areas)
        ok = np.asarray(gateway_ok, dtype=bool).copy()
        jammed = np.zeros(self.n_areas, dtype=bool)
        for i in active:
            ok &= ~self._gateway_masks[i]
            if self._jam_masks[i] is not None:
                jammed |= self._jam_masks[i]
        capacity = self.inner.capacity(t_s, need, demand, ok)
        if not jammed.any():
            return capacity
        return replace(capacity, area_beam=np.where(jammed, -1, capacity.area_beam),
                       delay_ms=np.where(jammed, np.nan, capacity.delay_ms),
                       elevation_deg=np.where(jammed, np.nan, capacity.elevation_deg))

    def describe(self) -> str:
        return self.inner.describe() + "; " + "; ".join(d.describe() for d in self.denials)
