"""The dashboard fits the terminal it is drawn on: a shipped drill played in real terminals, 80x24 and 200x50."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from conftest import ROOT
from _drill_helpers import drill_file
from _terminal import drill_command, tmux  # noqa: F401 - the fixture
from d2c.drill import Drill, load_drill
from d2c.drill.mapview import TerritoryMap

SHIPPED = ROOT / "scenarios" / "drills" / "amatrice-2016-drill.yaml"


def _words(screen: str) -> str:
    """The screen's words in reading order; on a wide screen, the side column's (injects, decisions)."""
    lines = screen.splitlines()
    side = [line.split("│")[3] for line in lines if line.count("│") >= 4]
    return " ".join(" ".join(side if side else lines).split())


def _map_rows(screen: str, width: int) -> list[str]:
    """The map's rows: between the injects (compact) or the territory panel's top (wide) and the legend."""
    lines = screen.splitlines()
    if width >= 120:
        top = next(i for i, line in enumerate(lines) if "territory" in line) + 1
        rows = [line.split("│")[1] for line in lines[top:] if line.count("│") >= 2]
    else:
        top = next(i for i, line in enumerate(lines) if line.startswith("next inject") or "DUE NOW" in line) + 1
        rows = lines[top:]
    return rows[:next(i for i, row in enumerate(rows) if "terr" in row)]


@pytest.mark.parametrize("width,height", [(80, 24), (200, 50)])
def test_a_shipped_drill_fits_the_terminal_stops_at_injects_and_names_places(tmux, width, height):
    spec = load_drill(SHIPPED)
    first, second = spec.injects[0], spec.injects[1]
    names = set(Drill(spec).world.area_names)
    term = tmux(ROOT, drill_command(str(SHIPPED)), width, height)
    screen = term.wait_for("drill>", "step 0/")

    def fits(screen: str) -> None:
        lines = screen.split("\n")[:height]  # tmux shows the pane alone: what scrolled off is gone
        top = lines[0] if width < 120 else lines[1]
        assert "T+" in top and "step " in top, f"the clock scrolled off the top:\n{screen}"
        assert any(line.startswith("drill>") for line in lines), screen
        assert all(len(line) <= width for line in lines)

    fits(screen)
    term.type("r 2h")  # the first inject comes due long before: the clock stops there, the inject in full
    screen = term.wait_for("DUE NOW", "clock stopped at the inject", "drill>")
    fits(screen)
    assert f"step {int(first.at_s // 60)}/" in screen
    assert first.text in _words(screen)
    rows = _map_rows(screen, width)
    assert len(rows) >= (8 if width < 120 else 25)  # the map takes what the rest leaves
    text = "\n".join(rows)
    assert "+" in text and "*" in text  # the hazard's footprint edge and the epicentre
    assert any(name in text for name in names if len(name) > 4), text  # places named on the map
    term.type("r 2h")  # runs on, and stops at the next inject
    screen = term.wait_for(f"step {int(second.at_s // 60)}/", "DUE NOW", "drill>")
    fits(screen)
    assert second.text in _words(screen) and first.text not in _words(screen)
    term.send("d generator Amatr")  # completion at this size too
    term.keys("Tab")
    term.wait_for("drill> d generator Amatrice")
    term.keys("Enter")
    screen = term.wait_for("decided: generator", "drill>")
    fits(screen)
    term.type("list sites Amatrice")
    screen = term.wait_for("list sites matching 'Amatrice'", "drill>")
    fits(screen)
    term.type("h")
    screen = term.wait_for("save [FILE]" if width >= 120 else "save [FILE], later --resume FILE", "drill>")
    fits(screen)
    term.keys("C-c")
    term.wait_for("x quit without writing")
    term.type("x")
    assert "Traceback" not in term.wait_for("DRILL-EXIT=130")


def test_the_map_marks_d2c_beams_and_names_the_worst_hit_place(tmp_path, small):
    drill = Drill(load_drill(drill_file(tmp_path, small, duration="1h",
                                        incidents="[{kind: attack, actions: [{at: 0, destroy: [S2, S3]}]}]")))
    drill.next_step()
    view = TerritoryMap(drill.world, width=12, height=12)
    state = drill.last
    assert not state.service.terrestrial[1]  # Beta lost both its sites
    text = view.render(state, names=1, width=20).plain  # room right of the map for a name
    assert "Beta" in text and "Alpha" not in text  # the worst hit (people without service) first
    assert view.worst_places(state, 2) == [1, 0]
    assert "@" not in text  # no D2C beams
    beams = dataclasses.replace(state.d2c, area_beam=np.array([0, -1]))  # a beam over Alpha (its site is up)
    row = int(view.area_cell[0]) // view.cols
    assert "@" in view.render(dataclasses.replace(state, d2c=beams), names=0).plain.split("\n")[row]
