"""Operator page for Open311 API keys (routed under /requests/staff/ so the staff second factor applies)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gvalley.core.forms import Form, PlainTextField

from .models import Open311Key
from .services import open311_key_issue, open311_key_revoke


class KeyForm(Form):
    name = PlainTextField(label=gettext_lazy("Client application"), max_length=100)


@login_required
def key_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("grievances.manage_api_keys"):
        raise PermissionDenied
    form = KeyForm(request.POST if request.POST.get("action") == "issue" else None)
    new_key = None
    if request.method == "POST":
        if request.POST.get("action") == "issue" and form.is_valid():
            try:
                key, new_key = open311_key_issue(actor=request.user, name=form.cleaned_data["name"])
            except ValidationError as exc:
                form.add_error("name", exc)
            else:
                form = KeyForm()
        elif request.POST.get("action") == "revoke":
            key = get_object_or_404(Open311Key, pk=request.POST.get("key"))
            open311_key_revoke(actor=request.user, key=key)
            messages.success(request, _("The key is revoked."))
            return redirect("grievances:open311_keys")
    keys = Open311Key.objects.select_related("created_by").order_by("-created_at")
    return render(request, "api/key_list.html", {"form": form, "keys": keys, "new_key": new_key})
