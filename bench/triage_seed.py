"""Seed data for bench/triage.py: one task force's day of flagged traffic, written in bulk.

Needs Django set up against the benchmark database (bench/triage.py does that). Builds,
deterministically from a seed: a task force at Lomé (LFW) with a police and a customs agency,
officers with a known password, flights arriving at and leaving LFW over the next hours with
their travellers (a passport each, most of them on a reservation), two watchlists — one the
whole task force sees, one only customs sees — and the asked number of watchlist hits, a few per
flagged traveller. Rows go in with `bulk_create`: the services would audit and re-screen every
row, which is what the benchmark measures elsewhere, not what it needs to set up.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from agencies.models import Agency, Airport, Person, PersonRole, Role, TaskForce
from targeting.manifests.keys import document_key, name_key
from targeting.manifests.models import Flight, Reservation, TravelDocument, Traveller
from targeting.rules.models import Category, Hit, Visibility, Watchlist, WatchlistEntry

PASSWORD = "bench-triage-2026"  # noqa: S105 - a throwaway database's officers
HOME = "LFW"
OTHER_AIRPORTS = ["ABJ", "ACC", "LOS", "CDG", "BRU", "IST", "ADD", "CMN", "DSS", "NSI", "COO"]
CARRIERS = ["KP", "ET", "AF", "SN", "TK", "AT", "HF", "W3"]
SURNAMES = [
    "MENSAH", "AGBEKO", "KOFFI", "AMEGAH", "DOSSOU", "KPODAR", "ADJOVI", "TETTEH", "OWUSU",
    "OKAFOR", "ADEYEMI", "DIALLO", "NDIAYE", "TRAORE", "KONE", "OUATTARA", "BAMBA", "SILVA",
    "SANTOS", "DUPONT", "MARTIN", "MULLER", "YILMAZ", "KAYA", "TESFAYE", "ALEMU", "BENALI",
    "EL AMRANI", "N'DIAYE", "DE SOUZA",
]  # fmt: skip
GIVEN = [
    "KOSSI", "AMA", "KOFI", "AKOSUA", "YAO", "AFI", "KODJO", "ESI", "EMEKA", "NGOZI", "MAMADOU",
    "FATOU", "IBRAHIM", "AMINATA", "JOAO", "MARIA", "PIERRE", "CLAIRE", "MEHMET", "AYSE",
    "ABEBE", "HANA", "YOUSSEF", "SALMA",
]  # fmt: skip
NATIONALITIES = ["TGO", "TGO", "TGO", "GHA", "NGA", "CIV", "BEN", "SEN", "FRA", "BEL", "TUR"]
CATEGORIES = [
    Category.DRUGS, Category.DRUGS, Category.DRUGS, Category.CURRENCY, Category.TRAFFICKING,
    Category.SMUGGLING, Category.WILDLIFE, Category.COUNTERFEIT, Category.TERRORISM,
]  # fmt: skip
# Hits per flagged traveller: mostly one to three, a few with many.
HITS_PER_TRAVELLER = [1, 1, 2, 2, 3, 3, 3, 4, 5, 6]


@dataclass
class Seeded:
    """What the load test needs to know about the seeded data."""

    task_force: str
    usernames: list[str]
    password: str
    flights: int
    travellers: int
    flagged_travellers: list[int] = field(default_factory=list)
    hits: int = 0
    customs_only_hits: int = 0


def _officers(agencies: list[Agency], count: int) -> list[str]:
    encoded = make_password(PASSWORD)  # one hash for all: argon2 is slow on purpose
    people = [
        Person(
            username=f"officer{n:02d}",
            first_name=f"Officer {n:02d}",
            last_name=agencies[n % len(agencies)].code,
            email=f"officer{n:02d}@bench.invalid",
            password=encoded,
            agency=agencies[n % len(agencies)],
        )
        for n in range(1, count + 1)
    ]
    people = Person.objects.bulk_create(people)
    PersonRole.objects.bulk_create(PersonRole(person=p, role=Role.OFFICER) for p in people)
    return [p.username for p in people]


def _flights(rng: random.Random, task_force: TaskForce, count: int) -> list[Flight]:
    """Flights over the next hours, two arrivals at LFW for each departure from it."""
    now = timezone.now()
    flights = []
    for n in range(count):
        # From an hour ago to a day ahead: all of them still in the queue (it keeps a flight
        # TRIAGE_QUEUE_PAST_HOURS after it arrived or left).
        departure = now + timedelta(minutes=rng.randint(-60, 24 * 60))
        other = rng.choice(OTHER_AIRPORTS)
        arriving = n % 3 != 2
        flights.append(
            Flight(
                task_force=task_force,
                carrier=rng.choice(CARRIERS),
                number=str(100 + n),
                departure_airport=other if arriving else HOME,
                arrival_airport=HOME if arriving else other,
                departure_date=departure.date(),
                scheduled_departure=departure,
                scheduled_arrival=departure + timedelta(minutes=rng.randint(60, 420)),
                screening_state="screened",
                screened_at=now,
            )
        )
    return Flight.objects.bulk_create(flights)


def _travellers(
    rng: random.Random, task_force: TaskForce, flights: list[Flight], per_flight: int
) -> list[Traveller]:
    travellers: list[Traveller] = []
    reservations: list[Reservation] = []
    groups: list[tuple[int, int]] = []  # (first traveller index, size) per reservation
    for flight in flights:
        departure = flight.scheduled_departure or timezone.now()
        seat = 0
        while seat < per_flight:
            size = min(rng.choice([1, 1, 1, 2, 2, 3, 4]), per_flight - seat)
            if rng.random() < 0.8:
                reservations.append(
                    Reservation(
                        task_force=task_force,
                        owner="1A",
                        record_locator=f"B{len(reservations):05d}",
                        booked_at=departure - timedelta(hours=rng.choice([5, 30, 200, 900])),
                        agency=rng.choice(["ONLINE", "SUNSHINE TRAVEL", "AGENCE DU GOLFE", ""]),
                    )
                )
                groups.append((len(travellers), size))
            for _ in range(size):
                surname, given = rng.choice(SURNAMES), rng.choice(GIVEN)
                travellers.append(
                    Traveller(
                        flight=flight,
                        kind="crew" if seat < 6 else "passenger",
                        surname=surname,
                        given_names=given,
                        name_key=name_key(surname, given),
                        sex=rng.choice("MF"),
                        birth_date=date(rng.randint(1950, 2015), rng.randint(1, 12), 1),
                        nationality=rng.choice(NATIONALITIES),
                        embarkation=flight.departure_airport,
                        disembarkation=flight.arrival_airport,
                        seat=f"{rng.randint(1, 40)}{rng.choice('ABCDEF')}",
                        has_api=True,
                        has_pnr=rng.random() < 0.8,
                    )
                )
                seat += 1
    reservations = Reservation.objects.bulk_create(reservations)
    for reservation, (first, size) in zip(reservations, groups, strict=True):
        for traveller in travellers[first : first + size]:
            traveller.reservation = reservation
            traveller.booking_ref = reservation.record_locator
    travellers = Traveller.objects.bulk_create(travellers, batch_size=2000)
    TravelDocument.objects.bulk_create(
        (
            TravelDocument(
                traveller=t,
                type="P",
                number=f"{t.nationality[:2]}{t.pk:07d}",
                number_key=document_key(f"{t.nationality[:2]}{t.pk:07d}"),
                issuing_state=t.nationality,
                expiry=date(2030, 1, 1),
            )
            for t in travellers
        ),
        batch_size=2000,
    )
    return travellers


def _entries(rng: random.Random, watchlist: Watchlist, count: int) -> list[WatchlistEntry]:
    entries = []
    for n in range(count):
        surname, given = rng.choice(SURNAMES), rng.choice(GIVEN)
        entries.append(
            WatchlistEntry(
                watchlist=watchlist,
                full_name=f"{surname} {given}",
                surname=surname,
                given_names=given,
                birth_date=str(rng.randint(1950, 2005)),
                nationality=rng.choice(NATIONALITIES),
                category=rng.choice(CATEGORIES),
                action="control",
                source=f"bench {n}",
            )
        )
    return WatchlistEntry.objects.bulk_create(entries, batch_size=2000)


@transaction.atomic
def seed(
    *, hits: int, officers: int, flights: int, per_flight: int, random_seed: int = 20260301
) -> Seeded:
    """Write the benchmark's task force, people, traffic and hits; return what the load needs."""
    rng = random.Random(random_seed)  # noqa: S311 - synthetic data, not security
    airport, _ = Airport.objects.get_or_create(
        iata_code=HOME,
        defaults={
            "icao_code": "DXXX",
            "name": "Lomé-Tokoin",
            "city": "Lomé",
            "country": "TGO",
            "time_zone": "Africa/Lome",
        },
    )
    task_force = TaskForce.objects.create(
        code="BENCH-LFW",
        name="JAITF Lomé (benchmark)",
        country="TGO",
        status=TaskForce.Status.OPERATIONAL,
    )
    task_force.airports.add(airport)
    police = Agency.objects.create(
        task_force=task_force, code="BENCH-POL", name="Police", kind=Agency.Kind.POLICE
    )
    customs = Agency.objects.create(
        task_force=task_force, code="BENCH-CUS", name="Customs", kind=Agency.Kind.CUSTOMS
    )
    usernames = _officers([police, customs], officers)

    flight_rows = _flights(rng, task_force, flights)
    travellers = _travellers(rng, task_force, flight_rows, per_flight)
    shared = Watchlist.objects.create(
        agency=police, name="Task force targets", visibility=Visibility.TASK_FORCE
    )
    customs_only = Watchlist.objects.create(
        agency=customs, name="Customs intelligence", visibility=Visibility.AGENCY
    )
    shared_entries = _entries(rng, shared, max(200, hits // 5))
    customs_entries = _entries(rng, customs_only, max(50, hits // 40))

    # A few hits per flagged traveller; one in ten from the list only customs may see.
    passengers = [t for t in travellers if t.kind == "passenger"]
    rng.shuffle(passengers)
    rows: list[Hit] = []
    flagged: list[int] = []
    customs_count = 0
    for traveller in passengers:
        if len(rows) >= hits:
            break
        count = min(rng.choice(HITS_PER_TRAVELLER), hits - len(rows))
        customs_hits = sum(rng.random() < 0.1 for _ in range(count))
        picks = rng.sample(shared_entries, count - customs_hits) + rng.sample(
            customs_entries, customs_hits
        )
        for entry in picks:
            is_customs = entry.watchlist_id == customs_only.pk
            listed = customs_only if is_customs else shared
            score = rng.randint(80, 100)
            rows.append(
                Hit(
                    traveller=traveller,
                    source=Hit.Source.WATCHLIST,
                    watchlist=listed,
                    entry=entry,
                    agency=listed.agency,
                    score=score,
                    category=entry.category,
                    explanation=f"Name matches {entry.full_name} on {listed.name} ({score})",
                )
            )
            customs_count += is_customs
        traveller.risk_score = max(h.score for h in rows[-count:])
        flagged.append(traveller.pk)
    if len(rows) < hits:
        raise ValueError(
            f"{hits} hits need more travellers than {len(passengers)} passengers: "
            "raise --per-flight or --flights"
        )
    Hit.objects.bulk_create(rows, batch_size=2000)
    Traveller.objects.bulk_update(
        [t for t in passengers if t.risk_score], ["risk_score"], batch_size=2000
    )
    return Seeded(
        task_force=task_force.code,
        usernames=usernames,
        password=PASSWORD,
        flights=len(flight_rows),
        travellers=len(travellers),
        flagged_travellers=flagged,
        hits=len(rows),
        customs_only_hits=customs_count,
    )
