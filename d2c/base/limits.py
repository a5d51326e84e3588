"""Plausibility and size limits on inputs, and the two switches that lift them.

Every limit is stated in docs/FORMATS.md ("Limits"). The limits catch typos
(a population of 1e18, a year of 1 s steps) before hours of work; a run that
is genuinely that large goes ahead with ``d2c --force`` (the step budget) or
``d2c --max-input-mb N`` (the input size).
"""

from __future__ import annotations

__all__ = ["MAX_AREA_POPULATION", "MAX_TOTAL_POPULATION", "MAX_SITE_CAPACITY_CALLS", "MAX_SITE_CAPACITY_MBPS",
           "MAX_RADIUS_KM", "MAX_AUTONOMY_HOURS", "MAX_SATELLITES", "MAX_STEPS", "MAX_TIMELINE_GB", "MIN_STEP_S",
           "MAX_DURATION_S", "BYTES_PER_STEP", "max_input_bytes", "forced", "set_max_input_mb", "set_force"]

# assumed: the largest city has ~37 M people (Tokyo metro area, UN World Urbanization Prospects 2018);
# an area of 100 M is certainly a typo. Range of a sensible limit: 40 M - 1 G.
MAX_AREA_POPULATION = 100_000_000
# The world's population is about 8.1 billion (UN World Population Prospects 2024); 10 G leaves room.
MAX_TOTAL_POPULATION = 10_000_000_000
# assumed: one site carries at most a few thousand simultaneous calls; 100,000 is a typo guard (1e3 - 1e6).
MAX_SITE_CAPACITY_CALLS = 100_000
# assumed: 1 Tbit/s per site is far above any macro site (1e5 - 1e7 Mbit/s).
MAX_SITE_CAPACITY_MBPS = 1_000_000
# LTE supports cells up to 100 km (3GPP TS 36.211 PRACH format 3); 200 km leaves room for tall masts over sea.
MAX_RADIUS_KM = 200.0
# One year of battery or generator fuel: anything longer means "never runs out" and is a typo guard.
MAX_AUTONOMY_HOURS = 8760.0
# Starlink's filings total about 42,000 satellites (FCC Gen1 4,408 + Gen2 application 29,988 + ITU filings);
# 50,000 is above every constellation filed so far.
MAX_SATELLITES = 50_000

# Time budget of one run (lifted with d2c --force).
MIN_STEP_S = 1.0
MAX_DURATION_S = 366 * 86400.0
MAX_STEPS = 100_000
# Memory of the per-step timeline: measured, a 365 d run at 1 s steps (31.5 M steps) grew to about 16 GB,
# i.e. about 500 bytes per step (issue #15); the per-step rows are Python objects, so this holds for any topology.
BYTES_PER_STEP = 500
MAX_TIMELINE_GB = 4.0

_DEFAULT_MAX_INPUT_MB = 64.0  # the generated national topology of Italy is about 10 MB
_state = {"max_input_mb": _DEFAULT_MAX_INPUT_MB, "force": False}


def max_input_bytes() -> int:
    """Largest input file read, in bytes (64 MB unless ``d2c --max-input-mb`` says otherwise)."""
    return int(_state["max_input_mb"] * 1e6)


def set_max_input_mb(megabytes: float) -> None:
    """Set the input size limit for this process (``d2c --max-input-mb``)."""
    _state["max_input_mb"] = float(megabytes)


def forced() -> bool:
    """True when the user asked to run past the step budget (``d2c --force``)."""
    return bool(_state["force"])


def set_force(force: bool) -> None:
    """Let runs past the step budget go ahead in this process (``d2c --force``)."""
    _state["force"] = bool(force)
