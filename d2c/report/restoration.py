"""What the restoration did, in a few plain lines, for the terminal and the after-action report."""

from __future__ import annotations

from d2c.result_blocks import RestorationBlock

__all__ = ["restoration_lines"]


def restoration_lines(section: RestorationBlock | None) -> list[str]:
    """The result's ``restoration`` block as short sentences (none when restoration was off).

    >>> from d2c.result_blocks import RESTORATION_EXAMPLE
    >>> restoration_lines(RestorationBlock.from_dict(RESTORATION_EXAMPLE))[0]
    '4 crews in 2 pools, busy 25% of their working hours (policy most_people); 4 repairs done, 1 pending'
    """
    if section is None:
        return []
    s = section
    lines = [
        f"{s.crews:,} crews in {s.crew_pools:,} pools, busy {s.crew_utilisation:.0%} of their "
        f"working hours (policy {s.policy}); {s.jobs_done.total():,} repairs done, {s.jobs_pending.total():,} pending",
        f"portable generators: {s.generators_deployed:,} deployed from a pool of "
        f"{s.generators_pool:,} (at most {s.generators_peak_in_use:,} out at once)"
        + (f", {s.generators_requested:,} brought on request" if s.generators_requested else ""),
        f"fuel: {s.fuel_deliveries:,} deliveries in {s.fuel_rounds:,} truck rounds "
        f"({s.fuel_trucks:,} trucks)",
        f"grid: {s.grid}; {s.restarts:,} restarts after power came back",
    ]
    return lines
