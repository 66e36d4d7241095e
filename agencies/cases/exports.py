"""A case as structured data: the JSON export, the API's detail and the printable page use it.

Exporting writes an audit record (`record_export`); building the structure alone does not.
"""

from __future__ import annotations

from typing import Any

from agencies.cases.models import CaseFile
from aircop.audit.services import Action, record_event

EXPORT_FORMAT = "aircop-case/1"


def _person(person: Any) -> dict[str, Any]:
    return {"id": person.pk, "name": person.get_full_name() or person.get_username()}


def case_document(case: CaseFile) -> dict[str, Any]:
    """Everything the case holds, in a stable shape (format `aircop-case/1`)."""
    return {
        "format": EXPORT_FORMAT,
        "number": case.number,
        "title": case.title,
        "summary": case.summary,
        "agency": case.agency.code,
        "state": case.state,
        "outcome": case.outcome,
        "opened_by": _person(case.opened_by),
        "opened_at": case.opened_at.isoformat(),
        "closed_at": case.closed_at.isoformat() if case.closed_at else None,
        "flights": [
            {
                "id": f.pk,
                "designator": f.designator,
                "departure_airport": f.departure_airport,
                "arrival_airport": f.arrival_airport,
                "departure_date": f.departure_date.isoformat(),
            }
            for f in case.flights.all()
        ],
        "subjects": [
            {
                "id": s.pk,
                "traveller": s.traveller_id,
                "surname": s.surname,
                "given_names": s.given_names,
                "birth_date": s.birth_date.isoformat() if s.birth_date else None,
                "sex": s.sex,
                "nationality": s.nationality,
                "document_number": s.document_number,
                "role": s.role,
                "is_arrested": s.is_arrested,
                "is_trafficking_victim": s.is_trafficking_victim,
                "is_foreign_terrorist_fighter": s.is_foreign_terrorist_fighter,
            }
            for s in case.subjects.all()
        ],
        "seizures": [
            {
                "id": z.pk,
                "commodity": z.commodity,
                "quantity": str(z.quantity),
                "unit": z.unit,
                "currency": z.currency,
                "concealment": z.concealment,
                "description": z.description,
                "seized_on": z.seized_on.isoformat(),
                "flight": z.flight_id,
                "agency": z.agency.code,
            }
            for z in case.seizures.select_related("agency")
        ],
        "entries": [
            {
                "id": e.pk,
                "kind": e.kind,
                "text": e.text,
                "author": _person(e.author),
                "agency": e.agency.code,
                "created_at": e.created_at.isoformat(),
            }
            for e in case.entries.select_related("author", "agency")
        ],
        "attachments": [
            {
                "id": a.pk,
                "name": a.name,
                "description": a.description,
                "content_type": a.content_type,
                "size": a.size,
                "sha256": a.sha256,
                "agency": a.agency.code,
                "uploaded_at": a.uploaded_at.isoformat(),
            }
            for a in case.attachments.select_related("agency")
        ],
        "shared_with": [
            {"agency": s.agency.code, "state": s.state}
            for s in case.shares.select_related("agency")
        ],
    }


def record_export(*, actor: Any, case: CaseFile, kind: str) -> None:
    """Every export of a case (JSON, printable page) is audited with its kind."""
    record_event(
        action=Action.EXPORT, actor=actor, obj=case, reason=f"case {kind}", details={"kind": kind}
    )
