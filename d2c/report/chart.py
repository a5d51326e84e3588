"""Terminal charts in block characters: the survival curve over time, several runs stacked.

One band of ``height`` rows per series, filled from the bottom with eighth
blocks, all on the same vertical scale so bands compare at a glance. The lines
come as (text, style) segments: rich turns them into coloured text, and the
plain reports join the text.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from d2c.timetext import offset_text
from d2c.metrics import served_share
from d2c.result import Result, as_result

__all__ = ["EIGHTHS", "Line", "Series", "band", "bucket_means", "chart_lines", "plain", "rich_text", "scale_floor",
           "survival_series"]

EIGHTHS = " ▁▂▃▄▅▆▇█"
Line = list[tuple[str, str | None]]


@dataclass(frozen=True)
class Series:
    label: str
    values: np.ndarray
    style: str = "cyan"


def survival_series(result: Result | dict) -> list[Series]:
    """The curves of a result: this run with and without D2C, and the run without the decisions."""
    result = as_result(result)
    tl = result.timeline
    series = [Series("decisions, D2C", served_share(tl.emergency_served, tl.emergency_offered), "green"),
              Series("decisions, no D2C", served_share(tl.emergency_served_without_d2c, tl.emergency_offered),
                     "yellow")]
    cf = result.counterfactual
    if cf is not None:
        ct = cf.timeline
        series += [Series("no decisions, D2C", served_share(ct.emergency_served, ct.emergency_offered), "cyan"),
                   Series("no decisions, no D2C", served_share(ct.emergency_served_without_d2c, ct.emergency_offered),
                          "red")]
    return series


def scale_floor(series: list[Series]) -> float:
    """The bottom of the vertical scale: the lowest value rounded down to 10%, at most 90%.

    >>> scale_floor([Series("a", np.array([0.47, 1.0])), Series("b", np.array([0.93]))])
    0.4
    >>> scale_floor([Series("a", np.array([0.97]))])
    0.9
    """
    lows = [float(np.min(s.values)) for s in series if len(s.values)]
    low = min(lows, default=0.0)
    return max(0.0, min(0.9, math.floor(low * 10.0 + 1e-9) / 10.0))


def bucket_means(values, width: int) -> np.ndarray:
    """``values`` in at most ``width`` consecutive buckets of near-equal size, the mean of each
    (every terminal chart buckets this way: ``band`` here, ``report.terminal.sparkline``).

    >>> bucket_means([1, 2, 3, 4, 5], 2).tolist()
    [2.0, 4.5]
    """
    data = np.asarray(values, dtype=float)
    return np.array([b.mean() for b in np.array_split(data, min(width, data.size))]) if data.size else data


def band(values, width: int, height: int, lo: float, hi: float) -> list[str]:
    """``values`` as ``height`` rows (top first) of ``width`` block characters.

    On a 0-1 scale two rows hold 16 eighths: 0.5 fills the bottom row, 1 both:

    >>> band([0.0, 0.5, 1.0], 3, 1, 0.0, 1.0), band([0.0, 0.5, 1.0], 3, 2, 0.0, 1.0)
    ([' ▄█'], ['  █', ' ██'])
    """
    means = bucket_means(values, width)
    if means.size == 0:
        return [" " * width] * height
    if means.size < width:  # fewer steps than columns: stretch
        means = means[np.minimum((np.arange(width) * means.size) // width, means.size - 1)]
    span = hi - lo
    level = np.zeros(width) if span <= 0 else np.clip((means - lo) / span, 0.0, 1.0)
    eighths = np.round(level * height * 8).astype(int)
    rows = []
    for r in range(height):
        floor = (height - 1 - r) * 8
        rows.append("".join(EIGHTHS[int(np.clip(e - floor, 0, 8))] for e in eighths))
    return rows


def chart_lines(series: list[Series], t_s, width: int = 60, height: int = 3, lo: float | None = None,
                hi: float = 1.0, label_width: int = 20) -> list[Line]:
    """Stacked bands, one per series, with the scale on the left and the time axis below.

    Two steps (half served, then all) stretched over 16 columns, one row high:

    >>> print(plain(chart_lines([Series("run", np.array([0.5, 1.0]))], [0, 3600], width=16, height=1, lo=0.0,
    ...                         label_width=4)))
    run  100% ▕▄▄▄▄▄▄▄▄████████
               T+00:00  T+01:00
    """
    lo = scale_floor(series) if lo is None else lo
    lines: list[Line] = []
    for s in series:
        rows = band(s.values, width, height, lo, hi)
        for r, row in enumerate(rows):
            label = s.label if r == 0 else ""
            scale = f"{hi:>4.0%}" if r == 0 else f"{lo:>4.0%}" if r == height - 1 else "    "
            lines.append([(f"{label:<{label_width}} {scale} ", None if r else "bold"), ("▕", "dim"), (row, s.style)])
    t = np.asarray(t_s, dtype=float)
    if t.size:
        start, end = offset_text(t[0]), offset_text(t[-1])
        axis = f"{start:<{width // 2}}{end:>{width - width // 2}}"
        lines.append([(" " * (label_width + 6) + " ", None), (axis, "dim")])
    return lines


def plain(lines: list[Line]) -> str:
    """The lines as text without styles, trailing spaces dropped.

    >>> plain([[("a", None), ("b  ", "bold")], [("c", "dim")]])
    'ab\\nc'
    """
    return "\n".join("".join(text for text, _ in line).rstrip() for line in lines)


def rich_text(lines: list[Line]):
    """The lines as one ``rich.text.Text``, each segment in its style.

    >>> rich_text([[("a", "bold")], [("b", None)]]).plain
    'a\\nb'
    """
    from rich.text import Text

    out = Text()
    for k, line in enumerate(lines):
        for text, style in line:
            out.append(text, style=style or "")
        if k < len(lines) - 1:
            out.append("\n")
    return out
