"""Admin views of the grievances app (read-mostly; every change of a request goes through the services)."""

from django.contrib import admin

from .models import (
    AdhocHoliday,
    Answer,
    AnswerTemplate,
    Category,
    Cluster,
    Event,
    Question,
    Request,
    Satisfaction,
    Visit,
    VisitPlan,
)


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "period", "default_organisation", "is_active"]
    inlines = [QuestionInline]


class EventInline(admin.TabularInline):
    model = Event
    extra = 0
    can_delete = False
    readonly_fields = [
        "at",
        "actor",
        "kind",
        "from_status",
        "to_status",
        "organisation",
        "from_organisation",
        "note",
        "public",
    ]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Request)
class RequestAdmin(admin.ModelAdmin):
    list_display = [
        "tracking_number",
        "title",
        "category",
        "status",
        "responsible_organisation",
        "received_at",
        "due_at",
    ]
    list_filter = ["status", "category", "channel"]
    search_fields = ["tracking_number", "title"]
    inlines = [EventInline]
    readonly_fields = [f.name for f in Request._meta.concrete_fields if f.name not in ("title_en",)]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["request", "outcome", "organisation", "answered_at"]
    readonly_fields = [f.name for f in Answer._meta.concrete_fields]


admin.site.register(AnswerTemplate)
admin.site.register(AdhocHoliday)
admin.site.register(Satisfaction)
admin.site.register(Cluster)
admin.site.register(VisitPlan)


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ["visited_on", "company", "report_sent_at"]
    raw_id_fields = ["company", "previous_visit"]
