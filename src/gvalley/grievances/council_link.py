"""The link into the council chain (issue 3): escalating a request, or a recurring issue, as ONE agenda item
through ``council.services.agenda_item_propose``, in the same transaction as the link on our side."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gvalley.core.forms import Form, PlainTextField
from gvalley.core.services import audit

from .models import Cluster, Event, Request


def council_available() -> bool:
    try:
        from gvalley.council.models import Council  # noqa: F401
        from gvalley.council.services import agenda_item_propose  # noqa: F401
    except ImportError:  # pragma: no cover - the council app is part of the project
        return False
    return True


class CouncilChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.bilingual("name", "en" if _is_en() else "ko")


def _is_en() -> bool:
    from django.utils.translation import get_language

    return get_language() == "en"


class EscalateForm(Form):
    council = CouncilChoiceField(label=gettext_lazy("Council"), queryset=None)  # type: ignore[arg-type]
    title = PlainTextField(label=gettext_lazy("Title of the agenda item"), max_length=300)
    description = PlainTextField(
        label=gettext_lazy("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from gvalley.council.models import Council

        super().__init__(*args, **kwargs)
        field = self.fields["council"]
        field.queryset = Council.objects.order_by("order", "id")  # type: ignore[attr-defined]
        first = field.queryset.first()  # type: ignore[attr-defined]
        if first is not None and not self.is_bound:
            self.initial.setdefault("council", first.pk)


def _propose(*, actor: Any, council: Any, title: str, description: str, source_note: str) -> Any:
    from gvalley.council.models import AgendaItem
    from gvalley.council.services import agenda_item_propose

    return agenda_item_propose(
        actor=actor,
        council=council,
        title=title,
        description=description,
        origin=AgendaItem.Origin.REQUEST,
        source_note=source_note[:300],
    )


@transaction.atomic
def escalate_request(*, actor: Any, request: Request, council: Any, title: str, description: str = "") -> Any:
    """Escalate one request to the council as an agenda item (linking ``request.agenda_item``)."""
    from django.core.exceptions import ValidationError

    if request.agenda_item_id:
        raise ValidationError(_("This request is already on the council's agenda."))
    if request.status == Request.Status.MERGED:
        raise ValidationError(_("A merged request is escalated through the request it was merged into."))
    item = _propose(
        actor=actor,
        council=council,
        title=title,
        description=description,
        source_note=_("Request %(n)s") % {"n": request.tracking_number},
    )
    before = {"agenda_item": None}
    request.agenda_item = item
    request.save(update_fields=["agenda_item", "updated_at"])
    Event.objects.create(
        request=request,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        kind=Event.Kind.ESCALATED,
        # public (the tracking page): the item's own title stays with the item, which has its own visibility
        note_key="escalated",
        note_params={"council": council.name, "council_en": council.name_en},
        public=True,
    )
    audit(
        actor=actor,
        action="grievances.request.escalate",
        obj=request,
        before=before,
        after={"agenda_item": item.pk},
    )
    return item


@transaction.atomic
def escalate_cluster(*, actor: Any, cluster: Cluster, council: Any, title: str, description: str = "") -> Any:
    """Offer a recurring issue (several requests and visits) to the council as ONE agenda item."""
    from django.core.exceptions import ValidationError

    if cluster.agenda_item_id:
        raise ValidationError(_("This recurring issue is already on the council's agenda."))
    requests = list(cluster.requests.all())
    numbers = ", ".join(r.tracking_number for r in requests[:20])
    item = _propose(
        actor=actor,
        council=council,
        title=title,
        description=description,
        source_note=_("Recurring issue: %(n)d requests (%(numbers)s)")
        % {"n": len(requests), "numbers": numbers},
    )
    cluster.agenda_item = item
    cluster.status = Cluster.Status.ESCALATED
    cluster.save(update_fields=["agenda_item", "status", "updated_at"])
    for req in requests:
        if req.agenda_item_id is None:
            req.agenda_item = item
            req.save(update_fields=["agenda_item", "updated_at"])
            Event.objects.create(
                request=req,
                actor=actor if getattr(actor, "is_authenticated", False) else None,
                kind=Event.Kind.ESCALATED,
                note_key="escalated_cluster",
                note_params={"council": council.name, "council_en": council.name_en},
                public=True,
            )
    audit(
        actor=actor,
        action="grievances.cluster.escalate",
        obj=cluster,
        after={"agenda_item": item.pk, "requests": [r.pk for r in requests]},
    )
    return item
