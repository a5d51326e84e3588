"""Keyed random draws: SplitMix64's published outputs, and uniform and normal draws with the right moments."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from d2c.restoration.draws import _GOLDEN, _mix, keyed_normal, keyed_uniform

N = 20_000
KEYS = np.arange(N)


def test_the_mixer_is_splitmix64():
    # Rosetta Code, "Pseudo-random numbers/Splitmix64" (the task's test vector): the first five outputs from
    # seed 1234567, each the finaliser applied to the state after adding the golden-ratio increment.
    expected = [6457827717110365317, 3203168211198807973, 9817491932198370423, 4593380528125082431,
                16408922859458223821]
    states = np.uint64(1234567) + _GOLDEN * np.arange(1, 6, dtype=np.uint64)
    assert [int(v) for v in _mix(states)] == expected


def test_uniform_draws_are_uniform_on_the_open_interval():
    u = keyed_uniform(11, 3, KEYS, np.zeros(N))
    assert u.min() > 0.0 and u.max() < 1.0
    # U(0, 1): mean 1/2, variance 1/12, a tenth of the draws in each tenth; standard errors 0.002, 0.0007, 0.002
    assert u.mean() == pytest.approx(0.5, abs=0.01)
    assert u.var() == pytest.approx(1 / 12, abs=0.004)
    assert np.histogram(u, bins=10, range=(0, 1))[0] / N == pytest.approx(np.full(10, 0.1), abs=0.01)


def test_a_draw_depends_on_its_key_only():
    together = keyed_uniform(11, 3, np.array([5, 9, 2]), np.array([0, 1, 4]))
    alone = [float(keyed_uniform(11, 3, np.array([t]), np.array([n]))[0]) for t, n in ((5, 0), (9, 1), (2, 4))]
    assert together.tolist() == alone


@pytest.mark.parametrize("other", [dict(seed=13), dict(seed=2**40 + 11), dict(stream=4), dict(stream=0), dict(nth=1)])
def test_a_different_seed_stream_or_count_draws_afresh(other):
    # two independent U(0, 1) samples: correlation within 0.03 of 0 (standard error 1/sqrt(N) = 0.007)
    key = dict(seed=11, stream=3, nth=0)
    a = keyed_uniform(key["seed"], key["stream"], KEYS, np.full(N, key["nth"]))
    key.update(other)
    b = keyed_uniform(key["seed"], key["stream"], KEYS, np.full(N, key["nth"]))
    assert abs(np.corrcoef(a, b)[0, 1]) < 0.03 and not np.any(a == b)


def test_draws_wrap_around_silently():
    # the mixer multiplies modulo 2**64 on purpose: no overflow warning, for arrays or single keys
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        keyed_uniform(2**63 + 5, 3, 7, 2)
        keyed_normal(2**63 + 5, 3, np.array([7]), np.array([2]))


# the streams the restoration draws normals from: repair times of equipment, links and substations (0, 1, 2),
# restart lags (11)
@pytest.mark.parametrize("stream", [0, 1, 2, 11])
def test_normal_draws_are_standard_normal(stream):
    z = keyed_normal(5, stream, KEYS, np.zeros(N))
    assert z.mean() == pytest.approx(0.0, abs=0.03)
    assert z.std() == pytest.approx(1.0, abs=0.03)
    # the standard normal CDF: 0.8413 at 1, 0.9772 at 2 (any statistics table)
    assert np.mean(z < 1.0) == pytest.approx(0.8413, abs=0.01)
    assert np.mean(z < 2.0) == pytest.approx(0.9772, abs=0.005)


@pytest.mark.parametrize("first", [0, 1, 2])
def test_normal_draws_of_neighbouring_streams_are_independent(first):
    # the repair times of a site, a link and a substation with the same index share no uniform draw:
    # uncorrelated, and so are their squares (standard error 0.007)
    a, b = keyed_normal(5, first, KEYS, np.zeros(N)), keyed_normal(5, first + 1, KEYS, np.zeros(N))
    assert abs(np.corrcoef(a, b)[0, 1]) < 0.03
    assert abs(np.corrcoef(a**2, b**2)[0, 1]) < 0.03
