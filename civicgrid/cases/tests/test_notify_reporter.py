"""Residents are told when their request is accepted, handled and closed; staff when a case
arrives on their desk."""

from datetime import timedelta
from typing import Any

from django.test import override_settings

from civicgrid.cases.choices import Action, CaseStatus, Channel, HandlingLevel
from civicgrid.cases.workflow import case_transition
from civicgrid.notifications.models import Notification, OutboxMessage
from civicgrid.testing.cases import MONDAY_10, put_in_status, report_case
from civicgrid.testing.users import RoleUsers


def test_community_desk_hears_of_a_new_report(
    users: RoleUsers, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        case = report_case(users.worker)
    told = set(
        Notification.objects.filter(title__contains=case.number).values_list("recipient", flat=True)
    )
    assert told == {users.secretary.pk, users.cadre.pk}


def test_resident_hears_of_accept_feedback_and_close(
    users: RoleUsers, django_capture_on_commit_callbacks: Any
) -> None:
    case = report_case(users.resident, channel=Channel.RESIDENT)
    with django_capture_on_commit_callbacks(execute=True):
        case_transition(case=case, action=Action.ACCEPT, actor=users.secretary)
        case_transition(
            case=case, action=Action.ROUTE, actor=users.secretary, level=HandlingLevel.COMMUNITY
        )
        case_transition(case=case, action=Action.FEEDBACK, actor=users.cadre, note="已处理")
        case_transition(case=case, action=Action.VERIFY, actor=users.worker)
    titles = list(
        Notification.objects.filter(recipient=users.resident)
        .order_by("id")
        .values_list("title", flat=True)
    )
    assert [t.rsplit(" ", 1)[-1] for t in titles] == ["已受理", "已处理,待核查", "已办结,欢迎评价"]


@override_settings(NOTIFY_WEBHOOK_URL="http://sms.invalid/hook")
def test_hotline_caller_without_an_account_gets_an_sms(
    users: RoleUsers, django_capture_on_commit_callbacks: Any
) -> None:
    case = report_case(users.command, channel=Channel.HOTLINE, reporter_phone="13800005678")
    put_in_status(case, CaseStatus.REPORTED)
    with django_capture_on_commit_callbacks(execute=True):
        case_transition(case=case, action=Action.ACCEPT, actor=users.command)
    sms = OutboxMessage.objects.get(channel="sms")
    assert sms.address == "13800005678"
    assert case.number in sms.subject


@override_settings(
    NOTIFY_WEBHOOK_URL="http://sms.invalid/hook", NOTIFY_SITE_URL="https://grid.example.cn/"
)
def test_hotline_callers_sms_says_how_to_track_the_case(
    users: RoleUsers, django_capture_on_commit_callbacks: Any
) -> None:
    case = report_case(users.command, channel=Channel.HOTLINE, reporter_phone="13800005678")
    with django_capture_on_commit_callbacks(execute=True):
        case_transition(case=case, action=Action.ACCEPT, actor=users.command)
    sms = OutboxMessage.objects.get(channel="sms")
    assert sms.body == (
        f"可凭编号 {case.number} 和登记的联系电话在 https://grid.example.cn/cases/track/ 查询办理进度。"
    )


def test_case_outside_every_grid_goes_to_the_command_centre(
    users: RoleUsers, django_capture_on_commit_callbacks: Any
) -> None:
    from civicgrid.testing.cases import OUTSIDE

    with django_capture_on_commit_callbacks(execute=True):
        case = report_case(users.worker, point=OUTSIDE)
    told = set(
        Notification.objects.filter(title__contains=case.number).values_list("recipient", flat=True)
    )
    assert told == {users.command.pk}


def test_inbox_messages_are_dated_by_the_step_they_report(
    users: RoleUsers, django_capture_on_commit_callbacks: Any
) -> None:
    case = report_case(users.resident, channel=Channel.RESIDENT)
    # The report's own notices are written with the case; only the step's are looked at.
    before = set(Notification.objects.values_list("pk", flat=True))
    step_at = MONDAY_10 + timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        case_transition(case=case, action=Action.ACCEPT, actor=users.secretary, at=step_at)
    told = Notification.objects.filter(title__contains=case.number).exclude(pk__in=before)
    assert told.filter(recipient=users.resident).get().created_at == step_at
    assert told.exclude(recipient=users.resident).exists()
    assert set(told.values_list("created_at", flat=True)) == {step_at}
