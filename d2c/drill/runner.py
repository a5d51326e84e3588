"""The drill: a simulation advanced by a facilitator, with the players' decisions on its clock.

``Drill`` wraps a :class:`d2c.engine.Simulation`. The facilitator advances it
(one step, to the next inject, N minutes, to the end); the players take
decisions from the catalogue, each checked against the catalogue and the
topology and scheduled with its delay through ``Simulation.schedule``. A bad
decision raises :class:`DecisionError` and changes nothing, so the drill goes
on. ``decisions`` is the log, in the scripted-decisions format; replaying it
(``Drill.play``) gives the same run.
"""

from __future__ import annotations

from dataclasses import dataclass

from d2c.actions import CutLink, Destroy, RecordOnly, SwitchD2COn
from d2c.drill.decisions import Decision, DecisionError, LogRecords, check, decisions_yaml, from_words
from d2c.drill.kinds import EQUIPMENT
from d2c.drill.lookup import site_for_place
from d2c.drill.spec import DecisionType, DrillSpec, Inject
from d2c.drill.broadcasts import WarningLedger
from d2c.drill.reports import SiteReports
from d2c.drill.watch import Tally, TargetWatch
from d2c.engine import Simulation
from d2c.stages import StepState
from d2c.timetext import offset_text
from d2c.traffic.stage import EngineTraffic
from d2c.world import World


MAX_INJECT_CHARS = 500  # an ad-hoc inject is read out to the room: a few sentences


@dataclass(frozen=True)
class Taken:
    """A decision the drill accepted: when it was taken, when it acts, what it does."""

    index: int
    decision: Decision
    dtype: DecisionType
    effective_s: float
    action: object
    modelled: bool
    note: str
    place: str = ""  # the place name typed for a site decision, resolved to ``decision.target``

    def line(self) -> str:
        d = self.decision
        args = " ".join(f"{v:g}" if isinstance(v, float) else str(v) for v in d.args.values())
        return " ".join(x for x in (d.name, d.target or "", args) if x)


class Drill:
    """``scripted`` decisions are taken when the clock reaches them; with ``strict`` one that
    cannot be taken raises, otherwise it is skipped with a message in ``skipped``. With
    ``traffic`` the run replays its emergency traffic as packets (call, SMS, warning metrics)."""

    def __init__(self, spec: DrillSpec, world=None, scripted: list[Decision] = (), strict: bool = False,
                 traffic: bool = False, adhoc: list[Inject] = ()):
        self.spec = spec
        world = world or World(spec.scenario.topology)
        # the players' own run replays its traffic as packets; comparison runs need not
        hook = EngineTraffic(spec.scenario, world) if traffic else None
        self.sim = Simulation(spec.scenario, world=world, traffic=hook)
        self.world = self.sim.world
        if spec.d2c_standby and self.sim.space is not None:
            self.sim.hold_d2c_for_decision()
        for inject in spec.injects:
            for ident in inject.destroy:
                self.sim.schedule(Destroy(ident), inject.at_s)
            for link in inject.cut:
                self.sim.schedule(CutLink(link), inject.at_s)
        self.taken: list[Taken] = []
        self.withdrawn: list[tuple[float, Decision]] = []  # (when undone, the decision), for the log
        self.records = LogRecords()  # saves and resumptions, for the log (d2c/drill/save.py)
        self.tally = Tally()
        self.watch = TargetWatch(self.world, self.step_s)
        self.warnings = WarningLedger(self.world)
        self.reports = SiteReports(self.step_s, spec.operator_report_delay_s)  # what the players are told
        self.last: StepState | None = None
        self._announced = 0
        self.pending = sorted(scripted, key=lambda d: d.at_s)
        self.strict = strict
        self.skipped: list[str] = []
        self.role: str | None = None  # the players' role at the prompt (None: any decision), ``set_role``
        self.adhoc: list[Inject] = []  # the facilitator's ad-hoc injects so far (``add_inject``)
        self._adhoc_pending = sorted(adhoc, key=lambda i: i.at_s)  # those of a log, when the clock reaches them
        self.just_due: list[Inject] = self._newly_due()
        self._take_pending()
        self.just_due += self._take_adhoc()

    # ------------------------------------------------------------- clock

    @property
    def step_s(self) -> float:
        return self.spec.scenario.step_s

    @property
    def t_s(self) -> float:
        """Now: the start of the next step, when a decision taken now is logged."""
        return self.sim.t_s

    @property
    def done(self) -> bool:
        return self.sim.done

    def step(self) -> StepState:
        state = self.sim.step()
        self.tally.observe(state)
        self.watch.observe(state)
        self.warnings.observe(state)
        self.reports.observe(state)
        self.last = state
        return state

    def advance(self, until_s: float, stop_at_inject: bool = False) -> list[Inject]:
        """Run steps until the clock reaches ``until_s`` (or the end); return the injects that came due.

        With ``stop_at_inject`` the clock stops at the first step where an inject comes due,
        even before ``until_s``: the room discusses it before running on."""
        due = []
        while not self.done and self.t_s < until_s:
            self.step()
            due += self._newly_due()
            self._take_pending()
            due += self._take_adhoc()
            if stop_at_inject and due:
                break
        self.just_due = due
        return due

    def _take_pending(self) -> None:
        while self.pending and self.pending[0].at_s <= self.t_s:
            d = self.pending.pop(0)
            try:
                if self.done:
                    raise DecisionError(f"{d.name} at {offset_text(d.at_s)} comes after the last step of the scenario")
                self.take(d.name, d.target, d.args)
            except DecisionError as exc:
                if self.strict:
                    raise
                self.skipped.append(f"scripted decision skipped: {exc}")

    def next_step(self) -> list[Inject]:
        return self.advance(self.t_s + self.step_s)

    def run_minutes(self, minutes: float, stop_at_inject: bool = False) -> list[Inject]:
        return self.advance(self.t_s + max(minutes, 0.0) * 60.0, stop_at_inject)

    def to_next_inject(self) -> list[Inject]:
        """Run until the next inject is due; nothing happens when none is left."""
        upcoming = self.upcoming(1)
        if not upcoming:
            self.just_due = []
            return []
        return self.advance(upcoming[0].at_s)

    def run_to_end(self, stop_at_inject: bool = False) -> list[Inject]:
        return self.advance(float("inf"), stop_at_inject)

    def upcoming(self, n: int = 3) -> list[Inject]:
        return list(self.spec.injects[self._announced:self._announced + n])

    def add_inject(self, text: str) -> Inject:
        """The facilitator's ad-hoc inject, now: shown as due, kept for the log and the report."""
        if self.done:
            raise DecisionError("the scenario has ended: no more injects")
        text = " ".join(text.split())
        if not text:
            raise DecisionError("inject needs its text: inject TEXT, e.g. inject The prefect asks for a status report")
        if len(text) > MAX_INJECT_CHARS:
            raise DecisionError(f"inject: at most {MAX_INJECT_CHARS} characters, got {len(text)}")
        inject = Inject(self.t_s, text, ad_hoc=True)
        self.adhoc.append(inject)
        self.just_due = [inject]
        return inject

    def _take_adhoc(self) -> list[Inject]:
        due = []
        while self._adhoc_pending and self._adhoc_pending[0].at_s <= self.t_s:
            due.append(self._adhoc_pending.pop(0))
        self.adhoc += due
        return due

    def _newly_due(self) -> list[Inject]:
        due = []
        injects = self.spec.injects
        while self._announced < len(injects) and injects[self._announced].at_s <= self.t_s:
            due.append(injects[self._announced])
            self._announced += 1
        return due

    # ------------------------------------------------------------- decisions

    def take(self, name: str, target: str | None = None, args: dict | None = None, place: str = "") -> Taken:
        """Take a decision now; it acts after its catalogue delay. DecisionError when it cannot be taken."""
        if self.done:
            raise DecisionError("the scenario has ended: no more decisions")
        target, full = check(self.spec, name, target, dict(args or {}))
        dtype = self.spec.catalogue[name]
        used = sum(1 for t in self.taken if t.decision.name == name)
        if dtype.available is not None and used >= dtype.available:
            raise DecisionError(f"no {name} left: {dtype.available} available, all taken")
        action, modelled, note = self._action(dtype, target, full)
        index = len(self.taken)
        effective_s = self.t_s + dtype.delay_s
        taken = Taken(index, Decision(self.t_s, name, target, full), dtype, effective_s, action, modelled, note, place)
        self.sim.schedule(action, effective_s)
        self.watch.add(index, dtype.kind.target, target, effective_s)
        if dtype.kind.name == "warning":
            self.warnings.add(index, target, full["text"], effective_s)
        self.taken.append(taken)
        return taken

    def undo(self) -> Taken:
        """Withdraw the last decision if its effect has not begun; DecisionError when it has."""
        if not self.taken:
            raise DecisionError("nothing to undo: no decision taken")
        last = self.taken[-1]
        if self.done or not self.sim.unschedule(last.action):
            raise DecisionError(f"cannot undo {last.line()}: it acted from {offset_text(last.effective_s)}")
        self.taken.pop()
        self.watch.remove(last.index)
        self.warnings.remove(last.index)
        self.withdrawn.append((self.t_s, last.decision))
        return last

    def take_words(self, words: list[str], role: str | None | object = ...) -> Taken:
        """A decision as typed at the prompt: ``NAME [TARGET] [ARGS]``; a site's target may be a place's
        name (the site serving it nearest its centre, see d2c/drill/lookup.py). ``role``: whose decision
        it is (a player attached with a role); by default the prompt's role (``set_role``)."""
        role = self.role if role is ... else role
        name, target, given = from_words(self.spec, words)
        owner = self.spec.catalogue[name].role
        if role is not None and owner is not None and owner != role:
            raise DecisionError(f"{name} is a decision of {owner}, not of {role} (role {owner} to take it)")
        place = ""
        if (target is not None and self.spec.catalogue[name].kind.target == EQUIPMENT
                and self.spec.targets.problem(EQUIPMENT, target)):
            site = site_for_place(self.world, target)
            if site is not None:
                place, target = target, site
        return self.take(name, target, given, place)

    def set_role(self, name: str | None) -> None:
        """Play as ``name`` (one of the drill's roles), or as any role (None, ``all``)."""
        if name in (None, "all"):
            self.role = None
            return
        roles = self.spec.roles
        if name not in roles:
            known = ", ".join(roles) if roles else "none: the catalogue gives no decision a role"
            raise DecisionError(f"no role {name!r} in this drill (roles: {known}; all for every decision)")
        self.role = name

    def _action(self, dtype: DecisionType, target, args) -> tuple[object, bool, str]:
        kind = dtype.kind
        if kind.name == "d2c-on":
            what = "D2C switched on"
            if self.sim.space is None:
                note = "recorded, no modelled effect: the scenario has no D2C provider"
                return RecordOnly(what, note), False, note
            if not self.sim.d2c_waiting_for_decision:
                note = "recorded, no modelled effect: D2C is on from the start in this drill"
                return RecordOnly(what, note), False, note
            return SwitchD2COn(), True, "D2C beams from the effect time on"
        if not kind.modelled:
            return kind.build(target, args), False, "recorded, no modelled effect yet: " + kind.note
        if kind.name == "warning":
            return kind.build(target, args), True, "measured: whom it reaches; its effect on 112 calls is not modelled"
        return kind.build(target, args), True, ""

    @property
    def decisions(self) -> list[Decision]:
        return [t.decision for t in self.taken]

    def log_yaml(self) -> str:
        return decisions_yaml(self.decisions, self.spec.name, self.withdrawn, self.records, injects=self.adhoc)

    def describe_taken(self, taken: Taken) -> str:
        late = " (after the end of the scenario: no effect)" if taken.effective_s >= self.spec.scenario.duration_s else ""
        place = f" (the site serving {taken.place} nearest its centre)" if taken.place else ""
        return (f"{taken.line()}{place}: taken at {offset_text(taken.decision.at_s)}, acts at "
                f"{offset_text(taken.effective_s)}{late}")

    # ------------------------------------------------------------- scripted play

    @classmethod
    def play(cls, spec: DrillSpec, decisions: list[Decision], world=None, to_end: bool = True) -> "Drill":
        """Play ``decisions`` without a person: each is taken when the clock reaches its time."""
        drill = cls(spec, world=world, scripted=decisions, strict=True)
        if to_end:
            drill.run_to_end()
        return drill
