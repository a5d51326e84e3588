"""Errors of a modelled series against an observed one: per point, mean, peak timing, factor.

A point's error respects how the value was reported: an ``exact`` figure
counts both ways; an ``at_least`` figure ("over 48 %") only when the model is
below it; an ``at_most`` figure ("all back") only when the model is above it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from d2c.hindcast.observed import ObservedSeries
from d2c.hindcast.spec import Target

__all__ = ["Checks", "ModelledSeries", "Roles", "ScoredPoint", "Score", "score", "sample_at", "point_errors", "role_of_operators"]


@dataclass(frozen=True)
class ModelledSeries:
    """A modelled metric at every step: over all operators, and per operator (by name)."""

    all: np.ndarray
    by_operator: dict[str, np.ndarray]

    def named(self, name: str) -> np.ndarray | None:
        """The series of ``name`` (``all`` or an operator), None if the model has none of that name."""
        return self.all if name == "all" else self.by_operator.get(name)


@dataclass(frozen=True)
class ScoredPoint:
    """One observed point against the model (JSON: one of an event's ``rows``)."""

    t_hours: float
    series: str             # as observed: all, best, worst or an operator
    modelled_series: str    # the series it was compared with (best and worst name an operator)
    bound: str              # exact, at_least, at_most
    observed: float
    modelled: float | None  # None: outside the run
    error: float | None     # in the reported sense of the bound
    in_window: bool         # scored (within the target's window and the run)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class Checks:
    """Each target criterion the event has: met or not (None: not a criterion of this target).

    >>> c = Checks(mae=True, peak=False)
    >>> c.items(), c.met
    ([('mae', True), ('peak', False)], False)
    """

    factor: bool | None = None
    mae: bool | None = None
    max_error: bool | None = None
    peak: bool | None = None
    restart_lag: bool | None = None

    def items(self) -> list[tuple[str, bool]]:
        """The criteria set, in this order (JSON: ``checks``)."""
        return [(f.name, getattr(self, f.name)) for f in dataclasses.fields(self) if getattr(self, f.name) is not None]

    @property
    def met(self) -> bool:
        return all(ok for _, ok in self.items())

    def to_dict(self) -> dict:
        return dict(self.items())


@dataclass(frozen=True)
class Score:
    rows: list[ScoredPoint]    # per observed point
    mae_pp: float | None
    max_error_pp: float | None
    peak_observed_h: float | None
    peak_modelled_h: float | None
    factor: float | None       # modelled / observed of the window's first point (rate metrics)
    lag_pct: float | None      # the modelled value at the target's lag time
    checks: Checks             # each target criterion: met or not

    @property
    def peak_error_h(self) -> float | None:
        if self.peak_observed_h is None or self.peak_modelled_h is None:
            return None
        return self.peak_modelled_h - self.peak_observed_h

    @property
    def met(self) -> bool:
        return self.checks.met


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


@dataclass(frozen=True)
class Roles:
    """Which operator is ``best`` and which ``worst`` (as the observers report them), by the model's series."""

    best: str
    worst: str

    def series_for(self, observed: str) -> str:
        """The model's series compared with an observed series: best and worst name an operator, others are theirs.

        >>> Roles("TIM", "Iliad").series_for("worst"), Roles("TIM", "Iliad").series_for("all")
        ('Iliad', 'all')
        """
        return self.best if observed == "best" else self.worst if observed == "worst" else observed

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


def role_of_operators(series: ModelledSeries) -> Roles:
    """``best`` and ``worst``: the operators with the lowest and highest mean over the run (``all`` when none)."""
    ops = sorted(series.by_operator)
    if not ops:
        return Roles("all", "all")
    means = {k: float(np.mean(series.by_operator[k])) for k in ops}
    return Roles(min(ops, key=lambda k: (means[k], k)), max(ops, key=lambda k: (means[k], k)))


def score(obs: ObservedSeries, t_hours: np.ndarray, series: ModelledSeries, target: Target,
          rate: bool = False) -> Score:
    """Compare ``series`` (hours since onset ``t_hours``) with the observed points; check ``target``."""
    roles = role_of_operators(series)
    modelled = np.full(obs.value.size, np.nan)
    chosen = []
    for i, name in enumerate(obs.series):
        key = roles.series_for(name)
        chosen.append(key)
        if series.named(key) is not None:
            modelled[i] = sample_at(t_hours, series.named(key), obs.t_hours[i:i + 1])[0]
    errors = point_errors(obs.value, modelled, obs.bound)
    window = np.isfinite(modelled)
    if target.window_hours is not None:
        lo, hi = target.window_hours
        window &= (obs.t_hours >= lo) & (obs.t_hours <= hi)
    rows = [
        ScoredPoint(float(obs.t_hours[i]), obs.series[i], chosen[i], obs.bound[i], float(obs.value[i]),
                    None if not np.isfinite(modelled[i]) else round(float(modelled[i]), 3),
                    None if not np.isfinite(errors[i]) else round(float(errors[i]), 3), bool(window[i]))
        for i in range(obs.value.size)
    ]
    factor_ok = mae_ok = max_error_ok = peak_ok = lag_ok = None  # each criterion the target has: met or not
    mae = max_err = factor = None
    if rate:
        first = int(np.flatnonzero(window)[0]) if window.any() else None
        if first is not None and obs.value[first] > 0:
            factor = float(modelled[first] / obs.value[first])
        if target.factor is not None:
            factor_ok = factor is not None and 1.0 / target.factor <= factor <= target.factor
    elif window.any():
        mae = float(np.mean(errors[window]))
        max_err = float(np.max(errors[window]))
    if target.mae_pp is not None:
        mae_ok = mae is not None and mae <= target.mae_pp
    if target.max_error_pp is not None:
        max_error_ok = max_err is not None and max_err <= target.max_error_pp
    peak_obs = peak_mod = None
    if not rate:
        all_rows = obs.rows("all")
        all_rows = all_rows[np.array([obs.bound[i] != "at_most" for i in all_rows], dtype=bool)] if all_rows.size else all_rows
        if all_rows.size >= 2:  # a peak needs a curve, not one figure
            peak_obs = float(obs.t_hours[all_rows[int(np.argmax(obs.value[all_rows]))]])
        peak_mod = float(t_hours[int(np.argmax(series.all))])
    if target.peak_hours is not None:
        lo, hi = target.peak_hours
        peak_ok = peak_mod is not None and lo <= peak_mod <= hi
    lag = None
    if target.lag_at_hours is not None:
        lag = float(sample_at(t_hours, series.all, np.array([target.lag_at_hours]))[0])
        lag_ok = bool(np.isfinite(lag) and lag >= target.lag_min_pct)
    return Score(rows, _r(mae), _r(max_err), peak_obs, peak_mod, _r(factor), _r(lag),
                 Checks(factor_ok, mae_ok, max_error_ok, peak_ok, lag_ok))


def _r(x: float | None) -> float | None:
    return None if x is None or not np.isfinite(x) else round(float(x), 3)
