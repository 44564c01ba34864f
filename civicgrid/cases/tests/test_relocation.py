"""Open cases follow a grid split to whichever new grid contains them."""

from shapely.geometry import LineString

from civicgrid.cases.choices import CaseStatus
from civicgrid.geo.services import grid_split
from civicgrid.testing.cases import put_in_status, report_case
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers


def test_split_moves_open_cases_into_the_new_grids(city: TestCity, users: RoleUsers) -> None:
    west_case = report_case(users.worker, point=(26.505, 106.7025))
    east_case = report_case(users.worker, point=(26.505, 106.7075))
    closed = put_in_status(report_case(users.worker, point=(26.505, 106.7075)), CaseStatus.CLOSED)
    old = city.grids["a1_west"]

    west, east = grid_split(
        grid=old, cutter=LineString([(106.705, 26.49), (106.705, 26.52)]), actor=users.sysadmin
    )

    for case in (west_case, east_case, closed):
        case.refresh_from_db()
    assert (west_case.grid_id, west_case.grid_code) == (west.pk, west.code)
    assert (east_case.grid_id, east_case.grid_code) == (east.pk, east.code)
    assert closed.grid_code == old.code
