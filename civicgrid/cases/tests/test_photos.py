import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from civicgrid.cases.choices import Action
from civicgrid.cases.models import CasePhoto
from civicgrid.cases.photos import case_photo_add
from civicgrid.testing.cases import report_case
from civicgrid.testing.users import RoleUsers


def image_upload(
    fmt: str = "JPEG", name: str = "scene.jpg", size: tuple[int, int] = (800, 600)
) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


@pytest.fixture(autouse=True)
def _media(tmp_path: object, settings: object) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]


def test_report_with_a_photo_keeps_it_and_a_thumbnail(users: RoleUsers) -> None:
    case = report_case(users.worker, photos=[image_upload()])
    photo = CasePhoto.objects.get(case=case)
    assert photo.event is not None
    assert photo.event.action == Action.REPORT
    assert photo.image.name.startswith("cases/2026/11/")
    with Image.open(photo.thumbnail) as thumb:
        assert max(thumb.size) <= 320


def test_png_and_webp_are_accepted(users: RoleUsers) -> None:
    case = report_case(users.worker)
    case_photo_add(case=case, image=image_upload("PNG", "a.png"), uploaded_by=users.worker)
    case_photo_add(case=case, image=image_upload("WEBP", "a.webp"), uploaded_by=users.worker)
    assert case.photos.count() == 2


def test_other_formats_are_refused_in_chinese(users: RoleUsers) -> None:
    case = report_case(users.worker)
    with pytest.raises(ValidationError, match="只支持"):
        case_photo_add(case=case, image=image_upload("GIF", "a.gif"), uploaded_by=users.worker)


def test_a_file_that_is_not_an_image_is_refused(users: RoleUsers) -> None:
    fake = SimpleUploadedFile("a.jpg", b"not an image", content_type="image/jpeg")
    with pytest.raises(ValidationError, match="无法识别"):
        report_case(users.worker, photos=[fake])


@override_settings(CASE_PHOTO_MAX_BYTES=1000)
def test_too_large_a_photo_is_refused_and_nothing_is_saved(users: RoleUsers) -> None:
    from civicgrid.cases.models import Case

    with pytest.raises(ValidationError, match="不能超过"):
        report_case(users.worker, photos=[image_upload()])
    assert not Case.objects.exists()
