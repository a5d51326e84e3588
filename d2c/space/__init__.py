"""The space segment: real satellites overhead, with the capacity a real beam has.

* :mod:`.orbits` - constellations from TLEs (SGP4) or Walker-delta shells (J2), in ECEF.
* :mod:`.geometry` - WGS 84 positions, look angles, slant range, propagation delay.
* :mod:`.linkbudget` - 3GPP NTN link budgets, NR throughput, service classes.
* :mod:`.provider` - provider presets (``presets/*.yaml``) and user shells.
* :mod:`.segment` - the per-step stage: visibility, feeder paths, beam planning.
* :mod:`.sky` - what one place sees overhead.
"""

from .geometry import (
    LookAngles,
    earth_central_angle_deg,
    ecef_to_geodetic,
    geodetic_to_ecef_km,
    look_angles,
    propagation_delay_ms,
    slant_range_km,
)
from .linkbudget import (
    SERVICE_DATA,
    SERVICE_NAMES,
    SERVICE_NONE,
    SERVICE_SMS,
    SERVICE_VOICE,
    BeamCapacity,
    BudgetLine,
    LinkBudget,
    PropagationLosses,
    RadioLink,
    free_space_path_loss_db,
)
from .orbits import (
    Constellation,
    WalkerSpec,
    nodal_period_s,
    orbital_period_s,
    parse_walker,
    raan_rate_deg_per_day,
)
from .provider import BANDS, Band, Provider, available_presets, load_provider
from .segment import BeamPlan, SpaceSegment, SpaceState
from .sky import SkyEntry, sky

__all__ = [
    "BANDS",
    "Band",
    "BeamCapacity",
    "BeamPlan",
    "BudgetLine",
    "Constellation",
    "LinkBudget",
    "LookAngles",
    "PropagationLosses",
    "Provider",
    "RadioLink",
    "SERVICE_DATA",
    "SERVICE_NAMES",
    "SERVICE_NONE",
    "SERVICE_SMS",
    "SERVICE_VOICE",
    "SkyEntry",
    "SpaceSegment",
    "SpaceState",
    "WalkerSpec",
    "available_presets",
    "earth_central_angle_deg",
    "ecef_to_geodetic",
    "free_space_path_loss_db",
    "geodetic_to_ecef_km",
    "load_provider",
    "look_angles",
    "nodal_period_s",
    "orbital_period_s",
    "parse_walker",
    "propagation_delay_ms",
    "raan_rate_deg_per_day",
    "sky",
    "slant_range_km",
]
