"""The examples in d2c's docstrings run, so that what they show stays true."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import d2c

MODULES = sorted(m.name for m in pkgutil.walk_packages(d2c.__path__, "d2c.") if not m.name.endswith("__main__"))


@pytest.mark.parametrize("name", MODULES)
def test_the_examples_in_the_docstrings_hold(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} fail (run python -m doctest -v)"


def test_there_are_examples_to_run():
    finder = doctest.DocTestFinder()
    examples = sum(len(t.examples) for n in MODULES for t in finder.find(importlib.import_module(n)))
    assert examples >= 40
