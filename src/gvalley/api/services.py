"""Open311 API keys: issue, revoke, check. Only a SHA-256 hash of a key is stored; the key is shown once."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gvalley.core.forms import plain_text
from gvalley.core.services import audit, snapshot

from .models import Open311Key

KEY_PREFIX = "gv311_"


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@transaction.atomic
def open311_key_issue(*, actor: Any, name: str) -> tuple[Open311Key, str]:
    """Create a key for the client ``name``; returns the record and the key (never stored in clear)."""
    name = plain_text(name or "")
    if not name:
        raise ValidationError({"name": _("Give the name of the client application.")})
    raw = KEY_PREFIX + secrets.token_urlsafe(32)
    key = Open311Key.objects.create(
        name=name[:100],
        prefix=raw[:12],
        api_key_hash=hash_key(raw),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit(actor=actor, action="open311.key.issue", obj=key, after=snapshot(key))
    return key, raw


@transaction.atomic
def open311_key_revoke(*, actor: Any, key: Open311Key) -> Open311Key:
    if key.revoked_at is not None:
        return key
    before = snapshot(key)
    key.revoked_at = timezone.now()
    key.save(update_fields=["revoked_at"])
    audit(actor=actor, action="open311.key.revoke", obj=key, before=before, after=snapshot(key))
    return key


def open311_key_check(raw: str | None) -> Open311Key | None:
    """The active key matching ``raw`` (looked up by its hash), or None."""
    if not raw or not raw.startswith(KEY_PREFIX) or len(raw) > 100:
        return None
    key = Open311Key.objects.filter(api_key_hash=hash_key(raw), revoked_at__isnull=True).first()
    if key is not None and not secrets.compare_digest(key.api_key_hash, hash_key(raw)):
        return None  # pragma: no cover - the lookup already matched the hash
    return key


def open311_key_used(*, key: Open311Key, posted: bool = False) -> None:
    values: dict[str, Any] = {"last_used_at": timezone.now()}
    if posted:
        values["requests_posted"] = F("requests_posted") + 1
    Open311Key.objects.filter(pk=key.pk).update(**values)
