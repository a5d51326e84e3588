"""Small inline SVG charts for the compare report: bars with a band, a tornado, lines over time.

Plain SVG text, no script and no external resource, so the HTML opens
offline and prints as drawn. Every chart has a ``<title>`` for screen readers.
"""

from __future__ import annotations

from html import escape

__all__ = ["bars", "lines", "tornado"]

WIDTH = 640
ROW_H = 22
LABEL_W = 170
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf", "#7f7f7f")


def _svg(height: float, title: str, body: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" width="100%" '
            f'role="img" font-family="sans-serif" font-size="11"><title>{escape(title)}</title>'
            + "".join(body) + "</svg>")


def _fmt(value: float) -> str:
    return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"


def bars(title: str, rows: list[tuple[str, float, float | None, float | None]], unit: str = "") -> str:
    """Horizontal bars ``(label, value, low, high)``; the low-high band drawn as a whisker.

    >>> "<rect" in bars("t", [("a", 2.0, 1.0, 3.0), ("b", 0.0, None, None)])
    True
    """
    top = max([max(v, hi or 0.0) for _, v, _, hi in rows] + [1e-12])
    plot_w = WIDTH - LABEL_W - 80
    body = []
    for i, (label, value, low, high) in enumerate(rows):
        y = 8 + i * ROW_H
        w = plot_w * max(value, 0.0) / top
        body.append(f'<text x="{LABEL_W - 6}" y="{y + 14}" text-anchor="end">{escape(label)}</text>')
        body.append(f'<rect x="{LABEL_W}" y="{y + 3}" width="{w:.1f}" height="{ROW_H - 8}" fill="{PALETTE[0]}"/>')
        if low is not None and high is not None:
            x0, x1 = LABEL_W + plot_w * max(low, 0) / top, LABEL_W + plot_w * max(high, 0) / top
            body.append(f'<line x1="{x0:.1f}" x2="{x1:.1f}" y1="{y + 10}" y2="{y + 10}" stroke="#222" stroke-width="1.5"/>')
        body.append(f'<text x="{LABEL_W + w + 4:.1f}" y="{y + 14}">{escape(_fmt(value) + unit)}</text>')
    return _svg(16 + len(rows) * ROW_H, title, body)


def tornado(title: str, rows: list[tuple[str, float, float, float]]) -> str:
    """One bar per figure ``(label, at_low, base, at_high)``, centred on its base: how far each end moves it.

    >>> tornado("t", [("x", 1.0, 2.0, 4.0)]).count("<rect")
    2
    """
    spread = max([max(abs(lo - base), abs(hi - base)) for _, lo, base, hi in rows] + [1e-12])
    plot_w = WIDTH - LABEL_W - 20
    mid = LABEL_W + plot_w / 2
    body = [f'<line x1="{mid}" x2="{mid}" y1="4" y2="{12 + len(rows) * ROW_H}" stroke="#444"/>']
    for i, (label, low, base, high) in enumerate(rows):
        y = 8 + i * ROW_H
        body.append(f'<text x="{LABEL_W - 6}" y="{y + 14}" text-anchor="end">{escape(label)}</text>')
        for value, colour in ((low, PALETTE[1]), (high, PALETTE[2])):
            d = (value - base) / spread * plot_w / 2
            x = mid + min(d, 0.0)
            body.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{abs(d):.1f}" height="{ROW_H - 8}" fill="{colour}" '
                        f'opacity="0.8"/>')
    legend_y = 14 + len(rows) * ROW_H
    body.append(f'<text x="{LABEL_W}" y="{legend_y + 10}" fill="{PALETTE[1]}">at the low end</text>')
    body.append(f'<text x="{LABEL_W + 120}" y="{legend_y + 10}" fill="{PALETTE[2]}">at the high end</text>')
    return _svg(legend_y + 18, title, body)


def lines(title: str, series: list[tuple[str, list[float]]], x_label: str, y_label: str) -> str:
    """Lines over a common x axis (index = hour), each with its label in a legend.

    >>> lines("t", [("a", [0, 1, 2])], "hour", "people").count("<polyline")
    1
    """
    n = max([len(v) for _, v in series] + [2])
    top = max([max(v) if v else 0.0 for _, v in series] + [1e-12])
    left, right, plot_h = 60, WIDTH - 150, 180
    body = [f'<line x1="{left}" x2="{left}" y1="10" y2="{10 + plot_h}" stroke="#444"/>',
            f'<line x1="{left}" x2="{right}" y1="{10 + plot_h}" y2="{10 + plot_h}" stroke="#444"/>',
            f'<text x="{left - 4}" y="16" text-anchor="end">{escape(_fmt(top))}</text>',
            f'<text x="{left - 4}" y="{10 + plot_h}" text-anchor="end">0</text>',
            f'<text x="{(left + right) / 2}" y="{plot_h + 34}" text-anchor="middle">{escape(x_label)}</text>',
            f'<text x="12" y="{10 + plot_h / 2}" transform="rotate(-90 12 {10 + plot_h / 2})" '
            f'text-anchor="middle">{escape(y_label)}</text>',
            f'<text x="{right}" y="{plot_h + 24}" text-anchor="end">{n - 1}</text>']
    for k, (label, values) in enumerate(series):
        colour = PALETTE[k % len(PALETTE)]
        points = " ".join(f"{left + (right - left) * i / (n - 1):.1f},{10 + plot_h * (1 - v / top):.1f}"
                          for i, v in enumerate(values))
        body.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="1.5"/>')
        body.append(f'<text x="{right + 8}" y="{20 + 14 * k}" fill="{colour}">{escape(label)}</text>')
    return _svg(plot_h + 44, title, body)
