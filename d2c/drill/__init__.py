"""Tabletop drills: a facilitator's clock, injects, the players' decisions, an after-action report.

* :mod:`.spec` - the drill file (scenario, injects, objectives, decision catalogue).
* :mod:`.decisions` - checking a decision; the scripted-decisions file and the log.
* :mod:`.runner` - ``Drill``: a simulation advanced by the facilitator.
* :mod:`.result` - the result JSON with the measured effect of each decision.
* :mod:`.cow`, :mod:`.warnings` - what cells on wheels and public warnings do in
  the engine (D2C on standby is the scenario's offer held for a decision, ``d2c.offer``).
* :mod:`.dashboard`, :mod:`.mapview`, :mod:`.chart`, :mod:`.prompt` - the interactive screen.
* :mod:`.serve`, :mod:`.attach`, :mod:`.wire`, :mod:`.playerview`, :mod:`.view`, :mod:`.reports` - a drill
  served to the players' terminals (``--serve``, ``--attach``): the socket, and each role's view (typed).
* :mod:`.cli` - the ``drill`` and ``report`` commands.
"""

from d2c.drill.decisions import Decision, DecisionError, decisions_yaml, load_decisions
from d2c.drill.result import document, drill_result
from d2c.drill.runner import Drill, Taken
from d2c.drill.spec import DecisionType, DrillSpec, Inject, Objective, load_drill

__all__ = [
    "Decision", "DecisionError", "DecisionType", "Drill", "DrillSpec", "Inject", "Objective", "Taken",
    "decisions_yaml", "document", "drill_result", "load_decisions", "load_drill",
]
