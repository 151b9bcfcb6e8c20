"""Open311 GeoReport v2 endpoints at /open311/ (see gvalley.api.open311 and docs/open311.md)."""

from django.urls import path, re_path

from . import open311

app_name = "open311"

FMT = r"\.(?P<fmt>[a-z]+)$"

urlpatterns = [
    path("v2/", open311.root, name="root"),
    re_path(r"^discovery" + FMT, open311.discovery, name="discovery_root"),
    re_path(r"^v2/discovery" + FMT, open311.discovery, name="discovery"),
    re_path(r"^v2/services" + FMT, open311.services_list, name="services"),
    re_path(r"^v2/services/(?P<code>[-\w]+)" + FMT, open311.service_definition, name="service"),
    re_path(r"^v2/requests" + FMT, open311.requests_view, name="requests"),
    re_path(r"^v2/requests/(?P<request_id>[-\w]+)" + FMT, open311.request_detail, name="request"),
    re_path(r"^v2/tokens/(?P<token>[-\w]+)" + FMT, open311.token_detail, name="token"),
]
