"""Every target of a notice must exist and lie in the drafter's own jurisdiction."""

import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from civicgrid.participation import services
from civicgrid.participation.models import Notice


@pytest.mark.parametrize("target", ["b1_grid", "street_b", "missing"])
def test_targets_outside_the_jurisdiction_are_refused(city: Any, users: Any, target: str) -> None:
    code = {
        "b1_grid": city.grids["b1"].code,
        "street_b": city.street_b.code,
        "missing": "520102001099",
    }[target]
    with pytest.raises(ValidationError) as caught:
        services.notice_draft(
            actor=users.cadre,
            title="通知",
            body="正文",
            targets=[city.comm_a1.code, code],
            starts_on=timezone.localdate(),
        )
    assert "不在您的管辖范围内" in " ".join(caught.value.messages)
    assert not Notice.objects.exists()


def test_api_refuses_a_target_of_another_street_in_chinese(city: Any, users: Any) -> None:
    client = Client()
    client.force_login(users.secretary)
    payload = {
        "title": "通知",
        "body": "正文",
        "targets": [city.comm_b1.code],
        "starts_on": str(timezone.localdate()),
    }
    response = client.post(
        "/api/v1/participation/notices", data=json.dumps(payload), content_type="application/json"
    )
    assert response.status_code == 422
    assert "不在您的管辖范围内" in response.json()["detail"]


def test_page_offers_only_the_drafters_jurisdiction(city: Any, users: Any) -> None:
    client = Client()
    client.force_login(users.cadre)
    page = client.get("/community/manage/notices/new/").content.decode()
    assert city.comm_a1.code in page and city.grids["a1_west"].code in page
    assert city.comm_b1.code not in page and city.street_a.code + '"' not in page
