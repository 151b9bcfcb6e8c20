from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from gvalley.core.forms import CheckedFileField, Form

from .models import Building, Company
from .selectors import CompanyFilters


class CompanyFilterForm(Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    complex = forms.TypedChoiceField(label=_("Complex"), required=False, coerce=int, empty_value=None)
    division = forms.ChoiceField(label=_("Industry"), required=False)
    building = forms.TypedChoiceField(label=_("Building"), required=False, coerce=int, empty_value=None)
    size = forms.ChoiceField(
        label=_("Size"), required=False, choices=[("", _("All sizes")), *Company.Size.choices]
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("name", _("Name")),
            ("-employees", _("Most employees")),
            ("employees", _("Fewest employees")),
        ],
    )

    def __init__(self, *args: Any, options: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        en = get_language() == "en"
        self.fields["complex"].choices = [("", _("All complexes"))] + [
            (n, name_en if en else name) for n, name, name_en in options["complexes"]
        ]
        self.fields["division"].choices = [("", _("All industries"))] + [
            (code, f"{code} {name_en if en else name}") for code, name, name_en in options["divisions"]
        ]
        self.fields["building"].choices = [("", _("All buildings"))] + [
            (pk, (name_en or name) if en else name) for pk, name, name_en, _c in options["buildings"]
        ]

    def filters(self) -> CompanyFilters:
        if not self.is_valid():
            return CompanyFilters()
        d = self.cleaned_data
        return CompanyFilters(
            q=d.get("q") or "",
            complex=d.get("complex"),
            division=d.get("division") or "",
            building=d.get("building"),
            size=d.get("size") or "",
            sort=d.get("sort") or "name",
        )


class ImportForm(Form):
    file = CheckedFileField(
        label=_("File (.xlsx or .csv)"),
        allowed=("xlsx", "csv"),
        max_bytes=20 * 1024 * 1024,
        help_text=_("The format of a KICOX tenant export; see the import guide. At most 20 MB."),
    )
    update_existing = forms.BooleanField(
        label=_("Update companies that are already registered (same business registration number)"),
        required=False,
    )


class BuildingFilterForm(Form):
    complex = forms.TypedChoiceField(
        label=_("Complex"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("All complexes")), (1, _("Complex 1")), (2, _("Complex 2")), (3, _("Complex 3"))],
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *Building.Status.choices]
    )
