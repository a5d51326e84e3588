"""Small formatting helpers every report shares."""

from __future__ import annotations


def percent(x: float | None, digits: int = 1) -> str:
    """A fraction as a percentage; ``n/a`` when there is nothing to measure.

    One rounding rule: a share strictly between 0 and 1 never prints as 0% or
    100%, so a report never says "100.0%" of something that was not all.

    >>> percent(0.3252), percent(0.99996), percent(0.00001, 0), percent(1.0), percent(None)
    ('32.5%', '>99.9%', '<1%', '100.0%', 'n/a')
    """
    if x is None:
        return "n/a"
    value = round(100 * x, digits)
    step = 10.0 ** -digits
    if 0 < x < 1 and value >= 100:
        return f">{100 - step:.{digits}f}%"
    if 0 < x < 1 and value <= 0:
        return f"<{step:.{digits}f}%"
    return f"{100 * x:.{digits}f}%"
