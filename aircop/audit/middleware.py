from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from aircop.audit.context import RequestOrigin, current_origin


def client_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR only: the reverse proxy in docker-compose sets it right (gunicorn
    # --forwarded-allow-ips); trusting X-Forwarded-For here would let anyone forge it.
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_origin.set(
            RequestOrigin(
                ip_address=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
            )
        )
        try:
            return self.get_response(request)
        finally:
            current_origin.reset(token)
