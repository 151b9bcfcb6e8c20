from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WeekConfig(AppConfig):
    name = "gvalley.week"
    label = "week"
    verbose_name = _("G-Valley Week")
