from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from . import selectors
from .models import Job


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


@never_cache
def job_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress of a background job; pages poll this partial with htmx every second."""
    try:
        job = selectors.job_get(pk=pk)
    except Job.DoesNotExist:
        raise PermissionDenied
    user = request.user
    if not user.is_authenticated or (job.created_by_id != user.pk and not user.has_role("operator")):
        raise PermissionDenied
    template = "core/_job_status.html" if request.htmx else "core/job.html"
    return render(request, template, {"job": job})


def ping(request: HttpRequest) -> HttpResponse:
    """A bare view (no database, no template): the ceiling that the web benchmark compares pages with."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
