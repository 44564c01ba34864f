"""``assessment_report --region`` covers that region and what lies inside it; a bad or future
month, or an unknown region, is a clear error, not a traceback."""

import pytest
from django.core.management import CommandError, call_command

from civicgrid.assessment.models import AssessmentReport


def test_region_limits_the_run(city):
    call_command("assessment_report", "--month", "2026-10", "--region", city.street_a.code)
    assert list(AssessmentReport.objects.values_list("region_code", flat=True)) == [
        city.street_a.code
    ]


@pytest.mark.parametrize(
    "args", [["--month", "2026-13"], ["--month", "2099-01"], ["--region", "999999"]]
)
def test_bad_arguments_are_command_errors(city, args):
    with pytest.raises(CommandError):
        call_command("assessment_report", *args)
    assert not AssessmentReport.objects.exists()
