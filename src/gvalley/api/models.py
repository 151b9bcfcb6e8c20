"""Open311 API keys: issued by the operator (UI or ``manage.py open311_key NAME``); only a hash is stored."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Open311Key(models.Model):
    """A key that lets an Open311 client post requests. The key itself is shown once, at creation."""

    name = models.CharField(_("client name"), max_length=100)
    prefix = models.CharField(_("key prefix"), max_length=12, db_index=True)
    api_key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("issued"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    requests_posted = models.PositiveIntegerField(_("requests posted"), default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("Open311 API key")
        verbose_name_plural = _("Open311 API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
