"""Serving stored files only after an access check (ARCHITECTURE rule 7).

Nothing under MEDIA_ROOT is reachable by URL on its own: a view first calls the entity's
``access_*`` and then hands the file to ``protected_file_response``. In production the web
server sends the bytes: with ``PROTECTED_MEDIA_SERVER = "nginx"`` the response carries
``X-Accel-Redirect: <PROTECTED_MEDIA_PREFIX><name>`` (an ``internal`` location aliasing
MEDIA_ROOT), with ``"apache"`` an ``X-Sendfile`` header with the absolute path; by default
Django streams the file itself.
"""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase


def protected_file_response(
    stored: FieldFile, *, download_name: str = "", cache: str = "private, max-age=3600"
) -> HttpResponseBase:
    """The file behind ``stored`` for a caller the view has already checked; 404 if gone."""
    if not stored or not stored.name:
        raise Http404
    server = settings.PROTECTED_MEDIA_SERVER
    response: HttpResponseBase
    if server in ("nginx", "apache"):
        if not stored.storage.exists(stored.name):
            raise Http404
        response = HttpResponse()
        if server == "nginx":
            prefix = settings.PROTECTED_MEDIA_PREFIX
            response["X-Accel-Redirect"] = prefix + quote(stored.name)
        else:
            response["X-Sendfile"] = stored.path
        # The web server fills in the type from the file; Django's default would be wrong.
        del response["Content-Type"]
    else:
        try:
            handle = stored.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        response = FileResponse(handle)
    if download_name:
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(download_name)}"
    response["Cache-Control"] = cache
    response["X-Content-Type-Options"] = "nosniff"
    return response
