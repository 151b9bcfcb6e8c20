from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchmakingConfig(AppConfig):
    name = "gvalley.matchmaking"
    label = "matchmaking"
    verbose_name = _("Export consultation")
    operator_links = [
        (
            "matchmaking:home",
            _("Export consultations: set-up, pairs, schedule and results"),
            "matchmaking.view_organiser_home",
        ),
    ]

    def ready(self) -> None:
        from gvalley.week.registry import register_programme_page

        register_programme_page(
            "export_consultation", "matchmaking:programme", _("Go to the export consultation")
        )
