"""Earthquakes: ground motion by the ITA10 GMPE, damage by Hazus fragility curves.

Ground motion: Bindi, Pacor, Luzi, Puglia, Massa, Ameri, Paolucci (2011),
"Ground motion prediction equations derived from the Italian strong motion
database", Bull. Earthquake Eng. 9, 1899-1920 (ITA10), PGA coefficients of
their Table 5. Damage: lognormal fragility curves in PGA (``d2c.damage``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from d2c.config import reader as r
from d2c.damage import COMMUNICATION_FACILITY, OUT_OF_SERVICE_STATE, SUBSTATION_LOW_VOLTAGE, Fragility
from d2c.geo import haversine_km
from d2c.hazards.base import COMPLETE, EXTENSIVE, MODERATE, Effects, ParseContext, Window
from d2c.restoration.defaults import NEAR_FAULT_EXTRA_KM, NEAR_FAULT_HOURS
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
    """Median log10 PGA (cm/s^2), geometric mean of horizontals, ITA10 equation (1)."""
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
    """Median PGA in g."""
    return 10.0 ** ita10_log10_pga_cm_s2(magnitude, rjb_km, site_class, mechanism) / _G_CM_S2


def rupture_half_length_km(magnitude: float) -> float:
    """Half the subsurface rupture length, all slip types: log10 RLD = -2.44 + 0.59 M.

    Wells & Coppersmith (1994), Bull. Seismol. Soc. Am. 84, Table 2A.
    """
    return 0.5 * 10.0 ** (-2.44 + 0.59 * magnitude)


@dataclass(frozen=True)
class Shock:
    at_s: float
    lat: float
    lon: float
    depth_km: float
    magnitude: float


@dataclass(frozen=True)
class Earthquake:
    """A main shock and its aftershocks."""

    shocks: tuple[Shock, ...]
    mechanism: str
    ground_motion: str  # "random" (with ITA10 sigma) or "median"
    equipment_fragility: Fragility
    kind: str = KIND

    def pga_g(self, shock: Shock, lat_deg, lon_deg, site_class, rng: np.random.Generator | None) -> np.ndarray:
        """PGA at each place for one shock; with ``rng``, drawn with ITA10's between/within sigma."""
        repi_km = haversine_km(lat_deg, lon_deg, shock.lat, shock.lon)
        # A point source seen from afar; near the fault the Joyner-Boore distance
        # is shortened by half the rupture length (fault strike unknown).
        rjb_km = np.maximum(repi_km - rupture_half_length_km(shock.magnitude), 0.0)
        log_pga = ita10_log10_pga_cm_s2(shock.magnitude, rjb_km, site_class, self.mechanism)
        if rng is not None and self.ground_motion == "random":
            log_pga = log_pga + rng.normal(0.0, _ITA10_PGA["sigma_between"]) + rng.normal(
                0.0, _ITA10_PGA["sigma_within"], size=log_pga.shape
            )
        return 10.0 ** log_pga / _G_CM_S2

    def compile(self, world: World, rng: np.random.Generator) -> Effects:
        effects = Effects.none(world)
        for shock in self.shocks:
            pga = self.pga_g(shock, world.equipment_lat_deg, world.equipment_lon_deg, world.site_class, rng)
            draw = rng.random(world.n_equipment)
            broken = draw < self.equipment_fragility.exceedance(pga, OUT_OF_SERVICE_STATE)
            _break(effects.equipment_damage_s, effects.equipment_damage_state, broken, shock.at_s,
                   _states(draw, pga, self.equipment_fragility))
            if world.substation_ids:
                sub_pga = self.pga_g(shock, world.substation_lat_deg, world.substation_lon_deg, "B", rng)
                sub_draw = rng.random(sub_pga.size)
                sub_broken = sub_draw < SUBSTATION_LOW_VOLTAGE.exceedance(sub_pga, OUT_OF_SERVICE_STATE)
                _break(effects.substation_damage_s, effects.substation_damage_state, sub_broken, shock.at_s,
                       _states(sub_draw, sub_pga, SUBSTATION_LOW_VOLTAGE))
            self._close_near_fault(world, effects, shock)
            felt = self.pga_g(shock, world.area_lat_deg, world.area_lon_deg, "B", None) >= FELT_PGA_G
            effects.affected_area_s[felt] = np.minimum(effects.affected_area_s[felt], shock.at_s)
        return effects

    @staticmethod
    def _close_near_fault(world: World, effects: Effects, shock: Shock) -> None:
        """Crews cannot enter the near-fault zone for the first hours after a shock (d2c.restoration.defaults)."""
        radius_km = rupture_half_length_km(shock.magnitude) + NEAR_FAULT_EXTRA_KM
        end_s = shock.at_s + NEAR_FAULT_HOURS * 3600.0
        near = haversine_km(world.equipment_lat_deg, world.equipment_lon_deg, shock.lat, shock.lon) <= radius_km
        effects.blocked_equipment.append(Window(shock.at_s, end_s, near))
        near_sub = haversine_km(world.substation_lat_deg, world.substation_lon_deg, shock.lat, shock.lon) <= radius_km
        effects.blocked_substations.append(Window(shock.at_s, end_s, near_sub))
        ends = np.concatenate([world.link_a, world.link_b]) if len(world.link_ids) else np.zeros(0, np.int64)
        graph_near = near[world.graph_equipment] if len(world.graph_node_ids) else np.zeros(0, bool)
        link_near = graph_near[ends].reshape(2, -1).any(axis=0) if ends.size else np.zeros(0, bool)
        effects.blocked_links.append(Window(shock.at_s, end_s, link_near))

    def describe(self) -> str:
        main = self.shocks[0]
        text = (f"earthquake Mw {main.magnitude:g} at {main.lat:.3f}N {main.lon:.3f}E, depth {main.depth_km:g} km; "
                f"ITA10 ground motion ({self.ground_motion}), {self.equipment_fragility.name}")
        if len(self.shocks) > 1:
            text += f"; {len(self.shocks) - 1} aftershock(s)"
        return text


def _states(draw: np.ndarray, pga_g: np.ndarray, fragility: Fragility) -> np.ndarray:
    """The damage state each uniform ``draw`` reaches: the same draw that decided the failure.

    >>> int(_states(np.array([0.0]), np.array([5.0]), Fragility("x", (0.1,) * 4, (0.5,) * 4))[0]) == COMPLETE
    True
    """
    state = np.full(draw.shape, MODERATE, dtype=np.int8)
    state[draw < fragility.exceedance(pga_g, "extensive")] = EXTENSIVE
    state[draw < fragility.exceedance(pga_g, "complete")] = COMPLETE
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
        equipment_fragility=fields.opt("fragility", _fragility, COMMUNICATION_FACILITY),
    )
