"""Case photos: checking an upload, storing it with a thumbnail (docs/architecture.md "Cases").

Kept apart from ``services`` so that ``workflow`` (which stores the photos of a step) and
``services`` (which calls ``workflow``) do not import each other.

An upload is checked from its header before any pixel is decoded: a tiny PNG can announce
20000×20000 pixels and would take gigabytes to decompress, so the pixel count is compared with
``CASE_PHOTO_MAX_PIXELS`` right after ``Image.open`` (which reads only the header), and Pillow's
own decompression-bomb guard is set to the same limit for every later decode.
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from civicgrid.cases.models import Case, CaseEvent, CasePhoto

PHOTO_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
THUMBNAIL_SIZE = (320, 320)


def photo_max_bytes() -> int:
    return int(settings.CASE_PHOTO_MAX_BYTES)


def photo_max_pixels() -> int:
    return int(settings.CASE_PHOTO_MAX_PIXELS)


# Pillow refuses (DecompressionBombError) anything over twice this and warns above it; set once
# at import so that no decode anywhere in the process can be made to allocate without bound.
Image.MAX_IMAGE_PIXELS = photo_max_pixels()


def _too_many_pixels(limit: int) -> ValidationError:
    return ValidationError(
        _("照片像素过大(最多 %(mp)s 百万像素),请压缩后再上传") % {"mp": round(limit / 1_000_000)},
        code="too_many_pixels",
    )


def photo_validate(upload: Any) -> str:
    """The image format of an upload; ValidationError in Chinese when it is not a JPEG, PNG
    or WebP image, is larger than ``CASE_PHOTO_MAX_BYTES`` or has more pixels than
    ``CASE_PHOTO_MAX_PIXELS``. Only the header is read: nothing is decompressed here."""
    limit = photo_max_bytes()
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationError(
            _("照片不能超过 %(mb)s MB") % {"mb": round(limit / 1024 / 1024, 1)}, code="too_large"
        )
    max_pixels = photo_max_pixels()
    try:
        upload.seek(0)
        with Image.open(upload) as img:
            fmt = img.format or ""
            width, height = img.size
            if width * height > max_pixels:
                raise _too_many_pixels(max_pixels)
            img.verify()
    except Image.DecompressionBombError as exc:
        raise _too_many_pixels(max_pixels) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            _("无法识别的图片,请上传 JPG、PNG 或 WebP 照片"), code="invalid"
        ) from exc
    finally:
        upload.seek(0)
    if fmt not in PHOTO_FORMATS:
        raise ValidationError(_("只支持 JPG、PNG 或 WebP 照片"), code="format")
    return fmt


def thumbnail(upload: Any) -> ContentFile:
    """A JPEG of at most THUMBNAIL_SIZE for lists and cards (field photos use it too)."""
    upload.seek(0)
    with Image.open(upload) as img:
        # JPEG decodes straight at a fraction of its size: cheaper than decoding it whole.
        img.draft("RGB", (THUMBNAIL_SIZE[0] * 2, THUMBNAIL_SIZE[1] * 2))
        img.thumbnail(THUMBNAIL_SIZE)
        out = io.BytesIO()
        img.convert("RGB").save(out, format="JPEG", quality=80)
    upload.seek(0)
    return ContentFile(out.getvalue())


@transaction.atomic
def case_photo_add(
    *,
    case: Case,
    image: Any,
    uploaded_by: Any,
    event: CaseEvent | None = None,
    at: datetime | None = None,
) -> CasePhoto:
    """Store a validated photo under MEDIA_ROOT/cases/YYYY/MM/ with a JPEG thumbnail. Files are
    served only through the access-checked photo view (``views.photo``)."""
    fmt = photo_validate(image)
    at = at or timezone.now()
    photo = CasePhoto(case=case, event=event, uploaded_by=uploaded_by, at=at)
    stem = f"{timezone.localtime(at):%Y%m%d%H%M%S}"
    photo.image.save(f"{stem}.{PHOTO_FORMATS[fmt]}", image, save=False)
    photo.thumbnail.save(f"{stem}.jpg", thumbnail(image), save=False)
    photo.save()
    return photo
