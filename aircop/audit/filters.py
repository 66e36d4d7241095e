from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from aircop.audit.models import AuditEvent


class AuditEventFilter(django_filters.FilterSet):
    """Filters shared by the audit page and the audit API."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    action = django_filters.ChoiceFilter(label=_("What"), choices=AuditEvent.Action.choices)
    actor = django_filters.CharFilter(
        label=_("Who"), field_name="actor_label", lookup_expr="icontains"
    )
    object_type = django_filters.CharFilter(label=_("Object type"), lookup_expr="iexact")
    object_id = django_filters.CharFilter(label=_("Object id"))
    since = django_filters.IsoDateTimeFilter(label=_("From"), field_name="at", lookup_expr="gte")
    until = django_filters.IsoDateTimeFilter(label=_("Until"), field_name="at", lookup_expr="lt")

    class Meta:
        model = AuditEvent
        fields = ["q", "action", "actor", "object_type", "object_id", "since", "until"]

    def search(self, queryset: QuerySet[AuditEvent], name: str, value: str) -> QuerySet[AuditEvent]:
        return queryset.filter(
            Q(actor_label__icontains=value)
            | Q(object_repr__icontains=value)
            | Q(reason__icontains=value)
            | Q(ip_address__startswith=value)
        )
