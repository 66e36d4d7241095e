from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse

from agencies.selectors import is_airline_user

# What an airline's staff may open: their requests, signing in and out, their password, and
# their own profile (where they make the personal tokens the request API takes).
# Token-authenticated API calls are confined by aircop.api.permissions.IsPerson, and below.
OPEN_TO_AIRLINE_STAFF = (
    "/requests/",
    "/api/v1/requests/",
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/password/",
    "/profile/",
    "/i18n/",
    "/healthz",
)


class AirlineStaffConfinementMiddleware:
    """An airline's staff see nothing of the application but their requests: elsewhere 404."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_airline_user(getattr(request, "user", None)):
            path = request.path_info
            if path == "/":
                return HttpResponseRedirect(reverse("consultation-list"))
            static = settings.STATIC_URL or "/static/"
            if not path.startswith((*OPEN_TO_AIRLINE_STAFF, "/" + static.lstrip("/"))):
                raise Http404
        response = self.get_response(request)
        # A token is read by the API view itself: should one of its views not check it with
        # IsPerson (which answers 404 to airline staff), its answer is not shown either.
        path = request.path_info
        if (
            path.startswith("/api/")
            and not path.startswith(OPEN_TO_AIRLINE_STAFF)
            and is_airline_user(getattr(request, "user", None))
        ):
            return JsonResponse({"detail": "Not found."}, status=404)
        return response
