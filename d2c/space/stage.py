"""The space stage of the engine: beams over the areas that lost their cells.

Wraps a :class:`SpaceSegment` for one scenario: each step it places the
satellites, points beams at the areas in need (weighted by their emergency
demand) and hands the fallback stage the beams' capacity in the engine's
units (concurrent calls, SMS per step, Mbit/s), with the share of each area's
handsets whose link closes: outdoors the beam's class holds; indoors a handset
also loses the building-entry loss of ITU-R P.2109 at the beam's elevation
(:mod:`d2c.space.indoors`), looked up in a table built once per run.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np

from d2c.stages import D2CCapacity, StepDemand
from d2c.space.indoors import (
    INDOOR_SHARE_BY_HOUR,
    THERMALLY_EFFICIENT_SHARE,
    Indoors,
    LinkShareTable,
    default_utc_offset_hours,
)
from d2c.space.linkbudget import SMS_TRANSACTION_BYTES
from d2c.space.provider import Provider
from d2c.space.segment import BeamPlan, SpaceSegment
from d2c.world import World

__all__ = ["D2CStage"]


class D2CStage:
    """``indoors``: who is indoors each step, with ``thermally_efficient_share`` the building
    mix; None: every handset outdoors (the idealised link)."""

    def __init__(self, provider: Provider, world: World, start: datetime, step_s: float, core: str = "operator",
                 indoors: Indoors | None = None, thermally_efficient_share: float = 0.0,
                 segment: SpaceSegment | None = None, memo: dict | None = None):
        sl = world.slices["gateway"]
        self.provider = provider
        self.core = core
        self.start = start
        self.step_s = step_s
        # ``segment``: the sky of this provider over this world from ``start``, when another
        # stage already built it (d2c compare: the seeds of a scenario share one sky).
        self.segment = segment or SpaceSegment(
            provider, world.area_lat_deg, world.area_lon_deg,
            world.equipment_lat_deg[sl], world.equipment_lon_deg[sl], epoch_utc=start, step_s=step_s,
        )
        # ``memo``: this instant's capacities by their inputs, shared by the stages that share
        # ``segment`` (d2c compare's seeds: where their terrestrial states agree, so do the beams);
        # None: nothing kept (an ordinary run asks once per instant).
        self._memo = memo
        self.indoors = indoors
        self.link_table = (LinkShareTable.build(provider.radio.building_loss_frequency_mhz, thermally_efficient_share)
                           if indoors is not None else None)

    @classmethod
    def for_scenario(cls, scenario, world: World, affected_area_s: np.ndarray,
                     segment: SpaceSegment | None = None, memo: dict | None = None) -> "D2CStage":
        """The stage a scenario asks for: its provider and core, and its ``population:`` settings."""
        pop = scenario.population
        indoors = None
        if pop.indoors:
            offset = pop.utc_offset_hours
            if offset is None:
                offset = default_utc_offset_hours(world.area_lon_deg)
            evacuation = None
            if pop.evacuation is not None:
                e = pop.evacuation
                evacuation = (e.outdoors_share, e.after_s, e.lasting_s)
            indoors = Indoors(pop.indoor_share_by_hour or INDOOR_SHARE_BY_HOUR, offset, affected_area_s, evacuation)
        te = THERMALLY_EFFICIENT_SHARE if pop.thermally_efficient_share is None else pop.thermally_efficient_share
        return cls(scenario.d2c.provider, world, scenario.start, scenario.step_s, scenario.d2c.core, indoors, te, segment,
                   memo)

    def capacity(self, t_s: float, need: np.ndarray, demand: StepDemand, gateway_ok: np.ndarray) -> D2CCapacity:
        """Beams for this step. ``gateway_ok``: gateways that can hand traffic on to a core and PSAP."""
        t_utc = self.start + timedelta(seconds=t_s)
        share_in = self.indoors.share(t_utc, t_s) if self.indoors is not None else None
        # only the areas in need are read: their emergency demand weighs where beams go
        areas = np.flatnonzero(need)
        calls, sms, responders = (np.broadcast_to(x, need.shape)[areas]
                                  for x in (demand.call_erlangs, demand.sms, demand.responder_erlangs))
        weight = calls + sms + responders
        key = None
        if self._memo is not None:
            if self._memo.get("t_s") != t_s:
                self._memo.clear()
                self._memo["t_s"] = t_s
            key = tuple(np.asarray(a).tobytes() for a in (gateway_ok, need, weight, () if share_in is None else share_in))
            if key in self._memo:
                return self._memo[key]
        state = self.segment.state(t_utc, gateway_ok=gateway_ok)
        plan = self.segment.plan_beams_at(state, areas, weight)
        capacity = D2CCapacity(
            area_beam=plan.beam_id,
            beam_calls=plan.beam_voice_calls.astype(float),
            beam_sms=plan.beam_sms_per_s * self.step_s,
            beam_mbps=plan.beam_mbps,
            satellites_visible=state.satellites_visible,
            delay_ms=state.delay_ms,
            elevation_deg=state.elevation_deg,
            beam_messaging_bytes_per_s=plan.beam_sms_per_s * SMS_TRANSACTION_BYTES,
            area_link_share=self.link_share(plan, share_in),
        )
        if key is not None:
            self._memo[key] = capacity
        return capacity

    # How many of the link classes (SMS, voice, data, in that order) ``link_share`` works out; the
    # rows of the others are NaN. A comparison reads SMS only (d2c.compare.lean).
    link_classes = 3

    def link_share(self, plan: BeamPlan, share_in: np.ndarray | None) -> np.ndarray | None:
        """(3, areas): share of each area's handsets whose link to its beam closes for SMS, voice, data.

        Per beam, each class's margin and the indoor share that fits it (one table lookup);
        per area, outdoor handsets close where the margin is >= 0, indoor ones with the table's share
        (``share_in``: the share of each area's people indoors now). Only the first ``link_classes``
        rows are worked out; the others are NaN.
        """
        if share_in is None or self.link_table is None:
            return None
        n_classes = self.link_classes
        beam = plan.beam_id
        out = np.full((3, beam.size), np.nan) if n_classes < 3 else np.empty((3, beam.size))
        if plan.n_beams == 0:
            out[:n_classes] = 0.0
            return out
        margin = np.full((plan.n_beams, n_classes), -1.0)
        k = min(self.provider.radio.max_service, n_classes)
        if k:
            margin[:, :k] = self.provider.radio.margin_db(plan.beam_slant_range_km)[:, :k]
        outdoor = (margin >= 0).astype(float)
        indoor = self.link_table.lookup(plan.beam_elevation_deg[:, None], margin)
        first = share_in[0] if share_in.size else 0.0
        if (self.indoors is not None and self.indoors.evacuation is None) or np.all(share_in == first):
            # one indoor share everywhere (no evacuation under way): each beam's shares once,
            # then copied to its areas, a column of zeros for the areas under no beam
            per_beam = np.zeros((n_classes, plan.n_beams + 1))
            per_beam[:, :-1] = ((1.0 - first) * outdoor + first * indoor).T
            out[:n_classes] = plan.per_area(per_beam, self.segment.area_cell)
            return out
        has = beam >= 0
        b = np.where(has, beam, 0)
        shares = (1.0 - share_in)[:, None] * outdoor[b] + share_in[:, None] * indoor[b]
        out[:n_classes] = np.where(has[:, None], shares, 0.0).T
        return out

    def describe(self) -> str:
        p = self.provider
        core = "the mobile operators' cores" if self.core == "operator" else "the satellite operator's own core"
        text = (f"{p.name}: {len(self.segment.constellation)} satellites, {p.beams_per_satellite} beams each of "
                f"{p.beam_radius_km:g} km, elevation mask {p.elevation_mask_deg:g} deg; D2C traffic via {core}")
        if self.link_table is not None:
            text += (f"; indoor handsets lose ITU-R P.2109 building-entry loss at "
                     f"{self.link_table.frequency_mhz:g} MHz ({self.link_table.thermally_efficient_share:.0%} "
                     f"thermally-efficient buildings), handset body loss {p.radio.losses.body_loss_db:g} dB")
        return text
