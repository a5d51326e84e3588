"""Satellite D2C providers: constellation + radio, loaded from preset YAML files.

A preset gives every parameter as ``{value: ..., source: "..."}`` or, where no public
figure exists, ``{value: ..., assumed: {low: ..., high: ..., why: "..."}}`` (both may be
given), so that each number a report relies on names where it came from and each guess
carries the range a sensitivity analysis sweeps (:meth:`Provider.assumptions`,
:meth:`Provider.with_value`). Shipped presets live in ``presets/``; a user's
own file is loaded by path. Layout::

    name: my-provider
    description: free text
    constellation:
      walker: {value: "53:648/36/1", source: ...}     # or tle_file: {value: x.tle, ...}
      altitude_km: {value: 360, source: ...}          # with walker
    band: {value: n256, source: ...}                  # n256 (S) or n255 (L)
    satellite:
      eirp_density_dbw_per_mhz, gt_db_per_k, beams_per_satellite, beam_radius_km,
      channel_bandwidth_mhz, inter_satellite_links
    handset:            # optional, defaults: 3GPP power class 3 handheld (TR 38.821)
      eirp_dbm, gt_db_per_k, uplink_bandwidth_mhz, body_loss_db
    losses:             # optional, defaults: TR 38.821 Table 6.1.3.3-1 S-band LEO rows
      atmospheric_loss_db, shadow_margin_db, scintillation_loss_db,
      polarization_loss_db, additional_loss_db
    elevation_mask_deg: {value: 25, source: ...}
    gateway_mask_deg: {value: 10, source: ...}
    services: {value: [sms, voice, data], source: ...}

Errors name the file, the line and the field, e.g.
``presets/x.yaml:12: satellite.beam_radius_km: expected a number > 0, got -3``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Mapping

import yaml

from d2c.base import reader as r
from d2c.base.errors import ConfigError

from .linkbudget import SERVICE_NAMES, PropagationLosses, RadioLink
from .orbits import Constellation, WalkerSpec, parse_walker

PRESETS_DIR = Path(__file__).parent / "presets"


@dataclass(frozen=True)
class Band:
    """A 3GPP NTN satellite operating band (uplink and downlink edges, MHz)."""

    name: str
    uplink_mhz: tuple[float, float]
    downlink_mhz: tuple[float, float]

    @property
    def uplink_centre_mhz(self) -> float:
        return 0.5 * (self.uplink_mhz[0] + self.uplink_mhz[1])

    @property
    def downlink_centre_mhz(self) -> float:
        return 0.5 * (self.downlink_mhz[0] + self.downlink_mhz[1])


BANDS: dict[str, Band] = {
    # 3GPP TS 38.101-5 Table 5.2.2-1, NTN satellite bands in FR1-NTN.
    "n256": Band("n256", (1980.0, 2010.0), (2170.0, 2200.0)),  # S-band MSS
    "n255": Band("n255", (1626.5, 1660.5), (1525.0, 1559.0)),  # L-band MSS
    # 3GPP TR 38.821 Table 6.1.1.1-1 reference carrier for S-band link budgets: 2 GHz.
    "s-2ghz": Band("s-2ghz", (2000.0, 2000.0), (2000.0, 2000.0)),
    # US PCS G Block leased by T-Mobile to SpaceX for supplemental coverage from space
    # (FCC Space Bureau, Order and Authorization, 26 November 2024): 1910-1915 / 1990-1995 MHz.
    "pcs-g": Band("pcs-g", (1910.0, 1915.0), (1990.0, 1995.0)),
}

# Defaults for the optional groups, with their sources.
_HANDSET_DEFAULTS: dict[str, tuple[Any, str]] = {
    "eirp_dbm": (23.0, "3GPP TS 38.101-5 UE power class 3, 23 dBm with a 0 dBi antenna (TR 38.821 Table 6.1.1.1-3)"),
    "gt_db_per_k": (-31.6, "3GPP TR 38.821 Table 6.1.1.1-3 handheld: 0 dBi, 290 K, NF 7 dB"),
    "uplink_bandwidth_mhz": (0.36, "3GPP TR 38.821 Table 6.1.3.3-1 handheld uplink allocation, 360 kHz"),
    "body_loss_db": (3.0, "assumed 3 dB (range 0-6): a phone held in the hand or at the head; 3GPP TR 38.821 "
                          "assumes a 0 dBi handheld without body loss, IMT handset link budgets use 3-4 dB (approx.)"),
}
_DEFAULT_ASSUMED: dict[str, "Assumption"] = {}  # filled below, once Assumption exists

_LOSSES_DEFAULTS: dict[str, tuple[Any, str]] = {
    "atmospheric_loss_db": (0.1, "3GPP TR 38.821 Table 6.1.3.3-1, S-band LEO rows"),
    "shadow_margin_db": (3.0, "3GPP TR 38.821 Table 6.1.3.3-1, S-band LEO rows"),
    "scintillation_loss_db": (2.2, "3GPP TR 38.821 Table 6.1.3.3-1, S-band LEO rows"),
    "polarization_loss_db": (0.0, "3GPP TR 38.821 Table 6.1.3.3-1, S-band LEO rows"),
    "additional_loss_db": (0.0, "3GPP TR 38.821 Table 6.1.3.3-1, S-band LEO rows"),
}


@dataclass(frozen=True)
class Assumption:
    """A preset figure with no public source: its value and the plausible range around it."""

    name: str  # dotted field, e.g. "satellite.beams_per_satellite"
    value: Any
    low: Any
    high: Any
    why: str


@dataclass(frozen=True)
class Provider:
    """A D2C provider: which satellites, and what each beam can do for a handset."""

    name: str
    description: str
    band: Band
    radio: RadioLink
    beams_per_satellite: int
    beam_radius_km: float
    elevation_mask_deg: float
    gateway_mask_deg: float
    inter_satellite_links: bool
    services: tuple[str, ...]
    walker: WalkerSpec | None = None
    altitude_km: float | None = None
    tle_file: Path | None = None
    sources: Mapping[str, str] = field(default_factory=dict, repr=False)
    values: Mapping[str, Any] = field(default_factory=dict, repr=False)
    assumed: Mapping[str, Assumption] = field(default_factory=dict, repr=False)

    def assumptions(self) -> list[Assumption]:
        """Every figure of this provider that rests on an assumption, with its range."""
        return [self.assumed[k] for k in sorted(self.assumed)]

    def with_value(self, name: str, value: Any) -> "Provider":
        """The same provider with one figure (a dotted field name) set to ``value``.

        >>> p = load_provider("starlink-dtc").with_value("satellite.beams_per_satellite", 48)
        >>> p.beams_per_satellite
        48
        """
        if name not in self.values:
            raise ValueError(f"{name!r}: not a figure of {self.name} ({', '.join(sorted(self.values))})")
        values = {**self.values, name: value}
        assumed = dict(self.assumed)
        if name in assumed:
            assumed[name] = replace(assumed[name], value=value)
        return _assemble(self.name, self.description, values, dict(self.sources), assumed)

    @property
    def max_service(self) -> int:
        """Highest service class (0..3) the provider offers."""
        return max((SERVICE_NAMES.index(s) for s in self.services), default=0)

    def constellation(self, epoch_utc: Any) -> Constellation:
        """The provider's satellites; a Walker shell is referenced to ``epoch_utc``."""
        if self.tle_file is not None:
            return Constellation.from_tle_file(self.tle_file)
        assert self.walker is not None and self.altitude_km is not None
        return Constellation.walker(self.walker, self.altitude_km, epoch_utc, name_prefix=self.name)

    @classmethod
    def from_walker(cls, spec: str, altitude_km: float, name: str | None = None) -> "Provider":
        """A user's own shell with generic 3GPP D2C radio parameters.

        TR 38.821 Set-1 S-band values (Table 6.1.1.1-1 and -3): 2 m aperture, 4.4127 deg
        3 dB beam width, G/T 1.1 dB/K, EIRP density 34 dBW/MHz at 600 km scaled by
        20 log10(h / 600 km) so that the power flux density on the ground stays the same
        (the TR's own LEO-1200 value, 40 dBW/MHz, is that rule at 1,200 km).
        """
        walker = parse_walker(spec)
        if not altitude_km > 0:
            raise ValueError(f"altitude_km must be > 0, got {altitude_km!r}")
        tr = "3GPP TR 38.821 Set-1 S-band (Table 6.1.1.1-1)"
        values: dict[str, Any] = {
            "constellation.walker": walker,
            "constellation.altitude_km": float(altitude_km),
            "band": "s-2ghz",
            "satellite.eirp_density_dbw_per_mhz": 34.0 + 20.0 * math.log10(altitude_km / 600.0),
            "satellite.gt_db_per_k": 1.1,
            "satellite.beams_per_satellite": 19,
            "satellite.beam_radius_km": 25.0 * altitude_km / 600.0,
            "satellite.channel_bandwidth_mhz": 10.0,
            "satellite.inter_satellite_links": False,
            "elevation_mask_deg": 10.0,
            "gateway_mask_deg": 10.0,
            "services": ("sms", "voice", "data"),
        }
        sources = {
            "constellation.walker": "user",
            "constellation.altitude_km": "user",
            "band": "3GPP TR 38.821 reference case: S-band at 2 GHz both ways (Table 6.1.1.1-1)",
            "satellite.eirp_density_dbw_per_mhz": f"{tr}, 34 dBW/MHz at 600 km scaled by 20 log10(h/600 km)",
            "satellite.gt_db_per_k": tr,
            "satellite.beam_radius_km": f"{tr}: beam diameter 50 km at 600 km, scaled with the altitude",
            "satellite.channel_bandwidth_mhz": "10 MHz, within the 20 MHz limit of n255/n256 (TS 38.101-5 Table 5.3.5-1)",
            "satellite.inter_satellite_links": "a user shell: bent pipe unless told otherwise",
            "elevation_mask_deg": "3GPP TR 38.821 Table 4.2-2 minimum elevation, 10 deg",
            "gateway_mask_deg": "3GPP TR 38.821 Table 4.2-2 minimum elevation, 10 deg",
            "services": "a user shell: all services",
        }
        assumed = {"satellite.beams_per_satellite": Assumption(
            "satellite.beams_per_satellite", 19, 7, 61,
            "the 19-beam layout of TR 38.821's system-level simulations; 7-61 hexagonal rings")}
        for group, defaults in (("handset", _HANDSET_DEFAULTS), ("losses", _LOSSES_DEFAULTS)):
            for key, (value, source) in defaults.items():
                values[f"{group}.{key}"], sources[f"{group}.{key}"] = value, source
        assumed.update(_DEFAULT_ASSUMED)
        return _assemble(name or f"walker-{walker}@{altitude_km:g}km",
                         f"user shell {walker} at {altitude_km:g} km with generic 3GPP D2C radio",
                         values, sources, assumed)


_DEFAULT_ASSUMED["handset.body_loss_db"] = Assumption(
    "handset.body_loss_db", 3.0, 0.0, 6.0,
    "a phone held in the hand or at the head; TR 38.821 assumes a 0 dBi handheld without it")

# ----------------------------------------------------------------------------------------
# Loading
# ----------------------------------------------------------------------------------------


def available_presets() -> list[str]:
    """Names of the presets shipped with d2c."""
    return sorted(p.stem for p in PRESETS_DIR.glob("*.yaml"))


def load_provider(name_or_path: str | Path) -> Provider:
    """Load a shipped preset by name (``"starlink-dtc"``) or a preset file by path.

    Raises ValueError with the list of known presets for an unknown name, and with
    file:line for a malformed file.
    """
    text_name = str(name_or_path)
    preset = PRESETS_DIR / f"{text_name}.yaml"
    if r.is_regular_file(preset):
        path = preset
    else:
        path = Path(name_or_path)
        if not r.is_regular_file(path):
            raise ValueError(
                f"unknown provider {text_name!r}: not a preset ({', '.join(available_presets())}) "
                "nor a readable YAML file"
            )
    return _parse_provider(path)


def figure_text(v: Any) -> str:
    """A figure as a report prints it: ``53:72/12/1``, ``sms+voice``, ``19``."""
    if isinstance(v, (list, tuple)):
        return "+".join(str(x) for x in v)
    return f"{v:g}" if isinstance(v, (int, float)) else str(v)


def read_provider(fields: r.Fields, base: Path, key: str = "provider", name: str | None = None) -> Provider:
    """The provider a block of an input file names: ``{<key>: <preset name or file>}`` or
    ``{walker: "i:t/p/f", altitude_km: h}`` (a user's shell, named ``name``).

    The one reader of this shape: a scenario's ``d2c:`` block (``key`` ``provider``) and a
    comparison's providers (``key`` ``preset``) both use it. A file is looked up relative
    to ``base`` (the folder of the file that names it); errors name that file and line.
    """
    if fields.has(key) == fields.has("walker"):
        raise fields.ctx.error(fields.node, f"either {key}: <preset or file> or walker: \"i:t/p/f\" with altitude_km")
    try:
        if fields.has(key):
            preset = fields.req(key, r.string)
            candidate = base / preset
            return load_provider(candidate if candidate.suffix in (".yaml", ".yml") and r.is_regular_file(candidate)
                                 else preset)
        return Provider.from_walker(fields.req("walker", r.string),
                                    fields.req("altitude_km", r.number(above=100.0, maximum=40_000.0)), name=name)
    except ConfigError:
        raise  # an error inside the preset file names its own file and line
    except ValueError as exc:
        which = key if fields.has(key) else "walker"
        raise fields.ctx.child(which).error(fields.node_of(which), str(exc)) from None


def _sourced(parse: Callable, sources: dict[str, str], assumed: dict[str, Assumption], key: str) -> Callable:
    """``{value, source}`` and/or ``{value, assumed: {low, high, why}}``: the value parsed,
    the source kept in ``sources``, the range in ``assumed`` (low <= value <= high)."""

    def read(node: yaml.Node, ctx: r.Ctx) -> Any:
        f = r.Fields(node, ctx)
        value = f.req("value", parse)
        source = f.opt("source", r.string, None)
        guess = f.opt("assumed", lambda n, c: _assumed(n, c, parse, key, value), None)
        if source is None and guess is None:
            raise ctx.error(node, "a source: naming where the value comes from, or assumed: {low, high, why}",
                            "neither")
        f.done()
        if guess is not None:
            assumed[key] = guess
        sources[key] = source if source is not None else f"assumed: {guess.why} (range {guess.low} - {guess.high})"
        return value

    return read


def _assumed(node: yaml.Node, ctx: r.Ctx, parse: Callable, key: str, value: Any) -> Assumption:
    f = r.Fields(node, ctx)
    low, high = f.req("low", parse), f.req("high", parse)
    why = f.req("why", r.string)
    f.done()
    order = figure_number(low), figure_number(value), figure_number(high)
    if not order[0] <= order[1] <= order[2]:
        raise ctx.error(node, f"low <= value <= high (value {value})", f"low {low}, high {high}")
    return Assumption(key, value, low, high, why)


def figure_number(v: Any) -> float:
    """A figure as one number, to order and sweep it: numbers as they are, a Walker shell by its
    number of satellites, a list (of services) by its length.

    >>> figure_number(parse_walker("53:72/12/1")), figure_number(["sms", "voice"]), figure_number(19)
    (72.0, 2.0, 19.0)
    """
    if isinstance(v, WalkerSpec):
        return float(v.total_satellites)
    return float(len(v)) if isinstance(v, (list, tuple)) else float(v)


def _walker(node: yaml.Node, ctx: r.Ctx) -> WalkerSpec:
    try:
        return parse_walker(r.string(node, ctx))
    except ValueError as exc:
        raise ctx.error(node, str(exc)) from None


_SATELLITE = {
    "eirp_density_dbw_per_mhz": r.number(-50, 100),
    "gt_db_per_k": r.number(-60, 60),
    "beams_per_satellite": r.integer(1),
    "beam_radius_km": r.number(above=0.0),
    "channel_bandwidth_mhz": r.number(above=0.0),
    "inter_satellite_links": r.boolean,
}
_HANDSET = {
    "eirp_dbm": r.number(-20, 40),
    "gt_db_per_k": r.number(-60, 20),
    "uplink_bandwidth_mhz": r.number(above=0.0),
    "body_loss_db": r.number(0, 30),
}
_LOSSES = {k: r.number(0, 60) for k in _LOSSES_DEFAULTS}


def _parse_provider(path: Path) -> Provider:
    root = r.compose_file(path)
    top = r.Fields(root, r.Ctx(str(path)))
    sources: dict[str, str] = {}
    assumed: dict[str, Assumption] = {}
    values: dict[str, Any] = {}

    def param(fields: r.Fields, key: str, parse: Callable, prefix: str = "") -> Any:
        values[prefix + key] = fields.req(key, _sourced(parse, sources, assumed, prefix + key))
        return values[prefix + key]

    def group(name: str, schema: Mapping[str, Callable], defaults: Mapping[str, tuple[Any, str]] | None) -> None:
        node = top.req(name, lambda n, c: n) if defaults is None else top.opt(name, lambda n, c: n, None)
        fields = r.Fields(node, top.ctx.child(name)) if node is not None else None
        for key, parse in schema.items():
            if fields is not None and (defaults is None or fields.has(key)):
                param(fields, key, parse, f"{name}.")
            else:
                values[f"{name}.{key}"], sources[f"{name}.{key}"] = defaults[key]
                if f"{name}.{key}" in _DEFAULT_ASSUMED:
                    assumed[f"{name}.{key}"] = _DEFAULT_ASSUMED[f"{name}.{key}"]
        if fields is not None:
            fields.done()

    name = top.req("name", r.string)
    description = top.opt("description", r.text, "")
    param(top, "band", r.one_of(*BANDS))
    param(top, "elevation_mask_deg", r.number(0, 90))
    param(top, "gateway_mask_deg", r.number(0, 90))
    values["services"] = tuple(param(top, "services", r.list_of(r.one_of(*SERVICE_NAMES[1:]), 1)))
    group("satellite", _SATELLITE, None)
    group("handset", _HANDSET, _HANDSET_DEFAULTS)
    group("losses", _LOSSES, _LOSSES_DEFAULTS)

    cons = r.Fields(top.req("constellation", lambda n, c: n), top.ctx.child("constellation"))
    if cons.has("tle_file") == cons.has("walker"):
        raise cons.ctx.error(cons.node, "either tle_file, or walker with altitude_km")
    if cons.has("tle_file"):
        tle = (path.parent / param(cons, "tle_file", r.string, "constellation.")).resolve()
        if not r.is_regular_file(tle):
            raise cons.ctx.child("tle_file").error(cons.node_of("tle_file"), "an existing TLE file", str(tle))
        values["constellation.tle_file"] = tle
    else:
        param(cons, "walker", _walker, "constellation.")
        param(cons, "altitude_km", r.number(above=0.0, maximum=100_000.0), "constellation.")
    cons.done()
    top.done()
    return _assemble(name, description.strip(), values, sources, assumed)


def _assemble(name: str, description: str, values: Mapping[str, Any], sources: Mapping[str, str],
              assumed: Mapping[str, Assumption]) -> Provider:
    """A provider from its figures (dotted field names, as in the preset file)."""
    v = dict(values)
    band = BANDS[v["band"]]
    walker = v.get("constellation.walker")
    if isinstance(walker, str):
        walker = v["constellation.walker"] = parse_walker(walker)
    services = tuple(v["services"])
    radio = RadioLink(
        downlink_frequency_mhz=band.downlink_centre_mhz,
        uplink_frequency_mhz=band.uplink_centre_mhz,
        sat_eirp_density_dbw_per_mhz=float(v["satellite.eirp_density_dbw_per_mhz"]),
        sat_gt_db_per_k=float(v["satellite.gt_db_per_k"]),
        channel_bandwidth_mhz=float(v["satellite.channel_bandwidth_mhz"]),
        ue_eirp_dbm=float(v["handset.eirp_dbm"]),
        ue_gt_db_per_k=float(v["handset.gt_db_per_k"]),
        ue_uplink_bandwidth_mhz=float(v["handset.uplink_bandwidth_mhz"]),
        losses=PropagationLosses(**{k: float(v[f"losses.{k}"]) for k in _LOSSES_DEFAULTS},
                                 body_loss_db=float(v["handset.body_loss_db"])),
        max_service=max(SERVICE_NAMES.index(s) for s in services),
    )
    altitude = v.get("constellation.altitude_km")
    return Provider(
        name=name,
        description=description,
        band=band,
        radio=radio,
        beams_per_satellite=int(v["satellite.beams_per_satellite"]),
        beam_radius_km=float(v["satellite.beam_radius_km"]),
        elevation_mask_deg=float(v["elevation_mask_deg"]),
        gateway_mask_deg=float(v["gateway_mask_deg"]),
        inter_satellite_links=bool(v["satellite.inter_satellite_links"]),
        services=services,
        walker=walker,
        altitude_km=float(altitude) if altitude is not None else None,
        tle_file=v.get("constellation.tle_file"),
        sources=dict(sources),
        values=v,
        assumed=dict(assumed),
    )
