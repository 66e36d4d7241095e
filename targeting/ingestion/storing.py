"""Turn parsed messages into flights, travellers, documents and reservations of a task force.

API (PAXLST) and PNR (PNRGOV) data for the same person on the same flight become one traveller:
matched on a document number, else on the name key and birth date (and the record locator when
both sides have one). Later pushes update the record; a cancel removes the travellers it names.
Runs inside the caller's transaction: a message is stored whole or not at all.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from agencies.models import Airport, TaskForce
from targeting.ingestion import records
from targeting.manifests.keys import (
    document_key,
    email_key,
    flight_number_key,
    fold,
    name_key,
    phone_key,
)
from targeting.manifests.models import (
    Contact,
    Flight,
    Payment,
    Reservation,
    TravelDocument,
    Traveller,
)


@dataclass
class StoreResult:
    flights: set[int] = field(default_factory=set)
    travellers_created: int = 0
    travellers_updated: int = 0
    travellers_removed: int = 0
    findings: list[records.Finding] = field(default_factory=list)


class _Zones:
    """Airport time zones, looked up once per message: message times are airport-local."""

    def __init__(self) -> None:
        self._zones: dict[str, zoneinfo.ZoneInfo | None] = {}

    def zone(self, airport: str | None) -> zoneinfo.ZoneInfo | None:
        if not airport:
            return None
        if airport not in self._zones:
            tz = Airport.objects.filter(iata_code=airport).values_list("time_zone", flat=True)
            self._zones[airport] = zoneinfo.ZoneInfo(tz[0]) if tz else None
        return self._zones[airport]

    def to_utc(
        self, value: datetime | None, airport: str | None, result: StoreResult
    ) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is not None:
            return value.astimezone(UTC)
        zone = self.zone(airport)
        if zone is None:
            result.findings.append(
                records.Finding(
                    "warning",
                    None,
                    None,
                    f"airport {airport or '(none)'} is not in the airport list: its local time "
                    f"{value:%Y-%m-%d %H:%M} was taken as UTC",
                )
            )
            return value.replace(tzinfo=UTC)
        return value.replace(tzinfo=zone).astimezone(UTC)


def _relevant(legs: list[records.FlightLeg], airports: set[str]) -> list[records.FlightLeg]:
    """The legs that touch the task force's airports (all legs if none does)."""
    complete = [leg for leg in legs if leg.departure.airport and leg.arrival.airport]
    touching = [
        leg
        for leg in complete
        if leg.departure.airport in airports or leg.arrival.airport in airports
    ]
    return touching or complete


def _upsert_flight(
    task_force: TaskForce, leg: records.FlightLeg, zones: _Zones, result: StoreResult
) -> Flight | None:
    departure_time = leg.departure.time or leg.arrival.time
    if not (leg.carrier and leg.number and leg.departure.airport and departure_time):
        result.findings.append(
            records.Finding(
                "error",
                None,
                None,
                "a flight leg lacks its carrier, number, departure airport or date: "
                "its travellers could not be attached to a flight",
            )
        )
        return None
    departure = zones.to_utc(leg.departure.time, leg.departure.airport, result)
    arrival = zones.to_utc(leg.arrival.time, leg.arrival.airport, result)
    flight, created = Flight.objects.get_or_create(
        task_force=task_force,
        carrier=leg.carrier.upper(),
        number=flight_number_key(leg.number),
        departure_airport=leg.departure.airport.upper(),
        departure_date=departure_time.date(),
        defaults={
            "arrival_airport": (leg.arrival.airport or "").upper(),
            "scheduled_departure": departure,
            "scheduled_arrival": arrival,
        },
    )
    if not created:
        changed = []
        for name, value in [
            ("arrival_airport", (leg.arrival.airport or "").upper()),
            ("scheduled_departure", departure),
            ("scheduled_arrival", arrival),
        ]:
            if value and getattr(flight, name) != value:
                setattr(flight, name, value)
                changed.append(name)
        if changed:
            flight.save(update_fields=[*changed, "updated_at"])
    result.flights.add(flight.pk)
    return flight


def _find_traveller(
    flight: Flight,
    *,
    documents: list[records.Document],
    surname: str | None,
    given_names: str | None,
    birth_date: object,
    booking_ref: str | None,
    kind: str,
) -> Traveller | None:
    keys = [document_key(d.number) for d in documents if d.number]
    if keys:
        match = (
            Traveller.objects.filter(flight=flight, documents__number_key__in=keys)
            .distinct()
            .first()
        )
        if match:
            return match
    candidates = Traveller.objects.filter(
        flight=flight, kind=kind, name_key=name_key(surname, given_names)
    )
    for candidate in candidates:
        if birth_date and candidate.birth_date and candidate.birth_date != birth_date:
            continue
        if booking_ref and candidate.booking_ref and candidate.booking_ref != booking_ref:
            continue
        return candidate
    return None


def _store_documents(traveller: Traveller, documents: list[records.Document], source: str) -> None:
    for document in documents:
        key = document_key(document.number)
        if not key:
            continue
        existing = TravelDocument.objects.filter(
            traveller=traveller, type=(document.type or "")[:3], number_key=key
        ).first()
        values = {
            "number": document.number or "",
            "issuing_state": (document.issuing_state or "")[:3],
            "expiry": document.expiry,
            "issued_on": document.issued,
        }
        if existing is None:
            TravelDocument.objects.create(
                traveller=traveller,
                type=(document.type or "")[:3],
                number_key=key,
                source=source,
                **values,
            )
            continue
        # API data is read from the document itself: it corrects what PNR declared.
        if source == TravelDocument.Source.API or existing.source == TravelDocument.Source.PNR:
            for name, value in values.items():
                if value:
                    setattr(existing, name, value)
            existing.source = source if source == TravelDocument.Source.API else existing.source
            existing.save()


def _set_fields(traveller: Traveller, values: dict[str, object], *, overwrite: bool) -> None:
    """API data overwrites identity fields; PNR data fills only what is still empty.

    Text is cut to the field's own length, so no caller repeats the model's limits.
    """
    for name, value in values.items():
        if value in (None, ""):
            continue
        if isinstance(value, str):
            limit = Traveller._meta.get_field(name).max_length
            value = value[:limit] if limit else value
        if overwrite or not getattr(traveller, name):
            setattr(traveller, name, value)


def _bags_json(bags: records.Bags) -> dict[str, object]:
    return {"count": bags.count, "weight": bags.weight, "unit": bags.unit, "tags": list(bags.tags)}


def _save_traveller(
    traveller: Traveller,
    *,
    is_new: bool,
    result: StoreResult,
    documents: list[records.Document],
    source: str,
) -> None:
    """The end of every merge: key, back on the flight, saved, counted, documents stored."""
    traveller.name_key = name_key(traveller.surname, traveller.given_names)
    traveller.cancelled_at = None
    traveller.save()
    if is_new:
        result.travellers_created += 1
    else:
        result.travellers_updated += 1
    _store_documents(traveller, documents, source)


def store_paxlst(
    task_force: TaskForce, message: records.ParsedMessage, zones: _Zones, result: StoreResult
) -> None:
    """PAXLST: travellers of each list on the legs that concern the task force's airports."""
    airports = set(task_force.airports.values_list("iata_code", flat=True))
    legs = _relevant(message.flights, airports)
    if not legs:
        result.findings.append(
            records.Finding("error", None, None, "the list names no complete flight leg")
        )
        return
    flight = _upsert_flight(task_force, legs[0], zones, result)
    if flight is None:
        return
    kind = Traveller.Kind.CREW if message.list_type == "crew" else Traveller.Kind.PASSENGER
    for person in message.travellers:
        existing = _find_traveller(
            flight,
            documents=person.documents,
            surname=person.surname,
            given_names=person.given_names,
            birth_date=person.birth_date,
            booking_ref=person.booking_ref,
            kind=kind,
        )
        if message.action == "cancel":
            if existing and existing.cancelled_at is None:
                existing.cancelled_at = timezone.now()
                existing.save(update_fields=["cancelled_at", "updated_at"])
                result.travellers_removed += 1
            continue
        traveller = existing or Traveller(flight=flight, kind=kind)
        _set_fields(
            traveller,
            {
                "surname": person.surname,
                "given_names": person.given_names,
                "sex": person.sex,
                "birth_date": person.birth_date,
                "nationality": person.nationality,
                "residence": person.residence,
                "birth_place": person.birth_place,
                "embarkation": person.embarkation,
                "disembarkation": person.disembarkation,
                "seat": person.seat,
                "booking_ref": person.booking_ref,
                "passenger_ref": person.passenger_ref,
                "crew_function": person.crew_function,
                "frequent_flyer": person.frequent_flyer,
                "phone": person.phones[0] if person.phones else None,
                "email": person.emails[0] if person.emails else None,
            },
            overwrite=True,
        )
        if person.bags is not None:
            traveller.bags = _bags_json(person.bags)
        traveller.is_transit = traveller.is_transit or person.is_in_transit
        traveller.has_api = True
        _save_traveller(
            traveller,
            is_new=existing is None,
            result=result,
            documents=person.documents,
            source=TravelDocument.Source.API,
        )


def _decimal(value: str | None) -> Decimal | None:
    try:
        return Decimal(value) if value else None
    except InvalidOperation:
        return None


def _replace_reservation_details(reservation: Reservation, pnr: records.Reservation) -> None:
    """A PNR included in a push is always sent whole: its contacts and payments are replaced."""
    reservation.contacts.all().delete()
    reservation.payments.all().delete()
    contacts: dict[tuple[str, str], Contact] = {}
    for phone in pnr.contacts.phones:
        key = phone_key(phone)
        if key:
            contacts[("phone", key)] = Contact(kind="phone", value=phone[:300], normalized=key)
    for email in pnr.contacts.emails:
        contacts[("email", email_key(email))] = Contact(
            kind="email", value=email[:300], normalized=email_key(email)[:300]
        )
    for address in pnr.contacts.addresses:
        text = address.text or ", ".join(
            p
            for p in (
                address.street,
                address.city,
                address.region,
                address.postcode,
                address.country,
            )
            if p
        )
        if text:
            contacts[("address", fold(text))] = Contact(
                kind="address", value=text[:300], normalized=fold(text)[:300]
            )
    for contact in contacts.values():
        contact.reservation = reservation
    Contact.objects.bulk_create(contacts.values())
    Payment.objects.bulk_create(
        Payment(
            reservation=reservation,
            type=(p.type or "")[:8],
            card_vendor=(p.card_vendor or "")[:4],
            card_last4=(p.card_last4 or "")[:4],
            card_hash=p.card_hash or "",
            amount=_decimal(p.amount),
        )
        for p in pnr.payments
    )


def _as_utc(value: datetime | None) -> datetime | None:
    """PNR booking and ticketing times are given in GMT (PNRGOV guide), sometimes without zone."""
    if value is None:
        return None
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def _leg_json(leg: records.ItineraryLeg) -> dict[str, object]:
    return {
        "carrier": leg.carrier,
        "number": leg.number,
        "from": leg.from_airport,
        "to": leg.to_airport,
        # Local times of the leg's airports, as the reservation gives them.
        "departure": f"{leg.departure:%Y-%m-%d %H:%M}" if leg.departure else None,
        "arrival": f"{leg.arrival:%Y-%m-%d %H:%M}" if leg.arrival else None,
        "operating_carrier": leg.operating_carrier,
        "operating_number": leg.operating_number,
        "status": leg.status,
    }


def store_pnrgov(
    task_force: TaskForce, message: records.ParsedMessage, zones: _Zones, result: StoreResult
) -> None:
    """PNRGOV: every reservation of the push, its travellers on the pushed flight."""
    airports = set(task_force.airports.values_list("iata_code", flat=True))
    legs = _relevant(message.flights, airports)
    flight = _upsert_flight(task_force, legs[0], zones, result) if legs else None
    if flight is None:
        result.findings.append(
            records.Finding("error", None, None, "the push names no flight (level-0 TVL)")
        )
        return
    for pnr in message.reservations:
        if not pnr.record_locator:
            continue
        owner = (pnr.carrier or flight.carrier)[:3]
        reservation, _created = Reservation.objects.get_or_create(
            task_force=task_force, owner=owner, record_locator=pnr.record_locator[:12]
        )
        if pnr.is_cancelled:
            removed = Traveller.objects.filter(
                flight=flight, reservation=reservation, cancelled_at__isnull=True
            ).update(cancelled_at=timezone.now())
            result.travellers_removed += removed
            continue
        reservation.booked_at = _as_utc(pnr.booked_at)
        reservation.ticketed_at = _as_utc(pnr.ticketed_at)
        reservation.last_changed_at = _as_utc(pnr.last_modified_at)
        reservation.agency = (pnr.agency or "")[:120]
        reservation.agency_office = (pnr.office or "")[:40]
        reservation.itinerary = [_leg_json(leg) for leg in pnr.itinerary]
        reservation.bags = [{**_bags_json(b), "traveller_ref": b.traveller_ref} for b in pnr.bags]
        reservation.free_text = list(pnr.free_text)[:50]
        reservation.save()
        _replace_reservation_details(reservation, pnr)
        _store_reservation_travellers(flight, reservation, pnr, result)


def _store_reservation_travellers(
    flight: Flight, reservation: Reservation, pnr: records.Reservation, result: StoreResult
) -> None:
    seats = {
        s.traveller_ref: s.number
        for s in pnr.seats
        if s.from_airport in (None, flight.departure_airport)
    }
    frequent = {f.traveller_ref: f"{f.carrier or ''}{f.number}" for f in pnr.frequent_flyer}
    bags = {b.traveller_ref: b for b in pnr.bags}
    phone = pnr.contacts.phones[0] if pnr.contacts.phones else ""
    email = pnr.contacts.emails[0] if pnr.contacts.emails else ""
    for person in pnr.travellers:
        existing = _find_traveller(
            flight,
            documents=person.documents,
            surname=person.surname,
            given_names=person.given_names,
            birth_date=person.birth_date,
            booking_ref=pnr.record_locator,
            kind=Traveller.Kind.PASSENGER,
        )
        traveller = existing or Traveller(flight=flight, kind=Traveller.Kind.PASSENGER)
        _set_fields(
            traveller,
            {
                "surname": person.surname,
                "given_names": person.given_names,
                "sex": person.sex,
                "birth_date": person.birth_date,
                "nationality": person.nationality,
                "booking_ref": pnr.record_locator,
                "passenger_ref": person.unique_ref,
                "seat": seats.get(person.reference) or seats.get(None)
                if len(pnr.travellers) == 1 or person.reference in seats
                else None,
                "frequent_flyer": frequent.get(person.reference),
                "phone": (person.phones or [phone])[0],
                "email": (person.emails or [email])[0],
            },
            overwrite=False,
        )
        bag = bags.get(person.reference)
        if bag is not None and not traveller.bags:
            traveller.bags = _bags_json(bag)
        traveller.reservation = reservation
        traveller.has_pnr = True
        _save_traveller(
            traveller,
            is_new=existing is None,
            result=result,
            documents=person.documents,
            source=TravelDocument.Source.PNR,
        )


def store_messages(task_force: TaskForce, messages: list[records.ParsedMessage]) -> StoreResult:
    result = StoreResult()
    zones = _Zones()
    for message in messages:
        if message.type == "PAXLST":
            store_paxlst(task_force, message, zones, result)
        else:
            store_pnrgov(task_force, message, zones, result)
    return result
