"""What Tab offers at the drill prompt: commands, decisions, and the names a decision's target takes.

Pure functions of the drill and the text before the cursor, so they are tested
without a terminal; :mod:`d2c.drill.lineinput` hands them to the line editor.
A site decision offers both site IDs and place names (a place picks the site
serving it nearest its centre, :mod:`d2c.drill.lookup`); names with spaces come
quoted, as the prompt splits words like a shell.
"""

from __future__ import annotations

import shlex

from d2c.drill.kinds import AREA, AREA_OR_ALL, EQUIPMENT, EVERYWHERE, LINK, NONE, PSAP
from d2c.drill.lookup import KINDS

__all__ = ["current_word", "candidates"]


def current_word(text: str) -> tuple[list[str], str]:
    """The words already complete before the cursor, and the word being typed (raw, quotes and all).

    >>> current_word("d generator Ama")
    (['d', 'generator'], 'Ama')
    >>> current_word("d warning 'Ascoli P")
    (['d', 'warning'], "'Ascoli P")
    >>> current_word("list ")
    (['list'], '')
    """
    if not text or text[-1].isspace():
        return _split(text), ""
    for cut in range(len(text) - 1, -1, -1):  # the last word: after the last space outside quotes
        if cut == 0 or (text[cut - 1].isspace() and _balanced(text[:cut])):
            return _split(text[:cut]), text[cut:]
    return [], text


def candidates(drill, text: str, commands: list[str], roles: list[str] = ()) -> list[str]:
    """The completions of the word being typed at the end of ``text``, each as it would be typed.

    Matching ignores case; a name matches by its start or by the start of any of its words.
    """
    done, raw = current_word(text)
    typed = raw.strip("'\"")
    if not done:
        pool = commands
    else:
        pool = _pool(drill, [w.lower() for w in done[:1]] + done[1:], roles)
    wanted = typed.casefold()
    out = []
    for name in pool:
        folded = name.casefold()
        if folded.startswith(wanted) or any(w.startswith(wanted) for w in folded.split()[1:]):
            out.append(shlex.quote(name) if any(c.isspace() for c in name) or not name else name)
    return list(dict.fromkeys(out))


def _pool(drill, done: list[str], roles) -> list[str]:
    command, n = done[0], len(done)
    if command == "d":
        if n == 1:
            return list(drill.spec.catalogue)
        dtype = drill.spec.catalogue.get(done[1])
        if dtype is None:
            return []
        target = dtype.kind.target
        if n == 2 and target != NONE:
            return _targets(drill, target)
        # the argument after the target (or the first when there is none): a choice's options
        position = n - 2 - (0 if target == NONE else 1)
        params = dtype.kind.params
        if 0 <= position < len(params) and "|" in params[position].kind:
            return params[position].kind.split("|")
        return []
    if command in ("l", "list"):
        if n == 1:
            return list(KINDS)
        if n == 2 and done[1] == "sites":
            return list(drill.world.operators) + sorted(set(drill.world.area_names))
        if n == 2 and done[1] == "areas":
            return sorted(set(drill.world.area_names))
        return []
    if command == "role" and n == 1:
        return list(roles)
    return []


def _targets(drill, target: str) -> list[str]:
    world = drill.world
    if target == EQUIPMENT:  # places first: a room knows its towns, not its masts' IDs
        return sorted(set(world.area_names)) + list(world.site_ids)
    if target == AREA:
        return list(dict.fromkeys(drill.spec.targets.ids[AREA]))
    if target == AREA_OR_ALL:
        return [EVERYWHERE] + list(dict.fromkeys(drill.spec.targets.ids[AREA]))
    if target == LINK:
        return list(world.link_ids)
    if target == PSAP:
        return list(drill.spec.targets.ids[PSAP])
    return []


def _balanced(text: str) -> bool:
    try:
        shlex.split(text)
    except ValueError:
        return False
    return True


def _split(text: str) -> list[str]:
    try:
        return shlex.split(text)
    except ValueError:
        return text.split()
