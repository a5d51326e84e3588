"""The space stage of the engine: beams over the areas that lost their cells.

Wraps a :class:`SpaceSegment` for one scenario: each step it places the
satellites, points beams at the areas in need (weighted by their emergency
demand) and hands the fallback stage the beams' capacity in the engine's
units (concurrent calls, SMS per step, Mbit/s).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np

from d2c.demand import StepDemand
from d2c.fallback import D2CCapacity
from d2c.space.linkbudget import SMS_TRANSACTION_BYTES
from d2c.space.provider import Provider
from d2c.space.segment import SpaceSegment
from d2c.world import World


class D2CStage:
    def __init__(self, provider: Provider, world: World, start: datetime, step_s: float, core: str = "operator"):
        sl = world.slices["gateway"]
        self.provider = provider
        self.core = core
        self.start = start
        self.step_s = step_s
        self.segment = SpaceSegment(
            provider, world.area_lat_deg, world.area_lon_deg,
            world.equipment_lat_deg[sl], world.equipment_lon_deg[sl], epoch_utc=start,
        )
        self.last_state = None

    def capacity(self, t_s: float, need: np.ndarray, demand: StepDemand, gateway_ok: np.ndarray) -> D2CCapacity:
        """Beams for this step. ``gateway_ok``: gateways that can hand traffic on to a core and PSAP."""
        state = self.segment.state(self.start + timedelta(seconds=t_s), gateway_ok=gateway_ok)
        weight = demand.call_erlangs + demand.sms + demand.responder_erlangs
        plan = self.segment.plan_beams(state, need, weight)
        self.last_state = state
        return D2CCapacity(
            area_beam=plan.beam_id,
            beam_calls=plan.beam_voice_calls.astype(float),
            beam_sms=plan.beam_sms_per_s * self.step_s,
            beam_mbps=plan.beam_mbps,
            satellites_visible=state.satellites_visible,
            delay_ms=state.delay_ms,
            elevation_deg=state.elevation_deg,
            beam_messaging_bytes_per_s=plan.beam_sms_per_s * SMS_TRANSACTION_BYTES,
        )

    def describe(self) -> str:
        p = self.provider
        core = "the mobile operators' cores" if self.core == "operator" else "the satellite operator's own core"
        return (f"{p.name}: {len(self.segment.constellation)} satellites, {p.beams_per_satellite} beams each of "
                f"{p.beam_radius_km:g} km, elevation mask {p.elevation_mask_deg:g} deg; D2C traffic via {core}")
