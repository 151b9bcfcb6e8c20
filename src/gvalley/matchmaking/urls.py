from django.urls import path

from . import views

app_name = "matchmaking"

P = "<int:pk>/"
WHO = "<int:pk>/<str:kind>/<int:pid>/"

urlpatterns = [
    path("", views.home, name="home"),
    path(P, views.programme, name="programme"),
    path(P + "register/buyer/", views.buyer_register, name="buyer_register"),
    path(P + "register/company/", views.company_register, name="company_register"),
    path(P + "companies/<int:sid>/", views.seller_profile, name="seller_profile"),
    path(P + "buyers/<int:bid>/", views.buyer_profile, name="buyer_profile"),
    path(P + "statistics/", views.statistics, name="statistics"),
    path(P + "statistics.xlsx", views.statistics_xlsx, name="statistics_xlsx"),
    # organiser
    path(P + "manage/", views.setup, name="setup"),
    path(P + "manage/sessions/", views.session_add, name="session_add"),
    path(P + "manage/sessions/<int:sid>/remove/", views.session_remove, name="session_remove"),
    path(P + "manage/interpreters/", views.interpreter_add, name="interpreter_add"),
    path(P + "manage/interpreters/<int:iid>/", views.interpreter_edit, name="interpreter_edit"),
    path(P + "manage/interpreters/<int:iid>/remove/", views.interpreter_remove, name="interpreter_remove"),
    path(P + "manage/registrations/", views.registrations, name="registrations"),
    path(P + "manage/pairs/", views.pairs, name="pairs"),
    path(P + "manage/pairs/decide/", views.pair_decide, name="pair_decide"),
    path(P + "manage/recommendations/", views.recommendations, name="recommendations"),
    path(P + "manage/schedule/", views.schedule, name="schedule"),
    path(P + "manage/schedule/run/", views.schedule_run, name="schedule_run"),
    path(P + "manage/schedule/publish/", views.schedule_publish, name="schedule_publish"),
    path(P + "manage/schedule/lock-all/", views.schedule_lock_all, name="schedule_lock_all"),
    path(P + "manage/schedule/add/", views.meeting_add, name="meeting_add"),
    path(P + "manage/outcomes/", views.outcomes, name="outcomes"),
    # meetings
    path("meetings/<int:mid>/", views.meeting, name="meeting"),
    path("meetings/<int:mid>/record/", views.meeting_record, name="meeting_record"),
    path("meetings/<int:mid>/attendance/", views.meeting_attendance, name="meeting_attendance"),
    path("meetings/<int:mid>/rate/", views.meeting_rate, name="meeting_rate"),
    path("meetings/<int:mid>/lock/", views.meeting_lock, name="meeting_lock"),
    path("meetings/<int:mid>/move/", views.meeting_move, name="meeting_move"),
    path("meetings/<int:mid>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    # a participant's own pages (buyer, seller or interpreter)
    path(WHO, views.participant, name="participant"),
    path(WHO + "availability/", views.availability, name="availability"),
    path(WHO + "withdraw/", views.withdraw, name="withdraw"),
    path(WHO + "limits/", views.participant_limits, name="participant_limits"),
    path(WHO + "preferences/", views.preferences, name="preferences"),
    path(WHO + "agenda/", views.agenda, name="agenda"),
    path(WHO + "agenda.ics", views.agenda_ics, name="agenda_ics"),
]
