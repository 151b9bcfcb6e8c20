from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("", views.company_list, name="company_list"),
    path("export.xlsx", views.company_export, name="company_export"),
    path("companies/<int:pk>/", views.company_detail, name="company_detail"),
    path("buildings/", views.building_list, name="building_list"),
    path("buildings/<int:pk>/", views.building_detail, name="building_detail"),
    path("facilities/", views.facility_list, name="facility_list"),
    path("statistics/", views.statistics, name="statistics"),
    path("statistics.xlsx", views.statistics_xlsx, name="statistics_xlsx"),
    path("import/", views.import_view, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
]
