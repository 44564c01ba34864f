"""Pages for the read-replica routing tests: a heavy page marked @reads_replica, an exact page
that is not, and a marked page that writes before it reads."""

from django.contrib.auth.models import Group
from django.http import HttpRequest, JsonResponse
from django.urls import path

from civicgrid.core.policy import policy
from civicgrid.core.replica import reads_replica


def _names() -> list[str]:
    return list(Group.objects.order_by("name").values_list("name", flat=True))


@policy(public=True)
@reads_replica
def report(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"names": _names()})


@policy(public=True)
def exact(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"names": _names()})


@policy(public=True)
@reads_replica
def add_then_report(request: HttpRequest) -> JsonResponse:
    Group.objects.create(name=request.POST["name"])
    return JsonResponse({"names": _names()})


urlpatterns = [
    path("report/", report),
    path("exact/", exact),
    path("add/", add_then_report),
]
