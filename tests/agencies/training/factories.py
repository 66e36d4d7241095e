from __future__ import annotations

from datetime import date
from typing import Any

import factory

from agencies.training.models import Participant, Trainer, Training, TrainingTopic
from tests.agencies.factories import PersonFactory, TaskForceFactory


class TrainingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Training
        skip_postgeneration_save = True

    task_force = factory.SubFactory(TaskForceFactory)
    kind = Training.Kind.TRAINING
    title = factory.Sequence(lambda n: f"Course {n}")
    start = date(2026, 3, 2)
    end = factory.LazyAttribute(lambda t: t.start)
    place = "Lomé"
    created_by = factory.SubFactory(PersonFactory)

    @factory.post_generation
    def topics(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            for topic in extracted if extracted is not None else ["api_pnr"]:
                TrainingTopic.objects.create(training=self, topic=topic)


class TrainerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trainer

    training = factory.SubFactory(TrainingFactory)
    name = factory.Sequence(lambda n: f"Trainer {n}")
    nationality = "FRA"
    organisation = "UNODC"


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    training = factory.SubFactory(TrainingFactory)
    name = factory.Sequence(lambda n: f"Participant {n}")
    agency = None
    outside_agency = ""
    gender = "M"
    role = ""
