"""Errors of a modelled series against an observed one: per point, mean, peak timing, factor.

A point's error respects how the value was reported: an ``exact`` figure
counts both ways; an ``at_least`` figure ("over 48 %") only when the model is
below it; an ``at_most`` figure ("all back") only when the model is above it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from d2c.hindcast.observed import ObservedSeries
from d2c.hindcast.spec import Target

__all__ = ["Score", "score", "sample_at", "point_errors", "role_of_operators"]


@dataclass(frozen=True)
class Score:
    rows: list[dict]           # per observed point: t_hours, series, bound, observed, modelled, error, in_window
    mae_pp: float | None
    max_error_pp: float | None
    peak_observed_h: float | None
    peak_modelled_h: float | None
    factor: float | None       # modelled / observed of the window's first point (rate metrics)
    lag_pct: float | None      # the modelled value at the target's lag time
    checks: dict[str, bool]    # each target criterion: met or not

    @property
    def peak_error_h(self) -> float | None:
        if self.peak_observed_h is None or self.peak_modelled_h is None:
            return None
        return self.peak_modelled_h - self.peak_observed_h

    @property
    def met(self) -> bool:
        return all(self.checks.values())


def sample_at(t_hours: np.ndarray, values: np.ndarray, at_hours: np.ndarray) -> np.ndarray:
    """The modelled value of the last step at or before each time (NaN outside the run).

    >>> sample_at(np.array([0.0, 1.0, 2.0]), np.array([5.0, 6.0, 7.0]), np.array([1.5, -1.0, 2.0]))
    array([ 6., nan,  7.])
    """
    idx = np.searchsorted(t_hours, at_hours + 1e-9, side="right") - 1
    inside = (idx >= 0) & (at_hours <= t_hours[-1] + (t_hours[-1] - t_hours[-2] if t_hours.size > 1 else 0.0))
    return np.where(inside, values[np.clip(idx, 0, t_hours.size - 1)], np.nan)


def point_errors(observed: np.ndarray, modelled: np.ndarray, bounds: tuple[str, ...]) -> np.ndarray:
    """Absolute error per point in the reported sense of each bound.

    >>> point_errors(np.array([48.0, 48.0, 5.0]), np.array([60.0, 40.0, 0.0]), ("at_least", "at_least", "at_most"))
    array([0., 8., 0.])
    """
    diff = modelled - observed
    kind = np.array(bounds)
    return np.where(kind == "at_least", np.maximum(-diff, 0.0),
                    np.where(kind == "at_most", np.maximum(diff, 0.0), np.abs(diff)))


def role_of_operators(series: dict[str, np.ndarray]) -> dict[str, str]:
    """``best`` and ``worst``: the operators with the lowest and highest mean over the run."""
    ops = sorted(k for k in series if k != "all")
    if not ops:
        return {"best": "all", "worst": "all"}
    means = {k: float(np.mean(series[k])) for k in ops}
    return {"best": min(ops, key=lambda k: (means[k], k)), "worst": max(ops, key=lambda k: (means[k], k))}


def score(obs: ObservedSeries, t_hours: np.ndarray, series: dict[str, np.ndarray], target: Target,
          rate: bool = False) -> Score:
    """Compare ``series`` (hours since onset ``t_hours``) with the observed points; check ``target``."""
    roles = role_of_operators(series)
    modelled = np.full(obs.value.size, np.nan)
    chosen = []
    for i, name in enumerate(obs.series):
        key = roles.get(name, name)
        chosen.append(key)
        if key in series:
            modelled[i] = sample_at(t_hours, series[key], obs.t_hours[i:i + 1])[0]
    errors = point_errors(obs.value, modelled, obs.bound)
    window = np.isfinite(modelled)
    if target.window_hours is not None:
        lo, hi = target.window_hours
        window &= (obs.t_hours >= lo) & (obs.t_hours <= hi)
    rows = [
        {"t_hours": float(obs.t_hours[i]), "series": obs.series[i], "modelled_series": chosen[i],
         "bound": obs.bound[i], "observed": float(obs.value[i]),
         "modelled": None if not np.isfinite(modelled[i]) else round(float(modelled[i]), 3),
         "error": None if not np.isfinite(errors[i]) else round(float(errors[i]), 3), "in_window": bool(window[i])}
        for i in range(obs.value.size)
    ]
    checks: dict[str, bool] = {}
    mae = max_err = factor = None
    if rate:
        first = int(np.flatnonzero(window)[0]) if window.any() else None
        if first is not None and obs.value[first] > 0:
            factor = float(modelled[first] / obs.value[first])
        if target.factor is not None:
            checks["factor"] = factor is not None and 1.0 / target.factor <= factor <= target.factor
    elif window.any():
        mae = float(np.mean(errors[window]))
        max_err = float(np.max(errors[window]))
    if target.mae_pp is not None:
        checks["mae"] = mae is not None and mae <= target.mae_pp
    if target.max_error_pp is not None:
        checks["max_error"] = max_err is not None and max_err <= target.max_error_pp
    peak_obs = peak_mod = None
    if not rate and "all" in series:
        all_rows = obs.rows("all")
        all_rows = all_rows[np.array([obs.bound[i] != "at_most" for i in all_rows], dtype=bool)] if all_rows.size else all_rows
        if all_rows.size >= 2:  # a peak needs a curve, not one figure
            peak_obs = float(obs.t_hours[all_rows[int(np.argmax(obs.value[all_rows]))]])
        peak_mod = float(t_hours[int(np.argmax(series["all"]))])
    if target.peak_hours is not None:
        lo, hi = target.peak_hours
        checks["peak"] = peak_mod is not None and lo <= peak_mod <= hi
    lag = None
    if target.lag_at_hours is not None and "all" in series:
        lag = float(sample_at(t_hours, series["all"], np.array([target.lag_at_hours]))[0])
        checks["restart_lag"] = bool(np.isfinite(lag) and lag >= target.lag_min_pct)
    return Score(rows, _r(mae), _r(max_err), peak_obs, peak_mod, _r(factor), _r(lag), checks)


def _r(x: float | None) -> float | None:
    return None if x is None or not np.isfinite(x) else round(float(x), 3)
