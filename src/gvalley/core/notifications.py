"""E-mail notifications, rendered in the recipient's language and time zone.

A notification is two templates: ``<name>_subject.txt`` and ``<name>_body.txt`` (plain text). The
recipient's language is used while rendering so every ``{% translate %}`` comes out in their language.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation


@dataclass
class Attachment:
    filename: str
    content: bytes
    mimetype: str


@dataclass
class Recipient:
    email: str
    name: str = ""
    language: str = settings.LANGUAGE_CODE
    timezone: str = settings.TIME_ZONE

    @classmethod
    def from_user(cls, user: Any) -> Recipient:
        return cls(
            email=user.email,
            name=getattr(user, "name", "") or "",
            language=getattr(user, "language", "") or settings.LANGUAGE_CODE,
            timezone=getattr(user, "timezone", "") or settings.TIME_ZONE,
        )


def render_message(template: str, context: dict[str, Any], recipient: Recipient) -> tuple[str, str]:
    language = (
        recipient.language if recipient.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    )
    try:
        tz = zoneinfo.ZoneInfo(recipient.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    ctx = {"recipient": recipient, "SITE_URL": settings.SITE_URL, **context}
    with translation.override(language), timezone.override(tz):
        subject = render_to_string(f"{template}_subject.txt", ctx).strip()
        body = render_to_string(f"{template}_body.txt", ctx)
    return " ".join(subject.split()), body


def send(
    *,
    recipients: Sequence[Recipient],
    template: str,
    context: dict[str, Any],
    attachments: Sequence[Attachment] = (),
) -> int:
    """Send one message per recipient, each in its own language. Returns the number sent."""
    sent = 0
    for recipient in recipients:
        if not recipient.email:
            continue
        subject, body = render_message(template, context, recipient)
        message = EmailMessage(subject=subject, body=body, to=[recipient.email])
        for att in attachments:
            message.attach(att.filename, att.content, att.mimetype)
        sent += message.send()
    return sent
