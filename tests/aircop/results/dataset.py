"""Half a year of one task force's results, with exact figures the tests assert.

Lomé (LFW) has a police and a customs agency; Dakar is another task force whose figures must
never show up in Lomé's results. The period the tests ask for is 2026-01-01 … 2026-06-30.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from agencies.cases.models import CaseFile, CaseSubject, Seizure
from agencies.models import Agency, Person, Role, TaskForce
from aircop.results.queries import ResultsFilter
from targeting.ingestion.models import Finding, InboundMessage
from targeting.manifests.models import Flight, Traveller
from targeting.rules.models import Category, Hit, Rule, Visibility, Watchlist
from targeting.triage.models import Decision, Disposition, Outcome, State
from tests.agencies.factories import (
    AgencyFactory,
    AirportFactory,
    DataProviderFactory,
    PersonFactory,
    TaskForceFactory,
)
from tests.targeting.factories import FlightFactory, TravellerFactory

START, END = date(2026, 1, 1), date(2026, 6, 30)
QUERY: dict[str, Any] = {"start": "2026-01-01", "end": "2026-06-30"}


@dataclass
class Results:
    lome: TaskForce
    dakar: TaskForce
    police: Agency
    customs: Agency
    supervisor: Any
    analyst: Any
    officer: Any
    dakar_supervisor: Any

    def filter(self, **kwargs: Any) -> ResultsFilter:
        return ResultsFilter(
            **{"start": START, "end": END, "task_force_ids": [self.lome.pk], **kwargs}
        )


def at(day: str, time: str = "12:00") -> datetime:
    return datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=UTC)


def _case(agency: Agency, by: Person, n: int, opened: str, flights: list[Flight]) -> CaseFile:
    case = CaseFile.objects.create(
        agency=agency,
        year=2026,
        sequence=n,
        number=f"{agency.code}-2026-{n:04d}",
        title=f"Case {n}",
        opened_by=by,
    )
    CaseFile.objects.filter(pk=case.pk).update(opened_at=at(opened))
    case.flights.set(flights)
    return case


def _seize(case: CaseFile, by: Person, **fields: Any) -> Seizure:
    fields["quantity"] = Decimal(fields["quantity"])
    return Seizure.objects.create(case=case, recorded_by=by, agency=case.agency, **fields)


def _decide(traveller: Traveller, by: Person, outcome: str, when: datetime) -> None:
    disposition = Disposition.objects.create(
        traveller=traveller, state=State.DECIDED, outcome=outcome
    )
    decision = Decision.objects.create(
        disposition=disposition,
        kind=Decision.Kind.OUTCOME,
        outcome=outcome,
        decided_by=by,
        agency=by.agency,
    )
    Decision.objects.filter(pk=decision.pk).update(decided_at=when)


def _message(task_force: TaskForce, provider: Any, received: str, **fields: Any) -> Any:
    findings = fields.pop("findings", [])
    message = InboundMessage.objects.create(
        task_force=task_force,
        provider=provider,
        # A real digest: PostgreSQL holds the column to its 64 characters.
        sha256=hashlib.sha256(f"{received}{fields}".encode()).hexdigest(),
        **fields,
    )
    InboundMessage.objects.filter(pk=message.pk).update(received_at=at(received))
    for severity, text in findings:
        Finding.objects.create(message=message, severity=severity, text=text)
    return message


def build() -> Results:
    lfw = AirportFactory(iata_code="LFW", country="TGO")
    AirportFactory(iata_code="ABJ", country="CIV")
    AirportFactory(iata_code="CDG", country="FRA", time_zone="Europe/Paris")
    dss = AirportFactory(iata_code="DSS", country="SEN", time_zone="Africa/Dakar")
    lome = TaskForceFactory(code="TG-LFW", name="JAITF Lomé", airports=[lfw])
    dakar = TaskForceFactory(code="SN-DSS", name="JAITF Dakar", country="SEN", airports=[dss])
    police = AgencyFactory(task_force=lome, code="TG-POL", name="Police", kind="police")
    customs = AgencyFactory(task_force=lome, code="TG-CUS", name="Customs", kind="customs")
    sn_customs = AgencyFactory(task_force=dakar, code="SN-CUS", name="Douanes", kind="customs")
    supervisor = PersonFactory(username="sup", agency=customs, roles=[Role.SUPERVISOR])
    analyst = PersonFactory(username="analyst", agency=police, roles=[Role.ANALYST])
    officer = PersonFactory(username="officer", agency=police, roles=[Role.OFFICER])
    dakar_supervisor = PersonFactory(username="sn-sup", agency=sn_customs, roles=[Role.SUPERVISOR])

    # Flights: ABJ→LFW arrives at home (reviewed before arrival), LFW→CDG leaves (before
    # departure).
    f1 = FlightFactory(
        task_force=lome,
        carrier="KP",
        number="100",
        departure_airport="ABJ",
        arrival_airport="LFW",
        scheduled_departure=at("2026-02-10", "08:00"),
        scheduled_arrival=at("2026-02-10", "09:00"),
    )
    f2 = FlightFactory(
        task_force=lome,
        carrier="AF",
        number="200",
        departure_airport="LFW",
        arrival_airport="CDG",
        scheduled_departure=at("2026-03-05", "22:00"),
        scheduled_arrival=at("2026-03-06", "06:00"),
    )
    f_dakar = FlightFactory(
        task_force=dakar,
        departure_airport="CDG",
        arrival_airport="DSS",
        scheduled_departure=at("2026-02-11", "08:00"),
        scheduled_arrival=at("2026-02-11", "14:00"),
    )

    # Cases and seizures.
    a = _case(customs, supervisor, 1, "2026-02-10", [f1])
    _seize(a, supervisor, commodity="cocaine", quantity="12.5", unit="kg",
           concealment="luggage", seized_on=date(2026, 2, 10), flight=f1)  # fmt: skip
    _seize(a, supervisor, commodity="cocaine", quantity="2.5", unit="kg",
           concealment="body", seized_on=date(2026, 3, 2))  # fmt: skip
    b = _case(police, analyst, 2, "2026-03-05", [])
    _seize(b, analyst, commodity="currency", quantity="50000", unit="amount", currency="XOF",
           concealment="clothing", seized_on=date(2026, 3, 5), flight=f2)  # fmt: skip
    _seize(b, analyst, commodity="cannabis", quantity="3", unit="kg",
           concealment="luggage", seized_on=date(2026, 3, 20))  # fmt: skip
    c = _case(customs, supervisor, 3, "2026-04-01", [])
    _seize(c, supervisor, commodity="pangolin", quantity="40", unit="kg",
           concealment="cargo", seized_on=date(2026, 4, 1), flight=f2)  # fmt: skip
    _seize(
        c,
        supervisor,
        commodity="cocaine",
        quantity="1",
        unit="kg",
        concealment="body",
        seized_on=date(2026, 7, 15),
    )  # fmt: skip  (after the period)
    d = _case(sn_customs, dakar_supervisor, 1, "2026-02-11", [f_dakar])
    _seize(d, dakar_supervisor, commodity="cocaine", quantity="100", unit="kg",
           concealment="cargo", seized_on=date(2026, 2, 11), flight=f_dakar)  # fmt: skip

    # Persons: 3 arrests (1 woman), 2 victims (2 women), 1 foreign terrorist fighter (a man).
    CaseSubject.objects.create(case=a, surname="A", sex="F", is_arrested=True)
    CaseSubject.objects.create(case=a, surname="B", sex="M", is_arrested=True)
    CaseSubject.objects.create(case=b, surname="C", sex="F", is_trafficking_victim=True)
    CaseSubject.objects.create(
        case=b, surname="D", sex="M", is_arrested=True, is_foreign_terrorist_fighter=True
    )
    CaseSubject.objects.create(case=c, surname="E", sex="F", is_trafficking_victim=True)
    CaseSubject.objects.create(case=d, surname="F", sex="F", is_arrested=True)

    # Hits and decisions.
    rule = Rule.objects.create(agency=customs, name="Cash route")
    watchlist = Watchlist.objects.create(
        agency=police, name="Couriers", visibility=Visibility.TASK_FORCE
    )
    # Only the police may see this list, its name and its figures.
    secret = Watchlist.objects.create(
        agency=police, name="Police sources", visibility=Visibility.AGENCY
    )
    dakar_rule = Rule.objects.create(agency=sn_customs, name="Dakar rule")
    t1, t2 = TravellerFactory(flight=f1), TravellerFactory(flight=f1, surname="AGBEKO")
    t3, _t4 = TravellerFactory(flight=f2), TravellerFactory(flight=f2, surname="KOFFI")
    t_dakar = TravellerFactory(flight=f_dakar)
    for traveller, source, agency in (
        (t1, rule, customs),
        (t1, watchlist, police),
        (t2, rule, customs),
        (t3, watchlist, police),
        (t3, secret, police),
        (t_dakar, dakar_rule, sn_customs),
    ):
        kind = "rule" if isinstance(source, Rule) else "watchlist"
        Hit.objects.create(
            traveller=traveller,
            source=kind,
            **{kind: source},
            agency=agency,
            score=80,
            category=Category.DRUGS,
            explanation="test",
        )
    _decide(t1, supervisor, Outcome.POSITIVE, at("2026-02-10", "08:30"))  # before arrival
    _decide(t2, supervisor, Outcome.NEGATIVE, at("2026-02-10", "10:00"))  # after arrival
    _decide(t3, analyst, Outcome.CLEARED, at("2026-03-05", "20:00"))  # before departure
    _decide(t_dakar, dakar_supervisor, Outcome.POSITIVE, at("2026-02-11", "15:00"))

    # Messages: KP sent three in February (one late, one rejected with an error, one missing
    # a birth date) and re-sent one; AF one in March, in time.
    kp = DataProviderFactory(code="KP", name="ASKY")
    af = DataProviderFactory(code="AF", name="Air France")
    first = _message(lome, kp, "2026-02-09", is_late=True, state="parsed")
    _message(
        lome,
        kp,
        "2026-02-09",
        state="rejected",
        findings=[("error", "UNH: unknown message type XYZ")],
    )
    _message(lome, kp, "2026-02-09", state="parsed",
             findings=[("warning", "no DTM+329 for MENSAH KOSSI")])  # fmt: skip
    _message(lome, kp, "2026-02-09", state="duplicate", duplicate_of=first)
    _message(lome, af, "2026-03-04", state="parsed", findings=[("info", "read as UTF-8")])
    _message(dakar, af, "2026-03-04", is_late=True, state="parsed")
    return Results(lome, dakar, police, customs, supervisor, analyst, officer, dakar_supervisor)
