"""The periodic jobs are data (settings.PERIODIC_JOBS) run by one scheduler process: a bad
entry stops it at start-up, and a failing job never stops the others."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from civicgrid.core.management.commands import run_scheduler


def test_lists_every_configured_job() -> None:
    out = StringIO()
    call_command("run_scheduler", "--list", stdout=out)
    listed = [line.split("\t")[0] for line in out.getvalue().splitlines()]
    assert "escalate_overdue" in listed
    assert "patrol_compliance" in listed


@override_settings(PERIODIC_JOBS={"no_such_command": "* * * * *"})
def test_unknown_command_stops_start_up() -> None:
    with pytest.raises(CommandError, match="no_such_command"):
        call_command("run_scheduler", "--list")


@override_settings(PERIODIC_JOBS={"send_outbox": "every five minutes"})
def test_bad_cron_line_stops_start_up() -> None:
    with pytest.raises(CommandError, match="send_outbox"):
        call_command("run_scheduler", "--list")


@pytest.mark.django_db  # run_job closes stale connections, which touches the database
def test_a_failing_job_is_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    run_scheduler.run_job("check", ["--tag", "no-such-tag"])
    assert "periodic job check failed" in caplog.text


@pytest.mark.django_db
def test_a_job_runs_its_command() -> None:
    run_scheduler.run_job("send_outbox", [])  # no exception, nothing queued
