from __future__ import annotations

from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone

from targeting.manifests.keys import email_key, fold, phone_key
from targeting.manifests.models import (
    Contact,
    Flight,
    Payment,
    Reservation,
    TravelDocument,
    Traveller,
)
from targeting.rules.models import Category, Hit, Visibility, Watchlist, WatchlistEntry
from tests.agencies.factories import AgencyFactory, TaskForceFactory


class FlightFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Flight

    task_force = factory.SubFactory(TaskForceFactory)
    carrier = "KP"
    number = factory.Sequence(lambda n: str(100 + n))
    departure_airport = "ABJ"
    arrival_airport = "LFW"
    scheduled_departure = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=20))
    scheduled_arrival = factory.LazyAttribute(lambda f: f.scheduled_departure + timedelta(hours=1))
    departure_date = factory.LazyAttribute(lambda f: f.scheduled_departure.date())


class TravellerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Traveller
        skip_postgeneration_save = True

    flight = factory.SubFactory(FlightFactory)
    surname = "MENSAH"
    given_names = "KOSSI"
    name_key = factory.LazyAttribute(lambda t: f"{t.surname}/{t.given_names.split(' ')[0]}")
    nationality = "TGO"
    has_api = True

    @factory.post_generation
    def documents(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        for number, state in extracted or []:
            TravelDocument.objects.create(
                traveller=self,
                type="P",
                number=number,
                number_key=number.replace(" ", ""),
                issuing_state=state,
            )


class WatchlistFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Watchlist

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"List {n}")
    visibility = Visibility.AGENCY


class WatchlistEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WatchlistEntry

    watchlist = factory.SubFactory(WatchlistFactory)
    full_name = "MENSAH KOSSI"
    surname = "MENSAH"
    given_names = "KOSSI"
    category = Category.DRUGS


class HitFactory(factory.django.DjangoModelFactory):
    """A watchlist hit; its list (and so who may see it) is the entry's."""

    class Meta:
        model = Hit

    traveller = factory.SubFactory(TravellerFactory)
    source = Hit.Source.WATCHLIST
    entry = factory.SubFactory(WatchlistEntryFactory)
    watchlist = factory.LazyAttribute(lambda h: h.entry.watchlist)
    agency = factory.LazyAttribute(lambda h: h.entry.watchlist.agency)
    score = 90
    category = Category.DRUGS
    explanation = factory.LazyAttribute(
        lambda h: f"Name matches {h.entry.full_name} on {h.entry.watchlist.name}"
    )


class ReservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reservation

    task_force = factory.SubFactory(TaskForceFactory)
    owner = "1A"
    record_locator = factory.Sequence(lambda n: f"R{n:05d}")


_CONTACT_KEYS = {"phone": phone_key, "email": email_key, "address": fold}


class ContactFactory(factory.django.DjangoModelFactory):
    """A reservation's phone, e-mail or address, normalised as ingestion stores it."""

    class Meta:
        model = Contact

    reservation = factory.SubFactory(ReservationFactory)
    kind = Contact.Kind.PHONE
    value = "+228 90 12 34 56"
    normalized = factory.LazyAttribute(lambda c: _CONTACT_KEYS[c.kind](c.value))


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payment

    reservation = factory.SubFactory(ReservationFactory)
    type = "CC"
    card_vendor = "VI"
    card_last4 = "4242"
    card_hash = factory.Sequence(lambda n: f"{n:064x}")
