"""The channel a case came through feeds the source statistics, so each reporter files
through their own: a grid worker what they found or were told face to face; Open311 only
through the Open311 server."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from civicgrid.cases.choices import Channel
from civicgrid.cases.models import Case
from civicgrid.testing.cases import report_case
from civicgrid.testing.users import RoleUsers


@pytest.mark.parametrize("channel", [Channel.HOTLINE, Channel.HIGHER_LEVEL, Channel.OPEN311])
def test_a_grid_worker_cannot_file_as_another_channel(users: RoleUsers, channel: str) -> None:
    with pytest.raises(ValidationError) as refused:
        report_case(users.worker, channel=channel, reporter_name="王某")
    assert "网格员只能以" in str(refused.value)
    assert not Case.objects.exists()


def test_a_grid_worker_files_what_they_found_or_were_told(users: RoleUsers) -> None:
    report_case(users.worker, channel=Channel.GRID_WORKER)
    report_case(users.worker, channel=Channel.WALK_IN, reporter_name="王某")
    assert Case.objects.count() == 2


def _offered(client: Client) -> set[str]:
    form = client.get("/cases/new/").context["form"]
    return {value for value, _label in form.fields["channel"].choices}


def test_the_report_form_offers_each_role_its_channels(users: RoleUsers) -> None:
    worker, command = Client(), Client()
    worker.force_login(users.worker)
    command.force_login(users.command)
    assert _offered(worker) == {Channel.GRID_WORKER, Channel.WALK_IN}
    assert _offered(command) == {
        Channel.GRID_WORKER, Channel.HOTLINE, Channel.WALK_IN, Channel.HIGHER_LEVEL,
    }  # fmt: skip
