"""Satellite D2C providers: constellation + radio, loaded from preset YAML files.

A preset gives every parameter as ``{value: ..., source: "..."}`` so that each number a
report relies on names where it came from. Shipped presets live in ``presets/``; a user's
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
      eirp_dbm, gt_db_per_k, uplink_bandwidth_mhz
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

import yaml

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
}

# Defaults for the optional groups, with their sources.
_HANDSET_DEFAULTS: dict[str, tuple[Any, str]] = {
    "eirp_dbm": (23.0, "3GPP TS 38.101-5 UE power class 3, 23 dBm with a 0 dBi antenna (TR 38.821 Table 6.1.1.1-3)"),
    "gt_db_per_k": (-31.6, "3GPP TR 38.821 Table 6.1.1.1-3 handheld: 0 dBi, 290 K, NF 7 dB"),
    "uplink_bandwidth_mhz": (0.36, "3GPP TR 38.821 Table 6.1.3.3-1 handheld uplink allocation, 360 kHz"),
}
_LOSSES_DEFAULTS: dict[str, tuple[Any, str]] = {
    "atmospheric_loss_db": (0.1, "3GPP TR 38.821 Table 6.1.3.3-1, S-band LEO rows"),
    "shadow_margin_db": (3.0, "3GPP TR 38.821 Table 6.1.3.3-1, S-band LEO rows"),
    "scintillation_loss_db": (2.2, "3GPP TR 38.821 Table 6.1.3.3-1, S-band LEO rows"),
    "polarization_loss_db": (0.0, "3GPP TR 38.821 Table 6.1.3.3-1, S-band LEO rows"),
    "additional_loss_db": (0.0, "3GPP TR 38.821 Table 6.1.3.3-1, S-band LEO rows"),
}


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
        band = BANDS["n256"]
        eirp_density = 34.0 + 20.0 * math.log10(altitude_km / 600.0)
        beam_radius = altitude_km * math.tan(math.radians(4.4127 / 2.0))
        tr = "3GPP TR 38.821 Set-1 S-band (Table 6.1.1.1-1)"
        radio = RadioLink(
            downlink_frequency_mhz=band.downlink_centre_mhz,
            uplink_frequency_mhz=band.uplink_centre_mhz,
            sat_eirp_density_dbw_per_mhz=eirp_density,
            sat_gt_db_per_k=1.1,
            channel_bandwidth_mhz=10.0,
            ue_eirp_dbm=_HANDSET_DEFAULTS["eirp_dbm"][0],
            ue_gt_db_per_k=_HANDSET_DEFAULTS["gt_db_per_k"][0],
            ue_uplink_bandwidth_mhz=_HANDSET_DEFAULTS["uplink_bandwidth_mhz"][0],
            losses=PropagationLosses(),
        )
        sources = {
            "constellation.walker": "user",
            "constellation.altitude_km": "user",
            "band": "3GPP TS 38.101-5 Table 5.2.2-1",
            "satellite.eirp_density_dbw_per_mhz": f"{tr}, scaled by 20 log10(h/600 km)",
            "satellite.gt_db_per_k": tr,
            "satellite.beams_per_satellite": "19 beams, the TR 38.821 system-level layout (assumed)",
            "satellite.beam_radius_km": f"{tr}: h tan(4.4127 deg / 2)",
            "satellite.channel_bandwidth_mhz": "10 MHz, within the 20 MHz limit of n255/n256 (TS 38.101-5 Table 5.3.5-1)",
            "satellite.inter_satellite_links": "assumed none (bent pipe)",
            "elevation_mask_deg": "3GPP TR 38.821 Table 4.2-2 minimum elevation, 10 deg",
            "gateway_mask_deg": "3GPP TR 38.821 Table 4.2-2 minimum elevation, 10 deg",
            "services": "assumed: all",
        }
        return cls(
            name=name or f"walker-{walker}@{altitude_km:g}km",
            description=f"user shell {walker} at {altitude_km:g} km with generic 3GPP D2C radio",
            band=band,
            radio=radio,
            beams_per_satellite=19,
            beam_radius_km=beam_radius,
            elevation_mask_deg=10.0,
            gateway_mask_deg=10.0,
            inter_satellite_links=False,
            services=("sms", "voice", "data"),
            walker=walker,
            altitude_km=float(altitude_km),
            sources=sources,
        )


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
    if preset.is_file():
        path = preset
    else:
        path = Path(name_or_path)
        if not path.is_file():
            raise ValueError(
                f"unknown provider {text_name!r}: not a preset ({', '.join(available_presets())}) "
                "nor a readable YAML file"
            )
    return _parse_provider(path.read_text(), path)


class _Doc:
    """A YAML document with the line number of every node, for error messages."""

    def __init__(self, text: str, path: Path):
        self.path = path
        try:
            self.data = yaml.safe_load(text)
            root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else 1
            raise ValueError(f"{path}:{line}: not valid YAML: {getattr(exc, 'problem', exc)}") from None
        self.lines: dict[str, int] = {}
        if root is not None:
            self._index(root, "")

    def _index(self, node: yaml.Node, prefix: str) -> None:
        self.lines[prefix] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                key = f"{prefix}.{k.value}" if prefix else str(k.value)
                self.lines[key] = k.start_mark.line + 1
                self._index(v, key)
                self.lines[key] = k.start_mark.line + 1

    def error(self, key: str, message: str) -> ValueError:
        parts = key.split(".")
        line = None
        while parts:
            line = self.lines.get(".".join(parts))
            if line is not None:
                break
            parts.pop()
        return ValueError(f"{self.path}:{line or 1}: {key or '(top)'}: {message}")


def _number(minimum: float | None = None, maximum: float | None = None, strict_min: bool = False,
            integer: bool = False) -> Callable[[Any], tuple[Any, str | None]]:
    def check(v: Any) -> tuple[Any, str | None]:
        kind = "a whole number" if integer else "a number"
        bounds = []
        if minimum is not None:
            bounds.append(f"{'>' if strict_min else '>='} {minimum:g}")
        if maximum is not None:
            bounds.append(f"<= {maximum:g}")
        want = f"expected {kind}" + (f" {' and '.join(bounds)}" if bounds else "")
        if isinstance(v, bool) or not isinstance(v, (int, float)) or (integer and not float(v).is_integer()):
            return None, f"{want}, got {v!r}"
        if minimum is not None and (v <= minimum if strict_min else v < minimum):
            return None, f"{want}, got {v!r}"
        if maximum is not None and v > maximum:
            return None, f"{want}, got {v!r}"
        return (int(v) if integer else float(v)), None
    return check


def _boolean(v: Any) -> tuple[Any, str | None]:
    return (v, None) if isinstance(v, bool) else (None, f"expected true or false, got {v!r}")


def _band(v: Any) -> tuple[Any, str | None]:
    if v in BANDS:
        return BANDS[v], None
    return None, f"expected one of {', '.join(BANDS)}, got {v!r}"


def _services(v: Any) -> tuple[Any, str | None]:
    known = SERVICE_NAMES[1:]
    if not isinstance(v, list) or not v or any(s not in known for s in v):
        return None, f"expected a non-empty list drawn from {', '.join(known)}, got {v!r}"
    return tuple(v), None


def _walker(v: Any) -> tuple[Any, str | None]:
    try:
        return parse_walker(v), None
    except ValueError as exc:
        return None, str(exc)


def _text(v: Any) -> tuple[Any, str | None]:
    return (v, None) if isinstance(v, str) and v.strip() else (None, f"expected a non-empty string, got {v!r}")


_SATELLITE = {
    "eirp_density_dbw_per_mhz": _number(-50, 100),
    "gt_db_per_k": _number(-60, 60),
    "beams_per_satellite": _number(1, None, integer=True),
    "beam_radius_km": _number(0, None, strict_min=True),
    "channel_bandwidth_mhz": _number(0, None, strict_min=True),
    "inter_satellite_links": _boolean,
}
_HANDSET = {
    "eirp_dbm": _number(-20, 40),
    "gt_db_per_k": _number(-60, 20),
    "uplink_bandwidth_mhz": _number(0, None, strict_min=True),
}
_LOSSES = {k: _number(0, 60) for k in _LOSSES_DEFAULTS}
_TOP = {
    "band": _band,
    "elevation_mask_deg": _number(0, 90),
    "gateway_mask_deg": _number(0, 90),
    "services": _services,
}
_GROUPS = ("constellation", "satellite", "handset", "losses")


def _parse_provider(text: str, path: Path) -> Provider:
    doc = _Doc(text, path)
    data = doc.data
    if not isinstance(data, dict):
        raise doc.error("", "expected a mapping of provider fields")
    allowed = {"name", "description", *_TOP, *_GROUPS}
    for key in data:
        if key not in allowed:
            raise doc.error(str(key), f"unknown field; expected one of {', '.join(sorted(allowed))}")
    name, err = _text(data.get("name"))
    if err:
        raise doc.error("name", err)
    description = data.get("description", "")
    if not isinstance(description, str):
        raise doc.error("description", f"expected a string, got {description!r}")
    sources: dict[str, str] = {}

    def param(key: str, check: Callable[[Any], tuple[Any, str | None]], raw: Any) -> Any:
        if not isinstance(raw, dict) or set(raw) != {"value", "source"}:
            raise doc.error(key, f"expected {{value: ..., source: \"...\"}}, got {raw!r}")
        src, err = _text(raw["source"])
        if err:
            raise doc.error(f"{key}.source", err)
        value, err = check(raw["value"])
        if err:
            raise doc.error(f"{key}.value", err)
        sources[key] = src
        return value

    def group(gname: str, schema: Mapping[str, Callable], defaults: Mapping[str, tuple[Any, str]] | None) -> dict:
        raw = data.get(gname)
        if raw is None:
            if defaults is None:
                raise doc.error(gname, "missing required group")
            raw = {}
        if not isinstance(raw, dict):
            raise doc.error(gname, f"expected a mapping, got {raw!r}")
        for k in raw:
            if k not in schema:
                raise doc.error(f"{gname}.{k}", f"unknown field; expected one of {', '.join(schema)}")
        out = {}
        for k, check in schema.items():
            key = f"{gname}.{k}"
            if k in raw:
                out[k] = param(key, check, raw[k])
            elif defaults is not None and k in defaults:
                out[k], sources[key] = defaults[k]
            else:
                raise doc.error(gname, f"missing required field {k!r}")
        return out

    top = {}
    for k, check in _TOP.items():
        if k not in data:
            raise doc.error("", f"missing required field {k!r}")
        top[k] = param(k, check, data[k])

    sat = group("satellite", _SATELLITE, None)
    ue = group("handset", _HANDSET, _HANDSET_DEFAULTS)
    losses = group("losses", _LOSSES, _LOSSES_DEFAULTS)

    cons = data.get("constellation")
    if not isinstance(cons, dict):
        raise doc.error("constellation", "expected a mapping with walker + altitude_km, or tle_file")
    for k in cons:
        if k not in ("walker", "altitude_km", "tle_file"):
            raise doc.error(f"constellation.{k}", "unknown field; expected walker, altitude_km or tle_file")
    walker = altitude = tle = None
    if "tle_file" in cons:
        if "walker" in cons or "altitude_km" in cons:
            raise doc.error("constellation", "give either tle_file or walker + altitude_km, not both")
        tle_name = param("constellation.tle_file", _text, cons["tle_file"])
        tle = (path.parent / tle_name).resolve()
        if not tle.is_file():
            raise doc.error("constellation.tle_file.value", f"no such file {str(tle)!r}")
    else:
        if "walker" not in cons or "altitude_km" not in cons:
            raise doc.error("constellation", "expected both walker and altitude_km (or a tle_file)")
        walker = param("constellation.walker", _walker, cons["walker"])
        altitude = param("constellation.altitude_km", _number(0, 100000, strict_min=True), cons["altitude_km"])

    band: Band = top["band"]
    services: tuple[str, ...] = top["services"]
    radio = RadioLink(
        downlink_frequency_mhz=band.downlink_centre_mhz,
        uplink_frequency_mhz=band.uplink_centre_mhz,
        sat_eirp_density_dbw_per_mhz=sat["eirp_density_dbw_per_mhz"],
        sat_gt_db_per_k=sat["gt_db_per_k"],
        channel_bandwidth_mhz=sat["channel_bandwidth_mhz"],
        ue_eirp_dbm=ue["eirp_dbm"],
        ue_gt_db_per_k=ue["gt_db_per_k"],
        ue_uplink_bandwidth_mhz=ue["uplink_bandwidth_mhz"],
        losses=PropagationLosses(**losses),
        max_service=max(SERVICE_NAMES.index(s) for s in services),
    )
    return Provider(
        name=name,
        description=description.strip(),
        band=band,
        radio=radio,
        beams_per_satellite=sat["beams_per_satellite"],
        beam_radius_km=sat["beam_radius_km"],
        elevation_mask_deg=top["elevation_mask_deg"],
        gateway_mask_deg=top["gateway_mask_deg"],
        inter_satellite_links=sat["inter_satellite_links"],
        services=services,
        walker=walker,
        altitude_km=altitude,
        tle_file=tle,
        sources=sources,
    )
