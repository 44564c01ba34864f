"""A parameter that is not a number, or out of range, answers 400 with a Chinese message on the
pages and 422 in the API, never a 500."""

import pytest


@pytest.mark.parametrize(
    "url",
    [
        "/assessment/analysis/hotspots/?radius=abc",
        "/assessment/analysis/hotspots/?radius=5",
        "/assessment/analysis/hotspots/?min=1",
        "/assessment/analysis/recurring/?days=0",
        "/assessment/analysis/seasonality/?years=99",
        "/assessment/analysis/departments/?months=-1",
        "/assessment/analysis/falling/?ago=1e9",
    ],
)
def test_bad_parameters_answer_400(client, users, url):
    client.force_login(users.command)
    response = client.get(url)
    assert response.status_code == 400
    assert "应" in response.content.decode()


def test_api_answers_422(client, users):
    client.force_login(users.command)
    response = client.get("/api/v1/assessment/analysis/hotspots?radius=5")
    assert response.status_code == 422
    assert "detail" in response.json()
