from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "gvalley.directory"
    label = "directory"
    verbose_name = _("Company directory")
    operator_links = [("directory:import", _("Import companies and buildings"), "directory.import_companies")]
