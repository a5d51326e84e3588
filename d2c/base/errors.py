"""The one error a user sees for bad input: file, line, field, what was expected."""

from __future__ import annotations


class ConfigError(ValueError):
    """A problem in a user's YAML file, pointing at the line to fix.

    Rendered as ``file:line: field: expected ..., got ...`` on one line.
    """

    def __init__(self, file: str, line: int | None, field: str, expected: str, got: object = None):
        self.file = file
        self.line = line
        self.field = field
        self.expected = expected
        self.got = got
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        text = f"{where}: {self.field}: expected {self.expected}" if self.field else f"{where}: expected {self.expected}"
        if self.got is not None:
            text += f", got {_short(self.got)}"
        return text


class Found(str):
    """A description of what was found, shown as written (not quoted again)."""


def found_reference(ident: str, kinds_by_id: dict[str, str]) -> Found:
    """What a reference names: ``'S9' (site)``, or that nothing has that id."""
    return Found(f"{ident!r} ({kinds_by_id[ident]})" if ident in kinds_by_id else f"{ident!r}, which does not exist")


def _short(value: object) -> str:
    if isinstance(value, Found):  # our own words: shown in full
        return str(value)
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
