"""Hindcast: d2c scored against what really happened (``d2c hindcast``, docs/VALIDATION.md).

One idea per module: ``observed`` (the published series in validation/observed/),
``spec`` (which analogue scenario answers which series, and the targets),
``probe`` (the modelled series of a run), ``score`` (errors against the
observations), ``render`` (terminal, Markdown, JSON, SVG).
"""

from d2c.hindcast.observed import ObservedSeries, read_observed
from d2c.hindcast.run import EventResult, run_event, run_hindcast
from d2c.hindcast.spec import EventSpec, Target, load_spec

__all__ = ["ObservedSeries", "read_observed", "EventSpec", "Target", "load_spec", "EventResult", "run_event",
           "run_hindcast"]
