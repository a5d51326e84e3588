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
        text = f"{where}: {self.field}: expected {self.expected}" if self.field else f"{where}: {self.expected}"
        if self.got is not None:
            text += f", got {_short(self.got)}"
        return text


def _short(value: object) -> str:
    text = repr(value) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
