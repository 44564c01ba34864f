"""The API documentation page works on an intranet: no asset comes from another host."""

import re
from typing import Any

import pytest


@pytest.mark.django_db
def test_api_docs_load_swagger_from_our_own_static_files(client: Any) -> None:
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui-bundle.js" in html
    assert not re.search(r"""(src|href)=["']https?://""", html)
