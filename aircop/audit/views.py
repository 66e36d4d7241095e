from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from agencies.models import Role
from agencies.selectors import is_platform_admin
from aircop.audit.filters import AuditEventFilter
from aircop.audit.selectors import audit_events_visible_to
from aircop.web.shortcuts import paginate, require


@require(lambda u: is_platform_admin(u) or u.has_role(Role.SUPERVISOR))
def audit_list(request: HttpRequest) -> HttpResponse:
    """Search the trail: everything for a platform admin, their agency for a supervisor."""
    filterset = AuditEventFilter(request.GET, queryset=audit_events_visible_to(request.user))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/audit_list.html",
        {
            "filter": filterset,
            "page": paginate(request, filterset.qs, per_page=100),
            "query": query.urlencode(),
        },
    )
