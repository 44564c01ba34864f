"""A lone withheld cell could be worked out as the total minus the others: the smallest shown
cell of the same breakdown is withheld with it."""

from civicgrid.dashboard.screen import _breakdown


def test_a_lone_small_cell_takes_the_smallest_shown_cell_with_it() -> None:
    assert _breakdown([863, 302, 3, 0]) == [
        {"value": 863, "display": "863"},
        {"value": None, "display": "—"},
        {"value": None, "display": "<5"},
        {"value": 0, "display": "0"},
    ]


def test_two_small_cells_protect_each_other() -> None:
    cells = _breakdown([40, 2, 3])
    assert cells[0] == {"value": 40, "display": "40"}
    assert [c["display"] for c in cells[1:]] == ["<5", "<5"]


def test_nothing_small_nothing_withheld() -> None:
    assert [c["value"] for c in _breakdown([1200, 5, 0])] == [1200, 5, 0]
