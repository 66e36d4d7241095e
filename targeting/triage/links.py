"""Travellers linked to one traveller by what they share: how task forces find a courier network.

A courier rarely travels alone. One phone, e-mail, address or card books and pays for the
others, one travel agency sells them their tickets, one reservation holds several of them, and
the same person comes back on later flights with the same passport. `links_for` finds, among
the travellers the person may see (their task force's own data, nothing else), those who share
any of these with the subject, on this flight and on past flights in the retained data, and
says what each one shares.

Cost: the subject is loaded with its keys, then one query per kind of key finds the linked
travellers (at most `limit_per_kind`, the total counted by a window function in the same
query), then one load reads the linked travellers with what they hold. What they share is
worked out from that load in Python, so a traveller found through one kind also shows all the
other things they share. The number of queries does not depend on how many links exist.

Traveller phone and e-mail fields: those of a traveller who came with a PNR are also the
reservation's contacts (ingestion copies them), which are stored normalised and indexed; those
that came only with API data are not normalised in the database. So the subject's own phone
and e-mail, normalised with `phone_key`/`email_key`, are matched against every reservation's
contacts through the index; other travellers' own fields are compared in Python, on a bounded
set: the travellers of the subject's flight and the travellers found through any other kind.
An API-only traveller on a past flight who shares nothing but a phone or e-mail field is not
found; a normalised, indexed key on Traveller would be needed to find them without reading
every traveller of the task force.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Case, Count, F, Q, QuerySet, Value, When, Window
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy

from targeting.manifests.keys import email_key, phone_key
from targeting.manifests.models import Contact, Payment, TravelDocument, Traveller
from targeting.manifests.selectors import travellers_visible_to

KINDS = ("phone", "email", "address", "card", "reservation", "agency", "document")

KIND_LABELS: dict[str, Promise] = {
    "phone": gettext_lazy("phone"),
    "email": gettext_lazy("e-mail"),
    "address": gettext_lazy("address"),
    "card": gettext_lazy("card"),
    "reservation": gettext_lazy("reservation"),
    "agency": gettext_lazy("travel agency"),
    "document": gettext_lazy("document"),
}

# What a traveller holds, by kind: key -> what the key shows a person. Keys are strings, the
# reservation's id, or (value, detail) pairs for agencies (office) and documents (state).
Keys = dict[str, dict[Any, str]]


@dataclass(frozen=True)
class SharedItem:
    kind: str  # one of KINDS
    label: str  # what is shared, for people; for a card never the hash

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])


@dataclass
class LinkedTraveller:
    traveller: Traveller
    shared: list[SharedItem]
    same_flight: bool


@dataclass(frozen=True)
class Truncation:
    """A kind with more linked travellers than were listed."""

    kind: str
    total: int
    more: int

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])


@dataclass
class Links:
    linked: list[LinkedTraveller] = field(default_factory=list)
    # kind -> how many travellers share it, for the kinds where more than the limit were found.
    truncated: dict[str, int] = field(default_factory=dict)

    @property
    def truncations(self) -> list[Truncation]:
        """The truncated kinds with how many of their travellers are not in `linked`."""
        return [
            Truncation(kind=kind, total=total, more=max(total - self._listed(kind), 0))
            for kind, total in self.truncated.items()
        ]

    def _listed(self, kind: str) -> int:
        return sum(1 for link in self.linked if any(s.kind == kind for s in link.shared))


def links_for(user: Any, traveller: Traveller, *, limit_per_kind: int = 50) -> Links:
    """Travellers the user may see who share a contact, card, reservation, agency or document.

    Raises Traveller.DoesNotExist when the subject is outside the user's need to know: its keys
    must not be used to search the user's data.
    """
    visible = travellers_visible_to(user)
    subject = _with_holdings(visible).get(pk=traveller.pk)
    keys = _keys_of(subject)
    others = visible.exclude(pk=subject.pk)
    conditions = _conditions(keys, _field_matches(others, subject, keys))
    found: dict[int, None] = {}
    truncated: dict[str, int] = {}
    for kind, condition in conditions.items():
        ids, total = _linked_ids(others.filter(condition), subject, limit_per_kind)
        found.update(dict.fromkeys(ids))
        if total > limit_per_kind:
            truncated[kind] = total
    if not found:
        return Links(truncated=truncated)
    linked = [
        LinkedTraveller(
            traveller=other,
            shared=shared,
            same_flight=other.flight_id == subject.flight_id,
        )
        for other in _with_holdings(others).filter(pk__in=list(found))
        if (shared := _shared(keys, _keys_of(other)))
    ]
    return Links(linked=sorted(linked, key=_order), truncated=truncated)


def _with_holdings(travellers: QuerySet[Traveller]) -> QuerySet[Traveller]:
    return travellers.select_related("flight", "reservation").prefetch_related(
        "reservation__contacts", "reservation__payments", "documents"
    )


def _keys_of(traveller: Traveller) -> Keys:
    """Everything of a loaded traveller that can link them to another, labelled for people."""
    keys: Keys = {kind: {} for kind in KINDS}
    reservation = traveller.reservation
    if reservation is not None:
        for contact in reservation.contacts.all():
            if contact.kind in keys:
                keys[contact.kind].setdefault(contact.normalized, contact.value)
        for payment in reservation.payments.all():
            if payment.card_hash:
                keys["card"].setdefault(payment.card_hash, _card_label(payment))
        keys["reservation"][reservation.pk] = f"{reservation.owner} {reservation.record_locator}"
        if reservation.agency:
            keys["agency"][(reservation.agency, reservation.agency_office)] = reservation.agency
    if key := phone_key(traveller.phone or ""):
        keys["phone"].setdefault(key, traveller.phone)
    if key := email_key(traveller.email or ""):
        keys["email"].setdefault(key, traveller.email)
    for document in traveller.documents.all():
        keys["document"].setdefault(
            (document.number_key, document.issuing_state), _document_label(document)
        )
    return keys


def _card_label(payment: Payment) -> str:
    if payment.card_last4:
        return gettext("card ending %(digits)s") % {"digits": payment.card_last4}
    return gettext("a card")


def _document_label(document: TravelDocument) -> str:
    label = f"{document.type} {document.number}"
    return f"{label} ({document.issuing_state})" if document.issuing_state else label


def _field_matches(
    others: QuerySet[Traveller], subject: Traveller, keys: Keys
) -> dict[str, set[int]]:
    """Travellers of the subject's flight whose own phone or e-mail field holds a subject key."""
    matches: dict[str, set[int]] = {"phone": set(), "email": set()}
    if not keys["phone"] and not keys["email"]:
        return matches
    rows = (
        others.filter(flight_id=subject.flight_id)
        .exclude(phone="", email="")
        .values_list("pk", "phone", "email")
    )
    for pk, phone, email in rows:
        if phone_key(phone or "") in keys["phone"]:
            matches["phone"].add(pk)
        if email_key(email or "") in keys["email"]:
            matches["email"].add(pk)
    return matches


def _conditions(keys: Keys, field_matches: dict[str, set[int]]) -> dict[str, Q]:
    """For each kind the subject holds, which other travellers share it."""
    conditions: dict[str, Q] = {}
    for kind in ("phone", "email", "address"):
        if keys[kind]:
            contacts = Contact.objects.filter(kind=kind, normalized__in=keys[kind])
            conditions[kind] = Q(reservation_id__in=contacts.values("reservation_id"))
            if field_matches.get(kind):
                conditions[kind] |= Q(pk__in=field_matches[kind])
    if keys["card"]:
        payments = Payment.objects.filter(card_hash__in=keys["card"])
        conditions["card"] = Q(reservation_id__in=payments.values("reservation_id"))
    if keys["reservation"]:
        conditions["reservation"] = Q(reservation_id__in=list(keys["reservation"]))
    if keys["agency"]:
        conditions["agency"] = _any_of(_agency_q, keys["agency"])
    if keys["document"]:
        documents = TravelDocument.objects.filter(_any_of(_document_q, keys["document"]))
        conditions["document"] = Q(pk__in=documents.values("traveller_id"))
    return conditions


def _any_of(condition: Callable[[Any], Q], keys: Iterable[Any]) -> Q:
    result = Q()
    for key in keys:
        result |= condition(key)
    return result


def _agency_q(key: tuple[str, str]) -> Q:
    """Same agency; the same office too when both reservations name one."""
    agency, office = key
    same = Q(reservation__agency=agency)
    if not office:
        return same
    return same & (Q(reservation__agency_office="") | Q(reservation__agency_office=office))


def _document_q(key: tuple[str, str]) -> Q:
    """Same number; the same issuing state too when both documents name one."""
    number_key, state = key
    same = Q(number_key=number_key)
    if not state:
        return same
    return same & (Q(issuing_state="") | Q(issuing_state=state))


def _linked_ids(
    travellers: QuerySet[Traveller], subject: Traveller, limit: int
) -> tuple[list[int], int]:
    """The first `limit` travellers (same flight, then most recent) and how many there are."""
    rows = list(
        travellers.annotate(
            total=Window(Count("pk")),
            is_same_flight=Case(When(flight_id=subject.flight_id, then=Value(1)), default=0),
        )
        .order_by(
            "-is_same_flight",
            "-flight__departure_date",
            F("flight__scheduled_departure").desc(nulls_last=True),
            "-pk",
        )
        .values_list("pk", "total")[:limit]
    )
    return [pk for pk, _ in rows], rows[0][1] if rows else 0


def _shared(subject: Keys, other: Keys) -> list[SharedItem]:
    """What the other traveller shares with the subject, labelled from the subject's side."""
    items: dict[SharedItem, None] = {}
    for kind in KINDS:
        for key, label in subject[kind].items():
            if any(_same(kind, key, theirs) for theirs in other[kind]):
                items[SharedItem(kind=kind, label=label)] = None
    return list(items)


def _same(kind: str, mine: Any, theirs: Any) -> bool:
    """Whether two keys of a kind match; agency offices and document states may be unknown."""
    if kind not in ("agency", "document"):
        return mine == theirs
    (value, detail), (their_value, their_detail) = mine, theirs
    return value == their_value and (not detail or not their_detail or detail == their_detail)


def _order(link: LinkedTraveller) -> tuple[bool, int, int, float, int]:
    """Same flight first, then most shared items, then most recent flight first."""
    flight = link.traveller.flight
    departure: datetime | None = flight.scheduled_departure
    return (
        not link.same_flight,
        -len(link.shared),
        -flight.departure_date.toordinal(),
        -departure.timestamp() if departure else 0.0,
        -link.traveller.pk,
    )
