"""What is done on a case from its page: entries, subjects, seizures, attachments, shares, state.

Each POST finds the case among those the person sees (anything else answers 404), calls one
service, and redirects to the case; what the service refuses shows the case page again with the
errors next to the form's fields (ValidationError) or answers 403 (PermissionDenied).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.cases import attachments, seizures, services
from agencies.cases.forms import (
    AttachmentForm,
    EntryForm,
    SeizureForm,
    ShareForm,
    StateForm,
    SubjectForm,
    SubjectUpdateForm,
    UnshareForm,
)
from agencies.cases.models import CaseFile, CaseShare, CaseSubject
from agencies.cases.pages import case_url, render_case, share_agencies, visible_case
from agencies.selectors import is_agency_member
from aircop.web.shortcuts import add_service_errors, require


def _act(
    request: HttpRequest,
    case: CaseFile,
    key: str,
    form: forms.BaseForm,
    action: Callable[[dict[str, Any]], str],
    anchor: str,
) -> HttpResponse:
    """Run one service with the form's data; a refusal shows the case again with the errors."""
    if form.is_valid():
        try:
            message = action(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(cast(forms.Form, form), error)  # a ModelForm has the same API
        else:
            messages.success(request, message)
            return redirect(case_url(case, anchor))
    messages.error(request, _("Nothing was saved: see the form below."))
    return render_case(request, case, bound={key: form}, status=400)


@require(is_agency_member)
@require_POST
def add_entry(request: HttpRequest, pk: int) -> HttpResponse:
    case = visible_case(request, pk)

    def action(data: dict[str, Any]) -> str:
        services.add_entry(actor=request.user, case=case, text=data["text"], kind=data["kind"])
        return _("Entry added.")

    return _act(request, case, "entry", EntryForm(request.POST, prefix="entry"), action, "timeline")


@require(is_agency_member)
@require_POST
def add_subject(request: HttpRequest, pk: int) -> HttpResponse:
    case = visible_case(request, pk)

    def action(data: dict[str, Any]) -> str:
        subject = services.add_subject(actor=request.user, case=case, **data)
        return _("%(name)s added to the case.") % {"name": subject}

    form = SubjectForm(request.POST, prefix="subject")
    return _act(request, case, "subject", form, action, "subjects")


@require(is_agency_member)
@require_POST
def update_subject(request: HttpRequest, pk: int, subject_pk: int) -> HttpResponse:
    case = visible_case(request, pk)
    subject = get_object_or_404(case.subjects, pk=subject_pk)
    key = f"subject-{subject.pk}"
    # The form is given a copy: a refused change must not show as made on the page.
    form = SubjectUpdateForm(request.POST, instance=CaseSubject(pk=subject.pk), prefix=key)

    def action(data: dict[str, Any]) -> str:
        services.update_subject(actor=request.user, subject=subject, **data)
        return _("%(name)s updated.") % {"name": subject}

    return _act(request, case, key, form, action, f"subject-{subject.pk}")


@require(is_agency_member)
@require_POST
def add_seizure(request: HttpRequest, pk: int) -> HttpResponse:
    case = visible_case(request, pk)
    form = SeizureForm(request.POST, prefix="seizure", flights=list(case.flights.all()))

    def action(data: dict[str, Any]) -> str:
        seizure = seizures.record_seizure(actor=request.user, case=case, **data)
        return _("Seizure recorded: %(what)s.") % {"what": seizures.quantity_label(seizure)}

    return _act(request, case, "seizure", form, action, "seizures")


@require(is_agency_member)
@require_POST
def add_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    case = visible_case(request, pk)
    form = AttachmentForm(request.POST, request.FILES, prefix="attachment")

    def action(data: dict[str, Any]) -> str:
        attachment = attachments.add_attachment(
            actor=request.user, case=case, upload=data["upload"], description=data["description"]
        )
        return _("%(name)s attached.") % {"name": attachment.name}

    return _act(request, case, "attachment", form, action, "attachments")


@require(is_agency_member)
@require_POST
def request_share(request: HttpRequest, pk: int) -> HttpResponse:
    case = visible_case(request, pk)
    form = ShareForm(request.POST, prefix="share", agencies=share_agencies(case))

    def action(data: dict[str, Any]) -> str:
        share = services.request_share(
            actor=request.user, case=case, agency=data["agency"], reason=data["reason"]
        )
        if share.state == CaseShare.State.ACTIVE:
            return _("Shared with %(agency)s.") % {"agency": share.agency.name}
        return _("Sharing with %(agency)s awaits a supervisor of your agency.") % {
            "agency": share.agency.name
        }

    return _act(request, case, "share", form, action, "sharing")


@require(is_agency_member)
@require_POST
def unshare(request: HttpRequest, pk: int, share_pk: int) -> HttpResponse:
    case = visible_case(request, pk)
    share = get_object_or_404(case.shares.select_related("agency", "case"), pk=share_pk)
    key = f"unshare-{share.pk}"

    def action(data: dict[str, Any]) -> str:
        services.unshare(actor=request.user, share=share, reason=data["reason"])
        return _("%(agency)s no longer sees the case.") % {"agency": share.agency.name}

    return _act(request, case, key, UnshareForm(request.POST, prefix=key), action, "sharing")


@require(is_agency_member)
@require_POST
def change_state(request: HttpRequest, pk: int) -> HttpResponse:
    case = visible_case(request, pk)
    form = StateForm(request.POST, prefix="state", case=case)

    def action(data: dict[str, Any]) -> str:
        review = services.change_state(
            actor=request.user, case=case, state=data["state"], outcome=data["outcome"]
        )
        label = CaseFile.State(data["state"]).label
        if review is not None:
            return _("“%(state)s” awaits a supervisor of your agency.") % {"state": label}
        return _("The case is now %(state)s.") % {"state": label}

    return _act(request, case, "state", form, action, "state")
