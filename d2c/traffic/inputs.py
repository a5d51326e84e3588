"""What the traffic stage takes each step, and its checks.

``AreaTable`` describes the areas once per run; ``StepConditions`` is what the
engine knows about each area in one step (``conditions.step_conditions`` builds
it from a ``StepState``); ``check_conditions`` validates it and converts it to
working dtypes (``Checked``) before any draw.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from d2c.pws import is_valid

from . import records as R

__all__ = ["AreaTable", "StepConditions", "Checked", "check_conditions"]


@dataclass(frozen=True)
class AreaTable:
    """Static description of the areas, once per run."""

    area_id: list[str]
    lat_deg: np.ndarray
    lon_deg: np.ndarray
    population: np.ndarray

    def __post_init__(self) -> None:
        n = len(self.area_id)
        for name in ("lat_deg", "lon_deg", "population"):
            if np.asarray(getattr(self, name)).shape != (n,):
                raise ValueError(f"AreaTable.{name} must have one value per area ({n})")

    @property
    def n(self) -> int:
        return len(self.area_id)


@dataclass(frozen=True)
class StepConditions:
    """What the engine knows about each area during one step (arrays of n_areas)."""

    t_s: float
    step_s: float
    call_attempts: np.ndarray
    sms_attempts: np.ndarray
    public_sms_attempts: np.ndarray
    responder_calls: np.ndarray
    bearer: np.ndarray
    capacity_calls: np.ndarray
    sms_ok: np.ndarray
    one_way_delay_ms: np.ndarray
    loss_ratio: np.ndarray
    load_ratio: np.ndarray
    warning_reach: np.ndarray
    warnings: tuple = ()
    #: Optional: expected background bulk-data flows (best effort) in this step.
    background_flows: np.ndarray | None = None


@dataclass
class Checked:
    """StepConditions checked and converted to working dtypes (``check_conditions``)."""

    calls: np.ndarray
    sms: np.ndarray
    public: np.ndarray
    ptt: np.ndarray
    bulk: np.ndarray
    bearer: np.ndarray
    capacity: np.ndarray
    sms_ok: np.ndarray
    owd_ms: np.ndarray
    loss: np.ndarray
    load: np.ndarray
    reach: np.ndarray


def _rate(x, n: int, name: str) -> np.ndarray:
    a = np.asarray(x, dtype=np.float64)
    if a.shape != (n,):
        raise ValueError(f"StepConditions.{name} must have shape ({n},), got {a.shape}")
    r = np.fmax(a, 0.0)  # NaN and negative rates to 0 in one pass; +inf is left for the check below
    if not np.isfinite(r.sum()):
        r[~np.isfinite(r)] = 0.0
    return r


def _arr(x, n: int, name: str, dtype) -> np.ndarray:
    a = np.asarray(x)
    if a.shape != (n,):
        raise ValueError(f"StepConditions.{name} must have shape ({n},), got {a.shape}")
    return a.astype(dtype)


def check_conditions(cond: StepConditions, n: int) -> Checked:
    """``cond`` checked against ``n`` areas and converted to working dtypes (ValueError when malformed)."""
    bulk = (np.zeros(n) if cond.background_flows is None
            else _rate(cond.background_flows, n, "background_flows"))
    c = Checked(
        calls=_rate(cond.call_attempts, n, "call_attempts"),
        sms=_rate(cond.sms_attempts, n, "sms_attempts"),
        public=_rate(cond.public_sms_attempts, n, "public_sms_attempts"),
        ptt=_rate(cond.responder_calls, n, "responder_calls"),
        bulk=bulk,
        bearer=_arr(cond.bearer, n, "bearer", np.int8),
        capacity=_rate(cond.capacity_calls, n, "capacity_calls"),
        sms_ok=_arr(cond.sms_ok, n, "sms_ok", bool),
        owd_ms=np.maximum(_arr(cond.one_way_delay_ms, n, "one_way_delay_ms", np.float64), 0.0),
        loss=np.clip(_arr(cond.loss_ratio, n, "loss_ratio", np.float64), 0.0, 1.0),
        load=np.maximum(_arr(cond.load_ratio, n, "load_ratio", np.float64), 0.0),
        reach=_arr(cond.warning_reach, n, "warning_reach", bool),
    )
    if np.any((c.bearer < R.BEARER_NONE) | (c.bearer > R.BEARER_D2C)):
        raise ValueError("StepConditions.bearer must be 0 (none), 1 (terrestrial) or 2 (D2C)")
    for name in ("owd_ms", "loss", "load"):
        v = getattr(c, name)
        bad = ~np.isfinite(v)
        if np.any(bad & (c.bearer > 0)):
            raise ValueError(f"StepConditions: non-finite {name} in an area with a bearer")
        setattr(c, name, np.where(bad, 0.0, v))
    for item in cond.warnings:
        message_id, _, mask = item
        if not is_valid(message_id):
            raise ValueError(f"warning message identifier {message_id} is not a public-warning identifier "
                             "(3GPP TS 23.041: 4370-4399, 6400)")
        if np.asarray(mask).shape != (n,):
            raise ValueError("warning area_mask must have one entry per area")
    return c
