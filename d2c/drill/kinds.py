"""What each kind of decision does in the engine: its target, its arguments, its action.

A drill's catalogue (``decisions:`` in the drill file) names decision types the
players may take; each type is one of these kinds plus a delay, a cost and
default arguments. Kinds the engine cannot express become ``RecordOnly``
actions, so they are logged and reported, marked as having no modelled effect.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from d2c import actions
from d2c.world import EVERYWHERE  # the drill's targets name every area with it

# Target kinds: what the decision's ``target`` must name in the topology.
AREA, AREA_OR_ALL, EQUIPMENT, LINK, NONE = "area", "area or everywhere", "equipment", "link", "none"
PSAP = "psap"  # a 112 answering point
# How each kind of target reads in a decision's usage line (catalogue panels, the players' view)
TARGET_WORD = {NONE: "", AREA_OR_ALL: "AREA|everywhere", AREA: "AREA", EQUIPMENT: "SITE", LINK: "LINK", PSAP: "PSAP"}


@dataclass(frozen=True)
class Param:
    """One argument of a decision: a number > 0 (with its unit) or a text."""

    name: str
    kind: str  # "number" or "text" or a choice "a|b"
    meaning: str
    default: object = None


@dataclass(frozen=True)
class Kind:
    name: str
    target: str
    params: tuple[Param, ...]
    summary: str
    build: Callable[[str | None, dict], object]
    modelled: bool = True
    note: str = ""


def _record(what: str, note: str) -> Callable[[str | None, dict], object]:
    return lambda target, args: actions.RecordOnly(what, note)


KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("cell-on-wheels", AREA,
         (Param("capacity_calls", "number", "concurrent 112 calls it carries"),
          Param("fuel_hours", "number", "hours its own generator runs"),
          Param("backhaul", "gateway|satellite-operator", "where its satellite link lands", "gateway")),
         "a temporary site serving the area, on its own generator and satellite backhaul",
         lambda target, a: actions.DeployCellOnWheels(target, a["capacity_calls"], a["fuel_hours"],
                                                       a["backhaul"])),
    Kind("generator", EQUIPMENT,
         (Param("fuel_hours", "number", "hours of fuel it brings"),),
         "a portable generator to a site (or node, core, PSAP, gateway), used once its battery is empty",
         lambda target, a: actions.AddGenerator(target, a["fuel_hours"])),
    Kind("repair-link", LINK, (), "a fibre or microwave link repaired",
         lambda target, a: actions.RepairLink(target)),
    Kind("repair-equipment", EQUIPMENT, (), "broken equipment repaired or replaced",
         lambda target, a: actions.RepairEquipment(target)),
    Kind("warning", AREA_OR_ALL,
         (Param("text", "text", "the message people receive"),),
         "a public warning by cell broadcast (IT-Alert) to an area or everywhere",
         lambda target, a: actions.SendWarning(target, a["text"])),
    Kind("backup-psap", PSAP, (),
         "a PSAP's 112 calls diverted to a backup answering point outside the incident",
         lambda target, a: actions.DivertPsap(target)),
    Kind("d2c-on", NONE, (), "the D2C service opened to every operator's subscribers",
         lambda target, a: actions.SwitchD2COn()),
    Kind("national-roaming", NONE, (), "national roaming opened between the operators",
         _record("national roaming opened", "recorded, no modelled effect yet: 112 already uses any operator's "
                 "site in the model and ordinary traffic is not modelled"),
         modelled=False, note="112 already uses any operator's site; ordinary traffic is not modelled"),
    Kind("priority", NONE, (), "emergency traffic given absolute priority",
         _record("emergency traffic given absolute priority", "recorded, no modelled effect yet: the model "
                 "already serves 112 first on cells and beams"),
         modelled=False, note="the model already serves 112 first on cells and beams"),
)}


def number_arg(param: Param, raw: str) -> float:
    """A prompt argument as a number > 0, or ValueError with a one-line reason."""
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{param.name}: expected a number ({param.meaning}), got {raw!r}") from None
    if not value > 0 or value != value or value == float("inf"):
        raise ValueError(f"{param.name}: expected a number > 0 ({param.meaning}), got {raw!r}")
    return value


def choice_arg(param: Param, raw: str) -> str:
    choices = param.kind.split("|")
    if raw not in choices:
        raise ValueError(f"{param.name}: expected one of {', '.join(choices)}, got {raw!r}")
    return raw
