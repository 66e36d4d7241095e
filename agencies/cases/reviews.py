"""Supervisors' reviews: the queue of what waits for them, and approving or sending back.

Whether the person may decide is the service's to say (403); a review they may not see at all
answers 404, as its case would.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.cases import selectors, services
from agencies.cases.forms import ReviewForm
from agencies.cases.models import Review
from agencies.cases.pages import is_supervisor
from agencies.selectors import is_agency_member
from aircop.web.shortcuts import posted_next_url, require


@require(is_supervisor)
def review_list(request: HttpRequest) -> HttpResponse:
    """What of the agency's cases waits for a supervisor: shares and changes of state."""
    reviews = selectors.reviews_awaiting(request.user).select_related("case__agency")
    return render(request, "cases/review_list.html", {"reviews": reviews})


def _review(request: HttpRequest, review_pk: int) -> Review:
    """A review of the person's agency's cases; deciding it is the service's to allow (403)."""
    return get_object_or_404(
        selectors.reviews_visible_to(request.user).select_related("case", "share__agency"),
        pk=review_pk,
    )


def _decide_review(
    request: HttpRequest, review_pk: int, decide: Callable[..., Review], done: str
) -> HttpResponse:
    review = _review(request, review_pk)
    form = ReviewForm(request.POST, prefix=f"review-{review.pk}")
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        decide(actor=request.user, review=review, comment=comment)
    except ValidationError as error:
        messages.error(
            request,
            _("%(number)s: %(reason)s")
            % {"number": review.case.number, "reason": " ".join(error.messages)},
        )
    else:
        messages.success(request, done % {"number": review.case.number})
    return redirect(posted_next_url(request, reverse("case-reviews")))


@require(is_agency_member)
@require_POST
def approve_review(request: HttpRequest, review_pk: int) -> HttpResponse:
    return _decide_review(request, review_pk, services.approve, _("%(number)s: approved."))


@require(is_agency_member)
@require_POST
def send_back_review(request: HttpRequest, review_pk: int) -> HttpResponse:
    return _decide_review(request, review_pk, services.send_back, _("%(number)s: sent back."))
