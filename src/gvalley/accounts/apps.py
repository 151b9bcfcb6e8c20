from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "gvalley.accounts"
    label = "accounts"
    verbose_name = _("Accounts")
    operator_links = [
        ("accounts:user_list", _("People and roles"), "accounts.manage_users"),
        ("accounts:audit_log", _("Audit log"), "accounts.view_audit_log"),
        ("accounts:access_log", _("Personal data access log"), "accounts.view_access_log"),
        ("accounts:consent_list", _("Consent records"), "accounts.view_consents"),
    ]
