"""Demo counterparts at Lomé and one alert received from JAITF Dakar about today's traffic."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from agencies.models import TaskForce
from liaison import services, wire
from liaison.models import Counterpart, Exchange
from targeting.manifests.models import Traveller


@transaction.atomic
def load_liaison_demo(*, day: date) -> Exchange | None:
    """Create the counterparts once and file Dakar's alert; returns the alert's exchange."""
    lome = TaskForce.objects.get(code="TG-LFW")
    if Counterpart.objects.filter(task_force=lome).exists():
        return None
    folders = settings.VAR_DIR / "liaison"
    for name, kind, code, channel in [
        ("INTERPOL NCB Lomé (I-24/7)", "i247", "NCB-LOME", "i247_file"),
        ("WCO CENcomm (RILO West and Central Africa)", "cencomm", "RILO-WCA", "cencomm_file"),
    ]:
        outbox, inbox = folders / kind / "outbox", folders / kind / "inbox"
        outbox.mkdir(parents=True, exist_ok=True)
        inbox.mkdir(parents=True, exist_ok=True)
        Counterpart.objects.create(
            task_force=lome,
            kind=kind,
            code=code,
            name=name,
            channel=channel,
            outbox_dir=str(outbox),
            inbox_dir=str(inbox),
        )
    # Dakar runs on another installation in real life: here it has no key, so nothing it
    # "sends" could be taken over the wire; its alert is filed as if it had arrived.
    dakar = Counterpart.objects.create(
        task_force=lome,
        kind=Counterpart.Kind.TASK_FORCE,
        code="SN-DSS",
        name="JAITF Dakar",
        channel="jaitf_https",
        endpoint="https://jaitf-dakar.invalid",
        remote_task_force="SN-DSS",
    )
    traveller = (
        Traveller.objects.filter(
            flight__task_force=lome,
            flight__departure_date=day,
            flight__arrival_airport="LFW",
            # In the window alerts are matched in (alerts.py): arriving now or later.
            flight__scheduled_arrival__gte=timezone.now() - timedelta(hours=1),
            kind=Traveller.Kind.PASSENGER,
            hits__isnull=True,
            documents__isnull=False,
        )
        .select_related("flight")
        .order_by("flight__scheduled_arrival", "pk")
        .first()
    )
    if traveller is None:
        return None
    message, _created = services.receive(
        counterpart=dakar, payload=_alert(traveller, deadline=timezone.now() + timedelta(hours=6))
    )
    return message.exchange


def _alert(traveller: Traveller, *, deadline: datetime) -> dict[str, object]:
    return {
        "format": wire.FORMAT,
        "message_id": str(uuid.uuid4()),
        "exchange_id": str(uuid.uuid4()),
        "in_reply_to": None,
        "sent_at": timezone.now().isoformat(),
        "sender": {
            "installation": "aircop-dakar",
            "task_force": "SN-DSS",
            "agency": "SN-POL",
            "name": "Awa Diop, liaison officer",
        },
        "recipient": {"code": "TG-LFW", "agency": "TG-POL"},
        "kind": "alert",
        "handling": "amber",
        "deadline": deadline.isoformat(),
        "subject": f"Suspected courier on {traveller.flight.designator}",
        "body": (
            "Our controls at Dakar found a courier network using this route; this passenger "
            "bought the ticket in cash with the same agency. Please control on arrival and tell "
            "us the outcome."
        ),
        "travellers": [services.traveller_json(traveller)],
        "flights": [],
        "cases": [],
    }
