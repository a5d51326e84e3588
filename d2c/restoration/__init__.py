"""Restoration as a process: crews, generators, fuel and the grid coming back (docs/ARCHITECTURE.md).

One idea per module: ``defaults`` (every parameter and its source), ``settings``
(the scenario block), ``pools`` (who works where), ``jobs`` (the work queue),
``process`` (the engine stage).
"""

__all__: list[str] = []
