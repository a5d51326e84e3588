"""Small formatting helpers every report shares."""

from __future__ import annotations

__all__ = ["PERCENT_DIGITS", "as_shown", "count_of", "percent"]


PERCENT_DIGITS = 1  # every report shows shares with one decimal of a percent


def as_shown(x: float, digits: int = PERCENT_DIGITS) -> float:
    """A fraction rounded as the reports show it: the value compared with a target.

    One rounding rule for display and comparison, so that a figure shown as
    97.0% meets a 97% target everywhere in a report.

    >>> as_shown(0.96968)
    0.97
    """
    return round(float(x), 2 + digits)


def percent(x: float | None, digits: int = PERCENT_DIGITS) -> str:
    """A fraction as a percentage; ``n/a`` when there is nothing to measure.

    >>> percent(0.96968), percent(None)
    ('97.0%', 'n/a')
    """
    return "n/a" if x is None else f"{100 * as_shown(x, digits):.{digits}f}%"


def count_of(part: float, whole: float) -> str:
    """``part of whole (share)``, the counts and the share agreeing: counts that are
    not whole numbers keep a decimal, so 104.6 of 105 never reads as "105 of 105 (99.6%)".

    >>> count_of(104.6, 105), count_of(3, 4), count_of(0, 0)
    ('104.6 of 105.0 (99.6%)', '3 of 4 (75.0%)', '0 of 0 (n/a)')
    """
    whole_numbers = float(part).is_integer() and float(whole).is_integer()
    fmt = (lambda v: f"{v:,.0f}") if whole_numbers else (lambda v: f"{v:,.1f}")
    return f"{fmt(part)} of {fmt(whole)} ({percent(part / whole if whole else None)})"
