"""Published outage series: small CSV files with their sources in a header (validation/observed/).

A file starts with ``#`` comment lines: ``# key: value`` lines give the
``event``, ``metric`` and ``onset`` (what ``t_hours`` counts from), the others
name the sources. Then one header row and the data::

    t_hours,value,series,bound,source
    35,74.0,all,exact,2

``series`` is ``all`` (every operator together), ``best`` or ``worst`` (the
operator that fared best or worst) or a name a metric knows (``grid``);
``bound`` says how to read the value: ``exact``, ``at_least`` (a figure
reported as "over ...") or ``at_most`` ("all back", "under ...").
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from d2c.base.errors import ConfigError

__all__ = ["ObservedSeries", "read_observed", "BOUNDS", "COLUMNS"]

COLUMNS = ("t_hours", "value", "series", "bound", "source")
BOUNDS = ("exact", "at_least", "at_most")


@dataclass(frozen=True)
class ObservedSeries:
    path: str
    title: str          # the first comment line
    meta: dict          # the ``# key: value`` lines (event, metric, onset, ...)
    header: tuple[str, ...]  # every comment line, as written (sources, licence)
    t_hours: np.ndarray
    value: np.ndarray
    series: tuple[str, ...]
    bound: tuple[str, ...]
    source: tuple[str, ...]

    @property
    def metric(self) -> str:
        return self.meta.get("metric", "").split(" ")[0]

    def rows(self, series: str | None = None) -> np.ndarray:
        """Indices of the rows of one series (all rows when ``series`` is None)."""
        return np.array([i for i, s in enumerate(self.series) if series is None or s == series], dtype=np.int64)


def read_observed(path: str | Path) -> ObservedSeries:
    """Read one observed series; a malformed row is a ``ConfigError`` naming its line.

    >>> import tempfile, os
    >>> text = "# A test series\\n# metric: sites_out_pct\\nt_hours,value,series,bound,source\\n1,50,all,exact,1\\n"
    >>> with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
    ...     _ = f.write(text)
    >>> obs = read_observed(f.name); os.unlink(f.name)
    >>> obs.metric, obs.value.tolist(), obs.bound
    ('sites_out_pct', [50.0], ('exact',))
    """
    name = str(path)
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(name, None, "", "a readable observed-series CSV file", exc.strerror) from None
    header: list[str] = []
    meta: dict[str, str] = {}
    first = 0
    while first < len(lines) and (lines[first].startswith("#") or not lines[first].strip()):
        text = lines[first].lstrip("#").strip()
        if text:
            header.append(text)
            key, sep, value = text.partition(":")
            if sep and key.strip().isidentifier() and not lines[first].startswith("#  "):
                meta.setdefault(key.strip(), value.strip())
        first += 1
    if not header:
        raise ConfigError(name, 1, "", "a '# title' comment line naming the series and its sources", None)
    reader = csv.reader(lines[first:])
    columns = next(reader, None)
    if columns is None or tuple(c.strip() for c in columns) != COLUMNS:
        raise ConfigError(name, first + 1, "header", "the columns " + ",".join(COLUMNS), ",".join(columns or []))
    t, v, series, bound, source = [], [], [], [], []
    for k, row in enumerate(reader):
        line = first + 2 + k
        if not row:
            continue
        if len(row) != len(COLUMNS):
            raise ConfigError(name, line, "row", f"{len(COLUMNS)} comma-separated fields", ",".join(row))
        for field, text in (("t_hours", row[0]), ("value", row[1])):
            try:
                number = float(text)
            except ValueError:
                raise ConfigError(name, line, field, "a number", text) from None
            if not np.isfinite(number):
                raise ConfigError(name, line, field, "a finite number", text)
            (t if field == "t_hours" else v).append(number)
        if row[3].strip() not in BOUNDS:
            raise ConfigError(name, line, "bound", "one of " + ", ".join(BOUNDS), row[3])
        series.append(row[2].strip())
        bound.append(row[3].strip())
        source.append(row[4].strip())
    if not t:
        raise ConfigError(name, first + 1, "", "at least one data row", None)
    return ObservedSeries(name, header[0], meta, tuple(header), np.array(t), np.array(v), tuple(series),
                          tuple(bound), tuple(source))
