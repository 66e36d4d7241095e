"""Consultation request pages, for the task force's officers and for the airline's staff.

A request comes from `selectors.requests_visible_to` (anything else answers 404).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.consultations import selectors, services
from agencies.consultations.forms import AnswerForm, RequestFilterForm, RequestForm
from agencies.consultations.models import ConsultationRequest
from aircop.web.shortcuts import add_service_errors, paginate, require


@require(selectors.may_see_requests)
def request_list(request: HttpRequest) -> HttpResponse:
    requests = selectors.requests_visible_to(request.user)
    filters = RequestFilterForm(request.GET or None)
    if filters.is_valid():
        if filters.cleaned_data["state"]:
            requests = requests.filter(state=filters.cleaned_data["state"])
        if filters.cleaned_data["airline"]:
            requests = requests.filter(airline__code=filters.cleaned_data["airline"].upper())
    page = paginate(request, requests)
    return render(
        request,
        "consultations/request_list.html",
        {
            "page": page,
            "rows": [(r, selectors.is_overdue(r)) for r in page.object_list],
            "filters": filters,
            "can_send": selectors.can_send_requests(request.user),
        },
    )


@require(selectors.can_send_requests)
def request_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = RequestForm(request.POST or None, airlines=selectors.airlines_for_new_request(user))
    if request.method == "POST" and form.is_valid():
        try:
            created = services.send_request(actor=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The request was sent to the airline."))
            return redirect("consultation-detail", pk=created.pk)
    return render(request, "consultations/request_form.html", {"form": form})


def _visible(request: HttpRequest, pk: int) -> ConsultationRequest:
    return get_object_or_404(selectors.requests_visible_to(request.user), pk=pk)


@require(selectors.may_see_requests)
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _visible(request, pk)
    services.record_view(actor=request.user, request=consultation)
    return _render_detail(request, consultation, AnswerForm())


def _render_detail(
    request: HttpRequest, consultation: ConsultationRequest, form: AnswerForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "consultations/request_detail.html",
        {
            "consultation": consultation,
            "is_overdue": selectors.is_overdue(consultation),
            "can_answer": selectors.can_answer(request.user, consultation),
            "can_close": selectors.can_close(request.user, consultation),
            "form": form,
        },
        status=status,
    )


@require_POST
@require(selectors.may_see_requests)
def request_answer(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _visible(request, pk)
    form = AnswerForm(request.POST, request.FILES)
    if form.is_valid():
        uploaded = form.cleaned_data["answer_file"]
        try:
            services.answer_request(
                actor=request.user,
                request=consultation,
                text=form.cleaned_data["answer_text"],
                body=uploaded.read() if uploaded else None,
                file_name=(uploaded.name or "") if uploaded else "",
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you: the answer was sent."))
            return redirect("consultation-detail", pk=consultation.pk)
    return _render_detail(request, consultation, form, status=400)


@require_POST
@require(selectors.may_see_requests)
def request_close(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _visible(request, pk)
    services.close_request(actor=request.user, request=consultation)
    messages.success(request, _("The request is closed."))
    return redirect("consultation-detail", pk=consultation.pk)
