"""The low-level toolkit every loader shares: it imports nothing else from d2c.

``errors`` (``ConfigError``: one line, ``file:line: field: expected ..., got ...``),
``reader`` (YAML read with each value's line, typed field parsers), ``limits``
(input size limits) and ``topology_model`` (the topology's frozen dataclasses,
which the world, the hazards and the topology loader read). ``d2c.config``,
``d2c.hazards``, ``d2c.space``, ``d2c.restoration`` and the other loaders import
it; it never imports them.
"""
