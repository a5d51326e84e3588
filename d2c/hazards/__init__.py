"""Incident kinds. Each module has ``KIND``, ``parse(fields, context)`` and an
incident class with ``compile(world, rng) -> Effects``. Adding a kind is adding a
module and a line here."""

from d2c.hazards import attack, blackout, earthquake, flood

KINDS = {module.KIND: module for module in (earthquake, blackout, flood, attack)}
