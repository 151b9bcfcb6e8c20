from __future__ import annotations

import base64
from typing import Any

import segno
from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from gvalley.core import selectors as core_selectors
from gvalley.core.models import AccessLog
from gvalley.core.paginate import paginate
from gvalley.core.services import log_access

from . import selectors, services
from .forms import (
    KRDSPasswordChangeForm,
    KRDSPasswordResetForm,
    KRDSSetPasswordForm,
    LoginForm,
    MembershipForm,
    ProfileForm,
    RoleFilterForm,
    SignupForm,
    TokenForm,
)
from .models import Consent, Membership, User


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _apply_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _safe_next(request: HttpRequest, default: str) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return nxt
    return default


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("core:home")
    form = SignupForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        try:
            services.user_signup(
                email=form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                password=form.cleaned_data["password1"],
                language=form.cleaned_data["language"],
                timezone_name=form.cleaned_data["timezone"],
                notices=form.chosen_notices(),
                ip_address=_client_ip(request),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return render(request, "accounts/signup_done.html", {"email": form.cleaned_data["email"]})
    return render(request, "accounts/signup.html", {"form": form, "notices": form.notices})


def confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        services.user_confirm_email(token=token)
    except ValidationError as exc:
        return render(request, "accounts/confirm_failed.html", {"errors": exc.messages}, status=400)
    messages.success(request, _("Your e-mail address is confirmed. You can log in now."))
    return redirect("accounts:login")


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: LoginForm) -> HttpResponse:
        response = super().form_valid(form)
        user = form.get_user()
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language, samesite="Lax")
        if settings.GVALLEY_REQUIRE_2FA and user.needs_second_factor:
            target = (
                "accounts:two_factor"
                if TOTPDevice.objects.filter(user=user, confirmed=True).exists()
                else ("accounts:two_factor_setup")
            )
            return HttpResponseRedirect(f"{reverse(target)}?next={self.get_success_url()}")
        return response


class LogoutView(auth_views.LogoutView):
    pass


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset_body.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    form_class = KRDSPasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = KRDSSetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    """Signed in: the old password, then the new one twice. The session stays signed in (Django updates the
    session hash); other sessions of the account are signed out."""

    template_name = "accounts/password_change.html"
    form_class = KRDSPasswordChangeForm
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Your password was changed."))
        return response


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).order_by("id").first()
    if device is None:
        return redirect(f"{reverse('accounts:two_factor_setup')}?next={_safe_next(request, '/')}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].replace(" ", "")):
            otp_login(request, device)
            return redirect(_safe_next(request, reverse("core:home")))
        form.add_error("token", _("The code is not correct. Check your device's clock and try again."))
    return render(request, "accounts/two_factor.html", {"form": form, "next": _safe_next(request, "")})


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None or request.method == "GET" and "new" in request.GET:
        device = services.totp_device_start(user=user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.totp_device_confirm(user=user, device=device, token=form.cleaned_data["token"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            otp_login(request, device)
            messages.success(request, _("Two-factor authentication is set up."))
            return redirect(_safe_next(request, reverse("core:home")))
    qr = segno.make(device.config_url, micro=False)
    b32 = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_data_uri": qr.svg_data_uri(scale=5, dark="#1d1d1d"),
            "secret": b32,
            "next": _safe_next(request, ""),
        },
    )


def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language (a link, so that public pages need no CSRF cookie and stay cacheable)."""
    data = request.POST if request.method == "POST" else request.GET
    language = data.get("language", "")
    target = _safe_next(request, "/")
    response = redirect(target)
    if language in dict(settings.LANGUAGES):
        if request.user.is_authenticated:
            services.user_set_language(user=request.user, language=language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600, samesite="Lax", httponly=False
        )
    return response


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update_profile(
                actor=user,
                user=user,
                name=form.cleaned_data["name"],
                phone=form.cleaned_data["phone"],
                language=form.cleaned_data["language"],
                timezone_name=form.cleaned_data["timezone"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Your settings are saved."))
            response = redirect("accounts:profile")
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, form.cleaned_data["language"], samesite="Lax")
            return response
    user.refresh_from_db()
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "consents": selectors.consents_of(user=user),
            "memberships": user.memberships.select_related("organisation").order_by("-started_on"),
            "has_totp": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        },
    )


@login_required
@require_POST
def consent_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    consent = get_object_or_404(Consent, pk=pk, user=request.user)
    services.consent_withdraw(actor=request.user, consent=consent)
    messages.success(request, _("Your consent is withdrawn."))
    return redirect("accounts:profile")


# --- Operator pages ------------------------------------------------------------------------------------------


def _require(request: HttpRequest, perm: str) -> None:
    if not request.user.is_authenticated or not request.user.has_perm(perm):
        raise PermissionDenied


@login_required
def operator_home(request: HttpRequest) -> HttpResponse:
    if not (request.user.is_staff_role or request.user.is_superuser):
        raise PermissionDenied
    # Each app may list its staff pages as ``operator_links = [(url name, label, permission), ...]`` on its AppConfig.
    links = []
    for config in apps.get_app_configs():
        for url_name, label, perm in getattr(config, "operator_links", ()):
            if request.user.has_perm(perm):
                links.append({"url": reverse(url_name), "label": label, "section": config.verbose_name})
    return render(request, "accounts/operator_home.html", {"links": links})


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    _require(request, "accounts.view_audit_log")
    qs = core_selectors.audit_log_list(
        action=request.GET.get("action", ""), object_repr=request.GET.get("q", "")
    )
    return render(request, "accounts/audit_log.html", paginate(request, qs, 50))


@login_required
def access_log(request: HttpRequest) -> HttpResponse:
    _require(request, "accounts.view_access_log")
    qs = core_selectors.access_log_list(subject=request.GET.get("q", ""), kind=request.GET.get("kind", ""))
    return render(
        request, "accounts/access_log.html", {**paginate(request, qs, 50), "kinds": AccessLog.Kind.choices}
    )


@login_required
def consent_list(request: HttpRequest) -> HttpResponse:
    _require(request, "accounts.view_consents")
    qs = selectors.consent_list(purpose=request.GET.get("purpose", ""))
    return render(request, "accounts/consent_list.html", paginate(request, qs, 50))


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    _require(request, "accounts.manage_users")
    form = RoleFilterForm(request.GET or None)
    q = role = ""
    if form.is_valid():
        q, role = form.cleaned_data["q"], form.cleaned_data["role"]
    ctx = paginate(request, selectors.user_list(q=q, role=role), 30)
    return render(request, "accounts/user_list.html", {**ctx, "form": form})


@login_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "accounts.manage_users")
    person = get_object_or_404(User, pk=pk)
    form = MembershipForm(request.POST or None, prefix="m")
    if request.method == "POST" and request.POST.get("action") == "grant" and form.is_valid():
        services.membership_grant(
            actor=request.user,
            user=person,
            role=form.cleaned_data["role"],
            organisation=form.cleaned_data["organisation"],
            title=form.cleaned_data["title"],
            started_on=form.cleaned_data["started_on"],
        )
        messages.success(request, _("The role is granted."))
        return redirect("accounts:user_detail", pk=pk)
    if request.method == "POST" and request.POST.get("action") == "end":
        membership = get_object_or_404(Membership, pk=request.POST.get("membership"), user=person)
        services.membership_end(actor=request.user, membership=membership)
        messages.success(request, _("The role has ended."))
        return redirect("accounts:user_detail", pk=pk)
    if request.method == "POST" and request.POST.get("action") == "reset_totp":
        services.totp_device_reset(actor=request.user, user=person)
        messages.success(
            request, _("The second factor is reset; the person enrols again at the next sign-in.")
        )
        return redirect("accounts:user_detail", pk=pk)
    person = selectors.user_detail(pk=pk)
    log_access(
        actor=request.user,
        kind=AccessLog.Kind.VIEW,
        subject=f"user:{person.pk}",
        fields=["email", "phone"],
        purpose="account administration",
        request=request,
    )
    return render(request, "accounts/user_detail.html", {"person": person, "form": form})
