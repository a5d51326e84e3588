"""The topology as the engine sees it: plain frozen dataclasses, checked on the way in (``d2c.config.topology``)."""

from __future__ import annotations

from dataclasses import dataclass, field

CORE_FUNCTIONS = ("voice", "sms", "data", "cbc")
SITE_CLASSES = ("A", "B", "C", "D", "E")

# Default autonomy on battery, hours. Cell sites: a few hours is the norm that
# FCC DIRS reports show running out on the first day (REFERENCE.md); transport
# and core sites are built for longer. Both can be set per element.
DEFAULT_BATTERY_HOURS = {"site": 4.0, "node": 8.0, "core": 72.0, "psap": 72.0, "gateway": 72.0}


@dataclass(frozen=True, slots=True)
class Power:
    """How a piece of equipment is fed: grid via a substation, then battery, then generator."""

    substation: str | None
    battery_hours: float
    generator_hours: float
    site_class: str = "B"


@dataclass(frozen=True, slots=True)
class Area:
    id: str
    name: str
    lat: float
    lon: float
    population: int
    region: str = ""


@dataclass(frozen=True, slots=True)
class Substation:
    id: str
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class Site:
    id: str
    lat: float
    lon: float
    operator: str
    radius_km: float
    capacity_calls: float
    capacity_mbps: float
    backhaul: str
    power: Power
    anchored: bool = True  # equipment bolted down: the anchored Hazus fragility (d2c.hazards.fragility)


@dataclass(frozen=True, slots=True)
class TransportNode:
    id: str
    lat: float
    lon: float
    kind: str
    power: Power


@dataclass(frozen=True, slots=True)
class Link:
    id: str
    a: str
    b: str
    medium: str
    route: tuple[tuple[float, float], ...] = ()


@dataclass(frozen=True, slots=True)
class Core:
    id: str
    lat: float
    lon: float
    operator: str | None
    functions: tuple[str, ...]
    power: Power


@dataclass(frozen=True, slots=True)
class Psap:
    id: str
    lat: float
    lon: float
    cores: tuple[str, ...]
    region: str
    power: Power


@dataclass(frozen=True, slots=True)
class Gateway:
    id: str
    lat: float
    lon: float
    core: str
    power: Power


@dataclass(frozen=True, slots=True)
class Operator:
    """A mobile operator and its share of the handsets (SIMs) of the territory."""

    name: str
    market_share: float


@dataclass(frozen=True)
class Topology:
    name: str
    areas: tuple[Area, ...]
    sites: tuple[Site, ...]
    cores: tuple[Core, ...]
    psaps: tuple[Psap, ...]
    substations: tuple[Substation, ...] = ()
    nodes: tuple[TransportNode, ...] = ()
    links: tuple[Link, ...] = ()
    gateways: tuple[Gateway, ...] = ()
    operators: tuple[Operator, ...] = ()  # empty: handsets follow the sites' capacity
    description: str = ""
    path: str = field(default="", compare=False)

    @property
    def population(self) -> int:
        return sum(area.population for area in self.areas)

    def kinds_by_id(self) -> dict[str, str]:
        """Every id in the topology and what it names ("site", "link", ...)."""
        groups = (("area", self.areas), ("substation", self.substations), ("site", self.sites),
                  ("transport node", self.nodes), ("link", self.links), ("core", self.cores),
                  ("psap", self.psaps), ("gateway", self.gateways))
        return {item.id: kind for kind, group in groups for item in group}
