"""Upload checks: size and real file type (by content, not by the name the user gave)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Signatures of the types we accept: extension → (magic bytes at offset 0, ...)
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
    "webp": (b"RIFF",),
    "xlsx": (b"PK\x03\x04",),
    "docx": (b"PK\x03\x04",),
    "pptx": (b"PK\x03\x04",),
    "hwpx": (b"PK\x03\x04",),
    "hwp": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    "zip": (b"PK\x03\x04",),
    "csv": (),
    "txt": (),
}
IMAGE_TYPES = ("png", "jpg", "jpeg", "gif", "webp")
DOCUMENT_TYPES = ("pdf", "hwp", "hwpx", "docx", "xlsx", "pptx", "png", "jpg", "jpeg", "txt")


def validate_upload(
    upload: UploadedFile, *, allowed: tuple[str, ...] = DOCUMENT_TYPES, max_bytes: int | None = None
) -> str:
    """Raise a translated ValidationError if the file is too big or not of an allowed type; return its type."""
    limit = max_bytes or settings.GVALLEY_UPLOAD_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s). The limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="file_too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="file_empty")
    name = (upload.name or "").lower()
    ext = name.rsplit(".", 1)[-1] if "." in name else ""
    if ext not in allowed:
        raise ValidationError(
            _("Files of this type are not accepted. Allowed types: %(types)s.")
            % {"types": ", ".join(allowed)},
            code="file_type",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    signatures = SIGNATURES.get(ext, ())
    if signatures and not any(head.startswith(sig) for sig in signatures):
        raise ValidationError(
            _("The file's content does not match its type (.%(ext)s).") % {"ext": ext}, code="file_content"
        )
    if ext in ("csv", "txt") and b"\x00" in head:
        raise ValidationError(_("The file's content does not match its type (.%(ext)s).") % {"ext": ext})
    return ext
