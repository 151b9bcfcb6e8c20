from django.urls import path

from gvalley.api import views as api_views

from . import views

app_name = "grievances"

urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.file_start, name="file_start"),
    path("new/<slug:code>/", views.file_request, name="file"),
    path("similar/", views.similar, name="similar"),
    path("track/", views.track, name="track"),
    path("track/<str:number>/", views.track_detail, name="track_detail"),
    path("mine/", views.mine, name="mine"),
    path("survey/<str:token>/", views.survey, name="survey"),
    path("files/<int:pk>/", views.attachment, name="attachment"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/support/", views.support, name="support"),
    path("<int:pk>/support/by-email/", views.support_email, name="support_email"),
    path("support/confirm/<str:token>/", views.support_confirm, name="support_confirm"),
    path("<int:pk>/<slug:name>/", views.action, name="action"),
    # Staff
    path("staff/", views.queue, name="queue"),
    path("staff/new/", views.on_behalf_start, name="on_behalf_start"),
    path("staff/new/<slug:code>/", views.on_behalf, name="on_behalf"),
    path("staff/categories/", views.category_list, name="category_list"),
    path("staff/categories/new/", views.category_new, name="category_new"),
    path("staff/categories/<int:pk>/", views.category_edit, name="category_edit"),
    path("staff/categories/<int:pk>/questions/<int:question>/", views.question_edit, name="question_edit"),
    path("staff/templates/", views.template_list, name="template_list"),
    path("staff/templates/new/", views.template_edit, name="template_new"),
    path("staff/templates/<int:pk>/", views.template_edit, name="template_edit"),
    path("staff/holidays/", views.holidays, name="holidays"),
    path("staff/recurring/", views.recurring, name="recurring"),
    path("staff/recurring/new/", views.cluster_new, name="cluster_new"),
    path("staff/recurring/<int:pk>/", views.cluster_detail, name="cluster_detail"),
    path("staff/open311-keys/", api_views.key_list, name="open311_keys"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard.xlsx", views.dashboard_xlsx, name="dashboard_xlsx"),
    # Company visits
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/new/", views.visit_new, name="visit_new"),
    path("visits/plans/", views.visit_plans, name="visit_plans"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("visits/photos/<int:pk>/", views.visit_photo, name="visit_photo"),
]
