"""The examples in d2c's docstrings run, so that what they show stays true."""

from __future__ import annotations

import doctest
import importlib
import inspect
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


# Modules of pure functions (numbers or arrays in, numbers or arrays out): each public function
# shows one call a reader can check by hand or against the source it cites.
PURE_MODULES = (
    "d2c.geo", "d2c.hazards.base", "d2c.hazards.correlation", "d2c.hazards.fragility", "d2c.hazards.rupture",
    "d2c.offer", "d2c.pws", "d2c.report.text", "d2c.space.entry_loss", "d2c.space.geometry",
    "d2c.space.linkbudget", "d2c.space.timescales", "d2c.timetext", "d2c.topology.planar", "d2c.topology.points",
    "d2c.traffic.addressing", "d2c.traffic.emodel", "d2c.traffic.hashing", "d2c.traffic.timing",
)


@pytest.mark.parametrize("name", PURE_MODULES)
def test_each_public_function_of_a_pure_module_shows_an_example(name):
    module = importlib.import_module(name)
    bare = sorted(n for n, f in vars(module).items()
                  if inspect.isfunction(f) and f.__module__ == name and not n.startswith("_")
                  and ">>>" not in (f.__doc__ or ""))
    assert not bare, f"{name}: public functions without a doctested example: {bare}"
