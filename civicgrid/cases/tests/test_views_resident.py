from typing import Any

import pytest

from civicgrid.accounts.choices import Role
from civicgrid.cases.choices import Action, CaseStatus, Channel, Satisfaction
from civicgrid.cases.models import Case
from civicgrid.cases.services import case_merge
from civicgrid.testing.case_pages import walk
from civicgrid.testing.cases import IN_A1_WEST, case_category, report_case
from civicgrid.testing.users import RoleUsers, make_user

pytestmark = pytest.mark.django_db


def test_resident_submits_a_request_and_sees_its_number(client: Any, users: RoleUsers) -> None:
    client.force_login(users.resident)
    response = client.post(
        "/cases/submit/",
        {
            "category": case_category("0102").pk,
            "description": "楼下垃圾没人收",
            "lat": IN_A1_WEST[0],
            "lng": IN_A1_WEST[1],
        },
        follow=True,
    )
    case = Case.objects.get()
    assert (case.channel, case.reporter) == (Channel.RESIDENT, users.resident)
    assert f"编号 {case.number}" in response.content.decode()


def test_resident_without_a_position_is_asked_for_one(
    client: Any, users: RoleUsers, settings: Any
) -> None:
    # Over real tiles the resident's page draws a map to tap, and the message says so.
    settings.MAP_TILE_URL = "https://tiles.example.cn/{z}/{x}/{y}.png"
    client.force_login(users.resident)
    response = client.post(
        "/cases/submit/",
        {"category": case_category("0102").pk, "description": "垃圾", "address": "3 栋门口"},
    )
    page = response.content.decode()
    assert 'id="pick-map"' in page
    assert "请点“使用我的位置”或在地图上点出位置" in page
    assert not Case.objects.exists()


def test_a_page_without_a_map_never_asks_to_tap_one(client: Any, users: RoleUsers) -> None:
    client.force_login(users.resident)
    # What the browser sends for the form left empty.
    blank = {"description": "", "category": "", "address": "", "grid": "", "reporter_phone": ""}
    response = client.post("/cases/submit/", blank)
    page = response.content.decode()
    assert 'id="pick-map"' not in page
    assert "请点“使用我的位置”,或选择您所在的网格" in page
    assert "地图" not in page
    # Nothing written yet, so no categories are suggested above the type.
    assert 'class="chip"' not in page
    assert "推荐分类" not in page
    assert "请选择问题类型" in page
    assert not Case.objects.exists()


def test_categories_suggested_for_the_words_written_are_shown_with_the_message(
    client: Any, users: RoleUsers
) -> None:
    client.force_login(users.resident)
    response = client.post(
        "/cases/submit/",
        {"description": "路边垃圾没人清运", "lat": IN_A1_WEST[0], "lng": IN_A1_WEST[1]},
    )
    page = response.content.decode()
    assert 'class="chip"' in page
    assert "请选择问题类型(可点上方的推荐分类)" in page


def test_resident_without_a_category_is_told_in_chinese_by_the_server(
    client: Any, users: RoleUsers
) -> None:
    client.force_login(users.resident)
    form_page = client.get("/cases/submit/").content.decode()
    assert "required" not in form_page.split('name="category"')[1].split(">")[0]
    response = client.post(
        "/cases/submit/",
        {"description": "路灯坏了", "lat": IN_A1_WEST[0], "lng": IN_A1_WEST[1]},
    )
    page = response.content.decode()
    assert "请选择问题类型" in page
    assert "路灯坏了" in page
    assert not Case.objects.exists()


def test_staff_use_the_staff_form_not_the_resident_one(client: Any, users: RoleUsers) -> None:
    client.force_login(users.worker)
    assert client.get("/cases/submit/").status_code == 403


def test_my_requests_lists_only_my_own(client: Any, users: RoleUsers) -> None:
    mine = report_case(users.resident, channel=Channel.RESIDENT)
    theirs = report_case(users.worker)
    client.force_login(users.resident)
    page = client.get("/cases/mine/").content.decode()
    assert mine.number in page
    assert theirs.number not in page


def test_resident_gets_404_on_someone_elses_case(client: Any, users: RoleUsers) -> None:
    other = make_user("neighbour", Role.RESIDENT)
    case = report_case(other, channel=Channel.RESIDENT)
    client.force_login(users.resident)
    assert client.get(f"/cases/{case.pk}/").status_code == 404


NOT_FOUND = "未找到该事件,请核对编号和联系电话后重试。"


def hotline_case(users: RoleUsers) -> Case:
    return walk(
        report_case(
            users.secretary,
            channel=Channel.HOTLINE,
            reporter_name="李四",
            reporter_phone="13800005678",
        ),
        users,
        until=Action.FEEDBACK,
    )


def test_anyone_with_the_number_and_phone_sees_steps_without_names_or_notes(
    client: Any, users: RoleUsers
) -> None:
    case = hotline_case(users)
    response = client.post("/cases/track/", {"number": case.number, "phone": "138 0000 5678"})
    page = response.content.decode()
    assert response.status_code == 200
    result = page.split('id="track-result"')[1]
    assert "待核查" in result
    assert 'data-action="feedback"' in result
    for private in ("李四", "secretary", "已清运完毕", case.description, "5678", "13800005678"):
        assert private not in result
    assert "13800005678" not in page


def test_wrong_phone_gets_the_same_answer_as_an_unknown_number(
    client: Any, users: RoleUsers
) -> None:
    case = hotline_case(users)
    wrong_digits = client.post("/cases/track/", {"number": case.number, "phone": "13800001234"})
    unknown = client.post("/cases/track/", {"number": "000-20260101-0001", "phone": "13800005678"})
    for response in (wrong_digits, unknown):
        page = response.content.decode()
        assert NOT_FOUND in page
        assert 'id="track-result"' not in page
        assert case.category.name not in page


def test_number_alone_is_not_enough_without_signing_in(client: Any, users: RoleUsers) -> None:
    case = hotline_case(users)
    page = client.get("/cases/track/", {"number": case.number}).content.decode()
    assert "请输入反映问题时登记的联系电话" in page
    assert 'id="track-result"' not in page


def test_a_phone_that_is_not_a_phone_number_gets_a_chinese_message(
    client: Any, users: RoleUsers
) -> None:
    page = client.post("/cases/track/", {"number": "x", "phone": "56a8"}).content.decode()
    assert "请输入完整的联系电话" in page


def test_caller_of_a_merged_report_follows_the_case_it_was_merged_into(
    client: Any, users: RoleUsers
) -> None:
    main = report_case(users.worker)
    repeat = report_case(
        users.secretary,
        channel=Channel.HOTLINE,
        reporter_name="王五",
        reporter_phone="139 0000 4321",
    )
    case_merge(duplicate=repeat, into=main, actor=users.secretary)
    page = client.post("/cases/track/", {"number": repeat.number, "phone": "13900004321"})
    assert main.number in page.content.decode()


def test_resident_opens_their_own_case_by_number_without_a_phone(
    client: Any, users: RoleUsers
) -> None:
    mine = report_case(users.resident, channel=Channel.RESIDENT)
    client.force_login(users.resident)
    response = client.get("/cases/track/", {"number": f" {mine.number} "})
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{mine.pk}/"


def test_resident_needs_the_phone_for_someone_elses_case(client: Any, users: RoleUsers) -> None:
    case = hotline_case(users)
    client.force_login(users.resident)
    page = client.get("/cases/track/", {"number": case.number}).content.decode()
    assert 'id="track-result"' not in page
    assert "请输入反映问题时登记的联系电话" in page


def test_staff_lookup_by_number_stays_within_their_scope(client: Any, users: RoleUsers) -> None:
    case = report_case(users.worker)
    client.force_login(users.secretary)
    response = client.get("/cases/track/", {"number": case.number})
    assert response["Location"] == f"/cases/{case.pk}/"
    client.force_login(users.outsider)
    page = client.get("/cases/track/", {"number": case.number}).content.decode()
    assert 'id="track-result"' not in page
    assert case.category.name not in page


def test_resident_evaluates_a_closed_case_as_unsatisfied_and_may_reopen_it(
    client: Any, users: RoleUsers
) -> None:
    case = walk(report_case(users.worker, reporter=users.resident), users, until=Action.VERIFY)
    client.force_login(users.resident)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "请评价办理结果" in page
    client.post(
        f"/cases/{case.pk}/act/evaluate/",
        {"evaluate-satisfaction": Satisfaction.UNSATISFIED, "evaluate-note": "还有残留"},
    )
    case.refresh_from_db()
    assert case.satisfaction == Satisfaction.UNSATISFIED
    client.post(f"/cases/{case.pk}/act/reopen/", {"reopen-note": "垃圾又堆起来了"})
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED


def test_resident_cannot_reopen_a_case_they_were_satisfied_with(
    client: Any, users: RoleUsers
) -> None:
    case = walk(report_case(users.worker, reporter=users.resident), users, until=Action.VERIFY)
    client.force_login(users.resident)
    client.post(f"/cases/{case.pk}/act/evaluate/", {"evaluate-satisfaction": "satisfied"})
    response = client.post(f"/cases/{case.pk}/act/reopen/", {"reopen-note": "x"}, follow=True)
    assert "当前不能对该事件执行此操作" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


def test_my_requests_has_a_constant_query_count(
    client: Any, users: RoleUsers, django_assert_num_queries: Any
) -> None:
    client.force_login(users.resident)
    report_case(users.resident, channel=Channel.RESIDENT)
    client.get("/cases/mine/")  # the first request after sign-in stamps the session
    with django_assert_num_queries(5) as few:
        client.get("/cases/mine/")
    for _ in range(10):
        report_case(users.resident, channel=Channel.RESIDENT)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get("/cases/mine/")
    assert response.content.decode().count('class="case-number"') == 11
