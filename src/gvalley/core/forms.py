"""Form helpers: KRDS classes on widgets, accessible error linking, text sanitising, upload checks."""

from __future__ import annotations

from typing import Any

import nh3
from django import forms

from .validators import DOCUMENT_TYPES, validate_upload


def plain_text(value: str) -> str:
    """Neutralise HTML in a plain-text field: tags are removed, text is kept (also used by services)."""
    if not value:
        return value
    cleaned = nh3.clean(value, tags=set(), attributes={}, strip_comments=True)
    # nh3 escapes &, < and > in text; plain-text fields are escaped again on output, so undo that here.
    return cleaned.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").strip()


class KRDSFormMixin:
    """Adds KRDS classes to widgets and links each field to its help text and error message."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)):
                continue
            css = "krds-form-select" if isinstance(widget, forms.Select) else "krds-input"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name, errors in getattr(self, "_errors", {}).items():
            if name not in self.fields or not errors:
                continue
            bound = self[name]  # type: ignore[index]
            widget = self.fields[name].widget
            widget.attrs["aria-invalid"] = "true"
            ids = [f"{bound.auto_id}_error"]
            if self.fields[name].help_text:
                ids.append(f"{bound.auto_id}_helptext")
            widget.attrs["aria-describedby"] = " ".join(ids)


class Form(KRDSFormMixin, forms.Form):
    pass


class ModelForm(KRDSFormMixin, forms.ModelForm):
    pass


class PlainTextField(forms.CharField):
    """A CharField whose value has any HTML neutralised."""

    def to_python(self, value: Any) -> str:
        return plain_text(super().to_python(value))


class CheckedFileField(forms.FileField):
    """A file field that checks size and real content type."""

    def __init__(
        self, *args: Any, allowed: tuple[str, ...] = DOCUMENT_TYPES, max_bytes: int | None = None, **kw: Any
    ):
        self.allowed = allowed
        self.max_bytes = max_bytes
        super().__init__(*args, **kw)
        self.widget.attrs.setdefault("accept", ",".join("." + ext for ext in allowed))

    def clean(self, data: Any, initial: Any = None) -> Any:
        value = super().clean(data, initial)
        if value and hasattr(value, "read"):
            validate_upload(value, allowed=self.allowed, max_bytes=self.max_bytes)
        return value
