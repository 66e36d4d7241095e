from __future__ import annotations

from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone

from agencies.consultations.models import ConsultationRequest
from agencies.models import Person, PersonRole, Role
from tests.agencies.factories import PASSWORD, DataProviderFactory, PersonFactory, TaskForceFactory


class AirlineStaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"airline{n}")
    email = factory.LazyAttribute(lambda p: f"{p.username}@airline.example")
    agency = None
    airline = factory.SubFactory(DataProviderFactory)
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            PersonRole.objects.create(person=self, role=Role.AIRLINE)


class ConsultationRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsultationRequest

    task_force = factory.SubFactory(TaskForceFactory)
    airline = factory.SubFactory(DataProviderFactory)
    kind = ConsultationRequest.Kind.FLIGHT_MANIFEST
    carrier = "KP"
    flight_number = "051"
    flight_date = factory.LazyFunction(lambda: timezone.now().date())
    question = "The manifest of the flight, please."
    deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=2))
    requested_by = factory.LazyAttribute(
        lambda r: PersonFactory(agency__task_force=r.task_force, roles=[Role.OFFICER])
    )
