import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from d2c.geo import haversine_km, pairs_within


def test_haversine_known_distance():
    # Rome (41.9028 N, 12.4964 E) to Milan (45.4642 N, 9.19 E): 477 km great circle.
    assert abs(float(haversine_km(41.9028, 12.4964, 45.4642, 9.19)) - 477.0) < 2.0


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 60), st.integers(1, 80))
def test_pairs_within_equals_brute_force(seed, n1, n2):
    rng = np.random.default_rng(seed)
    lat1, lon1 = rng.uniform(41, 43, n1), rng.uniform(12, 14, n1)
    lat2, lon2 = rng.uniform(41, 43, n2), rng.uniform(12, 14, n2)
    radius = rng.uniform(1, 60, n1)
    i, j, d = pairs_within(lat1, lon1, radius, lat2, lon2)
    dist = haversine_km(lat1[:, None], lon1[:, None], lat2[None, :], lon2[None, :])
    bi, bj = np.nonzero(dist <= radius[:, None])
    assert sorted(zip(i.tolist(), j.tolist())) == sorted(zip(bi.tolist(), bj.tolist()))
    assert np.allclose(d, dist[i, j])
