"""Airlines: who edits, who sees, grouping by state with data quality, agreement documents,
and the data-quality feedback that must carry no personal data."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from agencies.airlines.models import AgreementDocument, Airline, AirlineContact
from agencies.airlines.services import save_airline
from agencies.models import Role
from aircop.audit.models import AuditEvent
from targeting.ingestion.models import Finding, InboundMessage
from tests.agencies.factories import DataProviderFactory, PersonFactory
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

SURNAME, GIVEN, BIRTH, DOCUMENT = "OKONKWO", "CHIDIMMA", "571331", "A12345678"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _airline(actor: Any, **kw: Any) -> Airline:
    values: dict[str, Any] = {"code": "ET", "name": "Ethiopian", "state": Airline.State.SENDING_API}
    values.update(kw)
    return save_airline(actor=actor, **values)


def _message(task_force: Any, provider: Any, **kw: Any) -> InboundMessage:
    return InboundMessage.objects.create(
        task_force=task_force, provider=provider, sha256=str(kw.pop("n", 0)) * 64, **kw
    )


def test_supervisor_and_agency_admin_edit_officer_reads(
    supervisor: Any, police_admin: Any, officer: Any
) -> None:
    airline = _airline(supervisor)
    response = client_for(police_admin).post(
        f"/airlines/{airline.pk}/",
        {
            "code": "ET",
            "name": "Ethiopian Airlines",
            "state": "agreement_signed",
            "inbound": "on",
            "channels": ["api_push", "email"],
            "api_hours_before": "48",
        },
    )
    assert response.status_code == 302
    airline.refresh_from_db()
    assert (airline.name, airline.state, airline.channels, airline.api_hours_before) == (
        "Ethiopian Airlines",
        "agreement_signed",
        ["api_push", "email"],
        48,
    )
    assert AuditEvent.objects.filter(object_id=str(airline.pk), action="change").exists()
    reader = client_for(officer)
    assert reader.get(f"/airlines/{airline.pk}/").status_code == 200
    assert reader.post(f"/airlines/{airline.pk}/", {"code": "XX", "name": "x"}).status_code == 404
    assert reader.get("/airlines/new/").status_code == 404
    assert "Airlines" in reader.get("/airlines/").content.decode()


def test_member_of_other_task_force_gets_404(supervisor: Any, other_agency: Any) -> None:
    airline = _airline(supervisor)
    stranger = PersonFactory(agency=other_agency, roles=[Role.SUPERVISOR])
    client = client_for(stranger)
    for url in ("", "feedback/", "feedback.csv"):
        assert client.get(f"/airlines/{airline.pk}/{url}").status_code == 404
    assert "Ethiopian" not in client.get("/airlines/").content.decode()


def test_list_groups_by_state_with_data_quality(supervisor: Any, task_force: Any) -> None:
    provider: Any = DataProviderFactory(code="ET")
    provider.task_forces.add(task_force)
    _airline(supervisor, provider=provider)
    _airline(supervisor, code="AF", name="Air France", state=Airline.State.IN_CONSULTATION)
    _message(task_force, provider, n=1, is_late=True)
    _message(task_force, provider, n=2, state=InboundMessage.State.REJECTED)
    _message(task_force, provider, n=3)
    _message(task_force, provider, n=4)
    html = client_for(supervisor).get("/airlines/").content.decode()
    sending = html.index('id="state-sending_api"')
    consulting = html.index('id="state-in_consultation"')
    assert consulting < sending
    row = html[html.index('data-airline="ET"') :]
    row = row[: row.index("</tr>")]
    assert 'data-state="sending_api"' in row
    assert '"messages">4<' in row and '"share_late">25 %<' in row and '"rejected">1<' in row
    af = html[html.index('data-airline="AF"') :]
    assert 'data-state="in_consultation"' in af[:80]


def test_wrong_document_type_refused_nothing_stored(
    supervisor: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    airline = _airline(supervisor)
    client = client_for(supervisor)
    zip_bytes = b"PK\x03\x04" + b"\x00" * 100
    response = client.post(
        f"/airlines/{airline.pk}/documents/",
        {"upload": SimpleUploadedFile("agreement.pdf", zip_bytes)},
    )
    assert response.status_code == 400
    assert "ZIP" in response.content.decode()
    assert not AgreementDocument.objects.exists()
    assert not any(tmp_path.rglob("*.*")) and not list((tmp_path).rglob("airlines/*/*"))
    ok = client.post(
        f"/airlines/{airline.pk}/documents/", {"upload": SimpleUploadedFile("a.pdf", PDF)}
    )
    assert ok.status_code == 302
    document = AgreementDocument.objects.get()
    assert b"".join(client.get(f"/airlines/{airline.pk}/documents/{document.pk}/")) == PDF


def test_feedback_report_carries_no_personal_data(
    supervisor: Any, task_force: Any, embedded_celery: None, django_capture_on_commit_callbacks: Any
) -> None:
    provider = DataProviderFactory(code="ET")
    airline = _airline(supervisor, provider=provider)
    contact = AirlineContact.objects.create(airline=airline, name="Data desk", email="d@et.test")
    late = _message(task_force, provider, n=1, is_late=True, minutes_before_departure=30)
    other = _message(task_force, provider, n=2)
    Finding.objects.create(
        message=late,
        severity="warning",
        segment=12,
        line=13,
        text=f"NAD+FL: {SURNAME} {GIVEN} has no birth date (DTM+329), no gender (ATT+2)",
    )
    Finding.objects.create(
        message=late,
        severity="warning",
        segment=14,
        line=15,
        text=f"DTM+329: birth date '{BIRTH}' is not a valid YYMMDD date",
    )
    Finding.objects.create(
        message=other,
        severity="warning",
        segment=20,
        line=21,
        text=f"TIF+{SURNAME}: unknown travel document type '{DOCUMENT}'",
    )
    Finding.objects.create(
        message=other,
        severity="error",
        segment=None,
        line=None,
        text=f"row 3, column passport: {DOCUMENT} for {SURNAME} is empty",
    )
    client = client_for(supervisor)
    page = client.get(f"/airlines/{airline.pk}/feedback/").content.decode()
    sheet = client.get(f"/airlines/{airline.pk}/feedback.csv").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/airlines/{airline.pk}/feedback/send/", {"contact": contact.pk})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    outputs = [
        page,
        sheet,
        message.body,
        message.subject,
        *(str(content) for _name, content, _type in message.attachments),
    ]
    for output in outputs:
        for secret in (SURNAME, GIVEN, BIRTH, DOCUMENT, "passport"):
            assert secret not in output, (secret, output[:2000])
    rows = list(csv.reader(io.StringIO(sheet)))
    summary = {r[1]: r[3] for r in rows if r[0] == "summary"}
    assert summary == {"messages": "2", "late": "1", "rejected": "0", "with findings": "2"}
    missing = {r[1]: r[3] for r in rows if r[0] == "missing field"}
    assert missing["birth date (DTM+329)"] == "1" and missing["gender (ATT+2)"] == "1"
    errors = {(r[1], r[2]): r[3] for r in rows if r[0] == "format error"}
    assert errors[("DTM+329", "a date is not a valid date")] == "1"
    assert errors[("TIF", "a code is not a known code")] == "1"
    assert any("segment 14, DTM+329, line 15" in r[1] for r in rows if r[0] == "example")
    month = timezone.now().strftime("%Y-%m")
    assert [r[3] for r in rows if r[0] == "month" and r[1] == month] == ["2", "1", "0", "2"]
    reasons = set(AuditEvent.objects.filter(action="export").values_list("reason", flat=True))
    assert {
        "data-quality feedback (page)",
        "data-quality feedback (csv)",
        "data-quality feedback (e-mail)",
    } <= reasons
    assert contact.email in message.to
