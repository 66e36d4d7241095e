"""Airline pages. An airline comes from `selectors.airlines_visible_to` (else 404)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.airlines import selectors, services
from agencies.airlines.feedback import build_report, report_csv
from agencies.airlines.forms import AirlineForm, ContactForm, DocumentForm, PeriodForm
from agencies.airlines.models import Airline
from aircop.web.shortcuts import add_service_errors, require


def _airline(request: HttpRequest, pk: int) -> Airline:
    return get_object_or_404(
        selectors.airlines_visible_to(request.user).select_related("provider"), pk=pk
    )


@require(selectors.can_see_airlines)
def airline_list(request: HttpRequest) -> HttpResponse:
    period = PeriodForm(request.GET or None)
    start, end = period.period()
    return render(
        request,
        "airlines/airline_list.html",
        {
            "groups": selectors.airlines_by_state(request.user, start=start, end=end),
            "period": period,
            "start": start,
            "end": end,
            "can_edit": selectors.can_edit_airlines(request.user),
        },
    )


def _detail(request: HttpRequest, airline: Airline, **forms: Any) -> HttpResponse:
    user: Any = request.user
    can_edit = selectors.can_edit_airlines(user)
    context = {
        "airline": airline,
        "can_edit": can_edit,
        "contacts": airline.contacts.all(),
        "documents": airline.documents.all(),
        "form": forms.get("form")
        or (AirlineForm(instance=airline, task_force_id=user.task_force_id) if can_edit else None),
        "contact_form": forms.get("contact_form") or ContactForm(),
        "document_form": forms.get("document_form") or DocumentForm(),
        "period": PeriodForm(),
    }
    return render(request, "airlines/airline_detail.html", context, status=forms.get("status", 200))


@require(selectors.can_edit_airlines)
def airline_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = AirlineForm(request.POST or None, task_force_id=user.task_force_id)
    if request.method == "POST" and form.is_valid():
        try:
            airline = services.save_airline(actor=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)  # type: ignore[arg-type]  # a ModelForm is a form
        else:
            return redirect("airline-detail", pk=airline.pk)
    return render(
        request, "airlines/airline_form.html", {"form": form}, status=400 if form.is_bound else 200
    )


@require(selectors.can_see_airlines)
def airline_detail(request: HttpRequest, pk: int) -> HttpResponse:
    airline = _airline(request, pk)
    user: Any = request.user
    if request.method != "POST":
        return _detail(request, airline)
    if not selectors.can_edit_airlines(user):
        return HttpResponse(status=404)
    form = AirlineForm(
        request.POST, instance=Airline.objects.get(pk=airline.pk), task_force_id=user.task_force_id
    )
    if form.is_valid():
        try:
            services.save_airline(actor=user, airline=airline, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)  # type: ignore[arg-type]  # a ModelForm is a form
        else:
            messages.success(request, _("Airline saved."))
            return redirect("airline-detail", pk=airline.pk)
    return _detail(request, airline, form=form, status=400)


@require(selectors.can_edit_airlines)
@require_POST
def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    airline = _airline(request, pk)
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            services.add_contact(actor=request.user, airline=airline, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)  # type: ignore[arg-type]  # a ModelForm is a form
        else:
            return redirect("airline-detail", pk=airline.pk)
    return _detail(request, airline, contact_form=form, status=400)


@require(selectors.can_edit_airlines)
@require_POST
def contact_remove(request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    airline = _airline(request, pk)
    contact = get_object_or_404(airline.contacts, pk=contact_pk)
    services.remove_contact(actor=request.user, contact=contact)
    return redirect("airline-detail", pk=airline.pk)


@require(selectors.can_edit_airlines)
@require_POST
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    airline = _airline(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_document(
                actor=request.user, airline=airline, upload=form.cleaned_data["upload"]
            )
        except ValidationError as error:
            add_service_errors(form, error)  # type: ignore[arg-type]  # a ModelForm is a form
        else:
            return redirect("airline-detail", pk=airline.pk)
    return _detail(request, airline, document_form=form, status=400)


@require(selectors.can_see_airlines)
def document_download(request: HttpRequest, pk: int, doc_pk: int) -> FileResponse:
    airline = _airline(request, pk)
    document = get_object_or_404(airline.documents, pk=doc_pk)
    stored = services.read_document(actor=request.user, document=document)
    return FileResponse(
        stored, as_attachment=True, filename=document.name, content_type="application/pdf"
    )


@require(selectors.can_see_airlines)
def feedback_page(request: HttpRequest, pk: int) -> HttpResponse:
    airline = _airline(request, pk)
    period = PeriodForm(request.GET or None)
    start, end = period.period()
    report = build_report(airline, start=start, end=end)
    services.record_feedback_download(
        actor=request.user, airline=airline, start=start, end=end, form="page"
    )
    return render(
        request,
        "airlines/feedback.html",
        {
            "airline": airline,
            "report": report,
            "period": period,
            "contacts": [c for c in airline.contacts.all() if c.email],
        },
    )


@require(selectors.can_see_airlines)
def feedback_csv(request: HttpRequest, pk: int) -> HttpResponse:
    airline = _airline(request, pk)
    start, end = PeriodForm(request.GET or None).period()
    report = build_report(airline, start=start, end=end)
    services.record_feedback_download(
        actor=request.user, airline=airline, start=start, end=end, form="csv"
    )
    response = HttpResponse(report_csv(report), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="data-quality-{airline.code}-{start:%Y%m%d}-{end:%Y%m%d}.csv"'
    )
    return response


@require(selectors.can_see_airlines)
@require_POST
def feedback_send(request: HttpRequest, pk: int) -> HttpResponse:
    airline = _airline(request, pk)
    start, end = PeriodForm(request.POST).period()
    contact = get_object_or_404(airline.contacts, pk=request.POST.get("contact") or 0)
    try:
        services.send_feedback(
            actor=request.user, airline=airline, contact=contact, start=start, end=end
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The report will be mailed to %(name)s.") % {"name": contact.name}
        )
    return redirect(f"/airlines/{airline.pk}/feedback/?start={start}&end={end}")
