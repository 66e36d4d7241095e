from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.models import DataProvider
from aircop.web.shortcuts import paginate
from targeting.ingestion import manifest_files, services
from targeting.ingestion.forms import ColumnMappingForm
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
    if manifest_files.is_manifest_file(body, name):
        return _receive_manifest_upload(request, body, name)
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


def _chosen_airline(request: HttpRequest) -> DataProvider | None:
    airline = request.POST.get("airline") or request.GET.get("airline")
    if not airline:
        return None
    return _airlines(request).filter(pk=airline).first() if airline.isdigit() else None


def _receive_manifest_upload(request: HttpRequest, body: bytes, name: str) -> dict[str, Any]:
    received = manifest_files.receive_manifest(
        body=body, file_name=name, uploaded_by=request.user, provider=_chosen_airline(request)
    )
    message = received.message
    if not received.is_duplicate:
        try:
            manifest_files.check_manifest(message)
        except ValidationError as err:
            manifest_files.reject(message, " ".join(err.messages))
        else:
            manifest_files.store_with_remembered_mapping(message)
    message = (
        InboundMessage.objects.defer("body")
        .prefetch_related("findings", "flights")
        .get(pk=message.pk)
    )
    return {"name": name, "message": message, "is_duplicate": received.is_duplicate}


@login_required
def manifest_columns(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm which column holds what, and the flight if the file does not say."""
    _require_member(request)
    message = get_object_or_404(
        messages_visible_to(request.user).filter(format__in=["csv", "xlsx"]), pk=pk
    )
    if message.state != InboundMessage.State.RECEIVED:
        return redirect("message-detail", pk=message.pk)
    message = InboundMessage.objects.get(pk=message.pk)  # with its body
    try:
        table = manifest_files.read_columns(message)
    except ValidationError as err:
        manifest_files.reject(message, " ".join(err.messages))
        return redirect("message-detail", pk=message.pk)
    airlines = _airlines(request)
    provider = _chosen_airline(request) or message.provider
    form = ColumnMappingForm(
        request.POST or None,
        headers=table.headers,
        airlines=airlines,
        initial_mapping=manifest_files.proposed_mapping(table, provider),
        provider=provider,
    )
    if request.method == "POST" and form.is_valid():
        try:
            manifest_files.store_manifest(
                message=message,
                mapping=form.mapping(),
                flight=form.flight(),
                provider=form.cleaned_data.get("airline"),
                confirmed_by=request.user,
            )
        except ValidationError as err:
            form.add_error(None, err)
        except PermissionDenied as err:
            form.add_error(None, str(err))
        else:
            return redirect("message-detail", pk=message.pk)
    preview = table.frame.head(5)
    return render(
        request,
        "ingestion/manifest_columns.html",
        {
            "message": message,
            "form": form,
            "table": table,
            "preview_rows": [
                [("" if v is None else str(v)) for v in row]
                for row in preview.itertuples(index=False)
            ],
        },
    )


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
