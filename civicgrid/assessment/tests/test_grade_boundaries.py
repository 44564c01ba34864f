"""Grades at the band edges: 90 → A, 89.99 → B, 75 → B, 74.99 → C, 60 → C, 40 → D, 39.99 → E."""

import pytest

from civicgrid.assessment.services import grade_for


@pytest.mark.django_db
@pytest.mark.parametrize(
    "score, grade",
    [
        (100, "A"),
        (90, "A"),
        (89.99, "B"),
        (75, "B"),
        (74.99, "C"),
        (60, "C"),
        (59.99, "D"),
        (40, "D"),
        (39.99, "E"),
        (0, "E"),
        (None, ""),
    ],
)
def test_grade_at_band_edges(score, grade):
    assert grade_for(score) == grade
