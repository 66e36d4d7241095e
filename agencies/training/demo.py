"""A demo training at Lomé, so the training page and the results' totals have figures."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from agencies.models import Agency, Person
from agencies.training import services
from agencies.training.models import Training


@transaction.atomic
def load_training_demo(*, day: date) -> Training | None:
    """Record one API/PNR risk analysis course once; returns it when it was created."""
    supervisor = Person.objects.get(username="supervisor")
    if Training.objects.filter(task_force_id=supervisor.agency.task_force_id).exists():
        return None
    start = day - timedelta(days=40)
    training = services.create_training(
        actor=supervisor,
        kind="training",
        title="API/PNR risk analysis for JAITF officers",
        start=start,
        end=start + timedelta(days=4),
        place="Lomé",
        topics=["api_pnr", "profiling", "drugs"],
        description="Reading API and PNR, writing risk rules, working the triage queue.",
    )
    services.add_trainer(
        actor=supervisor, training=training, name="Marie Dupont", nationality="FRA"
    )
    services.add_trainer(
        actor=supervisor, training=training, name="Moussa Ndiaye", nationality="SEN"
    )
    police = Agency.objects.get(code="TG-POL")
    customs = Agency.objects.get(code="TG-CUS")
    for name, agency, gender in [
        ("Afi Mensah", police, "F"),
        ("Kossi Agbeko", police, "M"),
        ("Ama Lawson", customs, "F"),
        ("Yao Adjovi", customs, "M"),
    ]:
        services.add_participant(
            actor=supervisor, training=training, name=name, agency=agency, gender=gender
        )
    return training
