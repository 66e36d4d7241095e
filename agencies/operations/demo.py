"""A demo joint operation of Lomé and Dakar, with the demo case attached to it."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from agencies.cases.models import CaseFile
from agencies.models import Person, TaskForce
from agencies.operations import services
from agencies.operations.models import JointOperation


@transaction.atomic
def load_operations_demo(*, day: date) -> JointOperation | None:
    """Create the week of coordinated controls once; attach Lomé's demo case to it."""
    if JointOperation.objects.filter(code="DEMO-WEEK").exists():
        return None
    admin = Person.objects.get(username="admin")
    operation = services.create_operation(
        actor=admin,
        name="Week of coordinated controls on West African routes",
        code="DEMO-WEEK",
        start_date=day - timedelta(days=3),
        end_date=day + timedelta(days=3),
        task_forces=TaskForce.objects.filter(code__in=["TG-LFW", "SN-DSS"]),
        description="Joint controls of flights from South America via West African hubs.",
    )
    officer = Person.objects.get(username="officer")
    case = CaseFile.objects.filter(agency=officer.agency).order_by("pk").first()
    if case is not None:
        services.attach_case(actor=officer, case=case, operation=operation)
    return operation
