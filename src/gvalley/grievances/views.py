"""Pages of the grievances app: intake, tracking, the staff queue and handling, visits, dashboard."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gvalley.accounts.models import Role
from gvalley.core import exports
from gvalley.core.models import AccessLog
from gvalley.core.paginate import paginate
from gvalley.core.services import job_create, log_access

from . import selectors, services, tasks
from .forms import (
    AnswerForm,
    AnswerTemplateForm,
    AssignForm,
    CategoryCreateForm,
    CategoryForm,
    CloseForm,
    ClusterForm,
    DashboardFilterForm,
    HolidayForm,
    JointForm,
    MergeForm,
    NoteForm,
    OnBehalfForm,
    PhotoForm,
    QuestionEditForm,
    QuestionForm,
    QueueFilterForm,
    ReasonForm,
    RequestForm,
    StatusForm,
    SupportByEmailForm,
    SurveyForm,
    TemplateChoiceForm,
    TrackForm,
    TransferForm,
    VisitFilterForm,
    VisitForm,
    VisitPlanForm,
    VisitRequestForm,
)
from .models import (
    AdhocHoliday,
    AnswerTemplate,
    Attachment,
    Category,
    Cluster,
    Question,
    Request,
    Visit,
    VisitPhoto,
)

PER_PAGE = 20


def _require(request: HttpRequest, perm: str, obj: Any = None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _apply_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            if field == "organisations" and "organisations" not in form.fields:
                target = None
            form.add_error(target, errors)
    else:
        form.add_error(None, exc)


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _lang() -> str:
    return "en" if get_language() == "en" else "ko"


# --- Public pages ---------------------------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    year = timezone.localdate().year
    # The public figures are cached for five minutes (a hot public page).
    stats = cache.get_or_set(
        "grievances:home-stats", lambda: selectors.dashboard(selectors.DashboardFilters())["total"], 300
    )
    return render(
        request,
        "grievances/home.html",
        {
            "categories": selectors.category_list(),
            "stats": stats,
            "year": year,
            "track_form": TrackForm(),
        },
    )


def file_start(request: HttpRequest) -> HttpResponse:
    return render(
        request, "grievances/file_start.html", {"categories": selectors.category_list(), "on_behalf": False}
    )


def _user_companies(user: Any) -> Any:
    from gvalley.directory.models import Company

    from .rules import company_rep_organisations

    orgs = company_rep_organisations(user)
    return (
        Company.objects.filter(organisation_id__in=orgs).order_by("name") if orgs else Company.objects.none()
    )


def _location(form: Any) -> services.Location:
    d = form.cleaned_data
    return services.Location(
        complex=d.get("complex"),
        building=d.get("building"),
        address=d.get("address") or "",
        map_x=d.get("map_x"),
        map_y=d.get("map_y"),
    )


def _similar_for(form: Any) -> list[Request]:
    text = f"{form.data.get('title', '')}\n{form.data.get('description', '')}".strip()
    return selectors.similar_requests(text=text, k=3) if text else []


def file_request(request: HttpRequest, code: str) -> HttpResponse:
    try:
        category = selectors.category_get(code=code)
    except Category.DoesNotExist:
        raise Http404
    user = request.user
    initial: dict[str, Any] = {"filer_type": Request.FilerType.CITIZEN}
    companies = None
    if user.is_authenticated:
        companies = _user_companies(user)
        initial.update({"contact_name": user.name, "contact_email": user.email, "contact_phone": user.phone})
        if user.has_role(Role.WORKER):
            initial["filer_type"] = Request.FilerType.WORKER
        if companies.exists():
            initial["filer_type"] = Request.FilerType.COMPANY
            initial["company"] = companies.first()
    form = RequestForm(
        request.POST or None, request.FILES or None, category=category, companies=companies, initial=initial
    )
    similar: list[Request] = []
    if request.method == "POST" and "check_similar" in request.POST:
        # Without JavaScript: show the similar requests and the form again as typed; nothing is saved.
        similar = _similar_for(form)
        values = {
            k: (v if len(v) > 1 else v[0]) for k, v in request.POST.lists() if k != "csrfmiddlewaretoken"
        }
        form = RequestForm(category=category, companies=companies, initial=values)
    elif request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            req = services.request_submit(
                actor=user,
                category=category,
                title=d["title"],
                description=d["description"],
                filer_type=d["filer_type"],
                contact_name=d["contact_name"],
                contact_email=d["contact_email"],
                contact_phone=d["contact_phone"],
                contact_organisation=d["contact_organisation"],
                language=_lang(),
                anonymous=d["anonymous"],
                company=d.get("company") if d["filer_type"] == Request.FilerType.COMPANY else None,
                location=_location(form),
                attributes=form.attribute_values(),
                attachments=d.get("attachments") or [],
                consent=d["consent"],
                ip_address=_client_ip(request),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Your request is filed. Its tracking number is %(n)s — keep it to follow the request.")
                % {"n": req.tracking_number},
            )
            return redirect("grievances:track_detail", number=req.tracking_number)
    elif request.method == "POST":
        similar = _similar_for(form)
    from gvalley.accounts.models import PrivacyNotice

    notice = (
        PrivacyNotice.objects.filter(purpose=PrivacyNotice.Purpose.REQUEST).order_by("-published_at").first()
    )
    return render(
        request,
        "grievances/file.html",
        {"form": form, "category": category, "similar": similar, "notice": notice, "on_behalf": False},
    )


def similar(request: HttpRequest) -> HttpResponse:
    """The "similar requests" panel (htmx partial): the 3 most similar requests to the draft."""
    source = request.POST if request.method == "POST" else request.GET
    text = f"{source.get('title', '')}\n{source.get('description', '')}".strip()
    items = selectors.similar_requests(text=text[:6000], k=3) if len(text) >= 4 else []
    return render(request, "grievances/_similar.html", {"similar": items, "checked": bool(text)})


@require_POST
def support(request: HttpRequest, pk: int) -> HttpResponse:
    req = get_object_or_404(Request, pk=pk)
    if not request.user.is_authenticated:  # without an account: by a confirmed e-mail address
        return redirect("grievances:support_email", pk=req.pk)
    try:
        services.request_support(actor=request.user, request=req)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("You joined this request. You will see its progress on this page."))
    target = req.merged_into if req.merged_into_id else req
    return redirect("grievances:track_detail", number=target.tracking_number)


def support_email(request: HttpRequest, pk: int) -> HttpResponse:
    """'Me too' without an account: an address and the consent; a link is e-mailed, the support counts when opened."""
    from gvalley.accounts.models import PrivacyNotice
    from gvalley.accounts.services import current_notice

    req = get_object_or_404(Request.objects.select_related("category"), pk=pk)
    target = req.merged_into if req.merged_into_id else req
    assert target is not None
    form = SupportByEmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_support_by_email(
                request=target,
                email=form.cleaned_data["email"],
                consent=form.cleaned_data["consent"],
                language=get_language() or settings.LANGUAGE_CODE,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("We sent a link to %(email)s. Open it within three days to join this request.")
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("grievances:track_detail", number=target.tracking_number)
    try:
        notice = current_notice(PrivacyNotice.Purpose.REQUEST)
    except ValidationError:
        notice = None
    return render(request, "grievances/support_email.html", {"req": target, "form": form, "notice": notice})


def support_confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        support, new = services.request_support_confirm(token=token)
    except ValidationError as exc:
        return render(request, "grievances/support_invalid.html", {"errors": exc.messages}, status=400)
    if new:
        messages.success(request, _("Thank you: you joined this request. You can follow it on this page."))
    else:
        messages.info(request, _("You had already joined this request."))
    return redirect("grievances:track_detail", number=support.request.tracking_number)


def track(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.GET or None)
    if form.is_valid():
        number = services.normalise_tracking_number(form.cleaned_data["number"])
        if Request.objects.filter(tracking_number=number).exists():
            return redirect("grievances:track_detail", number=number)
        form.add_error("number", _("No request has this tracking number. Check it and try again."))
    return render(request, "grievances/track.html", {"form": form})


def track_detail(request: HttpRequest, number: str) -> HttpResponse:
    try:
        req = selectors.public_request(tracking_number=services.normalise_tracking_number(number))
    except Request.DoesNotExist:
        raise Http404
    answers = list(req.answers.all())
    return render(
        request,
        "grievances/track_detail.html",
        {
            "req": req,
            "events": list(req.events.all()),
            "answer": answers[-1] if answers else None,
            "joint": list(req.joint_organisations.all()),
            "can_view": request.user.is_authenticated
            and request.user.has_perm("grievances.view_request", req),
            # The public page links only into what is public in the council, whoever looks at it.
            "chain": selectors.council_chain(request=req, user=AnonymousUser()),
            "now": timezone.now(),
        },
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    ctx = paginate(request, selectors.my_requests(user=request.user), PER_PAGE)
    company_qs = selectors.company_requests(user=request.user)
    return render(
        request,
        "grievances/mine.html",
        {**ctx, "company_requests": company_qs[:50], "now": timezone.now()},
    )


def survey(request: HttpRequest, token: str) -> HttpResponse:
    """The satisfaction survey from the closing e-mail (no log-in needed); one-click reopen."""
    try:
        req, round_ = services.survey_request_from_token(token)
    except ValidationError as exc:
        return render(request, "grievances/survey_invalid.html", {"errors": exc.messages}, status=400)
    posted = request.POST.get("action") if request.method == "POST" else None
    form = SurveyForm(request.POST if posted == "rate" else None)
    reopen_form = ReasonForm(request.POST if posted == "reopen" else None, prefix="reopen")
    if posted == "reopen":
        if reopen_form.is_valid():
            try:
                services.request_reopen(
                    actor=request.user, request=req, reason=reopen_form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Your request is reopened and will be handled again."))
            return redirect("grievances:track_detail", number=req.tracking_number)
    elif posted == "rate" and form.is_valid():
        try:
            services.satisfaction_submit(
                actor=request.user,
                request=req,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
                round=round_,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Thank you for your answer."))
            return redirect("grievances:track_detail", number=req.tracking_number)
    already = req.ratings.filter(round=round_).exists()
    return render(
        request,
        "grievances/survey.html",
        {"req": req, "form": form, "reopen_form": reopen_form, "already": already},
    )


def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    att = get_object_or_404(Attachment.objects.select_related("request", "request__company"), pk=pk)
    if not request.user.is_authenticated or not request.user.has_perm("grievances.view_attachment", att):
        raise PermissionDenied
    try:
        handle = att.file.open("rb")
    except FileNotFoundError:
        raise Http404
    return FileResponse(handle, as_attachment=True, filename=att.original_name)


# --- Request detail and actions -------------------------------------------------------------------------


def _detail_context(
    request: HttpRequest, req: Request, forms: dict[str, Any] | None = None
) -> dict[str, Any]:
    user = request.user
    perms = {
        name: user.has_perm(f"grievances.{name}", req)
        for name in (
            "view_identity",
            "triage",
            "transfer",
            "set_joint",
            "change_status",
            "answer",
            "close",
            "add_note",
            "reopen",
            "rate",
            "merge",
            "escalate",
        )
    }
    unmask = perms["view_identity"] and request.GET.get("unmask") == "1" and user.pk != req.filer_id
    if unmask:
        log_access(
            actor=user,
            kind=AccessLog.Kind.UNMASK,
            subject=f"grievance request {req.tracking_number}",
            fields=["contact_name", "contact_email", "contact_phone"],
            purpose="handling the request",
            request=request,
        )
    forms = forms or {}
    org_ids = [req.responsible_organisation_id] if req.responsible_organisation_id else []
    handlers = selectors.handlers_of(org_ids) if org_ids else None
    template_form = TemplateChoiceForm(
        request.GET if "template" in request.GET else None,
        templates=selectors.answer_templates(category=req.category),
    )
    answer_initial: dict[str, Any] = {}
    if template_form.is_bound and template_form.is_valid():
        t = template_form.cleaned_data["template"]
        answer_initial = {"outcome": t.outcome, "body": t.body, "reason": t.reason, "remedy": t.remedy}
    is_staff = user.has_perm("grievances.view_queue")
    duplicates = (
        selectors.possible_duplicates(request=req)
        if perms["merge"] and req.status != Request.Status.MERGED
        else []
    )
    merge_candidates = Request.objects.filter(pk__in=[d.pk for d in duplicates])
    answers = list(req.answers.all())
    current_round = len(answers)
    rated = any(r.round == current_round for r in req.ratings.all())
    questions = {q.code: q for q in req.category.questions.all()}
    attribute_rows = []
    for code, value in (req.attributes or {}).items():
        q = questions.get(code)
        label = q.display_label(_lang()) if q else code
        if q and q.choices:
            names = dict(q.choice_pairs(_lang()))
            value = (
                ", ".join(names.get(v, v) for v in value)
                if isinstance(value, list)
                else names.get(value, value)
            )
        attribute_rows.append((label, value))
    return {
        "req": req,
        "can": perms,
        "can_manage_clusters": user.has_perm("grievances.manage_clusters"),
        "is_staff": is_staff,
        "unmask": unmask,
        "events": selectors.request_history(request=req, user=user, unmask=unmask),
        "chain": selectors.council_chain(request=req, user=user),
        "answers": answers,
        "attribute_rows": attribute_rows,
        "rated": rated,
        "duplicates": duplicates,
        "survey_form": forms.get("rate") or SurveyForm(),
        "assign_form": forms.get("assign")
        or AssignForm(
            handlers=handlers,
            initial={"organisation": req.responsible_organisation_id, "handler": req.handler_id},
        ),
        "transfer_form": forms.get("transfer") or TransferForm(),
        "joint_form": forms.get("joint")
        or JointForm(initial={"organisations": [o.pk for o in req.joint_organisations.all()]}),
        "status_form": forms.get("status")
        or StatusForm(initial={"action_plan": req.action_plan, "action_due_on": req.action_due_on}),
        "answer_form": forms.get("answer") or AnswerForm(initial=answer_initial),
        "template_form": template_form,
        "close_form": forms.get("close") or CloseForm(),
        "reopen_form": forms.get("reopen") or ReasonForm(prefix="reopen"),
        "note_form": forms.get("note") or NoteForm(),
        "merge_form": forms.get("merge") or MergeForm(candidates=merge_candidates),
        "escalate_form": forms.get("escalate") or _escalate_form(req),
        "now": timezone.now(),
    }


def _escalate_form(req: Request) -> Any:
    from .council_link import EscalateForm, council_available

    if not council_available():
        return None
    return EscalateForm(initial={"title": req.title, "description": req.description[:2000]})


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        req = selectors.request_detail(pk=pk)
    except Request.DoesNotExist:
        raise Http404
    _require(request, "grievances.view_request", req)
    return render(request, "grievances/detail.html", _detail_context(request, req))


ACTIONS = {
    "assign": "triage",
    "transfer": "transfer",
    "joint": "set_joint",
    "status": "change_status",
    "answer": "answer",
    "close": "close",
    "reopen": "reopen",
    "note": "add_note",
    "merge": "merge",
    "rate": "rate",
    "escalate": "escalate",
}


@login_required
@require_POST
def action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    if name not in ACTIONS:
        raise Http404
    try:
        req = selectors.request_detail(pk=pk)
    except Request.DoesNotExist:
        raise Http404
    _require(request, f"grievances.{ACTIONS[name]}", req)
    user = request.user
    form: Any = None
    done = ""
    try:
        if name == "assign":
            org_ids = (
                [int(request.POST["organisation"])] if request.POST.get("organisation", "").isdigit() else []
            )
            form = AssignForm(request.POST, handlers=selectors.handlers_of(org_ids))
            if form.is_valid():
                services.request_assign(
                    actor=user,
                    request=req,
                    organisation=form.cleaned_data["organisation"],
                    handler=form.cleaned_data["handler"],
                    note=form.cleaned_data["note"],
                )
                done = _("The request is assigned.")
        elif name == "transfer":
            form = TransferForm(request.POST)
            if form.is_valid():
                services.request_transfer(
                    actor=user,
                    request=req,
                    organisation=form.cleaned_data["organisation"],
                    reason=form.cleaned_data["reason"],
                )
                done = _("The request is transferred.")
        elif name == "joint":
            form = JointForm(request.POST)
            if form.is_valid():
                services.request_set_joint(
                    actor=user, request=req, organisations=form.cleaned_data["organisations"]
                )
                done = _("Joint handling is saved.")
        elif name == "status":
            form = StatusForm(request.POST)
            if form.is_valid():
                services.request_change_status(
                    actor=user,
                    request=req,
                    status=form.cleaned_data["status"],
                    note=form.cleaned_data["note"],
                    action_plan=form.cleaned_data["action_plan"],
                    action_due_on=form.cleaned_data["action_due_on"],
                )
                done = _("The status is changed.")
        elif name == "answer":
            form = AnswerForm(request.POST)
            if form.is_valid():
                services.request_answer(actor=user, request=req, **form.cleaned_data)
                done = _("The answer is sent to the filer.")
        elif name == "close":
            form = CloseForm(request.POST)
            if form.is_valid():
                services.request_close(actor=user, request=req, note=form.cleaned_data["note"])
                done = _("The request is closed; the filer gets the satisfaction survey.")
        elif name == "reopen":
            form = ReasonForm(request.POST, prefix="reopen")
            if form.is_valid():
                services.request_reopen(actor=user, request=req, reason=form.cleaned_data["reason"])
                done = _("The request is reopened.")
        elif name == "note":
            form = NoteForm(request.POST)
            if form.is_valid():
                services.request_add_note(
                    actor=user,
                    request=req,
                    note=form.cleaned_data["note"],
                    public=form.cleaned_data["public"],
                )
                done = _("The note is saved.")
        elif name == "merge":
            candidates = Request.objects.exclude(pk=req.pk)
            form = MergeForm(request.POST, candidates=candidates)
            if form.is_valid():
                services.request_merge(
                    actor=user,
                    primary=req,
                    duplicates=form.cleaned_data["requests"],
                    note=form.cleaned_data["note"],
                )
                done = _("The requests are merged into this one.")
        elif name == "rate":
            form = SurveyForm(request.POST)
            if form.is_valid():
                services.satisfaction_submit(
                    actor=user,
                    request=req,
                    score=form.cleaned_data["score"],
                    comment=form.cleaned_data["comment"],
                )
                done = _("Thank you for your answer.")
        elif name == "escalate":
            from .council_link import EscalateForm, escalate_request

            form = EscalateForm(request.POST)
            if form.is_valid():
                escalate_request(actor=user, request=req, **form.cleaned_data)
                done = _("The request is proposed to the council as an agenda item.")
    except ValidationError as exc:
        if form is not None:
            _apply_errors(form, exc)
        else:
            messages.error(request, " ".join(exc.messages))
    if done:
        messages.success(request, done)
        return redirect("grievances:detail", pk=pk)
    messages.error(request, _("The form has problems; see below."))
    req = selectors.request_detail(pk=pk)
    return render(request, "grievances/detail.html", _detail_context(request, req, {name: form}), status=400)


# --- Staff: queue and on behalf --------------------------------------------------------------------------


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    _require(request, "grievances.view_queue")
    user = request.user
    if user.has_role(Role.OPERATOR, Role.SECRETARIAT):
        organisations = selectors.responsible_organisations()
    else:
        organisations = selectors.responsible_organisations().filter(
            pk__in=services.handler_organisations(user)
        )
    form = QueueFilterForm(
        request.GET or None, organisations=organisations, categories=Category.objects.order_by("order")
    )
    qs = selectors.request_queue(user=user, filters=form.filters())
    ctx = {
        **paginate(request, qs, PER_PAGE),
        "form": form,
        "counts": selectors.queue_counts(user=user),
        "now": timezone.now(),
    }
    template = "grievances/_queue_results.html" if request.htmx else "grievances/queue.html"
    return render(request, template, ctx)


@login_required
def on_behalf_start(request: HttpRequest) -> HttpResponse:
    _require(request, "grievances.file_on_behalf")
    return render(
        request, "grievances/file_start.html", {"categories": selectors.category_list(), "on_behalf": True}
    )


@login_required
def on_behalf(request: HttpRequest, code: str) -> HttpResponse:
    _require(request, "grievances.file_on_behalf")
    try:
        category = selectors.category_get(code=code)
    except Category.DoesNotExist:
        raise Http404
    form = OnBehalfForm(
        request.POST or None,
        request.FILES or None,
        category=category,
        initial={"filer_type": Request.FilerType.COMPANY},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            req = services.request_submit(
                actor=request.user,
                category=category,
                title=d["title"],
                description=d["description"],
                filer_type=d["filer_type"],
                contact_name=d["contact_name"],
                contact_email=d["contact_email"],
                contact_phone=d["contact_phone"],
                contact_organisation=d["contact_organisation"],
                language=_lang(),
                anonymous=d["anonymous"],
                company=d.get("company_lookup"),
                location=_location(form),
                attributes=form.attribute_values(),
                attachments=d.get("attachments") or [],
                channel=d["channel"],
                consent=d["consent"],
                received_at=d["received_at"],
                on_behalf=True,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The request %(n)s is filed.") % {"n": req.tracking_number})
            return redirect("grievances:detail", pk=req.pk)
    return render(
        request,
        "grievances/file.html",
        {"form": form, "category": category, "similar": [], "on_behalf": True},
    )


# --- Staff: categories, templates, holidays --------------------------------------------------------------


@login_required
def category_list(request: HttpRequest) -> HttpResponse:
    _require(request, "grievances.manage_categories")
    return render(
        request, "grievances/category_list.html", {"categories": selectors.category_list(active_only=False)}
    )


@login_required
def category_new(request: HttpRequest) -> HttpResponse:
    _require(request, "grievances.manage_categories")
    form = CategoryCreateForm(request.POST or None, initial={"is_active": True})
    if request.method == "POST" and form.is_valid():
        try:
            category = services.category_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The category is created. Add its extra questions below."))
            return redirect("grievances:category_edit", pk=category.pk)
    return render(request, "grievances/category_new.html", {"form": form})


@login_required
def question_edit(request: HttpRequest, pk: int, question: int) -> HttpResponse:
    _require(request, "grievances.manage_categories")
    category = get_object_or_404(Category, pk=pk)
    q = get_object_or_404(Question, pk=question, category=category)
    form = QuestionEditForm(request.POST or None, initial=QuestionEditForm.initial_for(q))
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        d.pop("choices_text")
        try:
            services.question_update(actor=request.user, question=q, choices=form.choices(), **d)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The question is saved."))
            return redirect("grievances:category_edit", pk=pk)
    return render(
        request, "grievances/question_edit.html", {"category": category, "question": q, "form": form}
    )


@login_required
def category_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "grievances.manage_categories")
    category = get_object_or_404(Category, pk=pk)
    form = CategoryForm(
        request.POST if request.POST.get("action") == "category" else None,
        initial={
            "name": category.name,
            "name_en": category.name_en,
            "description": category.description,
            "description_en": category.description_en,
            "kind": category.kind,
            "period": category.period,
            "default_organisation": category.default_organisation_id,
            "is_active": category.is_active,
        },
    )
    qform = QuestionForm(request.POST if request.POST.get("action") == "question" else None, prefix="q")
    if request.method == "POST":
        try:
            if request.POST.get("action") == "category" and form.is_valid():
                services.category_update(actor=request.user, category=category, **form.cleaned_data)
                messages.success(request, _("The category is saved."))
                return redirect("grievances:category_edit", pk=pk)
            if request.POST.get("action") == "question" and qform.is_valid():
                d = dict(qform.cleaned_data)
                d.pop("choices_text")
                services.question_create(actor=request.user, category=category, choices=qform.choices(), **d)
                messages.success(request, _("The question is added."))
                return redirect("grievances:category_edit", pk=pk)
            if request.POST.get("action") == "delete_question":
                question = get_object_or_404(Question, pk=request.POST.get("question"), category=category)
                services.question_delete(actor=request.user, question=question)
                messages.success(request, _("The question is deleted."))
                return redirect("grievances:category_edit", pk=pk)
        except ValidationError as exc:
            _apply_errors(qform if request.POST.get("action") == "question" else form, exc)
    return render(
        request,
        "grievances/category_edit.html",
        {
            "category": category,
            "form": form,
            "qform": qform,
            "questions": category.questions.order_by("order", "id"),
        },
    )


@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    _require(request, "grievances.manage_templates")
    qs = AnswerTemplate.objects.select_related("category").order_by("category__order", "title")
    return render(request, "grievances/template_list.html", paginate(request, qs, 50))


@login_required
def template_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _require(request, "grievances.manage_templates")
    template = get_object_or_404(AnswerTemplate, pk=pk) if pk else None
    initial = {}
    if template:
        initial = {
            f: getattr(template, f)
            for f in ("title", "category", "outcome", "body", "reason", "remedy", "is_active")
        }
    form = AnswerTemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.template_save(actor=request.user, template=template, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The template is saved."))
            return redirect("grievances:template_list")
    return render(request, "grievances/template_edit.html", {"form": form, "template": template})


@login_required
def holidays(request: HttpRequest) -> HttpResponse:
    _require(request, "grievances.manage_holidays")
    form = HolidayForm(request.POST if request.POST.get("action") == "add" else None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "add" and form.is_valid():
                services.holiday_add(
                    actor=request.user, date=form.cleaned_data["date"], name=form.cleaned_data["name"]
                )
                return _start_recompute(
                    request, _("Ad-hoc holiday %(d)s added") % {"d": form.cleaned_data["date"]}
                )
            if request.POST.get("action") == "delete":
                holiday = get_object_or_404(AdhocHoliday, pk=request.POST.get("holiday"))
                label = str(holiday.date)
                services.holiday_delete(actor=request.user, holiday=holiday)
                return _start_recompute(request, _("Ad-hoc holiday %(d)s removed") % {"d": label})
        except ValidationError as exc:
            _apply_errors(form, exc)
    return render(request, "grievances/holidays.html", {"form": form, "holidays": selectors.holiday_list()})


def _start_recompute(request: HttpRequest, title: str) -> HttpResponse:
    job = job_create(
        kind="grievances.recompute_due_dates",
        title=title + " — " + _("due dates of open requests recomputed"),
        created_by=request.user,
    )
    tasks.recompute_due_dates.enqueue(job.pk)
    return redirect("core:job", pk=job.pk)


# --- Staff: duplicates and recurring issues --------------------------------------------------------------


@login_required
def recurring(request: HttpRequest) -> HttpResponse:
    _require(request, "grievances.manage_clusters")
    suggestions = selectors.cluster_suggestions()
    return render(
        request,
        "grievances/recurring.html",
        {"suggestions": suggestions, "clusters": selectors.cluster_list()[:50]},
    )


@login_required
def cluster_new(request: HttpRequest) -> HttpResponse:
    _require(request, "grievances.manage_clusters")
    source = request.POST if request.method == "POST" else request.GET
    request_ids = [int(x) for x in source.getlist("requests") if str(x).isdigit()]
    visit_ids = [int(x) for x in source.getlist("visits") if str(x).isdigit()]
    first = Request.objects.filter(pk__in=request_ids).order_by("received_at").first()
    form = ClusterForm(
        request.POST if request.method == "POST" else None,
        request_ids=request_ids,
        visit_ids=visit_ids,
        initial={"title": first.title if first else "", "requests": request_ids, "visits": visit_ids},
    )
    if request.method == "POST" and form.is_valid():
        try:
            cluster = services.cluster_create(
                actor=request.user,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                requests=list(form.cleaned_data["requests"]),
                visits=list(form.cleaned_data.get("visits") or []),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The recurring issue is created."))
            return redirect("grievances:cluster_detail", pk=cluster.pk)
    return render(request, "grievances/cluster_new.html", {"form": form})


@login_required
def cluster_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "grievances.manage_clusters")
    try:
        cluster = selectors.cluster_detail(pk=pk)
    except Cluster.DoesNotExist:
        raise Http404
    from .council_link import EscalateForm, council_available, escalate_cluster

    form = None
    if council_available():
        form = EscalateForm(
            request.POST if request.POST.get("action") == "escalate" else None,
            initial={"title": cluster.title, "description": cluster.description},
        )
    if request.method == "POST":
        try:
            if request.POST.get("action") == "dismiss":
                services.cluster_dismiss(actor=request.user, cluster=cluster)
                messages.success(request, _("The recurring issue is dismissed."))
                return redirect("grievances:recurring")
            if request.POST.get("action") == "escalate" and form is not None and form.is_valid():
                _require(request, "grievances.escalate")
                escalate_cluster(actor=request.user, cluster=cluster, **form.cleaned_data)
                messages.success(
                    request, _("The recurring issue is proposed to the council as one agenda item.")
                )
                return redirect("grievances:cluster_detail", pk=pk)
        except ValidationError as exc:
            if form is not None:
                _apply_errors(form, exc)
            else:
                messages.error(request, " ".join(exc.messages))
    return render(request, "grievances/cluster_detail.html", {"cluster": cluster, "form": form})


# --- Visits ---------------------------------------------------------------------------------------------


@login_required
def visit_list(request: HttpRequest) -> HttpResponse:
    _require(request, "grievances.view_visits")
    years = sorted({d.year for d in Visit.objects.dates("visited_on", "year")}, reverse=True)
    form = VisitFilterForm(request.GET or None, years=years)
    q, year = "", None
    if form.is_valid():
        q, year = form.cleaned_data["q"], form.cleaned_data["year"]
    qs = selectors.visit_list(q=q, year=year)
    return render(
        request,
        "grievances/visit_list.html",
        {**paginate(request, qs, PER_PAGE), "form": form, "plans": selectors.visit_plans()[:6]},
    )


@login_required
def visit_new(request: HttpRequest) -> HttpResponse:
    _require(request, "grievances.record_visit")
    initial: dict[str, Any] = {"visited_on": timezone.localdate()}
    orgs = services.handler_organisations(request.user)
    if orgs:
        initial["organisations"] = list(orgs)
    form = VisitForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        previous = None
        if d["revisit"]:
            previous = (
                Visit.objects.filter(company=d["company"], visited_on__lte=d["visited_on"])
                .order_by("-visited_on")
                .first()
            )
        try:
            visit = services.visit_record(
                actor=request.user,
                company=d["company"],
                visited_on=d["visited_on"],
                organisations=list(d["organisations"]),
                findings=d["findings"],
                visitors=[request.user],
                visitor_names=d["visitor_names"],
                people_met=d["people_met"],
                follow_up=d["follow_up"],
                previous_visit=previous,
                photos=[(d["photo"], d["photo_alt"])] if d.get("photo") else [],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request, _("The visit is recorded. Add the requests raised during the visit below.")
            )
            return redirect("grievances:visit_detail", pk=visit.pk)
    return render(request, "grievances/visit_new.html", {"form": form})


@login_required
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "grievances.view_visits")
    try:
        visit = selectors.visit_detail(pk=pk)
    except Visit.DoesNotExist:
        raise Http404
    can_change = request.user.has_perm("grievances.change_visit", visit)
    rform = VisitRequestForm(request.POST if request.POST.get("action") == "request" else None, prefix="r")
    pform = PhotoForm(
        request.POST if request.POST.get("action") == "photo" else None,
        request.FILES if request.POST.get("action") == "photo" else None,
        prefix="p",
    )
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        try:
            if request.POST.get("action") == "request" and rform.is_valid():
                d = rform.cleaned_data
                req = services.visit_raise_request(
                    actor=request.user,
                    visit=visit,
                    category=d["category"],
                    title=d["title"],
                    description=d["description"],
                    filer_type=d["filer_type"],
                    contact_name=d["contact_name"],
                    contact_email=d["contact_email"],
                    contact_phone=d["contact_phone"],
                    anonymous=d["anonymous"],
                    consent=d["consent"],
                )
                messages.success(
                    request, _("The request %(n)s is filed from this visit.") % {"n": req.tracking_number}
                )
                return redirect("grievances:visit_detail", pk=pk)
            if request.POST.get("action") == "photo" and pform.is_valid():
                services.visit_add_photo(
                    actor=request.user,
                    visit=visit,
                    upload=pform.cleaned_data["photo"],
                    alt_text=pform.cleaned_data["photo_alt"],
                )
                messages.success(request, _("The photo is added."))
                return redirect("grievances:visit_detail", pk=pk)
            if request.POST.get("action") == "report":
                n = services.visit_report_send(actor=request.user, visit=visit)
                messages.success(
                    request, _("The report is sent to %(n)d representative(s) of the company.") % {"n": n}
                )
                return redirect("grievances:visit_detail", pk=pk)
        except ValidationError as exc:
            if request.POST.get("action") == "request":
                _apply_errors(rform, exc)
            elif request.POST.get("action") == "photo":
                _apply_errors(pform, exc)
            else:
                messages.error(request, " ".join(exc.messages))
    return render(
        request,
        "grievances/visit_detail.html",
        {
            "visit": visit,
            "requests": list(visit.requests.all()),
            "company_requests": services.company_visible_requests(visit),
            "can_change": can_change,
            "rform": rform,
            "pform": pform,
            "now": timezone.now(),
        },
    )


@login_required
def visit_photo(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "grievances.view_visits")
    photo = get_object_or_404(VisitPhoto, pk=pk)
    try:
        handle = photo.image.open("rb")
    except FileNotFoundError:
        raise Http404
    return FileResponse(handle, filename=photo.original_name)


@login_required
def visit_plans(request: HttpRequest) -> HttpResponse:
    _require(request, "grievances.view_visits")
    can_edit = request.user.has_role(Role.OPERATOR)
    form = VisitPlanForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.visit_plan_set(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("The plan is saved."))
                return redirect("grievances:visit_plans")
    return render(
        request,
        "grievances/visit_plans.html",
        {"plans": selectors.visit_plans(), "form": form, "can_edit": can_edit},
    )


# --- Dashboard ------------------------------------------------------------------------------------------

#: The figures of each month of the dashboard's trend, in the order of its table and "Over time" sheet.
TREND_COLUMNS = ("received", "answered", "closed", "reopened", "open", "overdue")


def _dashboard_data(request: HttpRequest) -> tuple[Any, Any, dict[str, Any]]:
    categories = Category.objects.order_by("order")
    organisations = (
        selectors.responsible_organisations().filter(Q(grievance_requests__isnull=False)).distinct()
    )
    form = DashboardFilterForm(
        request.GET or None,
        years=selectors.dashboard_years(),
        organisations=organisations,
        categories=categories,
    )
    filters = selectors.DashboardFilters()
    if form.is_valid():
        filters = selectors.DashboardFilters(**form.cleaned_data)
    data = selectors.dashboard(filters)
    data["trend"] = selectors.dashboard_trend(filters)
    return form, filters, data


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    _require(request, "grievances.view_dashboard")
    form, filters, data = _dashboard_data(request)
    language = _lang()
    chart = {
        "periods": [s["period"] for s in data["trend"]],
        **{key: [s[key] for s in data["trend"]] for key in TREND_COLUMNS},
        "org_labels": [
            (r["organisation"].display_name(language) if r["organisation"] else _("Not assigned"))
            for r in data["organisations"]
        ],
        "org_open": [r["open"] for r in data["organisations"]],
        "org_overdue": [r["overdue"] for r in data["organisations"]],
        "org_answered": [r["answered"] for r in data["organisations"]],
        "sat_labels": [
            (r["organisation"].display_name(language) if r["organisation"] else _("Not assigned"))
            for r in data["organisations"]
            if r["satisfaction"] is not None
        ],
        "sat_values": [
            float(r["satisfaction"]) for r in data["organisations"] if r["satisfaction"] is not None
        ],
        "cat_labels": [
            r["category"].display_name(language) if r["category"] else "-" for r in data["categories"]
        ],
        "cat_received": [r["received"] for r in data["categories"]],
        "labels": {
            "received": _("Received"),
            "answered": _("Answered"),
            "closed": _("Closed"),
            "reopened": _("Reopened"),
            "open": _("Open"),
            "overdue": _("Overdue"),
            "open_end": _("Open at the end of the month"),
            "overdue_end": _("Overdue at the end of the month"),
            "satisfaction": _("Average satisfaction (1–5)"),
        },
    }
    return render(
        request,
        "grievances/dashboard.html",
        {
            "form": form,
            "data": data,
            "chart": chart,
            "filters": filters,
            "can_export": request.user.has_perm("grievances.export_dashboard"),
        },
    )


@login_required
def dashboard_xlsx(request: HttpRequest) -> HttpResponse:
    """The dashboard's tables and the list of requests — without any personal data (no names, no contact
    details; an anonymous worker's request does not even name the company)."""
    _require(request, "grievances.export_dashboard")
    _form, filters, data = _dashboard_data(request)
    language = _lang()

    def org_name(r: dict[str, Any]) -> str:
        return r["organisation"].display_name(language) if r["organisation"] else _("Not assigned")

    headers = [
        _("Received"),
        _("Open"),
        _("Overdue"),
        _("Answered"),
        _("Answered on time (%)"),
        _("Median handling days"),
    ]

    def figures(r: dict[str, Any]) -> list[Any]:
        return [r["received"], r["open"], r["overdue"], r["answered"], r["on_time_rate"], r["median_days"]]

    qs = Request.objects.exclude(status=Request.Status.MERGED).select_related(
        "category", "responsible_organisation", "company"
    )
    if filters.year:
        qs = qs.filter(received_at__year=filters.year)
    if filters.organisation:
        qs = qs.filter(responsible_organisation_id=filters.organisation)
    if filters.category:
        qs = qs.filter(category_id=filters.category)
    request_rows = (
        [
            r.tracking_number,
            timezone.localtime(r.received_at),
            r.category.display_name(language),
            r.display_title(language),
            str(Request.FilerType(r.filer_type).label),
            ""
            if r.anonymous or r.filer_type != Request.FilerType.COMPANY or not r.company
            else r.company.name,
            str(Request.Channel(r.channel).label),
            r.responsible_organisation.display_name(language) if r.responsible_organisation else "",
            str(Request.Status(r.status).label),
            timezone.localtime(r.due_at),
            timezone.localtime(r.answered_at) if r.answered_at else "",
            r.support_count,
        ]
        for r in qs.order_by("received_at").iterator(chunk_size=1000)
    )
    content = exports.xlsx_bytes(
        [
            exports.Sheet(
                _("By organisation"),
                [
                    pgettext("request", "Responsible organisation"),
                    *headers,
                    _("Average satisfaction"),
                    _("Ratings"),
                ],
                [[org_name(r), *figures(r), r["satisfaction"], r["ratings"]] for r in data["organisations"]],
            ),
            exports.Sheet(
                _("By category"),
                [_("Category"), *headers],
                [
                    [r["category"].display_name(language) if r["category"] else "", *figures(r)]
                    for r in data["categories"]
                ],
            ),
            exports.Sheet(
                _("Over time"),
                [
                    _("Month"),
                    _("Received"),
                    _("Answered"),
                    _("Closed"),
                    _("Reopened"),
                    _("Open at the end of the month"),
                    _("Overdue at the end of the month"),
                ],
                [[s["period"], *(s[key] for key in TREND_COLUMNS)] for s in data["trend"]],
            ),
            exports.Sheet(
                pgettext("request", "Requests"),
                [
                    _("Tracking number"),
                    _("Received"),
                    _("Category"),
                    _("Title"),
                    _("Filed as"),
                    _("Company"),
                    _("Channel"),
                    pgettext("request", "Responsible organisation"),
                    _("Status"),
                    _("Due"),
                    _("Answered"),
                    _("Supporters"),
                ],
                request_rows,
            ),
        ]
    )
    name = f"gvalley-requests-{timezone.localdate():%Y%m%d}.xlsx"
    return exports.download_response(content, filename=name, content_type=exports.XLSX_MIME)
