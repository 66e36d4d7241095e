"""Keep each agency's permission group equal to its members."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from agencies.cases.access import sync_agency_group


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def person_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw:  # loading fixtures: groups come with them
        return
    sync_agency_group(instance)
