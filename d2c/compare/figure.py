"""A number with its provenance: ``{value: ..., source: "..."}`` or ``{value: ..., assumed: [low, high]}``.

Every rate and cost in a comparison file is one of these, so a report can say
which of its conclusions rest on assumptions, and the sensitivity analysis
knows the range to sweep.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from d2c.base import reader as r

__all__ = ["Figure", "figure"]


@dataclass(frozen=True)
class Figure:
    """A value, where it comes from, and (when assumed) its plausible range.

    >>> Figure(2.0, low=1.0, high=4.0).assumed
    True
    >>> Figure(2.0, source="a table").with_value(3.0).value
    3.0
    """

    value: float
    source: str = ""
    low: float | None = None
    high: float | None = None

    @property
    def assumed(self) -> bool:
        return self.low is not None

    def with_value(self, value: float) -> "Figure":
        return Figure(value, self.source, self.low, self.high)

    def describe(self, unit: str = "") -> str:
        if self.assumed:
            return f"{self.value:,.4g}{unit} (assumed, range {self.low:,.4g}-{self.high:,.4g}{unit})"
        return f"{self.value:,.4g}{unit} ({self.source})"


def figure(minimum: float = 0.0) -> r.Parser:
    """Parse a :class:`Figure` whose value (and range) are numbers >= ``minimum``."""
    number = r.number(minimum)

    def parse(node: yaml.Node, ctx: r.Ctx) -> Figure:
        f = r.Fields(node, ctx)
        value = f.req("value", number)
        if f.has("source") == f.has("assumed"):
            raise ctx.error(node, "either source: \"where the value comes from\" or assumed: [low, high]")
        if f.has("source"):
            result = Figure(value, source=f.req("source", r.string))
        else:
            low, high = f.req("assumed", _range(number))
            if not low <= value <= high:
                raise ctx.child("assumed").error(f.node_of("assumed"), f"a range [low, high] around value {value:g}",
                                                 f"[{low:g}, {high:g}]")
            result = Figure(value, source=f.opt("note", r.text, ""), low=low, high=high)
        f.done()
        return result

    return parse


def _range(number: r.Parser) -> r.Parser:
    def parse(node: yaml.Node, ctx: r.Ctx) -> tuple[float, float]:
        values = r.list_of(number, 2)(node, ctx)
        if len(values) != 2 or values[0] > values[1]:
            raise ctx.error(node, "[low, high] with low <= high", values)
        return values[0], values[1]

    return parse
