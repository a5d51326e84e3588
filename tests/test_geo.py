import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from d2c.geo import haversine_km, nearest, pairs_within


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


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 60), st.integers(1, 80))
def test_nearest_is_the_closest_point_lowest_index_on_a_tie(seed, n1, n2):
    # against brute force: every point of the second set by the haversine, a tie to the lowest index;
    # points far apart (up to 3,000 km) so that some have nothing within the last radius (2,500 km)
    rng = np.random.default_rng(seed)
    lat1, lon1 = rng.uniform(35, 47, n1), rng.uniform(-40, 30, n1)
    lat2, lon2 = rng.uniform(41, 43, n2), rng.uniform(12, 14, n2)
    lat2[n2 // 2:], lon2[n2 // 2:] = lat2[: n2 - n2 // 2], lon2[: n2 - n2 // 2]  # duplicates: ties
    lat1[: n1 // 3] = lat2[rng.integers(0, n2, n1 // 3)] + rng.normal(0, 0.01, n1 // 3)  # some very close
    dist = haversine_km(lat1[:, None], lon1[:, None], lat2[None, :], lon2[None, :])
    expected = np.where(dist.min(axis=1) <= 2_500.0, dist.argmin(axis=1), -1)
    assert nearest(lat1, lon1, lat2, lon2).tolist() == expected.tolist()
    # the radii only change the cost
    assert nearest(lat1, lon1, lat2, lon2, radii_km=(2_500.0,)).tolist() == expected.tolist()
