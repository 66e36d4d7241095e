from __future__ import annotations

from typing import Any

import factory

from agencies.models import Agency, Airport, DataProvider, Person, PersonRole, Role, TaskForce

PASSWORD = "correct-horse-battery-staple"


class AirportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Airport
        django_get_or_create = ("iata_code",)

    iata_code = factory.Sequence(lambda n: f"Q{chr(65 + n // 26 % 26)}{chr(65 + n % 26)}")
    icao_code = None
    name = factory.LazyAttribute(lambda a: f"{a.iata_code} International")
    country = "TGO"
    time_zone = "Africa/Lome"


class TaskForceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaskForce
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"JAITF {n}")
    code = factory.Sequence(lambda n: f"TF-{n:03d}")
    country = "TGO"
    status = TaskForce.Status.ESTABLISHED

    @factory.post_generation
    def airports(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            self.airports.set(extracted or [AirportFactory()])


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    task_force = factory.SubFactory(TaskForceFactory)
    name = factory.Sequence(lambda n: f"Agency {n}")
    code = factory.Sequence(lambda n: f"AG-{n:03d}")
    kind = Agency.Kind.CUSTOMS


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda p: f"{p.username}@example.org")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person {n}")
    agency = factory.SubFactory(AgencyFactory)
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            for role in extracted if extracted is not None else [Role.OFFICER]:
                PersonRole.objects.create(person=self, role=role)


class PlatformAdminFactory(PersonFactory):
    agency = None
    is_staff = True
    is_superuser = True

    @factory.post_generation
    def roles(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        """A platform admin holds no agency role."""


class DataProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DataProvider

    code = factory.Sequence(lambda n: f"Z{n % 100:02d}"[:3])
    name = factory.Sequence(lambda n: f"Airline {n}")
