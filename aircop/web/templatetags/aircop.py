from __future__ import annotations

from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def minutes(value: timedelta | None) -> int:
    """A duration in whole minutes, for sentences like 'locked for 30 minutes'."""
    return int(value.total_seconds() // 60) if value else 0
