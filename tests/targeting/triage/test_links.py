from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from targeting.manifests.models import Traveller
from targeting.triage.links import Links, SharedItem, links_for
from tests.agencies.factories import PersonFactory
from tests.targeting.factories import (
    ContactFactory,
    FlightFactory,
    PaymentFactory,
    ReservationFactory,
    TravellerFactory,
)

CARD_HASH = "9f" * 32


@pytest.fixture
def flight(task_force: Any) -> Any:
    return FlightFactory(task_force=task_force)


def past_flight(task_force: Any, days: int) -> Any:
    return FlightFactory(
        task_force=task_force, scheduled_departure=timezone.now() - timedelta(days=days)
    )


@pytest.fixture
def subject(task_force: Any, flight: Any) -> Any:
    """A booked traveller holding one key of every kind."""
    reservation = ReservationFactory(
        task_force=task_force,
        record_locator="ABC123",
        agency="VOYAGES SOLEIL",
        agency_office="LFW1",
    )
    ContactFactory(reservation=reservation, kind="phone", value="+228 90 12 34 56")
    ContactFactory(reservation=reservation, kind="email", value="Courier@Example.org")
    ContactFactory(reservation=reservation, kind="address", value="12 rue des Palmiers, Lomé")
    PaymentFactory(reservation=reservation, card_last4="4242", card_hash=CARD_HASH)
    return TravellerFactory(
        flight=flight, reservation=reservation, surname="ADJOVI", documents=[("A1234567", "TGO")]
    )


def booked(task_force: Any, flight: Any, surname: str, **reservation: Any) -> Any:
    """A traveller on a reservation of their own."""
    return TravellerFactory(
        flight=flight,
        surname=surname,
        reservation=ReservationFactory(task_force=task_force, **reservation),
    )


def shared_by_surname(links: Links) -> dict[str, set[SharedItem]]:
    return {link.traveller.surname: set(link.shared) for link in links.linked}


def test_each_kind_is_found_and_says_what_is_shared(
    officer: Any, task_force: Any, flight: Any, subject: Any
) -> None:
    earlier = past_flight(task_force, days=40)
    phone = booked(task_force, earlier, "PHONE")
    ContactFactory(reservation=phone.reservation, kind="phone", value="0022890123456")
    email = booked(task_force, earlier, "EMAIL")
    ContactFactory(reservation=email.reservation, kind="email", value=" courier@example.ORG")
    address = booked(task_force, earlier, "ADDRESS")
    ContactFactory(
        reservation=address.reservation, kind="address", value="12 RUE DES PALMIERS LOME"
    )
    card = booked(task_force, earlier, "CARD")
    PaymentFactory(reservation=card.reservation, card_last4="4242", card_hash=CARD_HASH)
    TravellerFactory(flight=earlier, surname="SAMERESERVATION", reservation=subject.reservation)
    booked(task_force, earlier, "AGENCY", agency="VOYAGES SOLEIL")
    booked(task_force, earlier, "OTHEROFFICE", agency="VOYAGES SOLEIL", agency_office="ABJ2")
    TravellerFactory(flight=earlier, surname="ADJOVI", documents=[("A1234567", "TGO")])
    TravellerFactory(flight=earlier, surname="NOSTATE", documents=[("A1234567", "")])
    TravellerFactory(flight=earlier, surname="OTHERSTATE", documents=[("A1234567", "GHA")])
    unrelated = booked(task_force, flight, "UNRELATED", agency="AUTRE AGENCE")
    ContactFactory(reservation=unrelated.reservation, kind="phone", value="+228 99 99 99 99")

    shared = shared_by_surname(links_for(officer, subject))

    agency = SharedItem("agency", "VOYAGES SOLEIL")
    assert shared == {
        "PHONE": {SharedItem("phone", "+228 90 12 34 56")},
        "EMAIL": {SharedItem("email", "Courier@Example.org")},
        "ADDRESS": {SharedItem("address", "12 rue des Palmiers, Lomé")},
        "CARD": {SharedItem("card", "card ending 4242")},
        "SAMERESERVATION": {
            SharedItem("reservation", "1A ABC123"),
            agency,
            SharedItem("phone", "+228 90 12 34 56"),
            SharedItem("email", "Courier@Example.org"),
            SharedItem("address", "12 rue des Palmiers, Lomé"),
            SharedItem("card", "card ending 4242"),
        },
        "AGENCY": {agency},
        "ADJOVI": {SharedItem("document", "P A1234567 (TGO)")},
        "NOSTATE": {SharedItem("document", "P A1234567 (TGO)")},
    }


def test_a_card_is_shown_by_its_last_digits_never_by_its_hash(
    officer: Any, task_force: Any, flight: Any, subject: Any
) -> None:
    card = booked(task_force, flight, "CARD")
    PaymentFactory(reservation=card.reservation, card_last4="4242", card_hash=CARD_HASH)

    links = links_for(officer, subject)

    labels = [item.label for link in links.linked for item in link.shared]
    assert labels == ["card ending 4242"]
    assert not any(CARD_HASH in label for label in labels)
    assert CARD_HASH not in render_to_string("triage/_links.html", {"links": links})


def test_own_phone_and_email_fields_are_linked(officer: Any, task_force: Any, flight: Any) -> None:
    """API-only data: the subject's own fields meet other reservations' contacts and the
    fields of travellers on the same flight, in any notation."""
    subject: Any = TravellerFactory(flight=flight, phone="00228 90-12-34-56", email="A@B.TG ")
    booker = booked(task_force, past_flight(task_force, days=3), "BOOKED")
    ContactFactory(reservation=booker.reservation, kind="phone", value="+22890123456")
    TravellerFactory(flight=flight, surname="SEATMATE", phone="+228 90 12 34 56")
    TravellerFactory(flight=flight, surname="MAILMATE", email="a@b.tg")
    TravellerFactory(flight=flight, surname="STRANGER", phone="+228 91 00 00 00")

    links = links_for(officer, subject)

    assert shared_by_surname(links) == {
        "BOOKED": {SharedItem("phone", "00228 90-12-34-56")},
        "SEATMATE": {SharedItem("phone", "00228 90-12-34-56")},
        "MAILMATE": {SharedItem("email", "A@B.TG ")},
    }
    assert {link.traveller.surname: link.same_flight for link in links.linked} == {
        "SEATMATE": True,
        "MAILMATE": True,
        "BOOKED": False,
    }


def test_a_cancelled_traveller_is_still_linked(
    officer: Any, task_force: Any, flight: Any, subject: Any
) -> None:
    TravellerFactory(
        flight=flight, reservation=subject.reservation, surname="GONE", cancelled_at=timezone.now()
    )

    assert [link.traveller.surname for link in links_for(officer, subject).linked] == ["GONE"]


def test_another_task_forces_traveller_sharing_a_phone_is_not_linked(
    officer: Any, other_task_force: Any, other_agency: Any, subject: Any
) -> None:
    theirs = booked(other_task_force, FlightFactory(task_force=other_task_force), "ELSEWHERE")
    ContactFactory(reservation=theirs.reservation, kind="phone", value="+228 90 12 34 56")
    PaymentFactory(reservation=theirs.reservation, card_hash=CARD_HASH)
    TravellerFactory(
        flight=theirs.flight,
        surname="ADJOVI",
        phone="+228 90 12 34 56",
        documents=[("A1234567", "TGO")],
    )

    assert links_for(officer, subject).linked == []
    their_officer = PersonFactory(agency=other_agency)
    with pytest.raises(Traveller.DoesNotExist):
        links_for(their_officer, subject)


def test_same_flight_first_then_most_shared_then_most_recent(
    officer: Any, task_force: Any, flight: Any, subject: Any
) -> None:
    last_week, last_year = past_flight(task_force, days=7), past_flight(task_force, days=365)
    booked(task_force, last_year, "OLD", agency="VOYAGES SOLEIL")
    booked(task_force, last_week, "RECENT", agency="VOYAGES SOLEIL")
    many = booked(task_force, last_year, "MANY", agency="VOYAGES SOLEIL")
    PaymentFactory(reservation=many.reservation, card_hash=CARD_HASH)
    booked(task_force, flight, "ONBOARD", agency="VOYAGES SOLEIL")

    links = links_for(officer, subject)

    assert [link.traveller.surname for link in links.linked] == ["ONBOARD", "MANY", "RECENT", "OLD"]
    assert [link.same_flight for link in links.linked] == [True, False, False, False]


def test_a_kind_with_more_links_than_the_limit_lists_the_limit_and_counts_them_all(
    officer: Any, task_force: Any, flight: Any, subject: Any
) -> None:
    earlier = past_flight(task_force, days=10)
    for n in range(5):
        booked(task_force, earlier, f"CLIENT{n}", agency="VOYAGES SOLEIL")
    booked(task_force, flight, "ONBOARD", agency="VOYAGES SOLEIL")

    links = links_for(officer, subject, limit_per_kind=3)

    assert len(links.linked) == 3
    assert links.linked[0].traveller.surname == "ONBOARD"
    assert links.truncated == {"agency": 6}
    assert [(t.kind, t.total, t.more) for t in links.truncations] == [("agency", 6, 3)]
    assert links_for(officer, subject, limit_per_kind=6).truncated == {}


def link_travellers(task_force: Any, subject: Any, numbers: range) -> None:
    """Travellers each sharing every kind of key with the subject, one in ten on its reservation."""
    earlier = past_flight(task_force, days=20)
    for n in numbers:
        on_subjects = n % 10 == 0
        reservation = (
            subject.reservation
            if on_subjects
            else ReservationFactory(task_force=task_force, agency="VOYAGES SOLEIL")
        )
        TravellerFactory(
            flight=earlier,
            surname=f"LINKED{n}",
            reservation=reservation,
            phone="+228 90 12 34 56",
            documents=[("A1234567", "TGO")],
        )
        if not on_subjects:
            ContactFactory(reservation=reservation, kind="phone", value="+228 90 12 34 56")
            ContactFactory(reservation=reservation, kind="email", value="courier@example.org")
            ContactFactory(
                reservation=reservation, kind="address", value="12 RUE DES PALMIERS LOME"
            )
            PaymentFactory(reservation=reservation, card_hash=CARD_HASH)


def test_the_number_of_queries_does_not_grow_with_the_links(
    officer: Any,
    task_force: Any,
    flight: Any,
    subject: Any,
    django_assert_max_num_queries: Any,
) -> None:
    TravellerFactory(flight=flight, surname="SEATMATE", phone="+228 90 12 34 56")
    link_travellers(task_force, subject, range(10))
    with CaptureQueriesContext(connection) as few:
        assert len(links_for(officer, subject).linked) == 11

    link_travellers(task_force, subject, range(10, 100))
    with django_assert_max_num_queries(len(few)):
        links = links_for(officer, subject)

    # Subject (4), same-flight fields (1), seven kinds (7), linked travellers (4).
    assert len(few) == 16
    assert links.truncated == {
        "phone": 101,
        "email": 100,
        "address": 100,
        "card": 100,
        "agency": 100,
        "document": 100,
    }


def test_the_panel_shows_each_link_and_what_is_shared(
    officer: Any, task_force: Any, flight: Any, subject: Any
) -> None:
    mate: Any = TravellerFactory(
        flight=flight, surname="SEATMATE", given_names="AMA", phone="+228 90 12 34 56"
    )
    earlier = past_flight(task_force, days=30)
    for n in range(3):
        booked(task_force, earlier, f"CLIENT{n}", agency="VOYAGES SOLEIL")

    html = render_to_string(
        "triage/_links.html", {"links": links_for(officer, subject, limit_per_kind=2)}
    )

    assert 'class="panel links"' in html
    assert "Linked travellers" in html
    assert f'href="{reverse("traveller-detail", args=[mate.pk])}"' in html
    assert "SEATMATE, AMA" in html
    assert f"{flight.designator} {flight.departure_date:%Y-%m-%d}" in html
    assert "this flight" in html
    assert "+228 90 12 34 56" in html
    assert "travel agency</span> VOYAGES SOLEIL" in html
    assert "and 1 more sharing the travel agency" in html


def test_the_panel_says_when_nobody_is_linked(officer: Any, subject: Any) -> None:
    html = render_to_string("triage/_links.html", {"links": links_for(officer, subject)})

    assert "No other traveller shares a phone, e-mail, address, card, reservation" in html
    assert "<table" not in html
