"""What the restoration did, in a few plain lines, for the terminal and the after-action report."""

from __future__ import annotations

__all__ = ["restoration_lines"]


def restoration_lines(section: dict | None) -> list[str]:
    """The result's ``restoration`` section as short sentences (none when restoration was off).

    >>> restoration_lines({"crews": 4, "crew_pools": 2, "crew_utilisation": 0.25, "policy": "most_people",
    ...     "jobs_done": {"equipment": 3, "links": 1, "substations": 0},
    ...     "jobs_pending": {"equipment": 1, "links": 0, "substations": 0}, "generators_pool": 2,
    ...     "generators_deployed": 2, "generators_peak_in_use": 1, "generators_requested": 0, "fuel_trucks": 1,
    ...     "fuel_rounds": 3, "fuel_deliveries": 5, "restarts": 7, "grid": "substation crews"})[0]
    '4 crews in 2 pools, busy 25% of their working hours (policy most_people); 4 repairs done, 1 pending'
    """
    if not section:
        return []
    done = sum(section["jobs_done"].values())
    pending = sum(section["jobs_pending"].values())
    lines = [
        f"{section['crews']:,} crews in {section['crew_pools']:,} pools, busy {section['crew_utilisation']:.0%} of their "
        f"working hours (policy {section['policy']}); {done:,} repairs done, {pending:,} pending",
        f"portable generators: {section['generators_deployed']:,} deployed from a pool of "
        f"{section['generators_pool']:,} (at most {section['generators_peak_in_use']:,} out at once)"
        + (f", {section['generators_requested']:,} brought on request" if section["generators_requested"] else ""),
        f"fuel: {section['fuel_deliveries']:,} deliveries in {section['fuel_rounds']:,} truck rounds "
        f"({section['fuel_trucks']:,} trucks)",
        f"grid: {section['grid']}; {section['restarts']:,} restarts after power came back",
    ]
    return lines
