"""The grid-hash DBSCAN finds exactly what a plain all-pairs DBSCAN finds (same neighbours
across cell borders, same cores, same border rule), on random points in space and time."""

from collections import defaultdict

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from civicgrid.assessment.analysis import cluster_points

point = st.tuples(
    st.floats(0, 250, allow_nan=False),
    st.floats(0, 250, allow_nan=False),
    st.floats(0, 60, allow_nan=False),
    st.integers(0, 2),
)


def brute_force(pts, eps_m, eps_t, k):
    n = len(pts)
    near = [
        [
            j
            for j in range(n)
            if pts[i][3] == pts[j][3]
            and (pts[i][0] - pts[j][0]) ** 2 + (pts[i][1] - pts[j][1]) ** 2 <= eps_m * eps_m
            and abs(pts[i][2] - pts[j][2]) <= eps_t
        ]
        for i in range(n)
    ]
    core = [len(x) >= k for x in near]
    label = [-1] * n
    for i in range(n):  # flood fill over core-core links
        if core[i] and label[i] < 0:
            label[i], stack = i, [i]
            while stack:
                a = stack.pop()
                for b in near[a]:
                    if core[b] and label[b] < 0:
                        label[b] = i
                        stack.append(b)
    members = defaultdict(list)
    for i in range(n):
        if core[i]:
            members[label[i]].append(i)
        else:
            first = next((j for j in near[i] if core[j]), None)
            if first is not None:
                members[label[first]].append(i)
    return sorted(sorted(m) for m in members.values() if len(m) >= k)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(point, max_size=60),
    st.sampled_from([50.0, 100.0, 150.0]),
    st.sampled_from([5.0, 30.0]),
    st.integers(2, 4),
)
def test_same_clusters_as_all_pairs(pts, eps_m, eps_t, k):
    arr = np.array(pts, dtype=float).reshape(-1, 4)
    found = cluster_points(
        arr[:, 0], arr[:, 1], arr[:, 2], arr[:, 3].astype(np.int64), eps_m, eps_t, k
    )
    assert sorted(found) == brute_force(pts, eps_m, eps_t, k)
