"""The players' view as a typed message: what the drill sends each player's terminal (``{"view": ...}``).

``d2c.drill.playerview`` builds a ``PlayerView`` for a role; the facilitator's
drill sends ``to_dict()`` over the socket (``d2c.drill.wire``) and the
player's terminal reads it back with ``PlayerView.from_dict``, which checks
every field and raises ``ViewError`` (a ``ValueError``, one line) for a
message that is not a view. The keys are the fields below, in order; a field
made with ``optional`` is left out when None (the sites' causes for the
operators only, the 112 calls answered for the 112 centre only).

>>> view = PlayerView.from_dict({"drill": "d", "description": "", "role": "all", "roles": [],
...     "clock": {"t_s": 600.0, "offset": "T+00:10", "utc": "2024-01-01 00:10", "step": 10, "steps": 60,
...               "ended": False},
...     "injects": [], "sites_down": {"as_of": "now", "count": 0, "of": 3, "sites": []}, "decisions": [],
...     "catalogue": []}, "view")
>>> view.clock.offset, view.calls_answered, "calls_answered" in view.to_dict()
('T+00:10', None, False)
>>> PlayerView.from_dict({"drill": 1}, "view")
Traceback (most recent call last):
...
d2c.drill.view.ViewError: view.drill: expected text, got 1
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from d2c.records import Record, nested, optional, records
from d2c.result_fields import shown

__all__ = ["CatalogueLine", "Clock", "DecisionSeen", "InjectSeen", "PlayerView", "SiteDown", "SitesDown",
           "ViewError"]


class ViewError(ValueError):
    """A message that is not a players' view; the text is one line."""


def _fail(file: str | Path, field: str, expected: str, got: Any, missing: bool = False) -> None:
    raise ViewError(f"{field}: expected {expected}, got {shown(got, missing)}")


class _Message(Record):
    fail = staticmethod(_fail)


@dataclass(frozen=True)
class Clock(_Message):
    """The drill's clock: seconds from the start, as T+hh:mm and in UTC, the step of the steps, ended or not."""

    t_s: float
    offset: str
    utc: str
    step: int
    steps: int
    ended: bool


@dataclass(frozen=True)
class InjectSeen(_Message):
    """An inject that has come due, as read out to the room (never the model's note)."""

    at: str  # T+hh:mm
    text: str
    facilitator: bool  # the facilitator's own, ad hoc
    new: bool  # came due with the last step


@dataclass(frozen=True)
class SiteDown(_Message):
    """A site down as the role knows it: which operator's, the places it serves, and for the operators the cause."""

    site: str
    operator: str
    serves: list[str]
    cause: str | None = optional("str")


@dataclass(frozen=True)
class SitesDown(_Message):
    """The sites down as of when the role knows them: how many of all, the first ``SHOWN_SITES`` listed."""

    as_of: str
    count: int
    of: int
    sites: list[SiteDown] = records(SiteDown)


@dataclass(frozen=True)
class DecisionSeen(_Message):
    """A decision taken in the room: when, what, when it acts, which role's."""

    taken: str
    acts: str
    decision: str
    role: str  # "" when the catalogue gives it no role


@dataclass(frozen=True)
class CatalogueLine(_Message):
    """One of the role's decisions: how to type it, its delay, how many are left (None: unlimited)."""

    name: str
    role: str
    usage: str
    delay: str
    left: int | None
    description: str


@dataclass(frozen=True)
class PlayerView(_Message):
    """What a player of ``role`` knows of the drill now (d2c.drill.playerview)."""

    drill: str
    description: str
    role: str
    roles: list[str]
    clock: Clock = nested(Clock)
    injects: list[InjectSeen] = records(InjectSeen)
    sites_down: SitesDown = nested(SitesDown)
    decisions: list[DecisionSeen] = records(DecisionSeen)
    catalogue: list[CatalogueLine] = records(CatalogueLine)
    calls_answered: int | None = optional("int")  # the 112 centre's count of the calls it answered
