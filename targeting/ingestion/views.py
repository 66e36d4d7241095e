from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.models import DataProvider
from aircop.web.shortcuts import paginate
from targeting.ingestion import services
from targeting.ingestion.models import InboundMessage
from targeting.ingestion.selectors import data_quality_by_airline, messages_visible_to


def _require_member(request: HttpRequest) -> None:
    if not getattr(request.user, "agency_id", None):
        raise Http404  # platform admins handle no passenger data


def _airlines(request: HttpRequest) -> Any:
    return DataProvider.objects.filter(task_forces__agencies__people=request.user).distinct()


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    """Several manifest files at once; with JavaScript each file uploads with its own progress."""
    _require_member(request)
    results = []
    if request.method == "POST":
        for uploaded in request.FILES.getlist("files"):
            results.append(_receive_upload(request, uploaded))
    return render(
        request,
        "ingestion/upload.html",
        {
            "results": results,
            "airlines": _airlines(request),
            "max_bytes": settings.INGEST_MAX_BYTES,
        },
    )


@require_POST
@login_required
def upload_file(request: HttpRequest) -> HttpResponse:
    """One file of the upload page (called by upload.js); answers the file's result row."""
    _require_member(request)
    uploaded = request.FILES.get("file")
    if uploaded is None:
        return render(
            request,
            "ingestion/partials/upload_result.html",
            {
                "result": {"name": "", "error": _("No file was sent.")},
            },
            status=400,
        )
    result = _receive_upload(request, uploaded)
    return render(
        request,
        "ingestion/partials/upload_result.html",
        {"result": result},
        status=400 if result.get("error") else 200,
    )


def _receive_upload(request: HttpRequest, uploaded: UploadedFile) -> dict[str, Any]:
    name = uploaded.name or ""
    limit = settings.INGEST_MAX_BYTES
    if uploaded.size and uploaded.size > limit:
        return {
            "name": name,
            "error": _("%(name)s is %(size)d bytes; the limit is %(limit)d.")
            % {"name": name, "size": uploaded.size, "limit": limit},
        }
    body = uploaded.read()
    if not body.strip():
        return {"name": name, "error": _("%(name)s is empty.") % {"name": name}}
    try:
        received = services.receive_message(body=body, uploaded_by=request.user, file_name=name)
    except PermissionDenied as err:
        return {"name": name, "error": str(err)}
    message = (
        InboundMessage.objects.defer("body")
        .prefetch_related("findings", "flights")
        .get(pk=received.message.pk)
    )
    return {"name": name, "message": message, "is_duplicate": received.is_duplicate}


@login_required
def message_row(request: HttpRequest, pk: int) -> HttpResponse:
    """A message's result row, polled by the upload page until the message is stored."""
    message = get_object_or_404(
        messages_visible_to(request.user).prefetch_related("findings", "flights"), pk=pk
    )
    return render(
        request,
        "ingestion/partials/upload_result.html",
        {
            "result": {"name": message.file_name, "message": message},
        },
    )


@login_required
def message_list(request: HttpRequest) -> HttpResponse:
    _require_member(request)
    messages = messages_visible_to(request.user).prefetch_related("findings", "flights")
    state = request.GET.get("state")
    if state in InboundMessage.State.values:
        messages = messages.filter(state=state)
    return render(
        request,
        "ingestion/message_list.html",
        {
            "page": paginate(request, messages),
            "states": InboundMessage.State.choices,
            "state": state,
            "query": f"state={state}" if state else "",
        },
    )


@login_required
def message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_member(request)
    message = get_object_or_404(
        messages_visible_to(request.user).prefetch_related("findings", "flights"), pk=pk
    )
    return render(request, "ingestion/message_detail.html", {"message": message})


@login_required
def data_quality(request: HttpRequest) -> HttpResponse:
    """What each airline sends: late, rejected, findings, month by month."""
    _require_member(request)
    now = timezone.now()
    try:
        months = max(1, min(36, int(request.GET.get("months", "6"))))
    except ValueError:
        months = 6
    since = now - timedelta(days=31 * months)
    rows = data_quality_by_airline(request.user, since, now)
    return render(request, "ingestion/data_quality.html", {"rows": rows, "months": months})
