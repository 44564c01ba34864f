from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from civicgrid.core.models import WorkCalendarDay
from civicgrid.core.worktime import is_workday

pytestmark = pytest.mark.django_db

SCHEDULE = "date,type,note\n2027-01-01,休,元旦\n2027-02-06,班,调休上班\n2027-02-08,holiday,春节\n"


def write(tmp_path: Path, text: str, encoding: str = "utf-8") -> str:
    path = tmp_path / "calendar.csv"
    path.write_text(text, encoding=encoding)
    return str(path)


def test_import_enters_the_published_schedule(tmp_path: Path) -> None:
    call_command("import_work_calendar", write(tmp_path, SCHEDULE))
    assert WorkCalendarDay.objects.count() == 3
    assert not is_workday(date(2027, 2, 8))
    assert is_workday(date(2027, 2, 6))


def test_import_twice_changes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, SCHEDULE)
    call_command("import_work_calendar", path)
    call_command("import_work_calendar", path)
    assert WorkCalendarDay.objects.count() == 3
    assert "新增 0 条,更新 0 条,未变 3 条" in capsys.readouterr().out


def test_import_updates_a_corrected_row(tmp_path: Path) -> None:
    call_command("import_work_calendar", write(tmp_path, SCHEDULE))
    call_command("import_work_calendar", write(tmp_path, "2027-02-06,休,改为休息\n"))
    row = WorkCalendarDay.objects.get(date=date(2027, 2, 6))
    assert (row.is_workday, row.note) == (False, "改为休息")


def test_bad_rows_are_reported_by_line_and_good_rows_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "date,type,note\n2027-13-01,休,\n2027-01-01,休,元旦\n2027-01-02,放假,\n2027-01-01,班,\n"
    with pytest.raises(CommandError, match="3 行未导入"):
        call_command("import_work_calendar", write(tmp_path, text))
    err = capsys.readouterr().err
    assert "第 2 行 [date]" in err
    assert "第 4 行 [type]" in err
    assert "第 5 行 [date]" in err and "与第 3 行日期重复" in err
    assert list(WorkCalendarDay.objects.values_list("date", flat=True)) == [date(2027, 1, 1)]


def test_gb18030_files_from_excel_are_read(tmp_path: Path) -> None:
    call_command("import_work_calendar", write(tmp_path, SCHEDULE, encoding="gb18030"))
    assert WorkCalendarDay.objects.get(date=date(2027, 1, 1)).note == "元旦"


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError):
        call_command("import_work_calendar", str(tmp_path / "nope.csv"))
