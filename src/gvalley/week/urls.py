from django.urls import path

from . import views

app_name = "week"

urlpatterns = [
    path("", views.home, name="home"),
    path("<int:year>/", views.edition, name="edition"),
    path("<int:year>/programmes/<int:pk>/", views.programme, name="programme"),
]
