"""Read-mostly admin: every change of the consultation goes through the services and the organiser pages."""

from __future__ import annotations

from django.contrib import admin

from .models import Buyer, ConsultationRecord, Event, Interpreter, Meeting, ScheduleRun, Seller


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["programme", "schedule_status", "rooms", "slot_minutes", "published_at"]


@admin.register(Buyer)
class BuyerAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "event", "country", "timezone", "language", "withdrawn_at"]
    list_filter = ["event", "country"]
    list_select_related = ["organisation", "event__programme__edition"]


@admin.register(Seller)
class SellerAdmin(ReadOnlyAdmin):
    list_display = ["company", "event", "products", "withdrawn_at"]
    list_filter = ["event"]
    list_select_related = ["company", "event__programme__edition"]


@admin.register(Interpreter)
class InterpreterAdmin(ReadOnlyAdmin):
    list_display = ["user", "event", "languages", "max_consecutive"]
    list_select_related = ["user", "event__programme__edition"]


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["buyer", "seller", "slot", "room", "interpreter", "status", "attendance", "locked"]
    list_filter = ["event", "status", "attendance", "locked"]
    list_select_related = ["buyer__organisation", "seller__company", "slot", "interpreter__user"]


@admin.register(ScheduleRun)
class ScheduleRunAdmin(ReadOnlyAdmin):
    list_display = ["event", "kind", "status", "scheduled_meetings", "requested_pairs", "breaks", "seconds"]
    list_select_related = ["event__programme__edition"]


@admin.register(ConsultationRecord)
class ConsultationRecordAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "consultation_usd", "expected_contract_usd", "follow_up"]
    list_select_related = ["meeting__buyer__organisation", "meeting__seller__company"]
