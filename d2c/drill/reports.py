"""What the room learns of the network, and when: the operators report a site down some time after it fails.

The players do not see the model's truth. The operators' own network management
sees a site's alarm as it happens, but the civil-protection room and the 112
centre learn of a site that is down from the operators' reports, which come
later. ``SiteReports`` keeps the sites' state of the last steps so that a
player's view can show the network as it was ``delay_s`` ago: a site that
failed less than ``delay_s`` ago is not yet reported down, and a site repaired
since is still reported down until its repair is reported in turn.

The default delay: under the FCC's outage reporting rules (NORS, 47 CFR
§4.9, e.g. §4.9(a) and (e) as revised 5 Oct 2017), a provider notifies the
Commission within 120 minutes of discovering an outage of at least 30 minutes;
so a site that fails is reported at most 30 + 120 min = 2.5 h later. During a
disaster the FCC's Disaster Information Reporting System (DIRS,
https://www.fcc.gov/general/disaster-information-reporting-system-dirs-0)
asks instead for a status report every day (by 10:00 ET), which is slower
still: up to 24 h. Italy publishes no such rule for its operators; a drill file
sets its own delay with ``operator_report_delay`` (docs/DRILLS.md).
"""

from __future__ import annotations

import math
from collections import deque

import numpy as np

__all__ = ["REPORT_DELAY_S", "SiteReports"]

# source: 47 CFR §4.9 (NORS): notification within 120 min of discovering an outage of at least 30 min
REPORT_DELAY_S = 2.5 * 3600.0


class SiteReports:
    """The sites' causes of the last ``delay_s`` of steps, to give the state as reported now.

    >>> from types import SimpleNamespace as N
    >>> reports = SiteReports(step_s=60.0, delay_s=120.0)
    >>> for t_s, cause in ((0.0, [0, 0]), (60.0, [1, 0]), (120.0, [1, 2])):
    ...     reports.observe(N(t_s=t_s, network=N(cause=np.array(cause, dtype=np.int8))))
    >>> reports.reported(180.0)  # the clock after the third step: the state as of T+60 s
    (60.0, array([1, 0], dtype=int8))
    >>> reports.reported(100.0) is None
    True
    """

    def __init__(self, step_s: float, delay_s: float = REPORT_DELAY_S):
        self.delay_s = float(delay_s)
        self._kept: deque = deque(maxlen=int(math.ceil(self.delay_s / step_s)) + 2)

    def observe(self, state) -> None:
        """Keep this step's cause per site (0 in service); the oldest beyond the delay is dropped."""
        self._kept.append((float(state.t_s), np.array(state.network.cause, dtype=np.int8)))

    def reported(self, now_s: float) -> tuple[float, np.ndarray] | None:
        """(as of when, cause per site) as the operators have reported it by ``now_s``; None before
        any report is due (the first step is more than ``delay_s`` ago)."""
        as_of_s = now_s - self.delay_s
        for t_s, cause in reversed(self._kept):
            if t_s <= as_of_s:
                return t_s, cause
        return None
