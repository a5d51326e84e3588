"""Small formatting helpers every report shares."""

from __future__ import annotations


def percent(x: float | None, digits: int = 1) -> str:
    """A fraction as a percentage; ``n/a`` when there is nothing to measure."""
    return "n/a" if x is None else f"{100 * x:.{digits}f}%"
