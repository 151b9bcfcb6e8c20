from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("jobs/<int:pk>/", views.job_status, name="job"),
    path("health/", views.health, name="health"),
    path("ping/", views.ping, name="ping"),
]
