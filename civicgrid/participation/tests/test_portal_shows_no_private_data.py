"""The community portal shows grid outlines and published cards only: never the account's own
phone, never anything from the ledgers."""

from typing import Any

from django.test import Client

from civicgrid.registry.tests.factories import make_person


def test_portal_page_and_api_show_the_card_but_no_private_phone_or_ledger(
    city: Any, users: Any, card: Any
) -> None:
    make_person(city.grids["a1_west"], name="住户李秀英", phone="13700002222")
    code = city.comm_a1.code
    page = Client().get(f"/community/{code}/").content.decode()
    api = Client().get(f"/api/v1/participation/communities/{code}").content.decode()
    for body in (page, api):
        assert "0851-85550001" in body
        assert "13900001111" not in body  # the worker's account phone
        assert "住户李秀英" not in body and "13700002222" not in body
        assert "/media/" not in body


def test_unpublished_card_is_not_shown(city: Any, users: Any, card: Any) -> None:
    card.published = False
    card.save()
    page = Client().get(f"/community/{city.comm_a1.code}/").content.decode()
    assert "0851-85550001" not in page


def test_a_street_or_unknown_code_has_no_portal_page(city: Any) -> None:
    assert Client().get("/community/999999999999/").status_code == 404
    assert (
        Client().get(f"/api/v1/participation/communities/{city.street_a.code}").status_code == 404
    )
