"""Manifest files (CSV, XLSX) uploaded by officers: columns confirmed once per airline.

The first file of an airline shows the proposed column mapping for an officer to confirm or
correct; the confirmed mapping is remembered for the airline, and later files of the same
layout are stored straight away.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agencies.models import DataProvider, TaskForce
from aircop.audit.services import Action, record_event
from targeting.ingestion import records, tabular
from targeting.ingestion.models import ColumnMapping, Finding, InboundMessage
from targeting.ingestion.services import Received, duplicate_of, lateness
from targeting.ingestion.storing import store_messages
from targeting.manifests.models import Flight

TABULAR_SUFFIXES = (".csv", ".xlsx")


def is_manifest_file(body: bytes, file_name: str) -> bool:
    """CSV or XLSX by name, or an XLSX by its ZIP signature; everything else is EDIFACT."""
    return file_name.lower().endswith(TABULAR_SUFFIXES) or body[:4] == b"PK\x03\x04"


def receive_manifest(
    *,
    body: bytes,
    file_name: str,
    uploaded_by: Any,
    provider: DataProvider | None,
    task_force: TaskForce | None = None,
) -> Received:
    """Keep the raw file once for the uploader's task force (or the one named); nothing is read
    into flights yet."""
    task_force = task_force or uploaded_by.agency.task_force
    digest = hashlib.sha256(body).hexdigest()
    fmt = InboundMessage.Format.XLSX if body[:4] == b"PK\x03\x04" else InboundMessage.Format.CSV
    with transaction.atomic():
        original = duplicate_of(task_force, digest, [])
        message = InboundMessage.objects.create(
            uploaded_by=uploaded_by,
            provider=provider,
            task_force=task_force,
            file_name=file_name[:200],
            format=fmt,
            kind="manifest",
            sha256=digest,
            size=len(body),
            body=None if original else body,
            duplicate_of=original,
            state=InboundMessage.State.DUPLICATE if original else InboundMessage.State.RECEIVED,
        )
        record_event(
            action=Action.CREATE,
            actor=uploaded_by,
            obj=message,
            details={"state": message.state, "format": fmt},
        )
    return Received(message, is_duplicate=original is not None)


def read_columns(message: InboundMessage) -> tabular.Table:
    """The table of a received manifest file; raises ValidationError if it cannot be read."""
    try:
        return tabular.read_table(bytes(message.body or b""), message.file_name)
    except tabular.TableError as err:
        raise ValidationError(str(err)) from err


def check_manifest(message: InboundMessage) -> tabular.Table:
    """Refuse at once a file that cannot be a manifest: unreadable, or no column for names."""
    table = read_columns(message)
    guessed = tabular.propose_mapping(table.headers)
    if all(guessed.values()) and not set(guessed.values()) & set(tabular.NAME_FIELDS):
        raise ValidationError(
            _("No column of %(name)s holds names (columns: %(headers)s).")
            % {"name": message.file_name, "headers": ", ".join(table.headers)}
        )
    return table


def remembered_mapping(provider: DataProvider | None) -> dict[str, str | None]:
    if provider is None:
        return {}
    mapping = ColumnMapping.objects.filter(provider=provider).first()
    return dict(mapping.columns) if mapping else {}


def proposed_mapping(table: tabular.Table, provider: DataProvider | None) -> dict[str, str | None]:
    """The airline's remembered mapping where it knows a header, else the reader's guess."""
    known = remembered_mapping(provider)
    guessed = tabular.propose_mapping(table.headers)
    return {h: known[h] if h in known else guessed.get(h) for h in table.headers}


def reject(message: InboundMessage, text: str) -> InboundMessage:
    InboundMessage.objects.filter(pk=message.pk).update(
        state=InboundMessage.State.REJECTED, error=text[:2000]
    )
    Finding.objects.create(message=message, severity="error", text=text[:500])
    message.refresh_from_db()
    return message


@dataclass(frozen=True)
class FlightInput:
    """Flight details an officer types when the file does not carry them."""

    carrier: str = ""
    number: str = ""
    departure_airport: str = ""
    arrival_airport: str = ""
    departure: Any = None  # naive local datetime
    arrival: Any = None

    def leg(self) -> records.FlightLeg | None:
        if not any(
            [
                self.carrier,
                self.number,
                self.departure_airport,
                self.arrival_airport,
                self.departure,
            ]
        ):
            return None
        return records.FlightLeg(
            carrier=self.carrier.upper() or None,
            number=self.number.upper() or None,
            departure=records.Point(self.departure_airport.upper() or None, self.departure),
            arrival=records.Point(self.arrival_airport.upper() or None, self.arrival),
        )


def store_manifest(
    *,
    message: InboundMessage,
    mapping: Mapping[str, str | None],
    flight: FlightInput | None,
    provider: DataProvider | None,
    confirmed_by: Any,
) -> InboundMessage:
    """Read the file with the confirmed mapping and store its flight and travellers, whole.

    The mapping is remembered for the airline. Raises ValidationError (nothing stored) when the
    file cannot be read with it, PermissionDenied when the flight does not serve the task force.
    """
    if message.state != InboundMessage.State.RECEIVED:
        raise ValidationError(
            _("This file has already been handled (%(s)s).") % {"s": message.get_state_display()}
        )
    table = read_columns(message)
    try:
        parsed = tabular.apply_mapping(table, mapping, flight=flight.leg() if flight else None)
    except tabular.TableError as err:
        raise ValidationError(str(err)) from err
    task_force = message.task_force
    airports = set(task_force.airports.values_list("iata_code", flat=True))
    served = {p for leg in parsed.flights for p in (leg.departure.airport, leg.arrival.airport)}
    if not airports & served:
        raise PermissionDenied(
            _("This flight (%(route)s) does not serve your task force's airports.")
            % {"route": " → ".join(sorted(a for a in served if a))}
        )
    with transaction.atomic():
        result = store_messages(task_force, [parsed])
        Finding.objects.bulk_create(
            Finding(
                message=message,
                severity=f.severity,
                segment=f.segment,
                line=f.line,
                text=f.text[:500],
            )
            for f in [*table.findings, *parsed.findings, *result.findings]
        )
        flights = list(Flight.objects.filter(pk__in=result.flights))
        message.flights.set(flights)
        message.provider = provider
        message.minutes_before_departure, message.is_late = lateness(message, flights)
        message.traveller_count = len(parsed.travellers)
        message.state = InboundMessage.State.PARSED
        message.save()
        from targeting.rules.tasks import screen_flight

        for flight in flights:
            screen_flight.delay_on_commit(flight.pk)
        if provider is not None:
            ColumnMapping.objects.update_or_create(
                provider=provider,
                defaults={
                    "columns": {**remembered_mapping(provider), **dict(mapping)},
                    "confirmed_by": confirmed_by,
                },
            )
        record_event(
            action=Action.CHANGE,
            actor=confirmed_by,
            obj=message,
            details={"mapping": dict(mapping), "provider": getattr(provider, "code", None)},
        )
    return message


def store_with_remembered_mapping(message: InboundMessage) -> InboundMessage | None:
    """Store straight away when the airline's remembered mapping knows every column.

    Returns None when an officer must confirm (new layout, no airline, or flight not in file).
    """
    provider = message.provider
    known = remembered_mapping(provider)
    if not known:
        return None
    table = read_columns(message)
    if any(h not in known for h in table.headers):
        return None
    try:
        return store_manifest(
            message=message,
            mapping={h: known[h] for h in table.headers},
            flight=None,
            provider=provider,
            confirmed_by=message.uploaded_by,
        )
    except (ValidationError, PermissionDenied):
        return None
