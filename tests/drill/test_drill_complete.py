"""Tab completion and history at the drill prompt: what Tab offers, and the line editor in a real terminal."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT
from d2c.drill import Drill, load_drill
from d2c.drill.complete import candidates, current_word
from d2c.drill.prompt import COMMANDS

from _drill_helpers import drill_file
from _terminal import LAUNCH, drill_command, tmux  # noqa: F401 - the fixture

SHIPPED = ROOT / "scenarios" / "drills" / "amatrice-2016-drill.yaml"


@pytest.fixture(scope="module")
def amatrice():
    return Drill(load_drill(SHIPPED))


def test_tab_offers_commands_then_decisions_then_places_and_sites(amatrice):
    assert candidates(amatrice, "", COMMANDS) == COMMANDS
    assert candidates(amatrice, "li", COMMANDS) == ["list"]
    assert candidates(amatrice, "d gen", COMMANDS) == ["generator"]
    # a site decision: the places by name (any case), then site IDs
    assert candidates(amatrice, "d generator amatr", COMMANDS) == ["Amatrice"]
    sites = candidates(amatrice, "d generator TIM-", COMMANDS)
    assert sites and all(s.startswith("TIM-") for s in sites)
    assert set(sites) <= set(amatrice.world.site_ids)


def test_names_with_spaces_come_quoted_and_match_by_any_word(amatrice):
    assert candidates(amatrice, "d warning Asc", COMMANDS) == ["'Ascoli Piceno'"]
    assert candidates(amatrice, "d warning 'Ascoli P", COMMANDS) == ["'Ascoli Piceno'"]
    assert "'Ascoli Piceno'" in candidates(amatrice, "d warning Picen", COMMANDS)
    assert candidates(amatrice, "d warning every", COMMANDS) == ["everywhere"]
    assert current_word("d warning 'Ascoli P") == (["d", "warning"], "'Ascoli P")


def test_tab_offers_links_list_kinds_and_choices_and_nothing_for_numbers(amatrice):
    assert "L-SALARIA-AM-AP" in candidates(amatrice, "d fibre-repair L-SAL", COMMANDS)
    assert candidates(amatrice, "list ", COMMANDS) == ["sites", "areas", "links", "resources"]
    assert "TIM" in candidates(amatrice, "list sites ", COMMANDS)
    assert candidates(amatrice, "d cow Amatrice 40 12 ", COMMANDS) == ["gateway", "satellite-operator"]
    assert candidates(amatrice, "d cow Amatrice ", COMMANDS) == []  # a number: nothing to offer
    assert candidates(amatrice, "d nosuch ", COMMANDS) == []


def test_completion_offers_a_site_by_name_and_history_recalls_it_in_a_real_terminal(tmux):
    term = tmux(ROOT, drill_command(str(SHIPPED)), 160, 50)
    term.wait_for("drill>", "step 0/")
    term.send("d generator Amatr")
    term.keys("Tab")
    term.wait_for("drill> d generator Amatrice")
    term.keys("Enter")
    screen = term.wait_for("decided: generator")
    assert "(the site serving Amatrice nearest its centre)" in screen
    term.keys("Up")  # this session's history
    term.wait_for("drill> d generator Amatrice")
    term.keys("C-u")  # clear the line
    term.send("list ")
    term.keys("Tab")  # several: the first Tab lists them, as a shell does
    term.wait_for("sites", "areas", "links", "resources")
    term.keys("C-u")
    term.keys("C-c")
    term.wait_for("x quit without writing")
    term.type("x")
    screen = term.wait_for("DRILL-EXIT=130")
    assert "Traceback" not in screen


def test_without_a_terminal_the_prompt_reads_plain_lines(tmp_path, small):
    """Scripted drills feed standard input: no line editor, every command still works."""
    path = drill_file(tmp_path, small, duration="1h")
    run = subprocess.run([sys.executable, "-c", LAUNCH, path.name], input="list areas Alpha\nd gen\nnope\n",
                         capture_output=True, text=True, cwd=tmp_path, timeout=600,
                         env={"PATH": "/usr/bin:/bin", "COLUMNS": "160", "LINES": "50", "TERM": "dumb"})
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr
    assert "list areas matching 'Alpha'" in run.stdout
    assert "error: unknown command 'nope'" in run.stdout
