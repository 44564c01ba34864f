"""Photos from the field: a task item's evidence and a visit's pictures.

The phone's outbox keeps what it cannot send as JSON in IndexedDB, so a photo travels inside
the JSON as base64 (shrunk on the phone first, static/js/fieldwork_outbox.js); a page form
sends it as an uploaded file. Both come out of ``decode_photo`` as a file that the cases'
``photo_validate`` checks, so every kind of photo is refused with the same Chinese message."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.cases.photos import PHOTO_FORMATS, photo_validate, thumbnail
from civicgrid.fieldwork.models import Visit, VisitPhoto

# A photo sent inside JSON (base64): the phone shrinks it first; this bounds it.
PHOTO_B64_MAX = 12 * 1024 * 1024
MAX_VISIT_PHOTOS = 3


def decode_photo(photo: Any, field: str = "photo") -> Any:
    """A photo as an uploaded file, or from JSON: base64, optionally as a
    ``data:image/...;base64,`` URL. None when there is none."""
    if photo is None or photo == "":
        return None
    if not isinstance(photo, str):
        return photo
    if len(photo) > PHOTO_B64_MAX:
        raise ValidationError({field: _("照片过大,请压缩后再上传")})
    data = photo.split(",", 1)[1] if photo.startswith("data:") else photo
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValidationError({field: _("无法识别的图片,请上传 JPG、PNG 或 WebP 照片")}) from exc
    return ContentFile(raw, name="photo")


def checked_visit_photos(photos: Sequence[Any]) -> list[tuple[Any, str]]:
    """(file, format) of each photo of a visit, all checked before anything is stored."""
    if len(photos) > MAX_VISIT_PHOTOS:
        raise ValidationError({"photos": _("最多上传 %(n)s 张照片") % {"n": MAX_VISIT_PHOTOS}})
    checked = []
    for photo in photos:
        upload = decode_photo(photo, "photos")
        if upload is None:
            continue
        try:
            checked.append((upload, photo_validate(upload)))
        except ValidationError as exc:
            raise ValidationError({"photos": exc.messages}) from exc
    return checked


def store_visit_photos(visit: Visit, checked: list[tuple[Any, str]]) -> list[VisitPhoto]:
    stored = []
    for number, (upload, fmt) in enumerate(checked, start=1):
        photo = VisitPhoto(visit=visit, at=timezone.now())
        stem = f"{timezone.localtime(photo.at):%Y%m%d%H%M%S}-{number}"
        photo.image.save(f"{stem}.{PHOTO_FORMATS[fmt]}", upload, save=False)
        photo.thumbnail.save(f"{stem}-s.jpg", thumbnail(upload), save=False)
        photo.save()
        stored.append(photo)
    return stored
