from __future__ import annotations

from typing import Any

from agencies.cases import services
from agencies.cases.models import CaseFile


def open_case(actor: Any, title: str = "Positive control", **kwargs: Any) -> CaseFile:
    """Cases are opened through the service so that permissions are granted as in real use."""
    return services.open_case(actor=actor, title=title, **kwargs)
