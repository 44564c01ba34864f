from html.parser import HTMLParser
from typing import Any

import pytest

from civicgrid.accounts.models import Department
from civicgrid.cases.choices import Action, CaseStatus
from civicgrid.cases.models import Case, CaseEvent
from civicgrid.cases.workflow import case_transition
from civicgrid.testing.case_pages import png_upload, walk
from civicgrid.testing.cases import report_case
from civicgrid.testing.users import RoleUsers

pytestmark = pytest.mark.django_db


def action_buttons(page: str) -> list[str]:
    return [part.split('"')[0] for part in page.split('data-action="')[1:] if "<form" in part]


def test_case_page_shows_header_description_and_timeline(
    client: Any, users: RoleUsers, case: Case
) -> None:
    client.force_login(users.secretary)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert case.number in page
    assert "暴露垃圾" in page
    assert "小区门口垃圾堆放未清运" in page
    assert 'data-action="report"' in page
    assert 'id="case-map"' in page


def test_secretary_is_offered_exactly_the_allowed_actions(
    client: Any, users: RoleUsers, case: Case
) -> None:
    client.force_login(users.secretary)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert action_buttons(page) == ["accept", "void", "merge", "supervise", "reassign"]


def test_cadre_is_offered_feedback_but_not_supervision_on_community_work(
    client: Any, users: RoleUsers, case: Case
) -> None:
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.COMMUNITY)
    client.force_login(users.cadre)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert action_buttons(page) == ["feedback"]


def test_grid_worker_has_no_action_on_a_reported_case(
    client: Any, users: RoleUsers, case: Case
) -> None:
    client.force_login(users.worker)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'id="actions"' not in page


def test_outsider_gets_404_on_the_case_page(client: Any, users: RoleUsers, case: Case) -> None:
    client.force_login(users.outsider)
    assert client.get(f"/cases/{case.pk}/").status_code == 404


def test_outsider_gets_404_when_posting_an_action(
    client: Any, users: RoleUsers, case: Case
) -> None:
    client.force_login(users.outsider)
    assert client.post(f"/cases/{case.pk}/act/accept/", {}).status_code == 404
    case.refresh_from_db()
    assert case.status == CaseStatus.REPORTED


def test_action_not_allowed_is_rejected_with_a_chinese_message(
    client: Any, users: RoleUsers, case: Case
) -> None:
    client.force_login(users.worker)
    response = client.post(f"/cases/{case.pk}/act/accept/", {}, follow=True)
    assert "当前不能对该事件执行此操作" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.REPORTED
    assert CaseEvent.objects.filter(case=case).count() == 1


def test_secretary_accepts_through_the_page(client: Any, users: RoleUsers, case: Case) -> None:
    client.force_login(users.secretary)
    response = client.post(f"/cases/{case.pk}/act/accept/", {"accept-note": "属实"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED
    assert CaseEvent.objects.get(case=case, action=Action.ACCEPT).note == "属实"


def test_void_without_a_reason_keeps_the_case_and_says_why(
    client: Any, users: RoleUsers, case: Case
) -> None:
    client.force_login(users.secretary)
    response = client.post(f"/cases/{case.pk}/act/void/", {"void-note": ""})
    assert response.status_code == 400
    assert "请填写说明或理由" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.REPORTED


def test_route_form_sends_the_case_to_the_street(client: Any, users: RoleUsers, case: Case) -> None:
    walk(case, users, until=Action.ACCEPT)
    client.force_login(users.secretary)
    client.post(f"/cases/{case.pk}/act/route/", {"route-level": "street"})
    case.refresh_from_db()
    assert case.status == CaseStatus.TO_DISPATCH


def test_command_dispatches_to_a_department(client: Any, users: RoleUsers, case: Case) -> None:
    walk(case, users, until=Action.ROUTE)
    client.force_login(users.command)
    client.post(f"/cases/{case.pk}/act/dispatch/", {"dispatch-department": users.dept.pk})
    case.refresh_from_db()
    assert (case.status, case.department) == (CaseStatus.DISPATCHED, users.dept)


def test_department_feeds_back_with_a_photo_shown_in_the_timeline(
    client: Any, users: RoleUsers, case: Case
) -> None:
    walk(case, users, until=Action.SIGN_FOR)
    client.force_login(users.department)
    client.post(
        f"/cases/{case.pk}/act/feedback/",
        {"feedback-note": "已清运", "feedback-photos": [png_upload("done.png")]},
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.TO_VERIFY
    feedback = CaseEvent.objects.get(case=case, action=Action.FEEDBACK)
    photo = feedback.photos.get()
    client.force_login(users.worker)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert f"/cases/{case.pk}/photos/{photo.pk}/thumb/" in page


def test_department_does_not_see_a_case_of_another_department(
    client: Any, users: RoleUsers, case: Case
) -> None:
    walk(case, users, until=Action.ROUTE)
    other = Department.objects.create(code="sw", name="水务局", region_code="520102")
    case_transition(case=case, action=Action.DISPATCH, actor=users.command, department=other)
    client.force_login(users.department)
    assert client.get(f"/cases/{case.pk}/").status_code == 404


def test_photos_are_served_only_to_those_who_see_the_case(client: Any, users: RoleUsers) -> None:
    case = report_case(users.worker, photos=[png_upload()])
    photo = case.photos.get()
    client.force_login(users.secretary)
    response = client.get(f"/cases/{case.pk}/photos/{photo.pk}/thumb/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    client.force_login(users.outsider)
    assert client.get(f"/cases/{case.pk}/photos/{photo.pk}/full/").status_code == 404


def test_extension_is_asked_and_approved_as_asked(
    client: Any, users: RoleUsers, case: Case
) -> None:
    walk(case, users, until=Action.SIGN_FOR)
    client.force_login(users.department)
    client.post(
        f"/cases/{case.pk}/act/request_extension/",
        {
            "request_extension-amount": "3",
            "request_extension-unit": "days",
            "request_extension-note": "需协调施工单位",
        },
    )
    case.refresh_from_db()
    due_before = case.stage_due_at
    client.force_login(users.command)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'name="approve_extension-amount" value="3.00"' in page
    assert "3 工作日" in page
    client.post(
        f"/cases/{case.pk}/act/approve_extension/",
        {"approve_extension-amount": "3", "approve_extension-unit": "days"},
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.HANDLING
    assert due_before is not None and case.stage_due_at is not None
    assert case.stage_due_at > due_before


def test_secretary_merges_a_duplicate_from_the_case_page(client: Any, users: RoleUsers) -> None:
    from datetime import timedelta

    from django.utils import timezone

    earlier = timezone.now() - timedelta(hours=2)
    original = report_case(users.worker, at=earlier)
    duplicate = report_case(users.worker, at=earlier + timedelta(minutes=30))
    client.force_login(users.secretary)
    page = client.get(f"/cases/{duplicate.pk}/").content.decode()
    assert f'<option value="{original.pk}">{original.number}' in page
    client.post(f"/cases/{duplicate.pk}/act/merge/", {"merge-into": original.pk})
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into) == (CaseStatus.MERGED, original)


class _Ids(HTMLParser):
    """Every id on a page, and each form's labels with the ids they point at."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.forms: list[tuple[set[str], list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "form":
            self.forms.append((set(), []))
        if found.get("id"):
            self.ids.append(found["id"] or "")
            if self.forms:
                self.forms[-1][0].add(found["id"] or "")
        if tag == "label" and found.get("for") and self.forms:
            self.forms[-1][1].append(found["for"] or "")


@pytest.mark.parametrize("until", [Action.DISPATCH, None])
def test_action_forms_give_each_field_its_own_id_and_label(
    client: Any, users: RoleUsers, case: Case, until: str | None
) -> None:
    # The department signs for, returns or hands on a dispatched case; the secretary accepts,
    # voids, merges or supervises a reported one: several forms that each ask for a note.
    if until is not None:
        walk(case, users, until=until)
    client.force_login(users.department if until else users.secretary)
    parser = _Ids()
    parser.feed(client.get(f"/cases/{case.pk}/").content.decode())
    assert len(parser.forms) > 2
    assert [i for i in set(parser.ids) if parser.ids.count(i) > 1] == []
    for ids, labels in parser.forms:
        assert all(target in ids for target in labels), (labels, ids)
