"""Times into a run as exercise timelines write them: ``T+hh:mm``, and with the wall clock beside it.

The one formatter of ``T+hh:mm`` in d2c: hazards' descriptions, the offer's
phases, reports, charts and the drill room all call it. It imports nothing
from d2c, so any layer may use it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

__all__ = ["offset_text", "offset_clock_text"]


def offset_text(t_s: float) -> str:
    """Seconds from the start as ``T+hh:mm`` (whole minutes, rounded down; hours past 24 go on counting).

    >>> offset_text(0), offset_text(5400), offset_text(90061)
    ('T+00:00', 'T+01:30', 'T+25:01')
    """
    return f"T+{int(t_s // 3600):02d}:{int(t_s % 3600 // 60):02d}"


def offset_clock_text(start: datetime, t_s: float) -> str:
    """``T+hh:mm`` with the UTC wall-clock time of that instant.

    >>> from datetime import timezone
    >>> offset_clock_text(datetime(2016, 8, 24, 1, 36, tzinfo=timezone.utc), 3600)
    'T+01:00 (02:36 UTC)'
    """
    return f"{offset_text(t_s)} ({start + timedelta(seconds=t_s):%H:%M} UTC)"
