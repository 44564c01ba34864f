from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from civicgrid.cases.choices import CaseStatus, Channel
from civicgrid.cases.models import Case, CasePhoto
from civicgrid.testing.case_pages import png_upload
from civicgrid.testing.cases import IN_A1_WEST, case_category, report_case
from civicgrid.testing.users import RoleUsers

pytestmark = pytest.mark.django_db


def form_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "channel": Channel.GRID_WORKER,
        "category": case_category("0102").pk,
        "description": "小区门口垃圾堆放未清运",
        "lat": IN_A1_WEST[0],
        "lng": IN_A1_WEST[1],
        "address": "",
    }
    data.update(overrides)
    return data


def test_grid_worker_reports_with_a_photo_and_becomes_first_contact_owner(
    client: Any, users: RoleUsers
) -> None:
    client.force_login(users.worker)
    response = client.post("/cases/new/", {**form_data(), "photos": [png_upload()]})
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/"
    assert case.first_owner == users.worker
    assert case.status == CaseStatus.REPORTED
    assert CasePhoto.objects.filter(case=case).count() == 1


def test_intake_form_renders_the_category_tree_and_the_map(client: Any, users: RoleUsers) -> None:
    client.force_login(users.worker)
    page = client.get("/cases/new/").content.decode()
    assert '<optgroup label="01 市容环境">' in page
    assert 'id="pick-map"' in page
    assert "使用我的位置" in page


def test_without_a_place_the_form_says_so_in_chinese_and_keeps_the_text(
    client: Any, users: RoleUsers
) -> None:
    client.force_login(users.worker)
    response = client.post("/cases/new/", form_data(lat="", lng=""))
    page = response.content.decode()
    assert response.status_code == 200
    assert "请在地图上选点、使用当前位置或填写地点" in page
    assert "小区门口垃圾堆放未清运" in page
    assert not Case.objects.exists()


def test_a_file_that_is_not_an_image_is_refused_in_chinese(client: Any, users: RoleUsers) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(users.worker)
    bad = SimpleUploadedFile("note.png", b"not an image", content_type="image/png")
    response = client.post("/cases/new/", {**form_data(), "photos": [bad]})
    assert "无法识别的图片" in response.content.decode()
    assert not Case.objects.exists()


def test_walk_in_needs_the_reporters_name(client: Any, users: RoleUsers) -> None:
    client.force_login(users.secretary)
    response = client.post("/cases/new/", form_data(channel=Channel.WALK_IN))
    assert "来访和热线事件请填写反映人姓名" in response.content.decode()


def test_hotline_case_keeps_the_callers_phone_masked_on_the_case_page(
    client: Any, users: RoleUsers
) -> None:
    client.force_login(users.secretary)
    client.post(
        "/cases/new/",
        form_data(channel=Channel.HOTLINE, reporter_name="王先生", reporter_phone="13800005678"),
    )
    page = client.get(f"/cases/{Case.objects.get().pk}/").content.decode()
    assert "138****5678" in page
    assert "13800005678" not in page


@pytest.mark.parametrize(
    # A grid worker takes what a resident tells them face to face (来访), not hotline calls.
    ("who", "channel"),
    [("secretary", Channel.HOTLINE), ("cadre", Channel.HOTLINE), ("worker", Channel.WALK_IN)],
)
def test_call_taken_with_an_address_only_opens_for_whoever_took_it(
    client: Any, users: RoleUsers, who: str, channel: str
) -> None:
    client.force_login(getattr(users, who))
    data = form_data(
        channel=channel, reporter_name="陈女士", reporter_phone="13607851234",
        category=case_category("1601").pk, description="12345转来:楼上邻居深夜噪音扰民",
        lat="", lng="", address="多福巷瑞金南路196号南明花园3栋",
    )  # fmt: skip
    response = client.post("/cases/new/", data, follow=True)
    case = Case.objects.get()
    assert response.redirect_chain[-1][0] == f"/cases/{case.pk}/"
    assert response.status_code == 200
    assert f"已上报,事件编号 {case.number}" in response.content.decode()
    client.force_login(users.secretary)
    assert case.number in client.get("/cases/work/", {"q": "to_accept"}).content.decode()


def test_department_handler_cannot_open_the_intake_form(client: Any, users: RoleUsers) -> None:
    client.force_login(users.department)
    assert client.get("/cases/new/").status_code == 403


def test_categories_are_suggested_from_the_description(client: Any, users: RoleUsers) -> None:
    client.force_login(users.worker)
    page = client.get("/cases/new/suggest/", {"description": "楼下垃圾桶满溢好几天了"})
    assert f'data-category="{case_category("0102").pk}"' in page.content.decode()


def test_suggestions_name_the_subcategory_without_its_group(client: Any, users: RoleUsers) -> None:
    client.force_login(users.resident)
    page = client.get("/cases/new/suggest/", {"description": "路灯不亮"}).content.decode()
    assert ">路灯不亮</button>" in page
    assert "扩展事件" not in page


def test_a_suggestion_named_in_the_words_is_marked_to_be_chosen(
    client: Any, users: RoleUsers
) -> None:
    client.force_login(users.resident)
    page = client.get("/cases/new/suggest/", {"description": "门口路灯不亮了"}).content.decode()
    assert f'data-category="{case_category("0601").pk}" data-strong="1"' in page


def test_a_keyword_match_alone_is_not_chosen_for_the_user(client: Any, users: RoleUsers) -> None:
    client.force_login(users.resident)
    page = client.get("/cases/new/suggest/", {"description": "晚上照明太暗"}).content.decode()
    assert f'data-category="{case_category("0601").pk}"' in page
    assert "data-strong" not in page


def test_open_similar_cases_nearby_are_listed_as_possible_duplicates(
    client: Any, users: RoleUsers
) -> None:
    first = report_case(users.worker, at=timezone.now() - timedelta(hours=1))
    client.force_login(users.worker)
    params = {"category": first.category_id, "lat": IN_A1_WEST[0], "lng": IN_A1_WEST[1] + 0.0003}
    page = client.get("/cases/new/duplicates/", params).content.decode()
    assert first.number in page


def test_duplicates_outside_the_users_scope_are_not_shown(client: Any, users: RoleUsers) -> None:
    first = report_case(users.worker, at=timezone.now() - timedelta(hours=1))
    client.force_login(users.outsider)
    params = {"category": first.category_id, "lat": IN_A1_WEST[0], "lng": IN_A1_WEST[1]}
    assert first.number not in client.get("/cases/new/duplicates/", params).content.decode()


def test_secretary_merges_a_new_report_into_the_open_one(client: Any, users: RoleUsers) -> None:
    first = report_case(users.worker, at=timezone.now() - timedelta(hours=1))
    client.force_login(users.secretary)
    client.post("/cases/new/", form_data(channel=Channel.GRID_WORKER, duplicate_of=first.pk))
    new = Case.objects.exclude(pk=first.pk).get()
    assert new.status == CaseStatus.MERGED
    assert new.merged_into == first


def test_a_refused_form_says_the_photos_must_be_chosen_again(client: Any, users: RoleUsers) -> None:
    client.force_login(users.worker)
    response = client.post("/cases/new/", {**form_data(description=""), "photos": [png_upload()]})
    assert response.status_code == 200
    assert "照片未保存" in response.content.decode()
    assert not CasePhoto.objects.exists()


def test_a_report_next_door_says_where_it_went(client: Any, users: RoleUsers) -> None:
    from civicgrid.testing.cases import IN_B1

    client.force_login(users.worker)
    response = client.post("/cases/new/", form_data(lat=IN_B1[0], lng=IN_B1[1]), follow=True)
    body = response.content.decode()
    assert "已上报,事件编号" in body and "已交由当地受理" in body
