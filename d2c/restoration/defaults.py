"""Every default parameter of the restoration process, in one place, each with its source or range.

A scenario's ``restoration:`` block overrides any of these (``docs/FORMATS.md``).
Values marked ``assumed`` are planning figures, not measurements: they carry a
plausible low-high range, which is what a sensitivity sweep should vary and
what the hindcast (``d2c hindcast``) calibrates against published outage
curves. No value here is tuned to one element of one topology.

This module imports only ``d2c.hazards.access`` (when crews cannot reach a place, which the
hazards compute), so the config reader may use it.
"""

from __future__ import annotations

from d2c.hazards.access import ACCESS_FLOOD_DEPTH_M, NEAR_FAULT_EXTRA_KM, NEAR_FAULT_HOURS

__all__ = [
    "POLICIES", "POLICY", "CREWS_PER_100_SITES", "MIN_CREWS_PER_POOL", "NETWORK_CREWS_PER_REGION",
    "SPLICING_CREWS_PER_REGION", "SUBSTATION_CREWS_PER_REGION", "SHIFT_START_H", "SHIFT_HOURS",
    "SPEED_KMH", "DETOUR_FACTOR", "REPAIR_HOURS", "REPAIR_BETA", "SPLICE_HOURS", "SUBSTATION_REPAIR_HOURS",
    "RECUT_PROBABILITY", "RECUT_WINDOW_HOURS", "ACCESS_FLOOD_DEPTH_M", "NEAR_FAULT_EXTRA_KM", "NEAR_FAULT_HOURS",
    "GENERATORS_PER_100_SITES", "NETWORK_GENERATORS_PER_REGION", "PORTABLE_TANK_HOURS", "TRUCKS_PER_REGION", "SITES_PER_ROUND", "REFUEL_BELOW_HOURS",
    "STOP_MINUTES", "GENERATOR_HOOKUP_MINUTES", "RESTART_LAG_MEDIAN_MINUTES", "RESTART_LAG_BETA",
    "TEMPORARY_SITES_PER_OPERATOR_REGION", "TEMPORARY_SITES_WHEN_ON", "TEMPORARY_SITE_MOBILISE_HOURS", "TEMPORARY_SITE_CAPACITY_CALLS",
    "TEMPORARY_SITE_BACKHAUL", "RANGES",
]

# ---------------------------------------------------------------- crews and policy

POLICIES = ("most_people", "critical_first", "nearest")
POLICY = "most_people"  # assumed: operators restore the sites serving the most people first (FCC DIRS practice)

# assumed: 2 field crews per 100 cell sites of one operator in one region (range 0.5-5).
# No public per-operator staffing figure was found; Italian operators' field
# maintenance is contracted out and scaled up in emergencies.
CREWS_PER_100_SITES = 2.0
MIN_CREWS_PER_POOL = 1  # assumed: every operator keeps at least one crew in each region (range 1-3)
# assumed: crews for transport nodes, cores, answering points and gateways, per region (range 1-5)
NETWORK_CREWS_PER_REGION = 2
# assumed: fibre splicing crews per region (range 1-6)
SPLICING_CREWS_PER_REGION = 2
# assumed: grid-operator crews repairing damaged substations, per region (range 1-10)
SUBSTATION_CREWS_PER_REGION = 3

# assumed: crews work from 05:00 to 19:00 UTC (07:00-21:00 in Italian summer
# time), 14 h a day in an emergency (range 8-24; 24 is round the clock).
SHIFT_START_H = 5.0
SHIFT_HOURS = 14.0

# assumed: 50 km/h average road speed in a disaster area (range 30-70).
SPEED_KMH = 50.0
# assumed: road distance = great-circle distance x 1.3 (range 1.2-1.6), the span of
# road circuity factors reported by Ballou, Rahardja & Sakai, "Selected country
# circuity factors for road travel distance estimation", Transportation Research
# Part A 36(9), 2002.
DETOUR_FACTOR = 1.3

# ---------------------------------------------------------------- repair times

# assumed: median hours on site to repair a piece of equipment, per damage state
# (the four states of the Hazus fragility curves, d2c.hazards.fragility). The Hazus
# Earthquake Model Technical Manual's restoration table for communication
# facilities could not be consulted for this release (searched: stored copies of
# the MR3 to 6.1 manuals and public code and data carrying Hazus tables), so
# the values are marked assumed, with ranges: slight 2-12 h, moderate 6-48 h,
# extensive 24-168 h, complete 72-960 h (a cell site rebuilt on a temporary mast).
# The shape, time growing tenfold and more from slight to complete damage, is
# that of the Hazus restoration function for electric substations (below).
REPAIR_HOURS = {"slight": 4.0, "moderate": 12.0, "extensive": 48.0, "complete": 240.0}
REPAIR_BETA = 0.5  # assumed: lognormal dispersion of every repair time (range 0.3-0.8)
# assumed: a fibre cut found and spliced in 8 h on site (range 4-24 h).
SPLICE_HOURS = 8.0
# assumed: a damaged distribution substation back in 24 h median (range 6-168 h).
# For comparison, source: FEMA, Hazus-MH 2.1 Earthquake Model Technical Manual
# (2013), section 8.5, restoration function of electric substations, mean days
# (standard deviation) slight 1 (0.5), moderate 3 (1.5), extensive 7 (3.5),
# complete 30 (15) (manual PDF p. 452, read from an independent public
# transcription). A substation counts as broken from moderate damage; Hazus'
# moderate mean, 72 h, is inside the range; the 24 h default is kept (Italian
# distribution operators bring mobile substations: assumed) and is what the
# hindcast was scored with.
SUBSTATION_REPAIR_HOURS = 24.0

# A repaired fibre cut again while its hazard is still active, as restoration
# and debris crews did after Hurricane Michael (FCC, "Report and
# Recommendations: Hurricane Michael", May 2019).
# assumed: probability 0.2 per splice (range 0-0.5), within 72 h (range 24-336 h)
# of the end of the hazard on the link's route.
RECUT_PROBABILITY = 0.2
RECUT_WINDOW_HOURS = 72.0

# ---------------------------------------------------------------- access

# When crews cannot reach a place is the hazards' to say (d2c/hazards/access.py);
# the figures are repeated here so the restoration's parameters and ranges are in one list.

# ---------------------------------------------------------------- generators and fuel

# assumed: portable generators per 100 sites of an operator (range 1-15).
GENERATORS_PER_100_SITES = 5.0
# assumed: portable generators kept for transport nodes, cores and gateways, per region (range 0-10).
NETWORK_GENERATORS_PER_REGION = 2
# assumed: a portable generator's tank lasts 24 h at a site's load (range 12-72 h).
PORTABLE_TANK_HOURS = 24.0
# assumed: a generator brought to a site is hooked up and started in 60 min (range 30-120 min).
GENERATOR_HOOKUP_MINUTES = 60.0
# assumed: fuel trucks per operator and region (range 1-5), each serving up to
# 6 sites a round (range 3-12), 30 min at each stop (range 15-60 min).
TRUCKS_PER_REGION = 2
SITES_PER_ROUND = 6
STOP_MINUTES = 30.0
# assumed: a generator is refuelled when it has less than 8 h of fuel left (range 4-24 h),
# or less than half its tank when the tank is smaller than twice that.
REFUEL_BELOW_HOURS = 8.0

# ---------------------------------------------------------------- restart lag

# Equipment that gets its power back is up again after a lag (alarms cleared,
# boards rebooted, site visits for the ones that do not come back by
# themselves). On the morning of 29 April 2025 Spain's grid was about 99% back
# while one operator had about 82% of its nodes up (ENTSO-E; Spanish
# press as reported). assumed: lognormal, median 60 min (range 5-120 min),
# dispersion 1.5 (range 0.5-2.0) so that a tail of nodes takes hours. The
# median was raised from 20 to 60 min, inside its range, by the hindcast
# (d2c hindcast, iberia): with 20 min under 2 % of the sites were still out
# when the grid was back, against the 18 % of the Spanish operator.
RESTART_LAG_MEDIAN_MINUTES = 60.0
RESTART_LAG_BETA = 1.5

# ---------------------------------------------------------------- temporary sites (operators' cells on wheels)

# Operators roll out temporary sites (cells on wheels, cells on light trucks,
# satellite-backhauled) to places that lost their own service, without being
# asked. Public figures for the scale of such fleets, none of them Italian:
# - source: AT&T answered "more than 140 requests for FirstNet deployable assets"
#   in the Hurricane Helene response (Wireless Estimator, "Country's second
#   deadliest hurricane still has catastrophic cell service failures", 3 Oct
#   2024, quoting AT&T), against a fleet of "more than 750 deployable assets"
#   (AT&T's J. R. Wilson to Via Satellite, "Critical Connections: Satellite's
#   Role in the Wake of Hurricane Helene", Oct 2024).
# - source: after Hurricane Florence AT&T had cells on light trucks in 7 North
#   Carolina towns and Verizon mobile cell sites at 10 emergency operations
#   centres, police stations and shelters (Inside Towers, "AT&T, Verizon Say
#   99% of Their Florence-Affected Networks Are Back Up", Sept 2018).
# - AGCOM on the 24 August 2016 earthquake: the mobile sites were back within
#   a few hours, helped by generators where the grid was down; TIM and Wind sent
#   "several emergency vehicles" with generators (CorCom, 24 Aug 2016). No count
#   of Italian temporary sites was found.
# assumed: off by default (0). A scenario that turns it on with
# ``restoration: temporary_sites:`` gets 1 unit per operator and region unless
# it says otherwise (range 0-5: a few units per operator in a regional
# disaster, the Florence and Helene figures above spread over the states
# they covered).
TEMPORARY_SITES_PER_OPERATOR_REGION = 0
TEMPORARY_SITES_WHEN_ON = 1
# assumed: 6 h from an area losing its service to a unit on air there (range
# 3-48 h: the drive from a regional depot and the set-up; Florence's units were
# reported on air 3-5 days after landfall, pre-positioned outside the storm).
TEMPORARY_SITE_MOBILISE_HOURS = 6.0
# assumed: 120 concurrent calls per unit (range 30-300: one to a few LTE
# carriers with voice over LTE), the drill catalogue's figure.
TEMPORARY_SITE_CAPACITY_CALLS = 120.0
# Satellite backhaul landing at the satellite operator's hub, outside the incident (d2c/cells_on_wheels.py).
TEMPORARY_SITE_BACKHAUL = "satellite-operator"

# The plausible range of every assumed value, for sweeps and the hindcast.
RANGES = {
    "crews_per_100_sites": (0.5, 5.0),
    "min_crews_per_pool": (1, 3),
    "network_crews_per_region": (1, 5),
    "splicing_crews_per_region": (1, 6),
    "substation_crews_per_region": (1, 10),
    "shift_hours": (8.0, 24.0),
    "speed_kmh": (30.0, 70.0),
    "detour_factor": (1.2, 1.6),
    "repair_hours.slight": (2.0, 12.0),
    "repair_hours.moderate": (6.0, 48.0),
    "repair_hours.extensive": (24.0, 168.0),
    "repair_hours.complete": (72.0, 960.0),
    "repair_beta": (0.3, 0.8),
    "splice_hours": (4.0, 24.0),
    "substation_repair_hours": (6.0, 168.0),
    "recut_probability": (0.0, 0.5),
    "recut_window_hours": (24.0, 336.0),
    "access_flood_depth_m": (0.15, 0.6),
    "near_fault_extra_km": (5.0, 30.0),
    "near_fault_hours": (2.0, 24.0),
    "generators_per_100_sites": (1.0, 15.0),
    "network_generators_per_region": (0, 10),
    "portable_tank_hours": (12.0, 72.0),
    "generator_hookup_minutes": (30.0, 120.0),
    "trucks_per_region": (1, 5),
    "sites_per_round": (3, 12),
    "stop_minutes": (15.0, 60.0),
    "refuel_below_hours": (4.0, 24.0),
    "restart_lag_median_minutes": (5.0, 120.0),
    "restart_lag_beta": (0.5, 2.0),
    "temporary_sites_per_operator_region": (0, 5),
    "temporary_site_mobilise_hours": (3.0, 48.0),
    "temporary_site_capacity_calls": (30.0, 300.0),
}
