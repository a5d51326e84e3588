"""The restoration stage: crews dispatched to failures, event by event, between the engine's steps.

Every failure of the run (compiled by the hazards, or made by an inject)
becomes a job in the pool that looks after its target (``d2c.restoration.pools``).
At each event (a failure, a job done, a crew back at its depot, a road
reopening, a shift starting) the free crews of each pool take the waiting
jobs they can reach, in the policy's order, requested work first (scenario
``responses`` and drill decisions). A job is a round trip from the depot plus
the repair time drawn for the target's damage state; work pauses outside the
shift. A place where a hazard is still active (flood water, the near-fault
zone) cannot be reached: its job waits, and the crews take other jobs.

The world is changed only through the simulation's public methods
(:class:`WorldChanges`). Between events a step costs one comparison.

Random draws come from the restoration's own stream, spawned from the
scenario seed apart from the incidents' streams, and each draw is keyed by
the target and the how-many-th failure it is, so adding a crew changes who
does a job and when, never how long it takes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

import numpy as np

from d2c.hazards.base import COMPLETE, UNSPECIFIED, Effects, Window
from d2c.restoration.draws import keyed_normal, keyed_uniform
from d2c.restoration.grid import GridCurve
from d2c.restoration.jobs import BUSY, CANCELLED, DONE, GENERATOR, REFUEL, REPAIR, WAITING, Jobs
from d2c.restoration.pools import EQUIPMENT, LINK, SUBSTATION, Pools, build_pools
from d2c.restoration.restart import RestartLag
from d2c.restoration.settings import RestorationSettings
from d2c.restoration.shifts import Shift
from d2c.world import World

__all__ = ["Restoration", "WorldChanges", "RESTORATION_STREAM"]

# The restoration's random stream: SeedSequence(seed, spawn_key=(RESTORATION_STREAM,)),
# apart from the incidents' streams (spawn keys 0, 1, ...).
RESTORATION_STREAM = 0x5245  # "RE"
_DRAW_RECUT, _DRAW_RECUT_AT, _DRAW_GRID = 7, 8, 20


class WorldChanges(Protocol):
    """What restoration may do to the world: the simulation's public methods."""

    def repair_equipment(self, ident: str) -> None: ...

    def splice_link(self, ident: str) -> None: ...

    def repair_substation(self, ident: str) -> None: ...

    def cut_link(self, ident: str) -> None: ...

    def add_fuel(self, ident: str, hours: float) -> None: ...

    def fill_tank(self, ident: str, hours: float) -> None: ...


class Restoration:
    def __init__(self, world: World, effects: Effects, settings: RestorationSettings, seed: int, start: datetime):
        self.world = world
        self.settings = settings
        self.pools: Pools = build_pools(world, settings)
        clock0_s = start.hour * 3600.0 + start.minute * 60.0 + start.second
        self.shift = Shift(settings.shift_start_h, settings.shift_hours, clock0_s)
        self.crew_pool = self.pools.crew_pool
        self.crew_free_s = np.zeros(self.crew_pool.size)
        self.truck_pool = self.pools.truck_pool
        self.truck_free_s = np.zeros(self.truck_pool.size)
        self.units_free = self.pools.generators.copy()  # portable generators at each pool's depot
        self.units_peak = 0
        self.truck_rounds = 0
        self.tank_s = world.generator_s.copy()  # generator tank at each equipment (0: none)
        self.fixed_tank_s = world.generator_s.copy()
        self._tank_masks: tuple | None = None  # (the tanks, ``_tanks()`` for them)
        self.portable = np.zeros(world.n_equipment, dtype=bool)  # a portable generator deployed there
        self.power_job = np.full(world.n_equipment, -1, dtype=np.int64)  # open generator or refuel job  # pragma: no mutate (-1 or -2: only its sign is read; int64 either way)
        self.jobs = Jobs()
        sizes = (world.n_equipment, len(world.link_ids), len(world.substation_ids))
        self.open = tuple(np.full(n, -1, dtype=np.int64) for n in sizes)  # the unfinished job of each target  # pragma: no mutate (-1 or -2: only its sign is read; int64 either way)
        self.failures = tuple(np.zeros(n, dtype=np.int64) for n in sizes)  # how many times each target failed  # pragma: no mutate (float counts key the draws alike)
        self.blocked: tuple[list[Window], list[Window], list[Window]] = (
            effects.blocked_equipment, effects.blocked_links, effects.blocked_substations)
        self.effects = effects
        # pragma reason: another word, width or spawn key of the seed's stream gives keys as independent
        self.key = int(np.random.SeedSequence(seed, spawn_key=(RESTORATION_STREAM,)).generate_state(1, np.uint64)[0])  # pragma: no mutate
        self.restart = RestartLag(world, settings, self.key)
        # grid as a curve: each lost feed is back after a time drawn from it (then no substation crews)
        self.grid_substations = GridCurve(settings.grid_curve, sizes[SUBSTATION], self.key, _DRAW_GRID)
        self.grid_local = GridCurve(settings.grid_curve, sizes[EQUIPMENT], self.key, _DRAW_GRID + 1)  # pragma: no mutate (another stream is as independent)
        # fibre on a route the hazard still threatens can be cut again (d2c.restoration.defaults)
        threat_end = np.full(sizes[LINK], -np.inf)
        for w in effects.blocked_links:
            threat_end[w.mask] = np.maximum(threat_end[w.mask], w.end_s)
        self.recut_until_s = threat_end + settings.recut_window_hours * 3600.0
        self.recuts: list[tuple[float, int]] = []
        self.clock_s = -np.inf  # pragma: no mutate (set by the first event before it is read)
        # ``observe``'s last feeds, damage and the equipment it watches for fuel; an event since stirs it
        self._quiet: tuple | None = None
        self._stirred = True
        self.next_event_s = np.inf
        self._order: np.ndarray | None = None  # job rows by (pool, tier, score, row), unfinished ones  # pragma: no mutate (set by the first dispatch before it is read)
        self._order_n = 0  # pragma: no mutate (set by the first dispatch before it is read)
        self._bounds = np.zeros(0, dtype=np.int64)  # each pool's slice of ``_order``
        # Dispatch works only on the pools that may take a job: those with a crew or truck free, a job
        # released, added or moved up, a generator back or a road reopened since the last dispatch
        # in a shift (at which every pool took what it could).
        self._dirty = np.ones(len(self.pools.names), dtype=bool)
        self._dispatched_s = -np.inf  # pragma: no mutate (any time before the first event)
        self._pending = np.zeros(0, dtype=np.int64)  # rows not released at the last dispatch, or touched since
        self._live = np.zeros(0, dtype=np.int64)  # rows that may still be waiting or busy (and some done)
        self._busy = np.zeros(0, dtype=np.int64)  # rows taken by a crew or truck (and some done since)
        for kind, failed_s in ((EQUIPMENT, effects.equipment_damage_s), (LINK, effects.link_cut_s),
                               (SUBSTATION, effects.substation_damage_s)):
            if kind == SUBSTATION and settings.grid_curve:
                continue  # pragma: no mutate (substations are the last kind: break ends the same loop)
            targets = np.nonzero(np.isfinite(failed_s))[0]
            self._new_jobs(kind, targets, failed_s[targets])

    # ------------------------------------------------------------- what the simulation tells it

    def failed(self, kind: int, target: int, t_s: float) -> None:
        """A target broke at ``t_s`` (an inject, a fibre cut again): it needs a crew."""
        if kind == SUBSTATION and self.settings.grid_curve:
            return
        j = self.open[kind][target]
        if j >= 0:
            if self.jobs.status[j] == WAITING:
                self.jobs.release_s[j] = min(self.jobs.release_s[j], t_s)
                self._pending = np.append(self._pending, j)
                self.next_event_s = min(self.next_event_s, t_s)
            return
        self._new_jobs(kind, np.array([target]), np.array([t_s]))

    def request_repair(self, kind: int, target: int, t_s: float) -> bool:
        """A planned response or a drill decision: repair this target first. False when nothing is to repair."""
        j = self.open[kind][target]
        if j < 0:
            return False
        if self.jobs.status[j] == WAITING:
            self.jobs.tier[j] = 0
            self._order = None
            self._pending = np.append(self._pending, j)
            self.next_event_s = min(self.next_event_s, max(t_s, self.jobs.release_s[j]))
        return True

    def request_generator(self, equipment: int, hours: float, t_s: float) -> None:
        """A generator with ``hours`` of fuel brought to a piece of equipment by its own pool's crews, first."""
        self._power_jobs(np.array([equipment]), GENERATOR, t_s, tier=0, hours=hours, unit=0)

    # ------------------------------------------------------------- what the engine shows it each step

    def grid(self, t_s: float, substation_down: np.ndarray, local_off: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """With a grid restoration curve, the feeds the curve has brought back are up again."""
        if not self.settings.grid_curve:
            return substation_down, local_off
        return self.grid_substations.apply(t_s, substation_down), self.grid_local.apply(t_s, local_off)

    def observe(self, t_s: float, grid_up: np.ndarray, damaged: np.ndarray, powered: np.ndarray,
                generator_left_s: np.ndarray) -> np.ndarray:
        """Generators and fuel from this step's power state; returns ``powered`` after the restart lag.

        When no event has run since the last call and the grid feeds and damage are the
        very arrays they were, only the fuel of the equipment that may call a truck is read.
        """
        quiet = self._quiet
        if not self._stirred and quiet is not None and grid_up is quiet[0] and damaged is quiet[1]:
            watch = quiet[2]
            if watch.size:
                low = generator_left_s[watch] < self._tanks()[2][watch]
                if low.any():
                    self._power_jobs(watch[low], REFUEL, t_s, tier=1, hours=0.0, unit=0)  # pragma: no mutate (as below)
                    self._quiet = (grid_up, damaged, watch[~low])
            return self.restart.apply(t_s, powered)
        back = grid_up & self.portable
        if back.any():  # the grid is back: the portable generator goes back to the depot
            i = np.nonzero(back)[0]
            np.add.at(self.units_free, self.pools.target_pool[EQUIPMENT][i], 1)
            self._dirty[self.pools.target_pool[EQUIPMENT][i]] = True
            self.portable[i] = False  # pragma: no mutate (None is False in a bool array)
            self.tank_s[i] = self.fixed_tank_s[i]
        open_ = self.power_job >= 0
        if open_.any():
            j = self.power_job[open_]
            stale = (self.jobs.status[j] == WAITING) & (grid_up | damaged)[open_]
            if stale.any():  # no longer needed before a crew or truck left
                self.jobs.status[j[stale]] = CANCELLED
            finished = stale | (self.jobs.status[j] >= DONE)
            self.power_job[np.nonzero(open_)[0][finished]] = -1
        off = ~grid_up & ~damaged & (self.power_job < 0)
        no_tank, fuelled, below_s = self._tanks()
        need_generator = off & no_tank
        if need_generator.any():
            self._power_jobs(np.nonzero(need_generator)[0], GENERATOR, t_s, tier=1,
                             hours=self.settings.portable_tank_hours, unit=1)
        watch = off & fuelled
        need_fuel = watch & (generator_left_s < below_s)
        if need_fuel.any():
            self._power_jobs(np.nonzero(need_fuel)[0], REFUEL, t_s, tier=1, hours=0.0, unit=0)  # pragma: no mutate (a truck fills the tank it finds: hours, unit and tier are unread for refuels)
        # until an event or a change of feeds or damage, only these may need anything: a truck
        self._quiet = (grid_up, damaged, np.flatnonzero(watch & ~need_fuel))
        self._stirred = False
        return self.restart.apply(t_s, powered)

    def _tanks(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per equipment, from the tanks as they are: no tank but a pool with generators; a tank and a pool
        with trucks; the fuel left below which a truck is called. Kept while the tanks stay the same."""
        if self._tank_masks is None or not np.array_equal(self._tank_masks[0], self.tank_s):
            target_pool = self.pools.target_pool[EQUIPMENT]
            no_tank = (self.tank_s <= 0) & (self.pools.generators[target_pool] > 0)  # pragma: no mutate (tanks hold hours: none holds between 0 and 1 s)
            fuelled = (self.tank_s > 0) & (self.pools.trucks[target_pool] > 0)
            below_s = np.minimum(self.settings.refuel_below_hours * 3600.0, self.tank_s / 2)  # small tanks: half empty
            self._tank_masks = (self.tank_s.copy(), (no_tank, fuelled, below_s))
        return self._tank_masks[1]

    def _power_jobs(self, targets: np.ndarray, action: int, t_s: float, tier: int, hours: float, unit: int) -> None:
        p = self.pools
        n = targets.size
        work_s = self.settings.hookup_minutes * 60.0 if action == GENERATOR else 0.0  # pragma: no mutate (refuels are timed by stops, never by work_s)
        rows = self.jobs.add(target_kind=np.full(n, EQUIPMENT), target=targets, action=np.full(n, action),
                             pool=p.target_pool[EQUIPMENT][targets], tier=np.full(n, tier),
                             score=p.score[EQUIPMENT][targets], release_s=np.full(n, t_s),
                             work_s=np.full(n, work_s), travel_s=p.travel_s[EQUIPMENT][targets],
                             hours=np.full(n, hours), unit=np.full(n, unit))
        self._added(rows)
        if unit or action == REFUEL:
            self.power_job[targets] = rows
        self.next_event_s = min(self.next_event_s, t_s)

    # ------------------------------------------------------------- the stage

    def step(self, t_s: float, world: WorldChanges) -> None:
        """Run every event up to ``t_s``; the world changes they make hold from this step on."""
        while self.next_event_s <= t_s:
            e = self.next_event_s
            self.clock_s = e
            self._complete(e, world)
            self._recut(e, world)
            self._dispatch(e)
            self.next_event_s = self._next_event()

    def _complete(self, e: float, world: WorldChanges) -> None:
        jobs = self.jobs
        busy = self._busy = self._busy[jobs.status[self._busy] == BUSY]
        done = busy[jobs.done_s[busy] <= e]
        if done.size == 0:
            return
        self._stirred = True  # generators and fuel delivered, jobs closed: ``observe`` looks at everything
        done = done[np.lexsort((done, jobs.done_s[done]))]
        jobs.status[done] = DONE
        ids = (self.world.equipment_ids, self.world.link_ids, self.world.substation_ids)
        for j in done.tolist():  # bounded by the crews: each finishes one job at a time
            kind, target = int(jobs.target_kind[j]), int(jobs.target[j])
            if jobs.action[j] == GENERATOR:
                world.add_fuel(ids[kind][target], float(jobs.hours[j]))
                self.tank_s[target] = max(self.tank_s[target], float(jobs.hours[j]) * 3600.0)
                self.portable[target] |= bool(jobs.unit[j])
                continue
            if jobs.action[j] == REFUEL:
                world.fill_tank(ids[kind][target], float(self.tank_s[target]) / 3600.0)
                continue
            self.open[kind][target] = -1  # pragma: no mutate (-1 or -2: only its sign is read)
            if kind == EQUIPMENT:
                world.repair_equipment(ids[kind][target])
            elif kind == SUBSTATION:
                world.repair_substation(ids[kind][target])
            else:
                world.splice_link(ids[kind][target])
                self._maybe_recut(target, float(jobs.done_s[j]))

    def _maybe_recut(self, link: int, spliced_s: float) -> None:
        until = self.recut_until_s[link]
        if spliced_s >= until:
            return
        nth = self.failures[LINK][link]
        if keyed_uniform(self.key, _DRAW_RECUT, link, nth) < self.settings.recut_probability:  # pragma: no mutate (u is never exactly the probability)
            at = spliced_s + float(keyed_uniform(self.key, _DRAW_RECUT_AT, link, nth)) * (until - spliced_s)
            self.recuts.append((at, link))
            self.recuts.sort()

    def _recut(self, e: float, world: WorldChanges) -> None:
        while self.recuts and self.recuts[0][0] <= e:
            _, link = self.recuts.pop(0)
            world.cut_link(self.world.link_ids[link])

    def _dispatch(self, e: float) -> None:
        if not self.shift.working(e):
            return
        jobs = self.jobs
        self._stir_pools(e)
        if not self._dirty.any():
            return
        if self._order is None or self._order_n != jobs.n:  # re-sorted only when jobs were added or moved up
            n = self._live[jobs.status[self._live] <= BUSY]  # pragma: no mutate (a busy job never waits again: keeping it changes nothing)
            self._order = n[np.lexsort((n, jobs.score[n], jobs.tier[n], jobs.pool[n]))]
            self._order_n = jobs.n
            self._bounds = np.searchsorted(jobs.pool[self._order], np.arange(self._dirty.size + 1))
        pools = np.flatnonzero(self._dirty)
        self._dirty[:] = False
        if pools.size == self._dirty.size:
            rows = self._order
        else:
            b = self._bounds
            rows = np.concatenate([self._order[b[k]:b[k + 1]] for k in pools.tolist()])  # bounded by the pools
        waiting = rows[(jobs.status[rows] == WAITING) & (jobs.release_s[rows] <= e)]
        if waiting.size == 0:
            return
        waiting = waiting[~self._blocked(waiting, e)]
        if waiting.size == 0:
            return
        by_truck = jobs.action[waiting] == REFUEL
        self._crews_take(waiting[~by_truck], e)
        self._trucks_take(waiting[by_truck], e)

    def _stir_pools(self, e: float) -> None:
        """Mark the pools that may take a job at ``e`` that they could not at the last dispatch."""
        last, jobs = self._dispatched_s, self.jobs
        self._dispatched_s = e
        for free_s, owner in ((self.crew_free_s, self.crew_pool), (self.truck_free_s, self.truck_pool)):
            self._dirty[owner[(free_s > last) & (free_s <= e)]] = True
        if self._pending.size:
            released = jobs.release_s[self._pending] <= e
            self._dirty[jobs.pool[self._pending[released]]] = True
            self._pending = self._pending[~released]
        for windows in self.blocked:
            if any(last < x <= e for w in windows for x in (w.start_s, w.end_s)):
                self._dirty[:] = True  # a road reopened (or closed): every pool looks again
                return

    def _crews_take(self, waiting: np.ndarray, e: float) -> None:
        """Free crews take the first waiting jobs of their pool (in order), one each.

        Pools do not share crews or generators, so every pool is served at once: a job
        is taken when its rank among its pool's takeable jobs is below the pool's free
        crews (a generator job is takeable while the pool's free generators last).
        """
        jobs = self.jobs
        free = np.nonzero(self.crew_free_s <= e)[0]
        if waiting.size == 0 or free.size == 0:
            return
        pool = jobs.pool[waiting]
        first = np.empty(pool.size, dtype=bool)
        first[0] = True
        np.not_equal(pool[1:], pool[:-1], out=first[1:])
        starts = np.flatnonzero(first)
        group = np.cumsum(first) - 1
        owner = self.crew_pool[free]
        free_lo = np.searchsorted(owner, pool[starts], "left")  # pragma: no mutate ('left' is searchsorted's default)
        free_hi = np.searchsorted(owner, pool[starts], "right")
        unit = jobs.unit[waiting].astype(bool)
        takeable = ~unit | (_cumsum_in_groups(unit, starts, group) <= self.units_free[pool])
        rank = _cumsum_in_groups(takeable, starts, group)  # 1 for a pool's first takeable job
        chosen = takeable & (rank <= (free_hi - free_lo)[group])
        if not chosen.any():
            return
        take = waiting[chosen]
        crews = free[free_lo[group[chosen]] + rank[chosen] - 1]
        np.subtract.at(self.units_free, pool[chosen & unit], 1)
        travel, work = jobs.travel_s[take], jobs.work_s[take]
        jobs.status[take] = BUSY
        self._busy = np.concatenate([self._busy, take])
        jobs.crew[take] = crews
        jobs.start_s[take] = e
        jobs.done_s[take] = self.shift.finish_s(e, travel + work)
        jobs.free_s[take] = self.shift.finish_s(e, 2 * travel + work)
        self.crew_free_s[crews] = jobs.free_s[take]
        self.units_peak = max(self.units_peak, int((self.pools.generators - self.units_free).sum()))

    def _trucks_take(self, waiting: np.ndarray, e: float) -> None:
        """Each free truck takes up to ``sites_per_round`` waiting refuels of its pool, nearest first on the round.

        A round is approximated as a drive out to each stop at its own distance
        from the depot plus the stops before it, and back from the farthest.
        """
        jobs = self.jobs
        per_round = self.settings.sites_per_round
        stop_s = self.settings.stop_minutes * 60.0
        for _, queue, trucks in self._queues(waiting, self.truck_free_s, self.truck_pool, e):
            for k, truck in enumerate(trucks.tolist()):  # bounded by the trucks
                stops = queue[k * per_round:(k + 1) * per_round]
                if stops.size == 0:
                    break
                stops = stops[np.argsort(jobs.travel_s[stops], kind="stable")]  # pragma: no mutate (ties in travel only: same-distance stops in either order)
                travel = jobs.travel_s[stops]
                arrive = travel + stop_s * np.arange(stops.size)
                jobs.status[stops] = BUSY
                self._busy = np.concatenate([self._busy, stops])
                jobs.crew[stops] = truck
                jobs.start_s[stops] = e  # pragma: no mutate (truck rounds are not counted in crew time; start_s is unread)
                jobs.done_s[stops] = self.shift.finish_s(e, arrive + stop_s)
                jobs.free_s[stops] = self.shift.finish_s(e, 2 * travel.max() + stop_s * stops.size)
                self.truck_free_s[truck] = jobs.free_s[stops[0]]
                self.truck_rounds += 1

    def _queues(self, waiting: np.ndarray, free_s: np.ndarray, owner_pool: np.ndarray, e: float):
        """(pool, its waiting jobs in order, its free crews or trucks) for each pool that has both.

        ``waiting`` is sorted by pool and crews (trucks) are numbered pool by pool,
        so each pool's share of both is one slice.
        """
        free = np.nonzero(free_s <= e)[0]
        if waiting.size == 0 or free.size == 0:
            return
        pool = self.jobs.pool[waiting]
        starts = np.concatenate([[0], np.flatnonzero(np.diff(pool)) + 1])
        ends = np.concatenate([starts[1:], [pool.size]])
        owner = owner_pool[free]
        free_lo = np.searchsorted(owner, pool[starts], "left")  # pragma: no mutate ('left' is searchsorted's default)
        free_hi = np.searchsorted(owner, pool[starts], "right")
        for k in np.nonzero(free_hi > free_lo)[0].tolist():  # bounded by the pools  # pragma: no mutate (a pool with no free crew yields no crew: takes nothing)
            yield int(pool[starts[k]]), waiting[starts[k]:ends[k]], free[free_lo[k]:free_hi[k]]

    def _blocked(self, rows: np.ndarray, e: float) -> np.ndarray:
        kind, target = self.jobs.target_kind[rows], self.jobs.target[rows]
        out = np.zeros(rows.size, dtype=bool)
        for k in (EQUIPMENT, LINK, SUBSTATION):
            sel = kind == k
            for w in self.blocked[k]:
                if w.start_s <= e < w.end_s and sel.any():
                    out[sel] |= w.mask[target[sel]]
        return out

    def _unblocked_s(self, rows: np.ndarray, e: float) -> np.ndarray:
        """When each blocked job's place reopens (the latest end of the windows closing it now)."""
        kind, target = self.jobs.target_kind[rows], self.jobs.target[rows]
        out = np.full(rows.size, e)
        for k in (EQUIPMENT, LINK, SUBSTATION):
            sel = kind == k
            for w in self.blocked[k]:
                if w.start_s <= e < w.end_s and sel.any():  # pragma: no mutate (a window that is not closing the place only adds a wake-up)
                    hit = np.zeros(rows.size, dtype=bool)
                    hit[sel] = w.mask[target[sel]]
                    out[hit] = np.maximum(out[hit], w.end_s)
        return out

    def _next_event(self) -> float:
        e = self.clock_s
        jobs = self.jobs
        times = [np.inf]
        busy = self._busy = self._busy[jobs.status[self._busy] == BUSY]
        if busy.size:
            times.append(float(jobs.done_s[busy].min()))
        for free_s in (self.crew_free_s, self.truck_free_s):
            later_free = free_s[free_s > e]
            if later_free.size:
                times.append(float(later_free.min()))
        if self.recuts:
            times.append(self.recuts[0][0])
        if self.shift.working(e) and not any(self.blocked):
            # every waiting job released by now is free to take: only the later releases are events,
            # and those are among the rows not released at the last dispatch, or touched since
            pending = self._pending
            later = pending[(jobs.status[pending] == WAITING) & (jobs.release_s[pending] > e)]
            if later.size:
                times.append(float(jobs.release_s[later].min()))
            return min(times)
        live = self._live = self._live[jobs.status[self._live] <= BUSY]
        status = jobs.status[live]
        waiting = status == WAITING
        if waiting.any():
            release = jobs.release_s[live]
            future = waiting & (release > e)
            if future.any():
                times.append(float(release[future].min()))
            ready = live[waiting & (release <= e)]
            if ready.size:
                reopen = self._unblocked_s(ready, e) if any(self.blocked) else np.full(ready.size, e)
                if (reopen > e).any():
                    times.append(float(reopen[reopen > e].min()))
                if not self.shift.working(e) and (reopen <= e).any():
                    times.append(float(self.shift.next_start_s(e)))
        return min(times)

    # ------------------------------------------------------------- jobs and draws

    def _new_jobs(self, kind: int, targets: np.ndarray, release_s: np.ndarray) -> None:
        if targets.size == 0:
            return
        work_s = self._work_s(kind, targets)
        self.failures[kind][targets] += 1
        p = self.pools
        rows = self.jobs.add(target_kind=np.full(targets.size, kind), target=targets,
                             pool=p.target_pool[kind][targets], score=p.score[kind][targets], release_s=release_s,
                             work_s=work_s, travel_s=p.travel_s[kind][targets])
        self._added(rows)
        self.open[kind][targets] = rows
        self.next_event_s = min(self.next_event_s, float(release_s.min()))

    def _added(self, rows: np.ndarray) -> None:
        self._pending = np.concatenate([self._pending, rows])
        self._live = np.concatenate([self._live, rows])

    def _work_s(self, kind: int, targets: np.ndarray) -> np.ndarray:
        s = self.settings
        if kind == EQUIPMENT:
            state = self.effects.equipment_damage_state[targets]
            state = np.where(state == UNSPECIFIED, COMPLETE, state)  # pragma: no mutate (UNSPECIFIED is -1, and index -1 is complete's hours too)
            median_h = np.asarray(s.repair_hours)[state]
        elif kind == LINK:
            median_h = np.full(targets.size, s.splice_hours)
        else:
            median_h = np.full(targets.size, s.substation_repair_hours)
        z = keyed_normal(self.key, kind, targets, self.failures[kind][targets])
        # pragma reason: z is symmetric, so median / e^(beta z) has the same lognormal law
        return median_h * np.exp(s.repair_beta * z) * 3600.0  # pragma: no mutate

    # ------------------------------------------------------------- what it did

    def summary(self, duration_s: float) -> dict:
        jobs = self.jobs
        status, kind, action = jobs.column("status"), jobs.column("target_kind"), jobs.column("action")
        repairs = action == REPAIR
        done_ = status == DONE
        names = ("equipment", "links", "substations")
        done = {names[k]: int(((status == DONE) & repairs & (kind == k)).sum()) for k in range(3)}
        pending = {names[k]: int((((status == WAITING) | (status == BUSY)) & repairs & (kind == k)).sum())
                   for k in range(3)}
        crews = int(self.crew_pool.size)
        available_s = float(self.shift.working_seconds(0.0, duration_s)) * crews
        by_crew = ((status == BUSY) | done_) & (action != REFUEL)
        busy_s = self.shift.working_seconds(jobs.column("start_s")[by_crew],
                                            np.minimum(jobs.column("free_s")[by_crew], duration_s))
        unit = jobs.column("unit").astype(bool)
        return {
            "policy": self.settings.policy,
            "crews": crews,
            "crew_pools": len(self.pools.names),
            "crew_utilisation": round(float(busy_s.sum()) / max(available_s, 1.0), 4),  # pragma: no mutate (no run has under 2 s of working time)
            "jobs_done": done,
            "jobs_pending": pending,
            "generators_pool": int(self.pools.generators.sum()),
            "generators_deployed": int((done_ & (action == GENERATOR) & unit).sum()),
            "generators_peak_in_use": self.units_peak,
            "generators_requested": int((done_ & (action == GENERATOR) & ~unit).sum()),
            "fuel_trucks": int(self.truck_pool.size),
            "fuel_rounds": self.truck_rounds,
            "fuel_deliveries": int((done_ & (action == REFUEL)).sum()),
            "restarts": int(self.restart.returns.sum()),
            "grid": "curve" if self.settings.grid_curve else "substation crews",
        }


def _cumsum_in_groups(flags: np.ndarray, starts: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Running count of ``flags`` within each group of consecutive rows (groups begin at ``starts``).

    >>> _cumsum_in_groups(np.array([True, True, False, True]), np.array([0, 2]), np.array([0, 0, 1, 1]))
    array([1, 2, 0, 1])
    """
    total = np.cumsum(flags, dtype=np.int64)
    before = np.concatenate(([0], total[starts[1:] - 1]))
    return total - before[group]
