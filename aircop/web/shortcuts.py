"""Small pieces every page uses: 404 for what a person may not see, service errors on forms."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import url_has_allowed_host_and_scheme


def require(predicate: Callable[[Any], bool]) -> Callable[..., Any]:
    """Signed in, and `predicate(user)` holds; otherwise the page does not exist (404)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        @login_required
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not predicate(request.user):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError next to the fields it names."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


def posted_next_url(request: HttpRequest, default: str) -> str:
    """The form's `next` address when it is one of ours; otherwise `default`."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def id_or_404(value: str) -> int:
    """An id from a query string; anything but digits names nothing (404)."""
    if not value.isdigit():
        raise Http404
    return int(value)


def paginate(request: HttpRequest, queryset: QuerySet[Any], per_page: int = 50) -> Page[Any]:
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
