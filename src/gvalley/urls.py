from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/", include("gvalley.api.urls")),
    path("open311/", include("gvalley.api.open311_urls")),
    path("", include("gvalley.core.urls")),
    path("accounts/", include("gvalley.accounts.urls")),
    path("directory/", include("gvalley.directory.urls")),
    path("council/", include("gvalley.council.urls")),
    path("requests/", include("gvalley.grievances.urls")),
    path("week/", include("gvalley.week.urls")),
    path("week/export-consultation/", include("gvalley.matchmaking.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
