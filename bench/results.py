"""Benchmark: the results pages of a task force with two years of data, on PostgreSQL.

Run ``python bench/results.py`` from the repository root (PostgreSQL on 127.0.0.1 as CI has it).

1. Creates a fresh database (``aircop_bench_results``) and migrates it.
2. Seeds, with ``bulk_create`` and a fixed random seed, two years of one task force at Lomé
   (LFW) with a police, a customs and an immigration agency: ``--flights-per-day`` flights
   arriving at or leaving LFW, ``--per-flight`` travellers each, a few percent of them flagged by
   rules and watchlists, most of those decided (some after the flight), case files with
   seizures of every commodity and subjects, and the airlines' API/PNR messages (late, rejected,
   incomplete ones among them). A second task force holds a tenth of that, which Lomé's
   figures must not include.
3. Signs a supervisor in with Django's test client (in this process, DEBUG off) and times the
   results page for the two years, the page narrowed to one agency, and each table's CSV and
   XLSX download. Prints each time in milliseconds (best of ``--repeat``) and the rows seeded.
4. Drops the database (``--keep`` leaves it).
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.triage import create_database, drop_database  # noqa: E402

HOME = "LFW"
AIRPORTS = {
    "LFW": ("TGO", "Africa/Lome"),
    "ABJ": ("CIV", "Africa/Abidjan"),
    "ACC": ("GHA", "Africa/Accra"),
    "LOS": ("NGA", "Africa/Lagos"),
    "CDG": ("FRA", "Europe/Paris"),
    "BRU": ("BEL", "Europe/Brussels"),
    "IST": ("TUR", "Europe/Istanbul"),
    "ADD": ("ETH", "Africa/Addis_Ababa"),
    "CMN": ("MAR", "Africa/Casablanca"),
    "GRU": ("BRA", "America/Sao_Paulo"),
    "DSS": ("SEN", "Africa/Dakar"),
}
CARRIERS = ["KP", "ET", "AF", "SN", "TK", "AT", "HF", "W3"]
SEIZURES = [
    ("cocaine", "kg", 1, 30), ("cocaine", "kg", 1, 30), ("cocaine", "kg", 1, 30),
    ("cannabis", "kg", 1, 80), ("methamphetamine", "kg", 1, 10), ("heroin", "kg", 1, 5),
    ("ats", "tablets", 100, 5000), ("medicines", "units", 50, 20000), ("precursors", "kg", 5, 200),
    ("tobacco", "units", 200, 10000), ("currency", "amount", 10000, 2000000),
    ("ivory", "kg", 1, 50), ("pangolin", "kg", 5, 300), ("wildlife", "units", 1, 40),
]  # fmt: skip
CONCEALMENT = ["body", "ingested", "luggage", "luggage", "cabin", "clothing", "cargo", "mail", ""]
FINDINGS = [
    ("warning", "no DTM+329 for MENSAH KOSSI"),
    ("warning", "message has no CNT control total"),
    ("error", "UNH: message type PAXLST expected"),
    ("info", "read as UTF-8"),
]


def seed(*, days: int, flights_per_day: int, per_flight: int, rng: random.Random) -> dict[str, Any]:
    """Two years (``days``) up to today, in bulk; returns the supervisor and the row counts."""
    from django.contrib.auth.hashers import make_password

    from agencies.cases.models import CaseFile, CaseSubject, Seizure
    from agencies.models import Agency, Airport, DataProvider, Person, PersonRole, Role, TaskForce
    from targeting.ingestion.models import Finding, InboundMessage
    from targeting.manifests.models import Flight, Traveller
    from targeting.rules.models import Category, Hit, Rule, Watchlist
    from targeting.triage.models import Decision, Disposition, Outcome, State

    # Seeded history keeps its own timestamps: lift auto_now_add while bulk-creating it.
    for model, name in (
        (Decision, "decided_at"),
        (CaseFile, "opened_at"),
        (InboundMessage, "received_at"),
    ):
        model._meta.get_field(name).auto_now_add = False  # type: ignore[union-attr]  # seeding

    airports = Airport.objects.bulk_create(
        Airport(iata_code=code, name=code, country=country, time_zone=zone)
        for code, (country, zone) in AIRPORTS.items()
    )
    by_code = {a.iata_code: a for a in airports}
    lome = TaskForce.objects.create(code="TG-LFW", name="JAITF Lomé", country="TGO")
    lome.airports.set([by_code["LFW"]])
    dakar = TaskForce.objects.create(code="SN-DSS", name="JAITF Dakar", country="SEN")
    dakar.airports.set([by_code["DSS"]])
    agencies = Agency.objects.bulk_create(
        [
            Agency(task_force=lome, code="TG-POL", name="Police", kind="police"),
            Agency(task_force=lome, code="TG-CUS", name="Customs", kind="customs"),
            Agency(task_force=lome, code="TG-IMM", name="Immigration", kind="immigration"),
            Agency(task_force=dakar, code="SN-CUS", name="Douanes", kind="customs"),
        ]
    )
    supervisor = Person.objects.create(
        username="supervisor", password=make_password(secrets.token_urlsafe()), agency=agencies[1]
    )
    PersonRole.objects.create(person=supervisor, role=Role.SUPERVISOR)
    rules = Rule.objects.bulk_create(
        Rule(agency=agencies[i % 3], name=f"Rule {i + 1}") for i in range(12)
    )
    watchlists = Watchlist.objects.bulk_create(
        Watchlist(agency=agencies[i % 3], name=f"List {i + 1}") for i in range(5)
    )
    dakar_rule = Rule.objects.create(agency=agencies[3], name="Dakar rule")
    providers = DataProvider.objects.bulk_create(
        DataProvider(code=c, name=f"Airline {c}") for c in CARRIERS
    )

    today = date.today()
    first = today - timedelta(days=days)
    flights: list[Any] = []
    for n in range(days):
        day = first + timedelta(days=n)
        for k in range(flights_per_day):
            dakar_flight = k % 10 == 9
            outbound = k % 2 == 1
            other = rng.choice([c for c in AIRPORTS if c not in (HOME, "DSS")])
            home = "DSS" if dakar_flight else HOME
            departs = datetime(day.year, day.month, day.day, rng.randrange(24), tzinfo=UTC)
            flights.append(
                Flight(
                    task_force=dakar if dakar_flight else lome,
                    carrier=CARRIERS[k % len(CARRIERS)],
                    number=str(100 + k),
                    departure_airport=home if outbound else other,
                    arrival_airport=other if outbound else home,
                    departure_date=day,
                    scheduled_departure=departs,
                    scheduled_arrival=departs + timedelta(hours=rng.randint(1, 8)),
                )
            )
    flights = Flight.objects.bulk_create(flights, batch_size=2000)

    travellers = Traveller.objects.bulk_create(
        (
            Traveller(flight=f, surname=f"T{f.pk}-{i}", name_key=f"T{f.pk}-{i}")
            for f in flights
            for i in range(per_flight)
        ),
        batch_size=5000,
    )
    flagged = [t for t in travellers if rng.random() < 0.03]
    flight_of = {f.pk: f for f in flights}
    hits: list[Any] = []
    for t in flagged:
        flight = flight_of[t.flight_id]
        if flight.task_force_id == dakar.pk:
            hits.append(
                Hit(
                    traveller=t,
                    source="rule",
                    rule=dakar_rule,
                    agency=agencies[3],
                    score=50,
                    category=Category.DRUGS,
                    explanation="bench",
                )
            )
            continue
        for rule in rng.sample(rules, rng.choice([1, 1, 1, 2, 3])):
            hits.append(
                Hit(
                    traveller=t,
                    source="rule",
                    rule=rule,
                    agency=rule.agency,
                    score=50,
                    category=Category.DRUGS,
                    explanation="bench",
                )
            )
        if rng.random() < 0.3:
            wl = rng.choice(watchlists)
            hits.append(
                Hit(
                    traveller=t,
                    source="watchlist",
                    watchlist=wl,
                    agency=wl.agency,
                    score=90,
                    category=Category.DRUGS,
                    explanation="bench",
                )
            )
    Hit.objects.bulk_create(hits, batch_size=5000)

    outcomes = [Outcome.CLEARED] * 5 + [Outcome.NEGATIVE] * 3 + [Outcome.POSITIVE]
    decided = [t for t in flagged if rng.random() < 0.85]
    chosen = {t.pk: rng.choice(outcomes) for t in decided}
    dispositions = Disposition.objects.bulk_create(
        (Disposition(traveller=t, state=State.DECIDED, outcome=chosen[t.pk]) for t in decided),
        batch_size=5000,
    )
    decisions = []
    for d, t in zip(dispositions, decided, strict=True):
        flight = flight_of[t.flight_id]
        # Most before the flight, some after it.
        when = flight.scheduled_departure + timedelta(minutes=rng.randint(-600, 240))
        decisions.append(
            Decision(
                disposition=d,
                kind=Decision.Kind.OUTCOME,
                outcome=d.outcome,
                decided_by=supervisor,
                agency=agencies[1],
                decided_at=when,
            )
        )
    Decision.objects.bulk_create(decisions, batch_size=5000)

    positives = [t for t in decided if chosen[t.pk] == Outcome.POSITIVE]
    cases: list[Any] = []
    for n, t in enumerate(positives, start=1):
        flight = flight_of[t.flight_id]
        agency = agencies[3] if flight.task_force_id == dakar.pk else agencies[n % 3]
        cases.append(
            CaseFile(
                agency=agency,
                year=flight.departure_date.year,
                sequence=n,
                number=f"{agency.code}-{n:06d}",
                title=f"Case {n}",
                opened_by=supervisor,
                opened_at=flight.scheduled_departure,
            )
        )
    cases = CaseFile.objects.bulk_create(cases, batch_size=2000)
    CaseFile.flights.through.objects.bulk_create(
        CaseFile.flights.through(casefile_id=c.pk, flight_id=t.flight_id)
        for c, t in zip(cases, positives, strict=True)
    )
    seizures, subjects = [], []
    for c, t in zip(cases, positives, strict=True):
        flight = flight_of[t.flight_id]
        for _ in range(rng.choice([1, 1, 2, 3])):
            commodity, unit, low, high = rng.choice(SEIZURES)
            seizures.append(
                Seizure(
                    case=c,
                    commodity=commodity,
                    unit=unit,
                    quantity=Decimal(rng.randint(low * 10, high * 10)) / 10,
                    currency="XOF" if unit == "amount" else "",
                    concealment=rng.choice(CONCEALMENT),
                    seized_on=flight.departure_date,
                    flight=flight if rng.random() < 0.7 else None,
                    recorded_by=supervisor,
                    agency=c.agency,
                )
            )
        subjects.append(
            CaseSubject(
                case=c,
                surname="X",
                sex=rng.choice("FMMX"),
                is_arrested=rng.random() < 0.6,
                is_trafficking_victim=rng.random() < 0.08,
                is_foreign_terrorist_fighter=rng.random() < 0.01,
            )
        )
    Seizure.objects.bulk_create(seizures, batch_size=5000)
    CaseSubject.objects.bulk_create(subjects, batch_size=5000)

    messages = []
    for f in flights:
        for kind in ("PAXLST", "PNRGOV"):
            provider = providers[CARRIERS.index(f.carrier)]
            late = rng.random() < 0.1
            messages.append(
                InboundMessage(
                    provider=provider,
                    task_force_id=f.task_force_id,
                    kind=kind,
                    sha256=secrets.token_hex(32),
                    sender=f.carrier,
                    is_late=late,
                    state="rejected" if rng.random() < 0.02 else "parsed",
                    received_at=f.scheduled_departure
                    - timedelta(minutes=rng.randint(-30, 72 * 60)),
                )
            )
    messages = InboundMessage.objects.bulk_create(messages, batch_size=5000)
    findings = [
        Finding(message=m, severity=severity, text=text)
        for m in messages
        if rng.random() < 0.15
        for severity, text in [rng.choice(FINDINGS)]
    ]
    Finding.objects.bulk_create(findings, batch_size=5000)
    return {
        "supervisor": supervisor,
        "agency": agencies[0],
        "start": first,
        "end": today,
        "rows": {
            "flights": len(flights),
            "travellers": len(travellers),
            "hits": len(hits),
            "decisions": len(decisions),
            "cases": len(cases),
            "seizures": len(seizures),
            "subjects": len(subjects),
            "messages": len(messages),
            "findings": len(findings),
        },
    }


def timed(client: Any, url: str, params: dict[str, Any], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url, params)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
        best = min(best, elapsed)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=730, help="days of data (730)")
    parser.add_argument("--flights-per-day", type=int, default=12, help="flights a day (12)")
    parser.add_argument("--per-flight", type=int, default=60, help="travellers per flight (60)")
    parser.add_argument("--repeat", type=int, default=3, help="requests per figure, best kept")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="aircop_bench_results")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    state = Path(tempfile.mkdtemp(prefix="aircop-bench-results-"))
    os.environ.update(
        {
            "DATABASE_URL": f"{args.postgres}/{args.database}",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "DEBUG": "0",
            "AIRCOP_HTTPS": "0",
            "ALLOWED_HOSTS": "testserver",
            "AIRCOP_VAR_DIR": str(state),
            "STATIC_ROOT": str(state / "static"),
            "LOG_LEVEL": "WARNING",
        }
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aircop.settings")
    create_database(args.postgres, args.database)
    try:
        import django
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        django.setup()
        from aircop.results.tables import TABLES

        for command in ("migrate", "collectstatic"):
            started = time.perf_counter()
            call_command(command, verbosity=0, interactive=False)
            print(f"{command:<34}{time.perf_counter() - started:9.1f} s")
        started = time.perf_counter()
        seeded = seed(
            days=args.days,
            flights_per_day=args.flights_per_day,
            per_flight=args.per_flight,
            rng=random.Random(8),  # noqa: S311 - made-up data, not secrets
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"{'seed':<34}{time.perf_counter() - started:9.1f} s")
        for name, count in seeded["rows"].items():
            print(f"  {name:<32}{count:>9,}")

        client = Client()
        client.force_login(seeded["supervisor"])
        period = {"start": seeded["start"].isoformat(), "end": seeded["end"].isoformat()}
        print(f"\n{'request (best of ' + str(args.repeat) + ')':<34}{'ms':>9}")
        figures = [("page, two years", "/results/", period)]
        figures.append(("page, one agency", "/results/", {**period, "agency": seeded["agency"].pk}))
        figures.append(("page, default (12 months)", "/results/", {}))
        for name in TABLES:
            for fmt in ("csv", "xlsx"):
                figures.append((f"{name}.{fmt}", f"/results/{name}.{fmt}", period))
        for label, url, params in figures:
            print(f"{label:<34}{timed(client, url, params, args.repeat):9.0f}")
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            drop_database(args.postgres, args.database)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
