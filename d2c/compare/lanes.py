"""Every provider's D2C share of a step in one array pass: the lanes of ``d2c compare``.

A comparison follows many runs of one scenario at once: each seed with each
variant (a provider, a denial case, a changed assumed figure) is one *lane*.
What a lane's figures need from the fallback stage is only each area's share
of people with a 112 path over D2C (``Service.people_share_d2c``), which rests
on the attach queue of its beams: emergency attaches, 112 SMS, then ordinary
attaches on each beam's messaging pool. :class:`Lanes` computes exactly that,
with the same arithmetic in the same order as ``Fallback.step`` (so the
figures are those of a separate run to the last bit), for every lane in one
pass: the lanes' areas under a beam are one array, their beams another (each
lane's beam ids shifted past the previous lanes'), and each lane's attach
queue is a row of one (lanes x areas) array. The per-step cost of numpy calls
is then paid once per step, not once per lane. Calls, family calls,
responders and data, which no figure of a comparison reads, are not served.
"""

from __future__ import annotations

import numpy as np

from d2c.attach import AttachQueue, rach_attach_per_s
from d2c.stages import D2CCapacity

__all__ = ["LaneStep", "Lanes"]


class LaneStep:
    """This step of one seed: its terrestrial state, as every lane of the seed sees it."""

    def __init__(self, covered: np.ndarray, sms_covered: np.ndarray, demand) -> None:
        self.covered = covered
        self.sms_covered = sms_covered
        self.demand = demand


class Lanes:
    """The attach queues of ``len(seed_of)`` lanes over one world.

    ``seed_of[l]``: which seed's terrestrial step lane ``l`` follows (an index into
    the ``steps`` of :meth:`people_share_d2c`); ``offer_share[l]``: the share of each
    area's handsets its offer serves; ``queues[l]``: its empty attach queue (handsets
    and settings are read from it once).
    """

    def __init__(self, seed_of: list[int], offer_share: list[np.ndarray], queues: list[AttachQueue], step_s: float):
        self.seed_of = np.asarray(seed_of, dtype=np.int64)
        self.n_lanes = len(seed_of)
        self.step_s = step_s
        self.offer_share = np.array([np.asarray(s, dtype=float) for s in offer_share]).reshape(self.n_lanes, -1)
        self.n_areas = self.offer_share.shape[1]
        self.handsets = np.array([q.handsets for q in queues]).reshape(self.n_lanes, self.n_areas)
        self.attached = np.array([q.attached for q in queues]).reshape(self.n_lanes, self.n_areas)
        self.rach_per_s = np.array([rach_attach_per_s(q.settings) for q in queues])
        self.signalling_bytes = np.array([float(q.settings.signalling_bytes_per_attach) for q in queues])

    def people_share_d2c(self, steps: list[LaneStep], capacities: list[D2CCapacity | None]) -> np.ndarray:
        """(lanes x areas): each lane's ``Service.people_share_d2c`` this step, its queue moved on.

        ``capacities[l]``: lane ``l``'s beams this step (after its offer), or None for no D2C
        (no provider, its offer closed, withdrawn: its queue is left alone, as ``Fallback.step``
        leaves it when the capacity carries no messaging pool).
        """
        n = self.n_areas
        out = np.zeros((self.n_lanes, n))
        queued = [l for l, c in enumerate(capacities) if c is not None and c.beam_messaging_bytes_per_s is not None]
        if any(c is not None and c.beam_messaging_bytes_per_s is None and (c.area_beam >= 0).any()
               for c in capacities):
            raise ValueError("a lane's beams carry no messaging pool: its attaches are not modelled here")
        if not queued:
            return out
        lanes = np.asarray(queued, dtype=np.int64)
        covered = np.array([steps[s].covered for s in self.seed_of[lanes]])
        # queue.leave(terrestrial): handsets back on a cell detach
        self.attached[lanes] = np.where(covered, 0.0, self.attached[lanes])

        caps = [capacities[l] for l in queued]
        n_beams = np.array([c.beam_sms.size for c in caps], dtype=np.int64)
        beam_start = np.concatenate(([0], np.cumsum(n_beams)[:-1]))
        area_beam = np.array([c.area_beam for c in caps])
        rows, area = np.nonzero(~covered & (area_beam >= 0))  # lane-major, areas ascending: each lane's sel
        if area.size == 0:
            return out
        lane = lanes[rows]
        flat = lane * n + area
        b = area_beam[rows, area] + beam_start[rows]
        total_beams = int(n_beams.sum())

        beam_calls = np.concatenate([c.beam_calls for c in caps])
        beam_sms = np.concatenate([np.asarray(c.beam_sms, dtype=float) for c in caps])
        beam_mbps = np.concatenate([c.beam_mbps for c in caps])
        messaging = np.concatenate([c.beam_messaging_bytes_per_s for c in caps])
        beam_lane = np.repeat(lanes, n_beams)
        live = ((beam_calls > 0) | (beam_sms > 0) | (beam_mbps > 0))[b]
        has_112 = ((beam_calls > 0) | (beam_sms > 0))[b]

        seeds = sorted(set(self.seed_of[lanes].tolist()))
        at = {s: i for i, s in enumerate(seeds)}
        seed_row = np.array([at[s] for s in self.seed_of[lanes].tolist()], dtype=np.int64)[rows]
        seed_flat = seed_row * n + area

        def seed_values(name: str) -> np.ndarray:
            return np.array([np.broadcast_to(np.asarray(getattr(steps[s].demand, name), dtype=float), (n,))
                             for s in seeds]).ravel()[seed_flat]

        calls = seed_values("calls")
        sms_covered = np.array([steps[s].sms_covered for s in seeds]).ravel()[seed_flat]
        sms_needed = np.where(sms_covered, 0.0, seed_values("sms"))
        offer = self.offer_share.ravel()[flat]
        link_sms = np.array([c.link_share(n)[0] for c in caps])[rows, area]
        eligible = offer * link_sms
        sms_pool = beam_sms

        handsets, attached_all = self.handsets.ravel(), self.attached.reshape(-1)

        def share() -> np.ndarray:
            got, of = attached_all[flat], handsets[flat]
            return np.divide(got, of, out=np.ones_like(got), where=of > 0)

        def per_beam(values: np.ndarray) -> np.ndarray:
            return np.bincount(b, weights=values, minlength=total_beams).astype(float, copy=False)

        # AttachQueue.begin, every lane's beams at once
        attached = share()
        em_requests = np.where(live, (calls + sms_needed) * eligible * (1.0 - attached), 0.0)
        bytes_per_sms = np.divide(messaging * self.step_s, sms_pool, out=np.zeros(total_beams), where=sms_pool > 0)
        sms_per_attach = np.divide(self.signalling_bytes[beam_lane], bytes_per_sms, out=np.zeros(total_beams),
                                   where=bytes_per_sms > 0)
        rach = np.where(sms_per_attach > 0, self.rach_per_s[beam_lane] * self.step_s, 0.0)
        want = per_beam(em_requests)
        through_rach = np.minimum(want, rach)
        affordable = np.divide(sms_pool, sms_per_attach, out=np.zeros_like(rach), where=sms_per_attach > 0)
        done = np.minimum(through_rach, affordable)
        ratio = np.divide(done, want, out=np.ones_like(done), where=want > 0)
        em_area = em_requests * ratio[b]
        waiting_area = np.maximum(handsets[flat] - attached_all[flat] - em_area, 0.0)
        attached_all[flat] += em_area
        waiting = per_beam(waiting_area)
        normal_requests = np.minimum(waiting, rach - through_rach)
        em_ratio = np.where(live, ratio[b], 0.0)
        sms_pool = sms_pool - done * sms_per_attach

        # 112 SMS first, then ordinary attaches, on what the messaging pool has left
        reach = eligible * (attached + (1.0 - attached) * em_ratio)
        d_sms = per_beam(sms_needed * reach)
        sms_pool = sms_pool - np.minimum(d_sms, sms_pool)
        cost = normal_requests * sms_per_attach
        s_attach = np.minimum(cost, sms_pool)
        normal_done = normal_requests * np.divide(s_attach, cost, out=np.zeros_like(cost), where=cost > 0)
        # AttachQueue.finish
        got = waiting_area * np.divide(normal_done, waiting, out=np.zeros_like(waiting), where=waiting > 0)[b]
        attached_all[flat] = np.minimum(attached_all[flat] + got, handsets[flat])

        out.reshape(-1)[flat] = np.where(has_112, eligible * share(), 0.0)
        return out
