"""From an engine step to the conditions a packet meets: bearer, capacity, delay, loss, load.

The engine knows, per area, whether people are on a terrestrial cell, on a
D2C beam or on nothing, and how much capacity their bearer has. This module
adds what a packet feels on that bearer. Terrestrial figures are typical
values, D2C ones follow the real slant range of the serving satellite.
"""

from __future__ import annotations

import numpy as np

from d2c.traffic.inputs import StepConditions
from d2c.traffic.records import BEARER_D2C, BEARER_NONE, BEARER_TERRESTRIAL

# One-way handset -> core delay on a loaded LTE/NR cell: radio scheduling and
# HARQ ~10 ms plus backhaul and core ~10 ms (3GPP TR 38.913 sets 4 ms as the
# user-plane target of the air interface alone; field VoLTE paths add the rest).
TERRESTRIAL_ONE_WAY_MS = 20.0
# On D2C: the same radio processing at the satellite eNodeB/gNB, then the
# propagation handset -> satellite -> gateway from the geometry, then the
# gateway's ground path to the core.
D2C_PROCESSING_MS = 10.0
D2C_GROUND_MS = 10.0
# Residual packet loss after HARQ/RLC: QCI 1 (conversational voice) tolerates a
# packet error loss rate of 1e-2 (3GPP TS 23.203 Table 6.1.7); terrestrial cells
# usually run well inside it. On D2C the margin shrinks with the slant range:
# loss is taken as 1e-2 at the elevation mask, 1e-3 overhead.
TERRESTRIAL_LOSS = 1e-3
D2C_LOSS_AT_MASK, D2C_LOSS_AT_ZENITH = 1e-2, 1e-3


def step_conditions(state, step_s: float, ptt_session_s: float, elevation_mask_deg: float,
                    warnings: tuple = ()) -> StepConditions:
    """The traffic stage's view of one engine ``StepState``.

    The D2C figures (delay from the slant range, loss from the elevation) are worked out over the
    areas on D2C only: a few of the country's areas in most steps.
    """
    s, demand, d2c = state.service, state.demand, state.d2c
    terrestrial = np.asarray(s.terrestrial, dtype=bool)
    bearer = np.zeros(terrestrial.size, dtype=np.int8)
    bearer[np.asarray(s.d2c, dtype=bool)] = BEARER_D2C
    bearer[terrestrial] = BEARER_TERRESTRIAL  # terrestrial first when an area has both
    on_d2c = np.flatnonzero(bearer == BEARER_D2C)
    one_way_ms = np.where(terrestrial, TERRESTRIAL_ONE_WAY_MS, 0.0)
    one_way_ms[on_d2c] = np.nan_to_num(np.asarray(d2c.delay_ms)[on_d2c]) + D2C_PROCESSING_MS + D2C_GROUND_MS
    elevation = np.nan_to_num(np.asarray(d2c.elevation_deg)[on_d2c], nan=90.0)
    # margin grows with elevation: interpolate loss on sin(elevation) between the mask and zenith
    lo = np.sin(np.radians(elevation_mask_deg))
    x = np.clip((np.sin(np.radians(elevation)) - lo) / max(1.0 - lo, 1e-9), 0.0, 1.0)
    loss = np.where(terrestrial, TERRESTRIAL_LOSS, 0.0)
    loss[on_d2c] = D2C_LOSS_AT_MASK + (D2C_LOSS_AT_ZENITH - D2C_LOSS_AT_MASK) * x
    capacity = s.capacity_calls
    offered = np.array(demand.call_erlangs, dtype=np.float64)
    offered[on_d2c] += demand.responder_erlangs[on_d2c]  # responders share the beam's channels
    load = np.divide(offered, capacity, out=np.zeros_like(capacity), where=capacity > 0)
    return StepConditions(
        t_s=state.t_s,
        step_s=step_s,
        call_attempts=demand.calls,
        sms_attempts=demand.sms,
        public_sms_attempts=demand.public_sms,
        responder_calls=demand.responder_erlangs * step_s / ptt_session_s,
        bearer=bearer,
        capacity_calls=capacity,
        sms_ok=s.sms_path,
        one_way_delay_ms=one_way_ms,
        loss_ratio=loss,
        load_ratio=load,
        warning_reach=s.warning_reach,
        warnings=warnings,
    )
