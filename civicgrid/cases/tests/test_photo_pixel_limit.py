"""A photo is refused from its header when it has too many pixels: a small PNG that announces
20000×20000 pixels would take gigabytes to decompress."""

import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from civicgrid.cases.models import Case, CasePhoto
from civicgrid.cases.photos import photo_validate
from civicgrid.testing.users import RoleUsers


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def huge_png(width: int = 20000, height: int = 20000) -> SimpleUploadedFile:
    """A valid PNG header for a ``width``×``height`` image with only a few bytes of data."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = zlib.compress(b"\0" * 1024)
    data = (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", body)
        + _chunk(b"IEND", b"")
    )
    return SimpleUploadedFile("bomb.png", data, content_type="image/png")


@pytest.fixture(autouse=True)
def _media(tmp_path: object, settings: object) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]


def test_too_many_pixels_is_refused_in_chinese_before_decoding() -> None:
    with pytest.raises(ValidationError, match="像素过大") as info:
        photo_validate(huge_png())
    assert info.value.code == "too_many_pixels"


def test_the_limit_comes_from_settings(settings: object) -> None:
    settings.CASE_PHOTO_MAX_PIXELS = 1000  # type: ignore[attr-defined]
    with pytest.raises(ValidationError, match="像素过大"):
        photo_validate(huge_png(40, 40))


def test_pillow_refuses_every_later_decode_of_a_bomb() -> None:
    assert Image.MAX_IMAGE_PIXELS is not None
    assert Image.MAX_IMAGE_PIXELS <= 100_000_000


def test_api_upload_of_a_bomb_is_422_and_nothing_is_stored(
    client: Client, users: RoleUsers, case: Case
) -> None:
    client.force_login(users.worker)
    response = client.post(f"/api/v1/cases/{case.pk}/photos", {"image": huge_png()})
    assert response.status_code == 422
    assert "像素过大" in response.json()["detail"]
    assert not CasePhoto.objects.exists()
