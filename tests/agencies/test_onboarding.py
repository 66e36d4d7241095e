"""Onboarding task forces, agencies, people and data providers, in the browser and by command."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from agencies import services
from agencies.models import Agency, DataProvider, Invitation, Person, ProviderToken, Role, TaskForce
from tests.agencies.factories import AgencyFactory, AirportFactory, TaskForceFactory
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_platform_admin_creates_task_force_in_browser(platform_admin: Any) -> None:
    AirportFactory(iata_code="LFW", time_zone="Africa/Lome")
    response = client_for(platform_admin).post(
        reverse("task-force-create"),
        {
            "name": "JAITF Lomé",
            "code": "tg-lfw",
            "country": "TGO",
            "airports": ["LFW"],
            "status": "under_establishment",
        },
    )
    task_force = TaskForce.objects.get(code="TG-LFW")
    assert response.status_code == 302
    assert [a.iata_code for a in task_force.airports.all()] == ["LFW"]
    assert task_force.time_zone == "Africa/Lome"


def test_task_force_becomes_operational_only_with_two_agencies(task_force: Any) -> None:
    AgencyFactory(task_force=task_force)
    with pytest.raises(ValidationError) as err:
        services.set_task_force_status(
            actor=None, task_force=task_force, status=TaskForce.Status.OPERATIONAL
        )
    assert "status" in err.value.message_dict
    AgencyFactory(task_force=task_force)
    services.set_task_force_status(
        actor=None, task_force=task_force, status=TaskForce.Status.OPERATIONAL
    )
    task_force.refresh_from_db()
    assert task_force.status == TaskForce.Status.OPERATIONAL


def test_operational_error_is_shown_on_the_page(platform_admin: Any, task_force: Any) -> None:
    response = client_for(platform_admin).post(
        reverse("task-force-detail", args=[task_force.pk]), {"status-status": "operational"}
    )
    assert response.status_code == 200
    assert "at least 2 agencies" in response.content.decode()


def test_platform_admin_adds_agency_in_browser(platform_admin: Any, task_force: Any) -> None:
    client_for(platform_admin).post(
        reverse("task-force-detail", args=[task_force.pk]),
        {"agency-name": "Gendarmerie", "agency-code": "TG-GEN", "agency-kind": "gendarmerie"},
    )
    assert Agency.objects.get(code="TG-GEN").task_force == task_force


def test_duplicate_agency_code_is_named(platform_admin: Any, police: Any) -> None:
    response = client_for(platform_admin).post(
        reverse("task-force-detail", args=[police.task_force.pk]),
        {"agency-name": "Other", "agency-code": police.code, "agency-kind": "police"},
    )
    assert "code" in response.context["agency_form"].errors


def test_only_platform_admin_creates_task_forces(police_admin: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.create_task_force(
            actor=police_admin, name="x", code="XX", country="TGO", airport_codes=["LFW"]
        )


def test_invitation_is_mailed_and_accepted(
    platform_admin: Any,
    customs: Any,
    django_capture_on_commit_callbacks: Any,
    embedded_celery: None,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(platform_admin).post(
            reverse("people-list"),
            {"agency": customs.pk, "email": "Chief@Customs.example", "roles": ["agency_admin"]},
        )
    link = response.context["invitation_link"]
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert len(mail.outbox) == 1
    assert f"/invitations/{token}/" in mail.outbox[0].body
    assert mail.outbox[0].to == ["chief@customs.example"]
    new_client = Client()
    accepted = new_client.post(
        reverse("accept-invitation", args=[token]),
        {
            "username": "chief",
            "first_name": "Ama",
            "last_name": "K",
            "password": "a-long-unusual-passphrase",
            "password_again": "a-long-unusual-passphrase",
        },
    )
    assert accepted.status_code == 302
    person = Person.objects.get(username="chief")
    assert person.agency == customs
    assert person.role_codes == {Role.AGENCY_ADMIN}
    assert person.email == "chief@customs.example"
    # The link works once.
    assert new_client.get(reverse("accept-invitation", args=[token])).status_code == 404


def test_invitation_with_weak_password_names_the_problem(customs_admin: Any) -> None:
    _invitation, token = services.invite_person(
        actor=customs_admin, agency=customs_admin.agency, email="a@b.example", roles=["officer"]
    )
    response = Client().post(
        reverse("accept-invitation", args=[token]),
        {
            "username": "newbie",
            "first_name": "A",
            "last_name": "B",
            "password": "short",
            "password_again": "short",
        },
    )
    assert response.status_code == 200
    assert "password" in str(response.context["form"].errors) or response.context["form"].errors
    assert not Person.objects.filter(username="newbie").exists()


def test_expired_or_revoked_invitation_is_refused(customs_admin: Any) -> None:
    invitation, token = services.invite_person(
        actor=customs_admin, agency=customs_admin.agency, email="a@b.example", roles=["officer"]
    )
    services.revoke_invitation(actor=customs_admin, invitation=invitation)
    assert Client().get(reverse("accept-invitation", args=[token])).status_code == 404
    invitation2, token2 = services.invite_person(
        actor=customs_admin, agency=customs_admin.agency, email="c@d.example", roles=["officer"]
    )
    Invitation.objects.filter(pk=invitation2.pk).update(expires_at="2000-01-01T00:00:00Z")
    assert Client().get(reverse("accept-invitation", args=[token2])).status_code == 404


def test_unknown_role_is_refused(customs_admin: Any) -> None:
    with pytest.raises(ValidationError) as err:
        services.invite_person(
            actor=customs_admin, agency=customs_admin.agency, email="a@b.example", roles=["king"]
        )
    assert "king" in str(err.value.message_dict["roles"])


def test_agency_admin_cannot_drop_own_admin_role(customs_admin: Any) -> None:
    with pytest.raises(ValidationError):
        services.set_roles(actor=customs_admin, person=customs_admin, roles=["officer"])


def test_platform_admin_issues_provider_token_in_browser(
    platform_admin: Any, task_force: Any
) -> None:
    client = client_for(platform_admin)
    client.post(
        reverse("provider-list"),
        {
            "code": "KP",
            "name": "ASKY Airlines",
            "kind": "airline",
            "task_forces": [task_force.code],
        },
    )
    provider = DataProvider.objects.get(code="KP")
    response = client.post(reverse("provider-detail", args=[provider.pk]), {"action": "issue"})
    key = response.context["new_key"]
    assert key in response.content.decode()
    token = ProviderToken.objects.get(provider=provider)
    assert key not in token.hashed_key
    client.post(
        reverse("provider-detail", args=[provider.pk]),
        {"action": "revoke", "prefix": token.prefix},
    )
    token.refresh_from_db()
    assert token.revoked


def test_commands_set_up_an_installation() -> None:
    out = StringIO()
    call_command("load_airports", stdout=out)
    call_command(
        "create_task_force",
        "--code",
        "SN-DSS",
        "--name",
        "JAITF Dakar",
        "--country",
        "SEN",
        "--airport",
        "DSS",
        stdout=out,
    )
    call_command(
        "create_agency",
        "--task-force",
        "SN-DSS",
        "--code",
        "SN-POL",
        "--name",
        "Police",
        "--kind",
        "police",
        stdout=out,
    )
    call_command(
        "create_agency",
        "--task-force",
        "SN-DSS",
        "--code",
        "SN-CUS",
        "--name",
        "Douanes",
        "--kind",
        "customs",
        stdout=out,
    )
    call_command("set_task_force_status", "SN-DSS", "operational", stdout=out)
    call_command(
        "invite_person",
        "--agency",
        "SN-POL",
        "--email",
        "chef@police.example",
        "--roles",
        "agency_admin",
        stdout=out,
    )
    call_command(
        "create_provider",
        "--code",
        "HF",
        "--name",
        "Air Côte d'Ivoire",
        "--task-force",
        "SN-DSS",
        stdout=out,
    )
    text = out.getvalue()
    assert "/invitations/" in text
    assert "token (shown once):" in text
    assert TaskForce.objects.get(code="SN-DSS").status == "operational"
    assert DataProvider.objects.get(code="HF").tokens.filter(revoked=False).count() == 1


def test_create_person_command_reads_password_from_env(
    police: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEW_PASSWORD", "a-long-unusual-passphrase")
    call_command(
        "create_person",
        "--agency",
        police.code,
        "--username",
        "scripted",
        "--roles",
        "officer,analyst",
        "--password-env",
        "NEW_PASSWORD",
        stdout=StringIO(),
    )
    person = Person.objects.get(username="scripted")
    assert person.check_password("a-long-unusual-passphrase")
    assert person.role_codes == {Role.OFFICER, Role.ANALYST}


def test_command_errors_name_the_problem(police: Any) -> None:
    with pytest.raises(CommandError, match="no task force with code NOPE"):
        call_command(
            "create_agency",
            "--task-force",
            "NOPE",
            "--code",
            "X1",
            "--name",
            "x",
            "--kind",
            "police",
        )
    with pytest.raises(CommandError, match="Unknown airport code"):
        call_command(
            "create_task_force",
            "--code",
            "XX-1",
            "--name",
            "x",
            "--country",
            "TGO",
            "--airport",
            "ZZZ",
        )


def test_bad_airport_file_stores_nothing(tmp_path: Path) -> None:
    path = tmp_path / "airports.csv"
    path.write_text(
        "iata_code,icao_code,name,city,country,time_zone\n"
        "AAA,,Good,,TGO,Africa/Lome\n"
        "BB,,Bad code,,TGO,Mars/Olympus\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as err:
        call_command("load_airports", str(path))
    assert "line 3" in str(err.value)
    assert "time_zone" in str(err.value)
    from agencies.models import Airport

    assert not Airport.objects.filter(iata_code="AAA").exists()


def test_demo_data_loads_twice(embedded_celery: None) -> None:
    call_command("load_demo", stdout=StringIO())
    counts = (Person.objects.count(), Agency.objects.count(), TaskForce.objects.count())
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert (Person.objects.count(), Agency.objects.count(), TaskForce.objects.count()) == counts
    assert "officer" in out.getvalue()
    lome = TaskForce.objects.get(code="TG-LFW")
    assert lome.status == "operational" and lome.agencies.count() >= 2
    for username in ["officer", "analyst", "supervisor", "liaison", "agency-admin"]:
        assert Person.objects.get(username=username).check_password("aircop-demo-2026")
    # A day of synthetic traffic at Lomé, stored once however often the demo loads.
    from targeting.manifests.models import Flight, Traveller

    assert Flight.objects.filter(task_force=lome).count() >= 10
    assert Traveller.objects.filter(flight__task_force=lome, has_api=True, has_pnr=True).exists()
    # Demo lists and rules flag some of them, and only once however often the demo loads.
    from targeting.rules.models import Hit

    assert Hit.objects.filter(source="watchlist").exists()
    assert Hit.objects.filter(source="rule").exists()
    # The queue shows each state: one assigned, one referred to customs, one cleared; once.
    from targeting.triage.models import Decision

    assert sorted(Decision.objects.values_list("kind", flat=True)) == [
        "assign",
        "outcome",
        "outcome",
        "refer",
    ]
    # One demo case from a positive control, once: a seizure, and a share with customs that
    # waits in the demo supervisor's reviews.
    from agencies.cases.models import CaseFile, CaseShare
    from agencies.cases.selectors import reviews_awaiting

    (case,) = CaseFile.objects.all()
    assert case.source_decision is not None and case.source_decision.outcome == "positive"
    assert [(s.commodity, s.unit) for s in case.seizures.all()] == [("cocaine", "kg")]
    assert case.subjects.get().is_arrested
    (share,) = case.shares.all()
    assert (share.agency.code, share.state) == ("TG-CUS", CaseShare.State.PENDING)
    supervisor = Person.objects.get(username="supervisor")
    assert [r.case_id for r in reviews_awaiting(supervisor)] == [case.pk]
    # Results' other sources: a joint operation with the demo case, a training, the network.
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    from django.utils import timezone as tz

    from agencies.network.models import NetworkTaskForce
    from agencies.operations.models import JointOperation
    from agencies.training.selectors import training_totals

    operation = JointOperation.objects.get(code="DEMO-WEEK")
    assert operation.cases.count() == 1
    day = tz.localdate(timezone=ZoneInfo(lome.time_zone))
    totals = training_totals(task_force_ids=[lome.pk], start=day - timedelta(days=60), end=day)
    assert (totals.trainings, totals.personnel_trained, totals.women) == (1, 4, 2)
    assert NetworkTaskForce.objects.exists()
    # Liaison: the counterparts of Lomé and one alert from Dakar, in the queue as a hit.
    from liaison.models import Counterpart, Exchange

    assert set(Counterpart.objects.values_list("kind", flat=True)) == {
        "i247",
        "cencomm",
        "task_force",
    }
    # The alert names a passenger arriving from an hour ago on; late in the evening the demo day
    # may have none left, and then there is no alert.
    arriving = Traveller.objects.filter(
        flight__task_force=lome,
        flight__arrival_airport="LFW",
        flight__scheduled_arrival__gte=tz.now() - timedelta(hours=1),
    ).exists()
    alerts = Exchange.objects.filter(direction="in", kind="alert")
    assert alerts.count() == (1 if arriving else 0)
    for alert in alerts:
        assert Hit.objects.filter(source="liaison", exchange=alert).count() == 1


def test_task_force_factory_shares_no_airport_by_accident() -> None:
    a, b = TaskForceFactory(), TaskForceFactory()
    assert set(a.airports.all()).isdisjoint(set(b.airports.all()))
