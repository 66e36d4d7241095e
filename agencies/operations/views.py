"""Operation pages: the list with participation per task force, creating one, its results.

An operation comes from `selectors.operations_visible_to` (anything else answers 404).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.cases.pages import case_url, visible_case
from agencies.models import TaskForce
from agencies.operations import selectors, services
from agencies.operations.forms import CaseOperationForm, OperationForm
from agencies.selectors import is_agency_member, is_platform_admin
from aircop.web.shortcuts import add_service_errors, paginate, require


def _may_see_operations(user: Any) -> bool:
    return is_agency_member(user) or is_platform_admin(user)


@require(_may_see_operations)
def operation_list(request: HttpRequest) -> HttpResponse:
    operations = selectors.operations_visible_to(request.user).prefetch_related(
        Prefetch("task_forces", queryset=TaskForce.objects.order_by("code"))
    )
    page = paginate(request, operations)
    figures = selectors.participation(list(page.object_list))
    return render(
        request,
        "operations/operation_list.html",
        {
            "page": page,
            "rows": [(op, figures[op.pk]) for op in page.object_list],
            "can_create": selectors.can_create_operations(request.user),
        },
    )


@require(selectors.can_create_operations)
def operation_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = OperationForm(
        request.POST or None,
        task_forces=selectors.task_forces_for_new_operation(user),
        agencies=selectors.agencies_for_new_operation(user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            operation = services.create_operation(actor=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Operation %(name)s created.") % {"name": operation.name})
            return redirect("operation-detail", pk=operation.pk)
    status = 400 if form.is_bound else 200
    return render(request, "operations/operation_form.html", {"form": form}, status=status)


@require(_may_see_operations)
def operation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    operation = get_object_or_404(
        selectors.operations_visible_to(request.user).select_related("created_by"), pk=pk
    )
    return render(
        request,
        "operations/operation_detail.html",
        {
            "operation": operation,
            "results": selectors.operation_results(operation),
            "own_cases": list(
                selectors.cases_of_operation_visible_to(request.user, operation).select_related(
                    "agency"
                )
            ),
        },
    )


@require(is_agency_member)
@require_POST
def attach_case(request: HttpRequest, case_pk: int) -> HttpResponse:
    """From the case page: the operation the case counts for, or none."""
    case = visible_case(request, case_pk)
    form = CaseOperationForm(
        request.POST, operations=selectors.operations_for_case(request.user, case)
    )
    if form.is_valid():
        operation = form.cleaned_data["operation"]
        try:
            services.attach_case(actor=request.user, case=case, operation=operation)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if operation is not None:
                messages.success(
                    request, _("The case counts for %(name)s.") % {"name": operation.name}
                )
            else:
                messages.success(request, _("The case is in no joint operation."))
    else:
        # Not among the operations offered: not visible, or the agency does not take part.
        messages.error(request, _("Choose an operation your agency takes part in."))
    return redirect(case_url(case, "operation"))
