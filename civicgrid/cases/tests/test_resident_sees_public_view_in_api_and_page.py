"""One presenter: the reporter sees the public timeline in the API exactly as on the page (no
staff names, no internal notes, no first-contact owner), with the handling result (feedback
text and after-photos) they are asked to evaluate. Photos are access-checked view URLs."""

import json
from typing import Any

import pytest
from django.test import Client

from civicgrid.cases.choices import Action
from civicgrid.cases.models import Case
from civicgrid.cases.workflow import case_transition
from civicgrid.testing.case_pages import png_upload, walk
from civicgrid.testing.users import RoleUsers

STAFF_NAMES = ("secretary", "command", "worker")
INTERNAL = "内部:已与物业沟通"


@pytest.fixture(autouse=True)
def _media(tmp_path: object, settings: object) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]


@pytest.fixture
def fed_back(users: RoleUsers, case: Case) -> Case:
    case = walk(case, users, until=Action.SIGN_FOR)
    case = case_transition(case=case, action=Action.SUPERVISE, actor=users.command, note=INTERNAL)
    return case_transition(
        case=case,
        action=Action.FEEDBACK,
        actor=users.department,
        note="已清运完毕",
        photos=[png_upload("after.png")],
    )


def _detail(client: Client, user: Any, case: Case) -> dict[str, Any]:
    client.force_login(user)
    response = client.get(f"/api/v1/cases/{case.pk}")
    assert response.status_code == 200
    return response.json()


def test_reporter_gets_the_public_timeline_with_the_result_in_the_api(
    client: Client, users: RoleUsers, fed_back: Case
) -> None:
    body = _detail(client, users.resident, fed_back)
    text = json.dumps(body, ensure_ascii=False)
    assert body["audience"] == "reporter"
    assert body["first_owner"] == "" and body["assignee"] == ""
    assert body["supervise_reason"] == ""
    for name in STAFF_NAMES:
        assert f'"{name}"' not in text
    assert INTERNAL not in text
    assert all(e["actor"] == "" and e["note"] == "" for e in body["timeline"])
    feedback = next(e for e in body["timeline"] if e["action"] == Action.FEEDBACK)
    assert feedback["result"] == "已清运完毕"
    (photo,) = feedback["photos"]
    assert photo["url"].startswith(f"/cases/{fed_back.pk}/photos/")
    assert "/media/" not in text


def test_reporter_page_shows_what_the_api_shows(
    client: Client, users: RoleUsers, fed_back: Case
) -> None:
    body = _detail(client, users.resident, fed_back)
    page = client.get(f"/cases/{fed_back.pk}/").content.decode()
    feedback = next(e for e in body["timeline"] if e["action"] == Action.FEEDBACK)
    assert "已清运完毕" in page
    assert feedback["photos"][0]["thumbnail_url"] in page
    assert INTERNAL not in page
    assert "/media/" not in page
    for event in body["timeline"]:
        assert f'data-action="{event["action"]}"' in page


def test_staff_get_names_notes_and_view_urls(
    client: Client, users: RoleUsers, fed_back: Case
) -> None:
    body = _detail(client, users.command, fed_back)
    text = json.dumps(body, ensure_ascii=False)
    assert body["audience"] == "staff"
    assert body["first_owner"] == "worker"
    assert INTERNAL in text
    assert "/media/" not in text
    urls = [p["url"] for e in body["timeline"] for p in e["photos"]]
    assert urls and all(u.startswith(f"/cases/{fed_back.pk}/photos/") for u in urls)


def test_photo_view_hands_the_file_to_the_web_server_after_the_check(
    client: Client, users: RoleUsers, fed_back: Case, settings: Any
) -> None:
    settings.PROTECTED_MEDIA_SERVER = "nginx"
    photo = fed_back.photos.get()
    client.force_login(users.resident)
    response = client.get(f"/cases/{fed_back.pk}/photos/{photo.pk}/full/")
    assert response.status_code == 200
    assert response["X-Accel-Redirect"].endswith(photo.image.name)
    client.force_login(users.outsider)
    assert client.get(f"/cases/{fed_back.pk}/photos/{photo.pk}/full/").status_code == 404


def test_reporter_cannot_open_a_photo_of_an_internal_step(
    client: Client, users: RoleUsers, case: Case
) -> None:
    from civicgrid.cases.models import CasePhoto

    case = walk(case, users, until=Action.SIGN_FOR)
    case = case_transition(
        case=case,
        action=Action.REQUEST_EXTENSION,
        actor=users.department,
        note="需协调",
        amount=2,
        unit="days",
        photos=[png_upload("internal.png")],
    )
    internal = CasePhoto.objects.get(event__action=Action.REQUEST_EXTENSION)
    url = f"/cases/{case.pk}/photos/{internal.pk}/full/"
    client.force_login(users.resident)
    assert client.get(url).status_code == 404
    client.force_login(users.command)
    assert client.get(url).status_code == 200


def test_a_photo_uploaded_on_its_own_shows_on_the_page_and_in_the_api(
    client: Client, users: RoleUsers, case: Case
) -> None:
    client.force_login(users.worker)
    upload = client.post(f"/api/v1/cases/{case.pk}/photos", {"image": png_upload("later.png")})
    assert upload.status_code == 201
    url = upload.json()["url"]
    assert url.startswith(f"/cases/{case.pk}/photos/")
    assert [p["url"] for p in _detail(client, users.worker, case)["photos"]] == [url]
    assert upload.json()["thumbnail_url"] in client.get(f"/cases/{case.pk}/").content.decode()
