"""Beams for every lane under one sky in one pass: the seeds of a comparison planned together.

The lanes of a comparison that share a provider's sky (its seeds, stepped in
lockstep) each need their beams planned every step, against their own areas
in need and their own demand. :func:`prepare` plans them together: the sky is
computed once (``SpaceSegment.state``), the lanes are planned in one
assignment by ``SpaceSegment.plan_lanes`` (each lane's needy cells against
its own copy of the satellites, so each gets the beams it would get alone),
and the beams' capacities and SMS link shares are worked out for all
lanes at once, element by element as ``D2CStage`` does. Each lane's stage is
handed its capacity for the step (:meth:`d2c.compare.lean.SmsStage.ready`),
so stepping it afterwards costs a lookup.

Lanes under a denial case (``DeniedSpace``) change their gateways or beams on
the way, so they are left to plan alone; so are lanes whose stacked
assignment would exceed :data:`MAX_BLOCK_CELLS` (a national territory, where
one lane's arrays are already large and stacking gains nothing).
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np

from d2c.compare.lean import SmsStage
from d2c.space.linkbudget import SMS_TRANSACTION_BYTES
from d2c.stages import D2CCapacity

__all__ = ["MAX_BLOCK_CELLS", "prepare"]

# stacked (cells x satellites) entries above which lanes are planned one by one (memory, no gain)
MAX_BLOCK_CELLS = 2_000_000


def prepare(t_s: float, lanes: list[tuple[SmsStage, np.ndarray, object, np.ndarray]]) -> None:
    """Plan the beams of ``lanes`` (stage, areas in need, demand, gateways usable) for ``t_s``.

    Lanes with the same sky and gateways are planned together; each stage is
    handed its capacity (nothing for a lane with no demand in need: the stage
    answers that itself).
    """
    groups: dict[tuple[int, bytes], list] = {}
    for stage, need, demand, gateway_ok in lanes:
        weight = demand.call_erlangs + demand.sms + demand.responder_erlangs
        if not stage.needs_beams(need, weight):
            continue
        key = (id(stage.segment), np.asarray(gateway_ok, dtype=bool).tobytes())
        groups.setdefault(key, []).append((stage, need, np.broadcast_to(weight, need.shape), gateway_ok))
    for group in groups.values():
        if len(group) > 1:
            _plan_group(t_s, group)


def _plan_group(t_s: float, group: list) -> None:
    first = group[0][0]
    segment, radio, step_s = first.segment, first.provider.radio, first.step_s
    t_utc = first.start + timedelta(seconds=t_s)
    state = segment.state(t_utc, gateway_ok=group[0][3])
    n_lanes, n_areas = len(group), segment.n_areas
    plans = segment.plan_lanes(state, np.stack([need for _, need, _, _ in group]),
                               np.stack([weight for _, _, weight, _ in group]), MAX_BLOCK_CELLS)
    if plans is None:
        return
    cap, rng, n_beams, beam_start = plans.capacity, plans.beam_slant_range_km, plans.n_beams, plans.beam_start
    area_beam = plans.beam_id
    b_lane = np.repeat(np.arange(n_lanes), n_beams)

    # SMS link shares (SmsStage.link_share, every lane's beams at once)
    link = None
    if first.link_table is not None and first.indoors is not None:
        elevation = plans.beam_elevation_deg
        margin = np.full((b_lane.size, 1), -1.0)
        if radio.max_service:
            margin[:, :1] = radio.margin_db(rng)[:, :1]
        outdoor = (margin >= 0).astype(float)
        indoor = first.link_table.lookup(elevation[:, None], margin)
        has = area_beam >= 0
        b = np.where(has, area_beam + beam_start[:, None], 0)
        share_in = np.array([stage.indoors.share(t_utc, t_s) for stage, _, _, _ in group])
        if b_lane.size:
            sms = (1.0 - share_in) * outdoor[b, 0] + share_in * indoor[b, 0]
            link = np.where(has, sms, 0.0)
        else:
            link = np.zeros((n_lanes, n_areas))

    calls = cap.voice_calls.astype(float)
    sms_per_step = cap.sms_per_s * step_s
    messaging = cap.sms_per_s * SMS_TRANSACTION_BYTES
    for i, (stage, _, _, _) in enumerate(group):
        beams = slice(beam_start[i], beam_start[i] + n_beams[i])
        link_share = None
        if link is not None:
            link_share = np.full((3, n_areas), np.nan)
            link_share[0] = link[i]
        stage.ready(t_s, D2CCapacity(
            area_beam=area_beam[i], beam_calls=calls[beams], beam_sms=sms_per_step[beams],
            beam_mbps=cap.downlink_mbps[beams], satellites_visible=state.satellites_visible,
            delay_ms=state.delay_ms, elevation_deg=state.elevation_deg,
            beam_messaging_bytes_per_s=messaging[beams], area_link_share=link_share))
