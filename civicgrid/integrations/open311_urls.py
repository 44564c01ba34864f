from django.urls import URLPattern, path, register_converter

from civicgrid.integrations import open311


class FormatConverter:
    """The response format named by the resource's suffix (``services.xml``)."""

    regex = "json|xml"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "open311fmt")

app_name = "open311"
urlpatterns: list[URLPattern] = [
    path("discovery.<open311fmt:fmt>", open311.discovery, name="discovery"),
    path("services.<open311fmt:fmt>", open311.services, name="services"),
    path(
        "services/<str:service_code>.<open311fmt:fmt>",
        open311.service_definition,
        name="service_definition",
    ),
    path("requests.<open311fmt:fmt>", open311.requests, name="requests"),
    path("requests/<str:request_id>.<open311fmt:fmt>", open311.request_detail, name="request"),
    path("tokens/<str:token>.<open311fmt:fmt>", open311.token, name="token"),
]
