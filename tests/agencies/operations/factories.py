from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from agencies.operations import services
from agencies.operations.models import JointOperation


def create_operation(actor: Any, task_forces: list[Any], **kwargs: Any) -> JointOperation:
    """Operations are created through the service, as a person would."""
    today = timezone.localdate()
    fields: dict[str, Any] = {
        "name": "Airport action day",
        "code": "ACTION-DAY",
        "start_date": today - timedelta(days=2),
        "end_date": today + timedelta(days=2),
    }
    fields.update(kwargs)
    return services.create_operation(actor=actor, task_forces=task_forces, **fields)
