"""When crews cannot reach a place: flood water on the roads, the near-fault zone after a shock.

The hazards turn these into ``Effects.blocked_*`` windows; the restoration
stage reads the windows (its parameters list repeats the figures and their
ranges: ``d2c.restoration.defaults.RANGES``).
"""

from __future__ import annotations

__all__ = ["ACCESS_FLOOD_DEPTH_M", "NEAR_FAULT_EXTRA_KM", "NEAR_FAULT_HOURS"]

# Vehicles cannot reach a place where flood water stands 0.3 m or more: about
# a foot of moving water floats most cars (US National Weather Service, "Turn
# Around Don't Drown"); range 0.15-0.6 m.
ACCESS_FLOOD_DEPTH_M = 0.3
# assumed: the near-fault zone (rupture half-length + 10 km; range 5-30 km) is
# closed to crews for the first 6 h after a shock (range 2-24 h: road checks,
# collapsed buildings, rescue priority).
NEAR_FAULT_EXTRA_KM = 10.0
NEAR_FAULT_HOURS = 6.0
