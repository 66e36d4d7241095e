"""The store-and-forward channels write and read the format of docs/liaison-store-and-forward.md.

The answer files under tests/liaison/data/ were written by hand, as the national gateway writes
them; the tests copy them into a temporary incoming folder.
"""

from __future__ import annotations

import json
import re
import shutil
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from agencies.models import Role
from liaison import services, wire
from liaison.adapters import ChannelDown
from liaison.adapters.store_forward import ENVELOPE_KEYS, fetch_all, open_envelope
from liaison.models import Counterpart, Exchange, Message
from liaison.tasks import drain_outbox
from tests.agencies.factories import PersonFactory

DATA = Path(__file__).parent / "data"
I247_ANSWER = DATA / "i247" / "20261125T101500Z-a3b4c5d6-e7f8-4a9b-8c0d-1e2f3a4b5c6d.json"
CENCOMM_NOTICE = DATA / "cencomm" / "20261125T113000Z-5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9.json"
NATIONAL_ANSWER = DATA / "national" / "20261125T120000Z-c7d8e9f0-a1b2-4c3d-9e4f-5a6b7c8d9e0f.json"
MALFORMED = DATA / "malformed" / "20261125T130000Z-d1e2f3a4-b5c6-4d7e-8f9a-0b1c2d3e4f5a.json"
SAMPLES = {
    I247_ANSWER: ("i247", "NCB-TG"),
    CENCOMM_NOTICE: ("cencomm", "RILO-WCA"),
    NATIONAL_ANSWER: ("national", "TG-DGDN-FICHIERS"),
}
FILE_NAME = re.compile(r"^\d{8}T\d{6}Z-[0-9a-f-]{36}\.json$")


def make_counterpart(
    task_force: Any, tmp_path: Path, *, kind: str, code: str, make_folders: bool = True
) -> Counterpart:
    outbox, inbox = tmp_path / code / "out", tmp_path / code / "in"
    if make_folders:
        outbox.mkdir(parents=True)
        inbox.mkdir(parents=True)
    return Counterpart.objects.create(
        task_force=task_force,
        kind=kind,
        code=code,
        name=code,
        channel=f"{kind}_file",
        outbox_dir=str(outbox),
        inbox_dir=str(inbox),
    )


@pytest.fixture
def liaison_officer(police: Any) -> Any:
    return PersonFactory(username="liaison", agency=police, roles=[Role.LIAISON_OFFICER])


@pytest.fixture
def ncb(task_force: Any, tmp_path: Path) -> Counterpart:
    return make_counterpart(task_force, tmp_path, kind="i247", code="NCB-TG")


def send_request(officer: Any, counterpart: Counterpart, capture: Any) -> Exchange:
    with capture(execute=True):
        return services.compose(
            actor=officer,
            counterpart=counterpart,
            kind=Exchange.Kind.REQUEST,
            subject="SLTD check: passport A1234567",
            body="Please check passport A1234567 (NGA) against SLTD.",
        )


def written_files(counterpart: Counterpart) -> list[Path]:
    return sorted(Path(counterpart.outbox_dir).iterdir())


@pytest.mark.parametrize("sample", list(SAMPLES), ids=lambda p: p.parent.name)
def test_sample_answer_files_follow_the_documented_format(sample: Path) -> None:
    channel, code = SAMPLES[sample]
    document = json.loads(sample.read_text())

    assert tuple(document) == ENVELOPE_KEYS
    assert FILE_NAME.match(sample.name)
    assert sample.name.endswith(f"-{document['message']['message_id']}.json")
    assert wire.validate(document["message"])["message_id"] == document["message"]["message_id"]
    assert open_envelope(sample.read_text(), channel=channel, counterpart_code=code)


def test_malformed_sample_names_the_field() -> None:
    with pytest.raises(wire.WireError) as error:
        open_envelope(MALFORMED.read_text(), channel="i247", counterpart_code="NCB-TG")

    assert error.value.field == "message.travellers[0].birth_date"


def test_exchange_to_interpol_is_written_as_one_gateway_file(
    liaison_officer: Any,
    ncb: Counterpart,
    embedded_celery: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    exchange = send_request(liaison_officer, ncb, django_capture_on_commit_callbacks)

    message = exchange.messages.get()
    [path] = written_files(ncb)
    document = json.loads(path.read_text(encoding="utf-8"))
    assert path.name.endswith(f"-{message.uid}.json") and FILE_NAME.match(path.name)
    assert tuple(document) == ENVELOPE_KEYS
    assert document["envelope"] == "aircop-gateway/1"
    assert document["channel"] == "i247"
    assert document["counterpart"] == "NCB-TG"
    assert document["routing"] == {"ncb": "NCB-TG", "priority": "routine"}
    assert document["message"] == message.payload
    assert wire.validate(document["message"])["exchange_id"] == str(exchange.uid)
    message.refresh_from_db()
    exchange.refresh_from_db()
    assert message.state == Message.State.DELIVERED
    assert exchange.state == Exchange.State.DELIVERED


def test_alert_is_urgent_for_the_ncb_and_cencomm_gets_its_notice_type(
    liaison_officer: Any,
    ncb: Counterpart,
    task_force: Any,
    tmp_path: Path,
    embedded_celery: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    cencomm = make_counterpart(task_force, tmp_path, kind="cencomm", code="RILO-WCA")
    for counterpart, kind in ((ncb, Exchange.Kind.ALERT), (cencomm, Exchange.Kind.SEIZURE)):
        with django_capture_on_commit_callbacks(execute=True):
            services.compose(
                actor=liaison_officer,
                counterpart=counterpart,
                kind=kind,
                subject="Courier on ET 911",
                body="Passport A1234567, seat 23C.",
            )

    [ncb_file], [cencomm_file] = written_files(ncb), written_files(cencomm)
    assert json.loads(ncb_file.read_text())["routing"] == {"ncb": "NCB-TG", "priority": "urgent"}
    assert json.loads(cencomm_file.read_text())["routing"] == {
        "community": "RILO-WCA",
        "notice_type": "seizure",
    }


def test_sending_twice_writes_one_file(
    liaison_officer: Any,
    ncb: Counterpart,
    embedded_celery: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    exchange = send_request(liaison_officer, ncb, django_capture_on_commit_callbacks)
    message = exchange.messages.get()
    [first] = written_files(ncb)
    before = first.read_text()

    # A retry after a crash between the write and the outbox update sends the same payload.
    Message.objects.filter(pk=message.pk).update(state=Message.State.QUEUED)
    assert services.deliver(message.pk) == "delivered"

    assert written_files(ncb) == [first]
    assert first.read_text() == before


def test_missing_folder_keeps_the_message_queued_until_the_folder_exists(
    liaison_officer: Any,
    task_force: Any,
    tmp_path: Path,
    embedded_celery: None,
) -> None:
    ncb = make_counterpart(task_force, tmp_path, kind="i247", code="NCB-TG", make_folders=False)
    # The outbox task is not run on commit here: in eager mode its retry raises celery's Retry
    # out of the on-commit callback. services.deliver is what the task runs.
    exchange = services.compose(
        actor=liaison_officer,
        counterpart=ncb,
        kind=Exchange.Kind.REQUEST,
        subject="SLTD check",
        body="Please check passport A1234567.",
    )
    message = exchange.messages.get()

    with pytest.raises(ChannelDown, match="does not exist"):
        services.deliver(message.pk)

    message.refresh_from_db()
    ncb.refresh_from_db()
    assert message.state == Message.State.QUEUED
    assert ncb.health == Counterpart.Health.DOWN
    assert "outgoing folder" in ncb.health_error

    Path(ncb.outbox_dir).mkdir(parents=True)
    Path(ncb.inbox_dir).mkdir(parents=True)
    drain_outbox.delay()

    message.refresh_from_db()
    ncb.refresh_from_db()
    assert message.state == Message.State.DELIVERED
    assert ncb.health == Counterpart.Health.UP
    assert len(written_files(ncb)) == 1


def test_interpol_answer_is_filed_in_our_thread_and_the_file_processed(
    liaison_officer: Any,
    ncb: Counterpart,
    embedded_celery: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    exchange = send_request(liaison_officer, ncb, django_capture_on_commit_callbacks)
    sample = json.loads(I247_ANSWER.read_text())["message"]
    # The gateway answers the thread the sample file names: make it ours.
    Exchange.objects.filter(pk=exchange.pk).update(uid=sample["exchange_id"])
    Message.objects.filter(exchange=exchange).update(uid=sample["in_reply_to"])
    inbox = Path(ncb.inbox_dir)
    shutil.copy(I247_ANSWER, inbox)

    fetched = fetch_all()

    assert fetched["TG-LFW/NCB-TG"].received == 1
    exchange.refresh_from_db()
    assert exchange.state == Exchange.State.ANSWERED
    answer = exchange.messages.get(direction=Exchange.Direction.INBOUND)
    assert str(answer.uid) == sample["message_id"]
    assert answer.sender_label == "NCB Lomé duty officer"
    assert not list(inbox.glob("*.json"))
    assert (inbox / "processed" / I247_ANSWER.name).is_file()

    # The gateway drops the same file again: nothing new is filed.
    shutil.copy(I247_ANSWER, inbox)
    assert fetch_all()["TG-LFW/NCB-TG"].already_had == 1
    assert exchange.messages.filter(direction=Exchange.Direction.INBOUND).count() == 1


def test_cencomm_notice_opens_an_inbound_thread_for_customs(
    customs: Any, task_force: Any, tmp_path: Path
) -> None:
    cencomm = make_counterpart(task_force, tmp_path, kind="cencomm", code="RILO-WCA")
    shutil.copy(CENCOMM_NOTICE, cencomm.inbox_dir)

    out = StringIO()
    call_command("liaison_fetch", "--counterpart", "RILO-WCA", stdout=out)

    assert "TG-LFW/RILO-WCA: 1 received, 0 already had, 0 rejected" in out.getvalue()
    exchange = Exchange.objects.get(counterpart=cencomm)
    assert exchange.direction == Exchange.Direction.INBOUND
    assert exchange.kind == Exchange.Kind.SEIZURE
    assert exchange.agency == customs
    assert exchange.flights.count() == 0  # referenced in the payload, not matched to ours
    assert (Path(cencomm.inbox_dir) / "processed" / CENCOMM_NOTICE.name).is_file()


def test_national_answer_is_read_by_the_adapter_fetch_replies(
    task_force: Any, police: Any, tmp_path: Path
) -> None:
    from liaison.adapters import adapter_for

    national = make_counterpart(task_force, tmp_path, kind="national", code="TG-DGDN-FICHIERS")
    shutil.copy(NATIONAL_ANSWER, national.inbox_dir)

    [payload] = adapter_for(national).fetch_replies(national)

    assert payload["message_id"] == "c7d8e9f0-a1b2-4c3d-9e4f-5a6b7c8d9e0f"
    assert (Path(national.inbox_dir) / "processed" / NATIONAL_ANSWER.name).is_file()


def test_malformed_file_is_rejected_with_the_field_named(ncb: Counterpart) -> None:
    inbox = Path(ncb.inbox_dir)
    shutil.copy(MALFORMED, inbox)

    fetched = fetch_all()

    assert fetched["TG-LFW/NCB-TG"].received == 0
    assert len(fetched["TG-LFW/NCB-TG"].rejected) == 1
    assert not Message.objects.exists()
    rejected = inbox / "rejected"
    assert (rejected / MALFORMED.name).is_file()
    reason = (rejected / f"{MALFORMED.name}.error.txt").read_text()
    assert reason.splitlines()[0] == "message.travellers[0].birth_date"
    assert not list(inbox.glob("*.json"))


def test_file_for_another_counterpart_is_rejected(
    ncb: Counterpart, task_force: Any, tmp_path: Path
) -> None:
    shutil.copy(CENCOMM_NOTICE, ncb.inbox_dir)

    fetch_all()

    reason = (Path(ncb.inbox_dir) / "rejected" / f"{CENCOMM_NOTICE.name}.error.txt").read_text()
    assert reason.splitlines()[0] == "channel"


def test_health_names_the_missing_folder(task_force: Any, tmp_path: Path) -> None:
    ncb = make_counterpart(task_force, tmp_path, kind="i247", code="NCB-TG", make_folders=False)
    Path(ncb.outbox_dir).mkdir(parents=True)

    assert services.check_channels() == {"NCB-TG": False}
    ncb.refresh_from_db()
    assert ncb.health_error == f"the incoming folder {ncb.inbox_dir} does not exist"


def test_fetch_command_refuses_an_unknown_counterpart(db: Any) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="NOPE"):
        call_command("liaison_fetch", "--counterpart", "NOPE")
