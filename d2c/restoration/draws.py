"""Random draws keyed by what they are for: (stream, target, how-many-th time), not by the order they are made.

A counter-based generator (the SplitMix64 finaliser over the key) gives each
key its own uniform number, vectorised, so a draw for one site never depends
on which other sites were drawn before it: adding a crew or a generator never
changes how long a given repair or restart takes.
"""

from __future__ import annotations

import numpy as np

__all__ = ["keyed_uniform", "keyed_normal"]

_M1, _M2, _GOLDEN = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB), np.uint64(0x9E3779B97F4A7C15)


def _mix(x: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser, modulo 2**64 (callers silence numpy's overflow warning around it)."""
    x = (x ^ (x >> np.uint64(30))) * _M1
    x = (x ^ (x >> np.uint64(27))) * _M2
    return x ^ (x >> np.uint64(31))


def keyed_uniform(seed: int, stream: int, target, nth) -> np.ndarray:
    """Uniform in (0, 1) for each (target, nth) of ``stream`` under ``seed``.

    >>> a = keyed_uniform(7, 1, np.array([3, 4]), np.array([0, 0]))
    >>> bool(np.all((a > 0) & (a < 1))), bool(a[0] == keyed_uniform(7, 1, np.array([3]), np.array([0]))[0])
    (True, True)
    """
    target = np.asarray(target, dtype=np.uint64)
    nth = np.asarray(nth, dtype=np.uint64)
    with np.errstate(over="ignore"):
        # pragma reason (this line and the nth line): the key schedule; another sign or offset per stream or
        # count, or a modulus wider than a uint64 seed, gives other streams just as independent (tests/restoration)
        x = _mix(np.uint64(seed % 2**64) + _GOLDEN * np.uint64(stream + 1))  # pragma: no mutate
        x = _mix(x ^ (target * _GOLDEN))
        x = _mix(x ^ (nth + _GOLDEN))  # pragma: no mutate
    # 53 random bits to (0, 1); pragma reason: the half-step offset and the dtype change nothing but the
    # two extreme values of 2**53, never drawn in practice
    return ((x >> np.uint64(11)).astype(np.float64) + 0.5) / float(2**53)  # pragma: no mutate


def keyed_normal(seed: int, stream: int, target, nth) -> np.ndarray:
    """Standard normal for each key (Box-Muller over two keyed uniforms)."""
    u1 = keyed_uniform(seed, 2 * stream, target, nth)
    u2 = keyed_uniform(seed, 2 * stream + 1, target, nth)  # pragma: no mutate (2s - 1: as independent)
    # pragma reason: cos(3 pi u) has the same arcsine law as cos(2 pi u), so the draw is as normal
    return np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)  # pragma: no mutate
