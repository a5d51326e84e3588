"""Earthquakes: ground motion by the ITA10 GMPE (or a ShakeMap grid), damage by Hazus fragility curves.

Ground motion: Bindi, Pacor, Luzi, Puglia, Massa, Ameri, Paolucci (2011),
"Ground motion prediction equations derived from the Italian strong motion
database", Bull. Earthquake Eng. 9, 1899-1920 (ITA10), PGA coefficients of
their Table 5, with the Joyner-Boore distance to a finite rupture
(``d2c.hazards.rupture``). The scatter is drawn as ground-motion models mean
it: one between-event residual per shock, shared by every place, and a
within-event residual that is a spatially correlated field over the places
(``d2c.hazards.correlation``), so that equipment at the same spot shakes the
same. Or the shaking of a real event, from its ShakeMap ``grid.xml``
(``d2c.hazards.shakemap``). Damage: lognormal fragility curves in PGA
(``d2c.hazards.fragility``); the tenants of one tower share its fate (one draw per spot).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pathlib import Path

from d2c.base import reader as r
from d2c.hazards.fragility import (COMMUNICATION_FACILITY, COMMUNICATION_FACILITY_UNANCHORED, OUT_OF_SERVICE_STATE,
                        SUBSTATION_LOW_VOLTAGE, Fragility, exceedance_by_class)
from d2c.hazards.base import COMPLETE, EXTENSIVE, MODERATE, Effects, ParseContext, Window
from d2c.hazards.correlation import RANGE_CLUSTERED_KM, RANGE_UNCLUSTERED_KM, correlated_standard_normal
from d2c.hazards.rupture import (MECHANISM_DIP_DEG, Rupture, joyner_boore_km, local_km, rupture_length_km)
from d2c.hazards.shakemap import ShakeMapGrid, read_grid
from d2c.hazards.access import NEAR_FAULT_EXTRA_KM, NEAR_FAULT_HOURS
from d2c.world import World

KIND = "earthquake"

# ITA10 coefficients for PGA (Bindi et al. 2011, Table 5). log10 PGA in cm/s^2.
_ITA10_PGA = dict(
    e1=3.672, c1=-1.940, c2=0.413, h_km=10.322, c3=1.34e-4, b1=-0.262, b2=-0.0707, b3=0.0,
    site={"A": 0.0, "B": 0.162, "C": 0.240, "D": 0.105, "E": 0.570},
    mechanism={"normal": -0.0503, "reverse": 0.105, "strike-slip": -0.0544, "unknown": 0.0},
    sigma_between=0.172, sigma_within=0.290,
)
_M_REF = 5.0  # reference magnitude, ITA10
_M_HINGE = 6.75  # hinge magnitude Mh, ITA10
_R_REF_KM = 1.0
_G_CM_S2 = 980.665  # standard gravity, cm/s^2

# Shaking from which people call 112 in numbers: PGA of about 4 %g is the
# lower bound of MMI V (Wald, Quitoriano, Heaton, Kanamori 1999, Earthquake Spectra 15).
FELT_PGA_G = 0.04


def ita10_log10_pga_cm_s2(magnitude: float, rjb_km: np.ndarray, site_class: np.ndarray | str,
                          mechanism: str = "unknown") -> np.ndarray:
    """Median log10 PGA (cm/s^2), geometric mean of horizontals, ITA10 equation (1).

    Mw 6 above a strike-slip rupture on rock (EC8 class A): log10(0.171214 g x 980.665),
    the row of OpenQuake's BINDI2011 verification table (tests/data/bindi2011_pga.csv):

    >>> round(float(ita10_log10_pga_cm_s2(6.0, 0.0, "A", "strike-slip")), 3)
    2.225
    """
    c = _ITA10_PGA
    m = magnitude
    if m <= _M_HINGE:
        f_m = c["b1"] * (m - _M_HINGE) + c["b2"] * (m - _M_HINGE) ** 2
    else:
        f_m = c["b3"] * (m - _M_HINGE)
    r_km = np.sqrt(np.asarray(rjb_km, dtype=float) ** 2 + c["h_km"] ** 2)
    f_d = (c["c1"] + c["c2"] * (m - _M_REF)) * np.log10(r_km / _R_REF_KM) - c["c3"] * (r_km - _R_REF_KM)
    classes = np.broadcast_to(np.asarray(site_class), r_km.shape)
    f_s = np.select([classes == k for k in c["site"]], list(c["site"].values()), default=np.nan)
    return c["e1"] + f_m + f_d + f_s + c["mechanism"][mechanism]


def ita10_pga_g(magnitude, rjb_km, site_class="A", mechanism="unknown") -> np.ndarray:
    """Median PGA in g.

    Mw 6, strike-slip, class A, at Rjb 0 and 10 km: 0.171214 and 0.103160 g in OpenQuake's
    BINDI2011 verification table (tests/data/bindi2011_pga.csv):

    >>> [round(float(g), 4) for g in ita10_pga_g(6.0, np.array([0.0, 10.0]), "A", "strike-slip")]
    [0.1712, 0.1032]
    """
    return 10.0 ** ita10_log10_pga_cm_s2(magnitude, rjb_km, site_class, mechanism) / _G_CM_S2


def rupture_half_length_km(magnitude: float) -> float:
    """Half the subsurface rupture length, Wells & Coppersmith (1994) (``d2c.hazards.rupture``).

    Mw 7: 10^(-2.44 + 0.59 x 7) = 49.0 km long, so 24.5 km each side of the hypocentre:

    >>> round(rupture_half_length_km(7.0), 1)
    24.5
    """
    return 0.5 * rupture_length_km(magnitude)


@dataclass(frozen=True)
class Shock:
    at_s: float
    lat: float
    lon: float
    depth_km: float
    magnitude: float


@dataclass(frozen=True)
class Fault:
    """The fault's orientation. Without a strike, the rupture is seen as a disc (strike unknown)."""

    strike_deg: float | None = None
    dip_deg: float | None = None

    def rupture(self, shock: Shock, mechanism: str) -> Rupture | None:
        if self.strike_deg is None:
            return None
        dip = MECHANISM_DIP_DEG[mechanism] if self.dip_deg is None else self.dip_deg
        return Rupture.from_magnitude(shock.magnitude, self.strike_deg, dip, shock.depth_km, shock.lat, shock.lon)


@dataclass(frozen=True)
class Earthquake:
    """A main shock and its aftershocks."""

    shocks: tuple[Shock, ...]
    mechanism: str
    ground_motion: str  # "random" (with ITA10 sigma) or "median"
    # None: each piece of equipment by its anchoring (d2c.hazards.fragility, anchored or unanchored
    # communication facility); a curve set in the scenario applies to all of it
    equipment_fragility: Fragility | None = None
    kind: str = KIND
    fault: Fault = Fault()
    correlation_range_km: float = RANGE_UNCLUSTERED_KM
    shakemap: ShakeMapGrid | None = None  # the main shock's recorded shaking, instead of ITA10

    def rjb_km(self, shock: Shock, lat_deg, lon_deg) -> np.ndarray:
        """Joyner-Boore distance to the shock's rupture; without a strike, the epicentral distance
        shortened by half the rupture length in every direction (a disc)."""
        rupture = self.fault.rupture(shock, self.mechanism)
        if rupture is not None:
            return joyner_boore_km(rupture, lat_deg, lon_deg)
        east, north = local_km(lat_deg, lon_deg, shock.lat, shock.lon)
        return np.maximum(np.hypot(east, north) - rupture_half_length_km(shock.magnitude), 0.0)

    def pga_g(self, shock: Shock, lat_deg, lon_deg, site_class, rng: np.random.Generator | None) -> np.ndarray:
        """PGA at each place for one shock.

        With ``rng`` (and ``ground_motion: random``), ITA10's scatter is drawn:
        one between-event residual for the shock, shared by every place, and a
        within-event field correlated over the places by their separation.
        """
        if self.shakemap is not None and shock is self.shocks[0]:
            return self.shakemap.pga_g(lat_deg, lon_deg)
        rjb_km = self.rjb_km(shock, lat_deg, lon_deg)
        log_pga = ita10_log10_pga_cm_s2(shock.magnitude, rjb_km, site_class, self.mechanism)
        if rng is not None and self.ground_motion == "random":
            between = rng.normal(0.0, _ITA10_PGA["sigma_between"])
            east, north = local_km(lat_deg, lon_deg, shock.lat, shock.lon)
            within = _ITA10_PGA["sigma_within"] * correlated_standard_normal(
                np.broadcast_to(east, log_pga.shape), np.broadcast_to(north, log_pga.shape),
                self.correlation_range_km, rng)
            log_pga = log_pga + between + within
        return 10.0 ** log_pga / _G_CM_S2

    def compile(self, world: World, rng: np.random.Generator) -> Effects:
        effects = Effects.none(world)
        n_eq = world.n_equipment
        # equipment and substations shake in one field: one event, one draw
        lat = np.concatenate([world.equipment_lat_deg, world.substation_lat_deg])
        lon = np.concatenate([world.equipment_lon_deg, world.substation_lon_deg])
        site_class = np.concatenate([np.broadcast_to(world.site_class, (n_eq,)),
                                     np.full(len(world.substation_ids), "B")])
        # one fragility draw per spot: tenants of a shared tower stand or fall together
        _, tower = np.unique(np.round(np.stack([world.equipment_lat_deg, world.equipment_lon_deg]), 6), axis=1,
                             return_inverse=True)
        tower = tower.ravel()
        curves, klass = self.equipment_curves(world)
        for shock in self.shocks:
            pga = self.pga_g(shock, lat, lon, site_class, rng)
            eq_pga, sub_pga = pga[:n_eq], pga[n_eq:]
            draw = rng.random(int(tower.max()) + 1 if n_eq else 0)[tower]
            broken = draw < exceedance_by_class(eq_pga, OUT_OF_SERVICE_STATE, curves, klass)
            _break(effects.equipment_damage_s, effects.equipment_damage_state, broken, shock.at_s,
                   _states(draw, eq_pga, curves, klass))
            if world.substation_ids:
                sub_draw = rng.random(sub_pga.size)
                sub_broken = sub_draw < SUBSTATION_LOW_VOLTAGE.exceedance(sub_pga, OUT_OF_SERVICE_STATE)
                _break(effects.substation_damage_s, effects.substation_damage_state, sub_broken, shock.at_s,
                       _states(sub_draw, sub_pga, (SUBSTATION_LOW_VOLTAGE,), np.zeros(sub_pga.size, np.int64)))
            self._close_near_fault(world, effects, shock)
            felt = self.pga_g(shock, world.area_lat_deg, world.area_lon_deg, "B", None) >= FELT_PGA_G
            effects.affected_area_s[felt] = np.minimum(effects.affected_area_s[felt], shock.at_s)
        return effects

    def equipment_curves(self, world: World) -> tuple[tuple[Fragility, ...], np.ndarray]:
        """The fragility curves in play and, per piece of equipment, which one it follows."""
        if self.equipment_fragility is not None:
            return (self.equipment_fragility,), np.zeros(world.n_equipment, np.int64)
        return (COMMUNICATION_FACILITY, COMMUNICATION_FACILITY_UNANCHORED), (~world.equipment_anchored).astype(np.int64)

    def _close_near_fault(self, world: World, effects: Effects, shock: Shock) -> None:
        """Crews cannot enter the near-fault zone for the first hours after a shock (d2c.restoration.defaults):
        places within ``NEAR_FAULT_EXTRA_KM`` of the rupture's surface projection."""
        end_s = shock.at_s + NEAR_FAULT_HOURS * 3600.0
        near = self.rjb_km(shock, world.equipment_lat_deg, world.equipment_lon_deg) <= NEAR_FAULT_EXTRA_KM
        effects.blocked_equipment.append(Window(shock.at_s, end_s, near))
        near_sub = self.rjb_km(shock, world.substation_lat_deg, world.substation_lon_deg) <= NEAR_FAULT_EXTRA_KM
        effects.blocked_substations.append(Window(shock.at_s, end_s, near_sub))
        ends = np.concatenate([world.link_a, world.link_b]) if len(world.link_ids) else np.zeros(0, np.int64)
        graph_near = near[world.graph_equipment] if len(world.graph_node_ids) else np.zeros(0, bool)
        link_near = graph_near[ends].reshape(2, -1).any(axis=0) if ends.size else np.zeros(0, bool)
        effects.blocked_links.append(Window(shock.at_s, end_s, link_near))

    def describe(self) -> str:
        main = self.shocks[0]
        rupture = self.fault.rupture(main, self.mechanism)
        geometry = (f"rupture {rupture.length_km:.0f} x {rupture.width_km:.0f} km, strike {rupture.strike_deg:g}, "
                    f"dip {rupture.dip_deg:g} deg" if rupture else "rupture strike unknown (a disc around the epicentre)")
        motion = ("ShakeMap grid for the main shock" if self.shakemap is not None else
                  f"ITA10 ground motion ({self.ground_motion}"
                  + (f", within-event correlation range {self.correlation_range_km:g} km" if self.ground_motion == "random"
                     else "") + ")")
        text = (f"earthquake Mw {main.magnitude:g} at {main.lat:.3f}N {main.lon:.3f}E, depth {main.depth_km:g} km; "
                f"{geometry}; {motion}, " + (self.equipment_fragility.name if self.equipment_fragility is not None
                                              else "Hazus communication-facility fragility by anchoring"))
        if len(self.shocks) > 1:
            text += f"; {len(self.shocks) - 1} aftershock(s)"
        return text


def _states(draw: np.ndarray, pga_g: np.ndarray, curves: tuple[Fragility, ...], klass: np.ndarray) -> np.ndarray:
    """The damage state each uniform ``draw`` reaches: the same draw that decided the failure.

    >>> int(_states(np.array([0.0]), np.array([5.0]), (Fragility("x", (0.1,) * 4, (0.5,) * 4),), np.zeros(1, int))[0]) == COMPLETE
    True
    """
    state = np.full(draw.shape, MODERATE, dtype=np.int8)
    state[draw < exceedance_by_class(pga_g, "extensive", curves, klass)] = EXTENSIVE
    state[draw < exceedance_by_class(pga_g, "complete", curves, klass)] = COMPLETE
    return state


def _break(failure_s: np.ndarray, state: np.ndarray, broken: np.ndarray, at_s: float, drawn: np.ndarray) -> None:
    """Mark ``broken`` as failed at ``at_s`` unless already failed earlier, with its damage state."""
    first = broken & (at_s < failure_s)
    failure_s[first] = at_s
    state[first] = drawn[first]


def _shock(fields: r.Fields, pc: ParseContext) -> Shock:
    return Shock(
        at_s=fields.req("at", r.moment_s(pc.start, pc.duration_s)),
        lat=fields.req("lat", r.latitude),
        lon=fields.req("lon", r.longitude),
        depth_km=fields.opt("depth_km", r.number(0.0, 700.0), 10.0),
        magnitude=fields.req("magnitude", r.number(2.0, 9.5)),
    )


def _fragility(node, ctx) -> Fragility:
    f = r.Fields(node, ctx)
    median = f.req("median_g", r.list_of(r.number(above=0.0), 4))
    beta = f.req("beta", r.list_of(r.number(above=0.0), 4))
    f.done()
    if len(median) != 4 or len(beta) != 4:
        raise ctx.error(node, "four values each (slight, moderate, extensive, complete)")
    if any(b < a for a, b in zip(median, median[1:])):
        raise ctx.child("median_g").error(node, "medians increasing from slight to complete", median)
    return Fragility("fragility set in the scenario", tuple(median), tuple(beta))


def _shakemap(fields: r.Fields) -> ShakeMapGrid | None:
    if not fields.has("shakemap"):
        return None
    node = fields.node_of("shakemap")
    relative = fields.req("shakemap", r.string)
    try:
        return read_grid(Path(fields.ctx.file).parent / relative)
    except ValueError as exc:
        raise fields.ctx.child("shakemap").error(node, f"a ShakeMap grid.xml relative to this file: {exc}",
                                                 relative) from None


def parse(fields: r.Fields, pc: ParseContext) -> Earthquake:
    main = _shock(fields, pc)
    aftershocks = []
    for node, ctx in r.each(fields, "aftershocks"):
        af = r.Fields(node, ctx)
        aftershocks.append(_shock(af, pc))
        af.done()
    return Earthquake(
        shocks=(main, *aftershocks),
        mechanism=fields.opt("mechanism", r.one_of("normal", "reverse", "strike-slip", "unknown"), "unknown"),
        ground_motion=fields.opt("ground_motion", r.one_of("random", "median"), "random"),
        equipment_fragility=fields.opt("fragility", _fragility, None),
        fault=Fault(strike_deg=fields.opt("strike_deg", r.number(0.0, 360.0), None),
                    dip_deg=fields.opt("dip_deg", r.number(above=0.0, maximum=90.0), None)),
        correlation_range_km=fields.opt("correlation_range_km",
                                        r.number(RANGE_CLUSTERED_KM / 10.0, 10 * RANGE_UNCLUSTERED_KM),
                                        RANGE_UNCLUSTERED_KM),
        shakemap=_shakemap(fields),
    )
