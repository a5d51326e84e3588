"""The hindcast file (validation/hindcast.yaml): which analogue answers which observed series, and the targets.

Format (``docs/FORMATS.md``, *Hindcast*)::

    events:
      - id: helene
        title: Hurricane Helene, North Carolina, 2024
        analogue: a ten-day storm over the central Apennines
        scenario: ../scenarios/hindcast/helene-analogue.yaml   # relative to this file
        observed: observed/helene-nc-2024.csv
        onset: 2024-09-27T04:00:00Z   # the scenario time that the series' t_hours = 0 maps to
        target: {max_error_pp: 10, peak_hours: [0, 48]}
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import yaml

from d2c.base import reader as r
from d2c.hindcast.observed import ObservedSeries, read_observed

__all__ = ["EventSpec", "Target", "load_spec", "DEFAULT_SPEC"]

DEFAULT_SPEC = Path("validation/hindcast.yaml")


@dataclass(frozen=True)
class Target:
    """What the issue asks of an analogue with default parameters; None: not asked."""

    mae_pp: float | None = None          # mean absolute error over the rows in the window, percentage points
    max_error_pp: float | None = None    # every row in the window within this many points
    window_hours: tuple[float, float] | None = None  # rows compared (hours since onset); None: every row
    peak_hours: tuple[float, float] | None = None    # the modelled peak must fall in this span
    factor: float | None = None          # model / observed within [1/factor, factor]
    lag_at_hours: float | None = None    # the restart lag: still this much out at this time ...
    lag_min_pct: float | None = None     # ... (after the grid is back), at least this many percent

    def describe(self) -> str:
        parts = []
        if self.max_error_pp is not None:
            parts.append(f"every point within {self.max_error_pp:g} pp")
        if self.mae_pp is not None:
            parts.append(f"MAE <= {self.mae_pp:g} pp")
        if self.window_hours is not None:
            parts.append(f"over {self.window_hours[0]:g}-{self.window_hours[1]:g} h")
        if self.peak_hours is not None:
            parts.append(f"peak between {self.peak_hours[0]:g} and {self.peak_hours[1]:g} h")
        if self.factor is not None:
            parts.append(f"within a factor {self.factor:g}")
        if self.lag_at_hours is not None:
            parts.append(f"at least {self.lag_min_pct:g} % still out at {self.lag_at_hours:g} h (restart lag)")
        return ", ".join(parts) or "none"


@dataclass(frozen=True)
class EventSpec:
    id: str
    title: str
    analogue: str
    scenario: Path
    observed: ObservedSeries
    onset: datetime
    target: Target


def load_spec(path: str | Path = DEFAULT_SPEC) -> list[EventSpec]:
    """Every event of a hindcast file, its observed series read and checked (``ConfigError`` on bad input)."""
    root = r.compose_file(path)
    ctx = r.Ctx(str(path))
    f = r.Fields(root, ctx)
    base = Path(path).parent
    events = []
    seen: set[str] = set()
    for node, ectx in r.each(f, "events"):
        e = r.Fields(node, ectx)
        ident = e.req("id", r.string)
        if ident in seen:
            raise ectx.child("id").error(e.node_of("id"), "an id not used by another event", ident)
        seen.add(ident)
        scenario = Path(os.path.normpath(base / e.req("scenario", r.string)))
        if not r.is_regular_file(scenario):
            raise ectx.child("scenario").error(e.node_of("scenario"), "the path of a scenario file, relative to this file",
                                               e.node_of("scenario").value)
        observed = r.load_relative(e, "observed", read_observed, "an observed-series CSV file")
        events.append(EventSpec(
            id=ident,
            title=e.req("title", r.string),
            analogue=e.opt("analogue", r.text, ""),
            scenario=scenario,
            observed=observed,
            onset=e.req("onset", r.timestamp),
            target=e.opt("target", _target, Target()),
        ))
        e.done()
    f.done()
    if not events:
        raise ctx.error(root, "an 'events' list with at least one event")
    return events


def _span(node: yaml.Node, ctx: r.Ctx) -> tuple[float, float]:
    values = r.list_of(r.number(), 2)(node, ctx)
    if len(values) != 2 or values[1] < values[0]:
        raise ctx.error(node, "[from, to] in hours, from <= to", values)
    return float(values[0]), float(values[1])


def _target(node: yaml.Node, ctx: r.Ctx) -> Target:
    f = r.Fields(node, ctx)
    target = Target(
        mae_pp=f.opt("mae_pp", r.number(0.0), None),
        max_error_pp=f.opt("max_error_pp", r.number(0.0), None),
        window_hours=f.opt("window_hours", _span, None),
        peak_hours=f.opt("peak_hours", _span, None),
        factor=f.opt("factor", r.number(above=1.0), None),
        lag_at_hours=f.opt("lag_at_hours", r.number(), None),
        lag_min_pct=f.opt("lag_min_pct", r.number(0.0, 100.0), None),
    )
    if (target.lag_at_hours is None) != (target.lag_min_pct is None):
        raise ctx.error(node, "lag_at_hours and lag_min_pct together")
    f.done()
    return target
