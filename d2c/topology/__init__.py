"""Build plausible mobile network topologies from real population data.

``build_topology`` returns a plain dict in the topology format of
docs/FORMATS.md; ``write_topology`` writes it as YAML, atomically.
The model, and where every number comes from: docs/TOPOLOGY_MODEL.md.
"""

from d2c.topology.build import build_command, build_topology, dump_topology, summarize, write_topology

__all__ = ["build_command", "build_topology", "dump_topology", "summarize", "write_topology"]
