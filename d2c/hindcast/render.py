"""The hindcast's outputs: a rich terminal report, Markdown, JSON and an SVG chart, all from the same figures."""

from __future__ import annotations

import math
from xml.sax.saxutils import escape

import numpy as np
from rich.console import Console
from rich.table import Table
from rich.text import Text

from d2c.base.errors import ConfigError
from d2c.hindcast.run import EventResult
from d2c.hindcast.score import ScoredPoint

__all__ = ["chart_lines", "render_terminal", "markdown", "document", "svg", "UNITS", "BEGIN", "END", "read_quoting", "quote"]

BEGIN, END = "<!-- hindcast:begin -->", "<!-- hindcast:end -->"

UNITS = {"sites_out_pct": "% of sites out", "users_out_pct": "% of users without service",
         "people_no_cell_pct": "% of people with no cell", "failed_112_per_million": "failed 112 calls per million customers"}
MARK = {"exact": "o", "at_least": "^", "at_most": "v"}
BOUND_TEXT = {"exact": "", "at_least": ">=", "at_most": "<="}
CURVE_MARK = {"all": "*", "best": "+", "worst": "x"}


def chart_lines(result: EventResult, width: int = 64, height: int = 11) -> list[str]:
    """The modelled curves (``*`` all, ``+`` best, ``x`` worst operator) and the observed points
    (``o`` exact, ``^`` at least, ``v`` at most) on one text grid, hours since onset across."""
    t = result.curve_t_hours
    obs = result.spec.observed
    t0 = float(min(t[0], obs.t_hours.min())) if t.size else float(obs.t_hours.min())
    t1 = float(max(t[-1], obs.t_hours.max())) if t.size else float(obs.t_hours.max())
    top = max([float(np.nanmax(v)) for _, v in result.curves.items() if v.size] + [float(obs.value.max()), 1.0])
    top = _nice_top(top)
    grid = [[" "] * width for _ in range(height)]

    def put(th: float, value: float, mark: str) -> None:
        if not np.isfinite(value):
            return
        col = int(round((th - t0) / max(t1 - t0, 1e-9) * (width - 1)))
        row = height - 1 - int(round(min(max(value / top, 0.0), 1.0) * (height - 1)))
        grid[row][min(max(col, 0), width - 1)] = mark

    for name, values in sorted(result.curves.items(), key=lambda curve: curve[0] == "all"):  # all drawn last, on top
        for th in np.linspace(t0, t1, width):
            if t.size and t[0] <= th <= t[-1]:
                put(th, float(values[min(int(np.searchsorted(t, th + 1e-9, side="right") - 1), t.size - 1)]),
                    CURVE_MARK[name])
    for th, v, b in zip(obs.t_hours, obs.value, obs.bound):
        put(float(th), float(v), MARK[b])
    label_w = len(f"{top:g}")
    lines = []
    for k, row in enumerate(grid):
        value = top * (height - 1 - k) / (height - 1)
        label = f"{value:.4g}" if k in (0, (height - 1) // 2, height - 1) else ""
        lines.append(f"{label:>{label_w}} |" + "".join(row))
    lines.append(" " * label_w + " +" + "-" * width)
    left, right = f"{_hours(t0)} h", f"{_hours(t1)} h since onset"
    lines.append(" " * (label_w + 2) + left + " " * max(1, width - len(left) - len(right)) + right)
    return lines


def _hours(t: float) -> str:
    return f"{round(t, 1) + 0.0:g}"


def _nice_top(x: float) -> float:
    if x <= 100.0 and x > 20.0:
        return 100.0
    exp = 10 ** math.floor(math.log10(x))
    for m in (1, 2, 5, 10):
        if m * exp >= x:
            return float(m * exp)
    return float(10 * exp)


def _fmt(x, digits: int = 1) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def _series(row: ScoredPoint) -> str:
    """The observed series, and the operator it was compared with when that is another name (best, worst)."""
    return row.series + (f" ({row.modelled_series})" if row.modelled_series != row.series else "")


def summary_line(r: EventResult) -> str:
    s = r.score
    parts = []
    if s.mae_pp is not None:
        parts.append(f"MAE {s.mae_pp:.1f} pp, worst point {s.max_error_pp:.1f} pp")
    if s.factor is not None:
        parts.append(f"model / observed = {s.factor:.2f}")
    if s.peak_error_h is not None:
        parts.append(f"peak at {s.peak_modelled_h:+.1f} h (observed {s.peak_observed_h:+.1f} h, "
                     f"error {s.peak_error_h:+.1f} h)")
    if s.lag_pct is not None:
        parts.append(f"{s.lag_pct:.1f} % still out at {r.spec.target.lag_at_hours:g} h")
    return "; ".join(parts)


def verdict(r: EventResult) -> str:
    if not r.score.checks.items():
        return "no target"
    return ("MET" if r.score.met else "MISSED") + " (" + ", ".join(
        f"{k} {'ok' if v else 'missed'}" for k, v in r.score.checks.items()) + ")"


def render_terminal(results: list[EventResult], console: Console) -> None:
    for r in results:
        console.print()
        console.print(Text(r.spec.title, style="bold"))
        console.print(Text("=" * len(r.spec.title)))
        console.print(Text(f"analogue: {r.spec.analogue} ({r.spec.scenario.as_posix()})"))
        console.print(Text(f"metric: {UNITS.get(r.metric, r.metric)}; target: {r.spec.target.describe()}"))
        table = Table(show_edge=False, pad_edge=False)
        for col in ("h since onset", "series", "observed", "modelled", "error"):
            table.add_column(col, justify="right" if col != "series" else "left")
        for row in r.score.rows:
            table.add_row(f"{row.t_hours:g}", _series(row), f"{BOUND_TEXT[row.bound]}{row.observed:g}",
                          _fmt(row.modelled), _fmt(row.error) + ("" if row.in_window else " (not scored)"))
        console.print(table)
        console.print(Text(summary_line(r)))
        style = "green" if r.score.met else ("red" if r.score.checks.items() else "dim")
        console.print(Text(verdict(r), style=style))
        console.print(Text("\n".join(chart_lines(r))))


def markdown(results: list[EventResult]) -> str:
    out = ["| event | metric | MAE (pp) | worst point (pp) | peak error (h) | model / observed | target | verdict |",
           "|---|---|---|---|---|---|---|---|"]
    for r in results:
        s = r.score
        out.append(f"| {r.spec.title} | {UNITS.get(r.metric, r.metric)} | {_fmt(s.mae_pp)} | {_fmt(s.max_error_pp)} | "
                   f"{_fmt(s.peak_error_h)} | {_fmt(s.factor, 2)} | {r.spec.target.describe()} | {verdict(r)} |")
    for r in results:
        out += ["", f"### {r.spec.title}", "",
                f"Analogue: {r.spec.analogue} (`{r.spec.scenario.as_posix()}`). Observed: "
                f"`{r.spec.observed.path}` ({r.spec.observed.title.rstrip('.')}). Metric: {UNITS.get(r.metric, r.metric)}.",
                ""]
        if r.best_worst is not None:
            out += [f"Best operator: {r.best_worst.best}; worst: {r.best_worst.worst}.", ""]
        out += ["| h since onset | series | observed | modelled | error |", "|---|---|---|---|---|"]
        for row in r.score.rows:
            out.append(f"| {row.t_hours:g} | {_series(row)} | {BOUND_TEXT[row.bound]}{row.observed:g} | "
                       f"{_fmt(row.modelled)} | {_fmt(row.error)}{'' if row.in_window else ' (not scored)'} |")
        out += ["", summary_line(r) + ". " + verdict(r) + ".", "", "```text", *chart_lines(r), "```"]
    return "\n".join(out) + "\n"


def document(results: list[EventResult]) -> dict:
    return {"events": [r.to_dict() for r in results],
            "met": {r.spec.id: r.score.met for r in results if r.score.checks.items()}}


def svg(results: list[EventResult], width: int = 640, panel_h: int = 200) -> str:
    """Small multiples, one panel per event: modelled curves as lines, observed points as markers."""
    pad_l, pad_r, pad_t, pad_b = 48, 16, 28, 28
    height = panel_h * len(results)
    colours = {"all": "#1f77b4", "best": "#2ca02c", "worst": "#d62728"}
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">',
             f'<rect width="{width}" height="{height}" fill="white"/>']
    for k, r in enumerate(results):
        y0 = k * panel_h
        obs = r.spec.observed
        t = r.curve_t_hours
        t0 = float(min(t[0] if t.size else 0.0, obs.t_hours.min()))
        t1 = float(max(t[-1] if t.size else 1.0, obs.t_hours.max()))
        top = _nice_top(max([float(np.nanmax(v)) for _, v in r.curves.items() if v.size] + [float(obs.value.max()), 1.0]))
        pw, ph = width - pad_l - pad_r, panel_h - pad_t - pad_b

        def x(th: float) -> float:
            return pad_l + (th - t0) / max(t1 - t0, 1e-9) * pw

        def y(v: float) -> float:
            return y0 + pad_t + (1.0 - min(max(v / top, 0.0), 1.0)) * ph

        parts.append(f'<text x="{pad_l}" y="{y0 + 16}" font-weight="bold">{escape(r.spec.title)}</text>')
        parts.append(f'<rect x="{pad_l}" y="{y0 + pad_t}" width="{pw}" height="{ph}" fill="none" stroke="#999"/>')
        parts.append(f'<text x="{pad_l - 4}" y="{y0 + pad_t + 4}" text-anchor="end">{top:g}</text>')
        parts.append(f'<text x="{pad_l - 4}" y="{y0 + pad_t + ph}" text-anchor="end">0</text>')
        parts.append(f'<text x="{pad_l}" y="{y0 + panel_h - 8}">{_hours(t0)} h</text>')
        parts.append(f'<text x="{pad_l + pw}" y="{y0 + panel_h - 8}" text-anchor="end">{_hours(t1)} h since onset; '
                     f'{escape(UNITS.get(r.metric, r.metric))}</text>')
        for name, values in r.curves.items():
            points = " ".join(f"{x(float(th)):.1f},{y(float(v)):.1f}" for th, v in zip(t, values) if np.isfinite(v))
            parts.append(f'<polyline points="{points}" fill="none" stroke="{colours.get(name, "#555")}" '
                         f'stroke-width="{2 if name == "all" else 1}"><title>model, {name}</title></polyline>')
        for th, v, b, s in zip(obs.t_hours, obs.value, obs.bound, obs.series):
            cx, cy = x(float(th)), y(float(v))
            if b == "exact":
                shape = f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="4"'
            else:
                d = -6 if b == "at_least" else 6
                shape = f'<path d="M{cx - 4:.1f},{cy:.1f} L{cx + 4:.1f},{cy:.1f} L{cx:.1f},{cy + d:.1f} Z"'
            parts.append(shape + f' fill="black"><title>observed {s} {BOUND_TEXT[b]}{v:g} at {th:g} h</title>'
                         + ("</circle>" if b == "exact" else "</path>"))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def read_quoting(path) -> str:
    """The text of a Markdown file that quotes the hindcast: it must hold the two markers, in order."""
    try:
        text = open(path, encoding="utf-8").read()
    except OSError as exc:
        raise ConfigError(str(path), None, "", "a readable Markdown file", exc.strerror) from None
    if text.count(BEGIN) != 1 or text.count(END) != 1 or text.index(BEGIN) > text.index(END):
        raise ConfigError(str(path), None, "", f"one {BEGIN} line followed by one {END} line")
    return text


def quote(text: str, block: str, path="") -> str:
    """``text`` with what lies between the markers replaced by ``block`` (the command's Markdown, verbatim).

    >>> quote("a\\n<!-- hindcast:begin -->\\nold\\n<!-- hindcast:end -->\\nb\\n", "new\\n")
    'a\\n<!-- hindcast:begin -->\\nnew\\n<!-- hindcast:end -->\\nb\\n'
    """
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return head + BEGIN + "\n" + block + END + tail
