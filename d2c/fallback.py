"""Fallback: terrestrial service first, the rest of the demand onto D2C beams by priority.

Terrestrial: emergency calls get the capacity first (IMS emergency sessions
carry the highest allocation and retention priority, 3GPP TS 23.401 /
23.167), so an area's 112 calls are served up to the concurrent-call capacity
of the sites still serving it. Handsets in EU countries may place a 112 call
on any operator's network in limited-service state (3GPP TS 22.101), so every
operator's surviving site counts for emergency service.

D2C: areas without terrestrial service share the beam pointed at them. Each
beam's capacity goes, in order, to 112 calls, then first responders'
push-to-talk (3GPP MPS / MCPTT priority), on the voice pool; to 112 SMS, then
public SMS, on the messaging pool; data gets the beam's Mbit/s last. What
does not fit is blocked and counted.

Only the handsets the provider's offer serves (``d2c.offer``) and that have
attached to the beam (``d2c.attach``; a 112 attempt makes an emergency
attach) reach it; the rest of an area's 112 attempts are counted as outside
the offer, not as blocked.
"""

from __future__ import annotations


import numpy as np

from d2c.attach import AttachQueue, AttachSettings
from d2c.stages import D2CCapacity, Service, StepDemand
from d2c.world import World


# above one changed site in this many, a full pass is cheaper than the changed areas' pairs
FULL_PASS_SHARE = 8


def _ranges(starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
    """The integers of every [start, stop) in turn, concatenated.

    >>> _ranges(np.array([2, 7]), np.array([4, 10]))
    array([2, 3, 7, 8, 9])
    """
    lengths = stops - starts
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
    return np.arange(total, dtype=np.int64) + offsets


def allocate_by_priority(capacity: np.ndarray, demands: list[np.ndarray]) -> list[np.ndarray]:
    """Serve ``demands`` (highest priority first) from ``capacity``, elementwise.

    Returns what each class gets; a class gets nothing until every class above
    it is fully served.

    >>> first, second = allocate_by_priority(np.array([10.0, 3.0]), [np.array([4.0, 4.0]), np.array([8.0, 1.0])])
    >>> first.tolist(), second.tolist()
    ([4.0, 3.0], [6.0, 0.0])
    """
    left = np.asarray(capacity, dtype=float).copy()
    served = []
    for demand in demands:
        got = np.minimum(demand, left)
        left -= got
        served.append(got)
    return served


def operator_share(world: World) -> np.ndarray:
    """(areas x operators): each operator's share of an area's handsets (rows of areas no site covers are zero).

    With market shares in the topology (``operators:``), an area's handsets are
    spread over the operators present there (with a site covering it) in
    proportion to their market shares; without, in proportion to the capacity
    their covering sites were sized for.
    """
    n_areas = len(world.area_ids)
    cov = world.coverage
    n_ops = max(len(world.operators), 1)
    area_op = cov.area * n_ops + world.site_operator[cov.site]
    if world.operator_market_share is not None:
        present = np.bincount(area_op, minlength=n_areas * n_ops).reshape(n_areas, n_ops) > 0
        weight = present * world.operator_market_share[None, :]
    else:
        weight = np.bincount(area_op, weights=world.site_capacity_calls[cov.site] * cov.share,
                             minlength=n_areas * n_ops).reshape(n_areas, n_ops)
    total = weight.sum(axis=1, keepdims=True)
    return np.divide(weight, total, out=np.zeros(weight.shape), where=total > 0)


class Fallback:
    """The fallback stage. Area capacity is recomputed only when the set of sites in service changes.

    The terrestrial state is the stage's own; what depends on the provider
    (the share of handsets its offer serves, the handsets attached to its
    beams) is handed to :meth:`step` by the caller (``engine.ProviderPass``),
    so one terrestrial pass can serve several providers.
    """

    def __init__(self, world: World, stuck_on_failed_core: float = 0.0, step_s: float = 60.0):
        self.world = world
        self.stuck_on_failed_core = stuck_on_failed_core
        n_areas = len(world.area_ids)
        cov = world.coverage
        n_ops = max(len(world.operators), 1)
        self._area_op = cov.area * n_ops + world.site_operator[cov.site]
        self._operator_share = operator_share(world)
        self.step_s = step_s
        self._stuck = np.zeros(n_areas)
        # each site's and each area's coverage pairs, in the pairs' own order
        self._by_site = np.argsort(cov.site, kind="stable")
        self._site_start = np.searchsorted(cov.site[self._by_site], np.arange(world.n_sites + 1))
        self._by_area = np.argsort(cov.area, kind="stable")
        self._area_start = np.searchsorted(cov.area[self._by_area], np.arange(n_areas + 1))
        self._last: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None
        self._capacity = np.zeros(n_areas)
        self._covered = np.zeros(n_areas, dtype=bool)
        self._sms_covered = np.zeros(n_areas, dtype=bool)
        self._cbc_covered = np.zeros(n_areas, dtype=bool)
        # this step's terrestrial service (calls, SMS, people with a path), for the demand it was
        # computed for: every provider's pass of a step reuses it (d2c compare)
        self._served: tuple | None = None
        self._kept: _Kept | None = None  # what a step reads of the terrestrial state (``_kept_for_state``)

    def terrestrial(self, site_in_service: np.ndarray, site_sms_ok: np.ndarray, site_cbc_ok: np.ndarray,
                    site_core_failed: np.ndarray | None = None) -> np.ndarray:
        """Take this step's site states; return the areas with terrestrial 112 service.

        ``site_core_failed``: sites whose radio is up but whose core cannot
        complete a 112 call. A handset camped on such a site keeps its own
        network and its 112 call fails there (the Rogers 2022 and Optus 2023
        outages); ``stuck_on_failed_core`` is the share of those handsets that
        do not move to another operator's network for the call.

        Only the areas of the sites whose state changed since the last step are
        recomputed, over their coverage pairs in the same order as a full pass
        (so the sums are the same to the last bit).
        """
        states = (site_in_service, site_sms_ok, site_cbc_ok,
                  site_core_failed if site_core_failed is not None else np.zeros_like(site_in_service))
        if self._last is None:
            self._recompute_areas(states, None)
        else:
            # most steps change no site: one comparison of the bytes says so
            if all(np.array_equal(a, b) for a, b in zip(self._last, states)):
                return self._covered
            changed = np.flatnonzero(np.logical_or.reduce([a != b for a, b in zip(self._last, states)]))
            if changed.size > self.world.n_sites // FULL_PASS_SHARE:
                self._recompute_areas(states, None)
            else:
                entries = self._by_site[_ranges(self._site_start[changed], self._site_start[changed + 1])]
                areas = np.unique(self.world.coverage.area[entries])
                self._recompute_areas(states, areas)
        # equivalent under mutation: without this cache the stage recomputes every step, with the same result
        self._last = tuple(state.copy() for state in states)  # pragma: no mutate
        self._served = None
        self._kept = None
        return self._covered

    def _recompute_areas(self, states: tuple, areas: np.ndarray | None) -> None:
        """Coverage, capacity and stuck share of ``areas`` (None: every area), into new arrays.

        For some areas, their pairs are counted into a compact index of those areas, in the
        pairs' own order (each area's sums add the same numbers in the same order as a full pass).
        """
        site_in_service, site_sms_ok, site_cbc_ok, site_core_failed = states
        cov = self.world.coverage
        if areas is None:
            entries, rows = slice(None), slice(None)
            area = cov.area
            n_out = len(self.world.area_ids)
        else:
            starts, stops = self._area_start[areas], self._area_start[areas + 1]
            entries = self._by_area[_ranges(starts, stops)]
            rows = areas
            area = np.repeat(np.arange(areas.size), stops - starts)
            n_out = areas.size
        site = cov.site[entries]

        def any_site(flags: np.ndarray) -> np.ndarray:
            return np.bincount(area, weights=flags[site], minlength=n_out) > 0

        def renewed(old: np.ndarray, values: np.ndarray) -> np.ndarray:
            # earlier steps' results hold the old arrays: never write into them
            if areas is None:
                return values
            out = old.copy()
            out[areas] = values
            return out

        up = site_in_service[site]
        self._covered = renewed(self._covered, any_site(site_in_service))
        self._sms_covered = renewed(self._sms_covered, any_site(site_sms_ok))
        self._cbc_covered = renewed(self._cbc_covered, any_site(site_cbc_ok))
        capacity = np.bincount(area, weights=up * self.world.site_capacity_calls[site] * cov.share[entries],
                               minlength=n_out)
        self._capacity = renewed(self._capacity, capacity)
        if self.stuck_on_failed_core > 0 and (site_core_failed.any() or self._stuck.any()):
            stuck = self.stuck_on_failed_core * self._stuck_share(site_in_service, site_core_failed, entries, rows,
                                                                  area)
            self._stuck = renewed(self._stuck, stuck)
        # else: no handset is stuck on a failed core (every area's share is 0 times a finite share: 0)
        for values in (self._covered, self._sms_covered, self._cbc_covered, self._capacity, self._stuck):
            values.flags.writeable = False  # steps' services and the recorder keep them: never written in place

    def _stuck_share(self, site_in_service: np.ndarray, site_core_failed: np.ndarray,
                     entries=slice(None), rows=slice(None), area: np.ndarray | None = None) -> np.ndarray:
        """Per area, the handsets whose operator's radio is up there but none of its sites completes 112.

        ``entries``: the coverage pairs counted; ``rows``: their areas; ``area``: each pair's
        row among them (default: every pair, every area).
        """
        cov = self.world.coverage
        n_ops = self._operator_share.shape[1]
        share = self._operator_share[rows]
        shape = share.shape
        size = shape[0] * n_ops
        site = cov.site[entries]
        area_op = self._area_op[entries] if area is None else area * n_ops + self.world.site_operator[site]
        radio_dead_core = np.bincount(area_op, weights=site_core_failed[site], minlength=size).reshape(shape) > 0
        working = np.bincount(area_op, weights=site_in_service[site], minlength=size).reshape(shape) > 0
        return (share * (radio_dead_core & ~working)).sum(axis=1)

    def _kept_for_state(self) -> "_Kept":
        """What the step reads of the terrestrial state alone, worked out once per state (not per step)."""
        if self._kept is None:
            self._kept = _Kept(self._covered, self._capacity, self._stuck)
        return self._kept

    def attach_queue(self, d2c_share: np.ndarray, settings: AttachSettings) -> AttachQueue:
        """An empty attach queue for the handsets an offer serves (``d2c_share`` of each area's)."""
        return AttachQueue(self.world.area_population * settings.handsets_per_person * d2c_share, settings)

    def step(self, demand: StepDemand, d2c: D2CCapacity, d2c_share: np.ndarray | None = None,
             attach: AttachQueue | None = None) -> Service:
        """Serve this step's demand: terrestrial where ``terrestrial()`` found service, D2C elsewhere.

        On a beam, only the handsets the offer serves (``d2c_share`` per area,
        default all) and that are attached to it (``attach``; default: all at
        once) or make an emergency attach reach it. The beam's voice
        pool goes to 112 calls, responders, then calls to family; its
        messaging pool to emergency attaches, 112 SMS, ordinary attaches, then
        public SMS; data last. The D2C part works on the areas under a beam only.
        """
        terrestrial = self._covered
        n_areas = terrestrial.size
        kept = self._kept_for_state()

        # terrestrial: 112 calls up to the area's share of its sites' capacity
        if self._served is None or self._served[0] is not demand:
            share = np.divide(self._capacity, demand.call_erlangs, out=np.ones(n_areas), where=demand.call_erlangs > 0)
            calls, sms = demand.calls * np.clip(share, 0.0, 1.0), demand.sms
            if kept.stuck_any:  # else every handset reaches its network: times 1.0 changes no figure
                calls, sms = calls * kept.reachable, sms * kept.reachable
            self._served = (demand, np.where(terrestrial, calls, 0.0), np.where(self._sms_covered, sms, 0.0))
        _, calls_terrestrial, sms_terrestrial = self._served
        people_terrestrial = kept.people_terrestrial

        # D2C: areas without terrestrial service under a beam, priorities per beam
        area_beam = d2c.area_beam
        on_beam = kept.uncovered & (area_beam >= 0)
        sel = np.flatnonzero(on_beam)
        if sel.size == 0:  # nobody to serve from the sky: no D2C figure but the warnings under a beam
            if attach is not None and d2c.beam_messaging_bytes_per_s is not None:
                attach.leave(terrestrial)
            zeros = kept.zeros
            return Service(
                terrestrial=terrestrial, d2c=kept.none, warning_reach=self._cbc_covered | d2c.under_beam,
                sms_path=self._sms_covered, calls_offered=demand.calls,
                calls_served_terrestrial=calls_terrestrial, calls_served_d2c=zeros, sms_offered=demand.sms,
                sms_served_terrestrial=sms_terrestrial, sms_served_d2c=zeros, responders_served_d2c=zeros,
                public_sms_served_d2c=zeros, data_served_d2c_mbps=zeros, capacity_calls=kept.capacity_calls,
                people_share_terrestrial=people_terrestrial, people_share_d2c=zeros, emergency_blocked_d2c=zeros,
                emergency_not_eligible_d2c=zeros, non_emergency_blocked_d2c=zeros, data_blocked_d2c_mbps=zeros,
                family_calls_served_d2c=zeros, attached_share=kept.ones, emergency_unreachable_d2c=zeros)
        b = area_beam[sel]
        n_beams = d2c.beam_calls.size
        live = ((d2c.beam_calls > 0) | (d2c.beam_sms > 0) | (d2c.beam_mbps > 0))[b]  # a beam with some service
        has_112 = ((d2c.beam_calls > 0) | (d2c.beam_sms > 0))[b]

        def take(values) -> np.ndarray:
            return np.broadcast_to(np.asarray(values, dtype=float), (n_areas,))[sel]  # pragma: no mutate  (dtype: equivalent)

        calls, erl = take(demand.calls), take(demand.call_erlangs)
        sms_needed = np.where(self._sms_covered[sel], 0.0, take(demand.sms))
        offer = np.ones(sel.size) if d2c_share is None else np.asarray(d2c_share, dtype=float)[sel]
        # only handsets whose link closes reach the beam (indoors: after the building-entry loss);
        # the SMS class decides whether a handset reaches it at all, voice and data need more margin
        link_sms, link_voice, link_data = (share[sel] for share in d2c.link_share(n_areas))
        voice_of = np.divide(link_voice, link_sms, out=np.zeros(sel.size), where=link_sms > 0)
        data_of = np.divide(link_data, link_sms, out=np.zeros(sel.size), where=link_sms > 0)
        eligible = offer * link_sms
        sms_pool = np.asarray(d2c.beam_sms, dtype=float)  # pragma: no mutate  (dtype: equivalent)

        # attach: the offer's handsets attach at the beam's rate; a 112 attempt makes an emergency attach first
        queue = attach if d2c.beam_messaging_bytes_per_s is not None else None
        if queue is not None:
            queue.leave(terrestrial)
            attached = queue.share(sel)
            em_requests = np.where(live, (calls + sms_needed) * eligible * (1.0 - attached), 0.0)
            bytes_per_sms = np.divide(d2c.beam_messaging_bytes_per_s * self.step_s, sms_pool,
                                      out=np.zeros(n_beams), where=sms_pool > 0)
            sms_per_attach = np.divide(queue.settings.signalling_bytes_per_attach, bytes_per_sms,
                                       out=np.zeros(n_beams), where=bytes_per_sms > 0)
            started = queue.begin(sel, b, n_beams, em_requests, sms_pool, sms_per_attach, self.step_s)
            em_ratio = np.where(live, started.emergency_ratio[b], 0.0)
            sms_pool = sms_pool - started.emergency_sms_used
        else:
            attached, em_ratio = np.ones(sel.size), np.zeros(sel.size)
        reach = eligible * (attached + (1.0 - attached) * em_ratio)  # share of 112 attempts reaching the beam
        routine = eligible * attached  # share of other traffic: attached handsets only

        def per_beam(values: np.ndarray) -> np.ndarray:
            per = np.bincount(b, weights=values, minlength=n_beams)
            # equivalent under mutation: the astype only states that bincount with weights is float64
            return per.astype(float, copy=False)  # pragma: no mutate

        def back(served: np.ndarray, wanted: np.ndarray, values: np.ndarray) -> np.ndarray:
            return values * np.divide(served, wanted, out=np.zeros_like(served), where=wanted > 0)[b]

        # non-emergency traffic is offered only where the beam carries its service (an SMS-only
        # phase carries no calls to family: they are not made, rather than blocked)
        voice, messaging = d2c.beam_calls[b] > 0, d2c.beam_sms[b] > 0
        family_share = np.where(voice, routine, 0.0) * voice_of
        calls_in, sms_in = calls * reach * voice_of, sms_needed * reach
        family_in = take(demand.family_calls) * family_share
        psms_in = np.where(messaging, take(demand.public_sms) * routine, 0.0)
        resp_in = take(demand.responder_erlangs) * routine * voice_of
        data_in = np.where(d2c.beam_mbps[b] > 0, take(demand.data_mbps) * routine * data_of, 0.0)
        d_calls, d_resp = per_beam(erl * reach * voice_of), per_beam(resp_in)
        d_family = per_beam(take(demand.family_call_erlangs) * family_share)
        d_sms, d_psms, d_data = per_beam(sms_in), per_beam(psms_in), per_beam(data_in)
        s_calls, s_resp, s_family = allocate_by_priority(d2c.beam_calls, [d_calls, d_resp, d_family])
        (s_sms,) = allocate_by_priority(sms_pool, [d_sms])
        sms_pool = sms_pool - s_sms
        if queue is not None:
            cost = started.normal_requests * sms_per_attach
            (s_attach,) = allocate_by_priority(sms_pool, [cost])
            sms_pool = sms_pool - s_attach
            queue.finish(started.normal_requests * np.divide(s_attach, cost, out=np.zeros_like(cost), where=cost > 0))
        (s_psms,) = allocate_by_priority(sms_pool, [d_psms])
        (s_data,) = allocate_by_priority(d2c.beam_mbps, [d_data])

        calls_d2c, sms_d2c = back(s_calls, d_calls, calls_in), back(s_sms, d_sms, sms_in)
        family_d2c, psms_d2c = back(s_family, d_family, family_in), back(s_psms, d_psms, psms_in)
        data_d2c = back(s_data, d_data, data_in)
        after = queue.share(sel) if queue is not None else np.ones(sel.size)
        em_attach_failed = (calls + sms_needed) * eligible * (1.0 - attached) * (1.0 - em_ratio)

        def spread(values: np.ndarray, where: np.ndarray | None = None) -> np.ndarray:
            out = np.zeros(n_areas)
            out[sel] = values if where is None else np.where(where, values, 0.0)
            return out

        on_d2c = spread(live) > 0
        return Service(
            terrestrial=terrestrial,
            d2c=on_d2c,
            warning_reach=self._cbc_covered | d2c.under_beam,
            sms_path=self._sms_covered | (spread(d2c.beam_sms[b] > 0) > 0),
            calls_offered=demand.calls,
            calls_served_terrestrial=calls_terrestrial,
            calls_served_d2c=spread(calls_d2c),
            sms_offered=demand.sms,
            sms_served_terrestrial=sms_terrestrial,
            sms_served_d2c=spread(sms_d2c),
            responders_served_d2c=spread(back(s_resp, d_resp, resp_in)),
            public_sms_served_d2c=spread(psms_d2c),
            data_served_d2c_mbps=spread(data_d2c),
            capacity_calls=np.where(terrestrial, self._capacity, spread(d2c.beam_calls[b])),
            people_share_terrestrial=people_terrestrial,
            people_share_d2c=spread(eligible * after, has_112),
            emergency_blocked_d2c=spread(np.maximum(calls_in + sms_in - calls_d2c - sms_d2c, 0.0)
                                         + em_attach_failed, live),
            emergency_not_eligible_d2c=spread((calls + sms_needed) * (1.0 - offer), live),
            non_emergency_blocked_d2c=spread(np.maximum(family_in + psms_in - family_d2c - psms_d2c, 0.0), live),
            data_blocked_d2c_mbps=spread(np.maximum(data_in - data_d2c, 0.0), live),
            family_calls_served_d2c=spread(family_d2c),
            attached_share=spread(after) + np.where(on_beam, 0.0, 1.0),
            emergency_unreachable_d2c=spread(offer * (calls * (1.0 - link_voice) + sms_needed * (1.0 - link_sms)), live),
        )


class _Kept:
    """The arrays a step reads of one terrestrial state: the same objects every step until the state changes.

    They are read-only: a :class:`Service` hands them on, and several steps may share them.
    """

    def __init__(self, covered: np.ndarray, capacity: np.ndarray, stuck: np.ndarray):
        n_areas = covered.size
        self.stuck_any = bool(stuck.any())
        self.reachable = 1.0 - stuck
        self.uncovered = ~covered
        self.people_terrestrial = np.where(covered, self.reachable, 0.0)
        self.capacity_calls = np.where(covered, capacity, 0.0)
        self.zeros, self.ones, self.none = np.zeros(n_areas), np.ones(n_areas), np.zeros(n_areas, dtype=bool)
        for values in (self.reachable, self.uncovered, self.people_terrestrial, self.capacity_calls, self.zeros,
                       self.ones, self.none):
            values.flags.writeable = False
