from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrievancesConfig(AppConfig):
    name = "gvalley.grievances"
    label = "grievances"
    verbose_name = _("Difficulties and requests")
    operator_links = [
        ("grievances:queue", _("Request queue (triage and handling)"), "grievances.view_queue"),
        ("grievances:on_behalf_start", _("File a request on someone's behalf"), "grievances.file_on_behalf"),
        ("grievances:dashboard", _("Requests dashboard"), "grievances.view_dashboard"),
        ("grievances:visit_list", _("Company visits"), "grievances.view_visits"),
        ("grievances:recurring", _("Duplicates and recurring issues"), "grievances.manage_clusters"),
        (
            "grievances:category_list",
            _("Request categories and extra questions"),
            "grievances.manage_categories",
        ),
        ("grievances:template_list", _("Answer templates"), "grievances.manage_templates"),
        ("grievances:holidays", _("Ad-hoc holidays (deadlines)"), "grievances.manage_holidays"),
        ("grievances:open311_keys", _("Open311 API keys"), "grievances.manage_api_keys"),
    ]

    def ready(self) -> None:
        from . import council_hooks

        council_hooks.register()
