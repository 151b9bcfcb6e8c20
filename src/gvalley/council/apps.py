from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilConfig(AppConfig):
    name = "gvalley.council"
    label = "council"
    verbose_name = _("Development council")
    operator_links = [
        ("council:meeting_create", _("Schedule a council meeting"), "council.manage"),
        ("council:seats_manage", _("Council seats"), "council.manage"),
        ("council:agenda_list", _("Council agenda items"), "council.manage"),
        ("council:action_list", _("Council action items"), "council.manage"),
        ("council:plan_import", _("Import yearly-plan lines"), "council.import_plan"),
    ]

    def ready(self) -> None:
        from . import metrics

        metrics.register_council_metrics()
