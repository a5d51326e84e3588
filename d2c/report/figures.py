"""Charts and the map of a result, as standalone SVG (matplotlib's SVG backend).

- ``survival_svg``: the share of 112 demand served over time, with and without
  D2C (and without the players' decisions, for a drill), axis in hours from
  the start of the scenario, shares in percent;
- ``sites_svg``: sites down by cause over time, stacked, in sites;
- ``map_svg``: the territory drawn from the topology's own places (no base
  map, nothing fetched): each area a dot sized by its population and coloured
  by its service at the worst instant, the worst-hit areas named, the
  incidents' footprints and the D2C beams of that instant.

Text stays text in the SVG (``svg.fonttype: none``), in the reader's own
sans-serif font: nothing is loaded from the network, and the same result
gives the same bytes (fixed hash salt, no date).
"""

from __future__ import annotations

import io
from types import SimpleNamespace
from typing import TYPE_CHECKING

import numpy as np

from d2c.report.chart import survival_series
from d2c.result import Result, as_result
from d2c.timetext import offset_text
from d2c.network import CAUSES

if TYPE_CHECKING:  # matplotlib itself is imported when a chart is drawn (_mpl)
    from matplotlib.figure import Figure

__all__ = ["SERVICE_COLOURS", "figure_sheet_svg", "map_svg", "sites_svg", "survival_svg"]

# text.parse_math off: names from the user's files ("Costa $ud", "50% [red]") print as written, never as mathtext
RC = {"svg.fonttype": "none", "svg.hashsalt": "d2c", "font.family": "sans-serif", "font.size": 9,
      "text.parse_math": False}
SERVICE_COLOURS = {"T": "#2e7d32", "D": "#1565c0", "N": "#c62828"}
SERVICE_NAMES = {"T": "terrestrial 112", "D": "D2C only", "N": "most people without a 112 path"}
SERIES_COLOURS = {"green": "#2e7d32", "yellow": "#b08800", "cyan": "#00838f", "red": "#c62828"}
CAUSE_COLOURS = {"damage": "#c62828", "power": "#f9a825", "jamming": "#8e24aa", "backhaul": "#00838f",
                 "core": "#1565c0"}
HAZARD_COLOURS = {"rupture": "#6d4c41", "flood": "#0277bd", "blackout": "#424242", "jamming": "#8e24aa"}
NAMED_AREAS = 6


def _mpl() -> SimpleNamespace:
    """matplotlib, imported when a chart is first drawn: a command that draws none (``d2c run``
    without ``--html``) does not pay for it."""
    import matplotlib
    from matplotlib.figure import Figure
    from matplotlib.patches import Polygon

    return SimpleNamespace(rc_context=matplotlib.rc_context, Figure=Figure, Polygon=Polygon)


def _svg(fig: Figure) -> str:
    with _mpl().rc_context(RC):
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": "d2c"}, bbox_inches="tight")
    text = buffer.getvalue()
    return text[text.index("<svg"):]  # inline-ready: no XML prologue or DOCTYPE


def _figure(width_in: float, height_in: float) -> Figure:
    with _mpl().rc_context(RC):
        return _mpl().Figure(figsize=(width_in, height_in), layout="constrained")


def _hours(result: Result) -> np.ndarray:
    return np.asarray(result.timeline.t_s, dtype=float) / 3600.0


def _time_axis(ax, result: Result) -> None:
    start = result.scenario.start.replace("T", " ").replace("Z", " UTC")
    ax.set_xlabel(f"time from the start, hours (T+0 = {start})")
    ax.grid(True, color="#dddddd", linewidth=0.6)
    ax.margins(x=0)


def _survival_axes(ax, result: Result) -> None:
    hours = _hours(result)
    plain_run = {"decisions, D2C": "with D2C", "decisions, no D2C": "without D2C"}  # a run: no players' decisions
    for series in survival_series(result):
        label = series.label if result.drill else plain_run.get(series.label, series.label)
        ax.plot(hours, 100.0 * np.asarray(series.values), label=label,
                color=SERIES_COLOURS.get(series.style, "#333333"), linewidth=1.4)
    ax.set_ylabel("112 demand served (%)")
    ax.set_ylim(0, 102)
    ax.set_title("Share of 112 demand (calls and SMS) served")
    _time_axis(ax, result)
    ax.legend(loc="lower left", fontsize=8, frameon=False)


def _sites_axes(ax, result: Result) -> None:
    hours = _hours(result)
    down = [np.asarray(result.timeline.sites_down_by_cause[c], dtype=float) for c in CAUSES]
    ax.stackplot(hours, *down, labels=list(CAUSES), colors=[CAUSE_COLOURS[c] for c in CAUSES], alpha=0.85)
    ax.set_ylabel("sites down (sites)")
    ax.set_ylim(0, max(1.0, float(np.sum(down, axis=0).max(initial=0.0)) * 1.1))
    ax.set_title(f"Sites down by cause, of {result.summary.sites_total:,} sites")
    _time_axis(ax, result)
    ax.legend(loc="upper right", fontsize=8, frameon=False, ncol=len(CAUSES))


def survival_svg(result: Result | dict) -> str:
    """The share of 112 demand served at each step, one line per run, in percent."""
    result = as_result(result)
    return _single(result, _survival_axes, 7.0, 2.8)


def sites_svg(result: Result | dict) -> str:
    """Sites down at each step, stacked by cause, in sites."""
    result = as_result(result)
    return _single(result, _sites_axes, 7.0, 2.6)


def map_svg(result: Result | dict) -> str:
    """The map of the territory at the worst instant."""
    result = as_result(result)
    return _single(result, _map, 7.0, 7.0)


def _single(result: Result, draw, width_in: float, height_in: float) -> str:
    with _mpl().rc_context(RC):
        fig = _figure(width_in, height_in)
        draw(fig.add_subplot(), result)
        return _svg(fig)


def _map(ax, result: Result) -> None:
    places = result.places
    if places is None or not places.areas.lat:
        ax.text(0.5, 0.5, "no place data in this result", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return
    areas, worst = places.areas, places.worst
    lat = np.asarray(areas.lat, dtype=float)
    lon = np.asarray(areas.lon, dtype=float)
    population = np.asarray(areas.population, dtype=float)
    service = np.array(list(worst.area_service or "T" * lat.size))
    size = 4.0 + 60.0 * np.sqrt(population / max(population.max(), 1.0))
    order = np.argsort(-population)  # big dots first, small ones on top
    for code in ("T", "D", "N"):
        pick = order[service[order] == code]
        ax.scatter(lon[pick], lat[pick], s=size[pick], c=SERVICE_COLOURS[code], alpha=0.75, linewidths=0,
                   label=f"{SERVICE_NAMES[code]} ({int(population[service == code].sum()):,} people)")
    for item in places.incidents:
        geometry = item.geometry
        colour = HAZARD_COLOURS.get(item.kind, "#6d4c41")
        if geometry["type"] == "Point":
            x, y = geometry["coordinates"]
            ax.plot([x], [y], marker="*", markersize=13, color="#212121", linestyle="none")
            ax.annotate(item.label, (x, y), xytext=(6, -10), textcoords="offset points", fontsize=7)
        else:
            ring = np.asarray(geometry["coordinates"][0], dtype=float)
            ax.add_patch(_mpl().Polygon(ring, closed=True, fill=False, edgecolor=colour, linewidth=1.3,
                                      linestyle="--", label=item.label))
    beams = np.asarray(worst.area_beam, dtype=int)
    if beams.size == lat.size and (beams >= 0).any():
        for k, beam in enumerate(np.unique(beams[beams >= 0])):
            members = beams == beam
            cx, cy = lon[members].mean(), lat[members].mean()
            radius = max(float(np.max(np.hypot(lon[members] - cx, lat[members] - cy))), 0.05)
            ax.add_patch(_mpl().Polygon(_circle(cx, cy, radius), closed=True, fill=True, facecolor="#1565c0",
                                      alpha=0.08, edgecolor="#1565c0", linewidth=0.8,
                                      label="D2C beam (areas it serves)" if k == 0 else None))
    index = {name: i for i, name in enumerate(areas.name)}
    for area in result.worst_areas[:NAMED_AREAS]:
        i = index.get(area.name)
        if i is not None:
            ax.annotate(area.name, (lon[i], lat[i]), xytext=(4, 4), textcoords="offset points", fontsize=8,
                        fontweight="bold")
    ax.set_aspect(1.0 / np.cos(np.radians(float(np.mean(lat)))))
    ax.set_xlabel("longitude (degrees east)")
    ax.set_ylabel("latitude (degrees north)")
    ax.grid(True, color="#eeeeee", linewidth=0.5)
    when = worst.t_s
    ax.set_title("Service at the worst instant" + (f", {offset_text(when)}" if when is not None else "")
                 + " (most people without a 112 path)")
    ax.legend(loc="best", fontsize=7, frameon=True, framealpha=0.85, markerscale=0.7)


def _circle(cx: float, cy: float, r: float) -> np.ndarray:
    a = np.linspace(0.0, 2.0 * np.pi, 48)
    return np.column_stack([cx + r * np.cos(a), cy + r * np.sin(a)])


def figure_sheet_svg(result: Result | dict, title: str) -> str:
    """One standalone SVG with the map and both charts, for ``d2c report --format svg``."""
    result = as_result(result)
    with _mpl().rc_context(RC):
        fig = _figure(7.5, 13.0)
        fig.suptitle(title, fontsize=12, fontweight="bold")
        grid = fig.add_gridspec(3, 1, height_ratios=[2.4, 1, 1])
        _map(fig.add_subplot(grid[0]), result)
        _survival_axes(fig.add_subplot(grid[1]), result)
        _sites_axes(fig.add_subplot(grid[2]), result)
        return _svg(fig)
