"""A day of synthetic API and PNR traffic for the demo task force, received as airlines push it."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from agencies import services as agency_services
from agencies.models import DataProvider, TaskForce
from targeting.ingestion import services, synthetic
from targeting.manifests.models import Flight

AIRLINE_NAMES = {
    "KP": "ASKY Airlines",
    "HF": "Air Côte d'Ivoire",
    "ET": "Ethiopian Airlines",
    "AF": "Air France",
    "SN": "Brussels Airlines",
    "TK": "Turkish Airlines",
    "AT": "Royal Air Maroc",
    "QR": "Qatar Airways",
}


def load_day(*, task_force: TaskForce, airport: str, day: date, flights: int = 12) -> int:
    """Receive and store a generated day for `task_force`; returns the number of messages.

    Does nothing when the task force already has flights that day (the demo can run twice).
    """
    if Flight.objects.filter(task_force=task_force, departure_date=day).exists():
        return 0
    providers: dict[str, DataProvider] = {}
    now = timezone.now()
    generated = synthetic.generate_day(airport, day, flights=flights, seed=day.toordinal())
    for message in generated:
        carrier = message.flight.split("/", 1)[0][:2]
        provider = providers.get(carrier) or _provider(carrier, task_force)
        providers[carrier] = provider
        try:
            received = services.receive_message(
                body=message.body,
                provider=provider,
                file_name=message.name,
                # Traffic due later today is taken as already received: never in the future.
                received_at=min(message.sent_at, now),
            )
        except PermissionDenied:
            continue  # a generated fault (unknown airport): refused as the API would
        services.store_message_content(received.message.pk)
    return len(generated)


def _provider(carrier: str, task_force: TaskForce) -> DataProvider:
    provider = DataProvider.objects.filter(code=carrier).first()
    if provider is None:
        with transaction.atomic():
            provider = agency_services.create_data_provider(
                actor=None,
                code=carrier,
                name=AIRLINE_NAMES.get(carrier, carrier),
                task_force_codes=[task_force.code],
            )
    elif not provider.task_forces.filter(pk=task_force.pk).exists():
        provider.task_forces.add(task_force)
    return provider
