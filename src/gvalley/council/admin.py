"""Read-only admin views of the council's records. Every change goes through the council pages (and so through
the services, with their checks and the audit log); the admin is for looking things up."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from .models import (
    ActionItem,
    AgendaItem,
    Council,
    CouncilMember,
    Decision,
    Indicator,
    Invitation,
    Meeting,
    Minutes,
    PlanLine,
    PlanProgramme,
    Seat,
    Term,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Council)
class CouncilAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "parent", "contact_email")


@admin.register(CouncilMember)
class CouncilMemberAdmin(ReadOnlyAdmin):
    list_display = ("organisation", "council", "group", "joined_on", "left_on")
    list_filter = ("council", "group")


@admin.register(Term)
class TermAdmin(ReadOnlyAdmin):
    list_display = ("council", "number", "starts_on", "ends_on")


@admin.register(Seat)
class SeatAdmin(ReadOnlyAdmin):
    list_display = ("member", "term", "kind", "position_title", "person", "designated_on", "ceased_on")
    list_filter = ("kind", "term__council", "term")
    list_select_related = ("member__organisation", "member__council", "term__council", "person")


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ("title", "council", "kind", "starts_at", "status", "visibility")
    list_filter = ("council", "kind", "status")
    date_hierarchy = "starts_at"


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ("meeting", "organisation", "person", "response", "responded_at")
    list_select_related = ("meeting", "organisation", "person")


@admin.register(AgendaItem)
class AgendaItemAdmin(ReadOnlyAdmin):
    list_display = ("title", "council", "meeting", "origin", "status", "visibility")
    list_filter = ("council", "origin", "status")
    search_fields = ("title", "title_en")


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "agenda_item", "method", "decided_on")
    list_filter = ("method",)


@admin.register(ActionItem)
class ActionItemAdmin(ReadOnlyAdmin):
    list_display = ("title", "owner_organisation", "due_on", "status", "progress")
    list_filter = ("status",)
    list_select_related = ("owner_organisation",)


@admin.register(Minutes)
class MinutesAdmin(ReadOnlyAdmin):
    list_display = ("meeting", "version", "status", "approved_at", "locked_at")
    list_filter = ("status",)


@admin.register(PlanProgramme)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ("title", "council", "starts_on", "ends_on")


@admin.register(PlanLine)
class PlanLineAdmin(ReadOnlyAdmin):
    list_display = ("title", "plan", "year", "starts_on", "ends_on")
    list_filter = ("year",)


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyAdmin):
    list_display = ("label", "line", "metric", "target", "unit")
