from __future__ import annotations

from typing import Any

from aircop.audit.services import Action, record_event
from aircop.results.queries import ResultsFilter


def record_download(*, actor: Any, table: str, file_format: str, flt: ResultsFilter) -> None:
    """Every download of a results table leaves an audit record saying what it covered."""
    record_event(
        action=Action.EXPORT,
        actor=actor,
        object_label=f"results: {table}.{file_format}",
        details={
            "table": table,
            "format": file_format,
            "start": flt.start.isoformat(),
            "end": flt.end.isoformat(),
            "task_forces": flt.task_force_ids,
            "agencies": flt.agency_ids,
            "operation": flt.operation_id,
        },
    )
