from __future__ import annotations

from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone

from targeting.manifests.models import Flight, TravelDocument, Traveller
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
