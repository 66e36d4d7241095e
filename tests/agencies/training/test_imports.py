"""Participants from a CSV or XLSX sheet: all or nothing, bad rows named by number."""

from __future__ import annotations

import io
from typing import Any

import pandas as pd
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agencies.training.imports import import_participants
from agencies.training.models import Participant
from agencies.training.selectors import training_totals
from tests.agencies.training.factories import TrainingFactory
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

GOOD_CSV = (
    b"Name;Agency;Other agency;Gender;Role\n"
    b"Ama Mensah;TG-POL;;F;inspector\n"
    b"Kofi Agbeko;tg-cus;;m;\n"
    b"Efua Owusu;;Ghana Immigration Service;F;liaison\n"
)


def test_csv_adds_every_participant(supervisor: Any, police: Any, customs: Any) -> None:
    training = TrainingFactory(task_force=supervisor.agency.task_force)

    added = import_participants(
        actor=supervisor, training=training, data=GOOD_CSV, file_name="course.csv"
    )

    assert [(p.name, p.agency_label, p.gender) for p in added] == [
        ("Ama Mensah", "TG-POL", "F"),
        ("Kofi Agbeko", "TG-CUS", "M"),
        ("Efua Owusu", "Ghana Immigration Service", "F"),
    ]
    totals = training_totals(
        task_force_ids=[training.task_force_id], start=training.start, end=training.end
    )
    assert (totals.personnel_trained, totals.women) == (3, 2)


def test_xlsx_is_read_too(supervisor: Any, police: Any) -> None:
    training = TrainingFactory(task_force=supervisor.agency.task_force)
    sheet = io.BytesIO()
    pd.DataFrame(
        {
            "name": ["Ama Mensah", "Yao Dzifa"],
            "agency code": ["TG-POL", "TG-POL"],
            "gender": ["F", "X"],
            "role": ["", "K9 handler"],
        }
    ).to_excel(sheet, index=False)

    import_participants(
        actor=supervisor, training=training, data=sheet.getvalue(), file_name="course.xlsx"
    )

    assert sorted(training.participants.values_list("gender", flat=True)) == ["F", "X"]


def test_one_bad_row_stores_nothing_and_names_each_bad_row(supervisor: Any, police: Any) -> None:
    training = TrainingFactory(task_force=supervisor.agency.task_force)
    data = (
        b"name,agency,gender,role\n"
        b"Ama Mensah,TG-POL,F,\n"
        b"Kofi Agbeko,SN-POL,M,\n"
        b"Efua Owusu,TG-POL,W,\n"
        b",TG-POL,M,\n"
    )

    with pytest.raises(ValidationError) as error:
        import_participants(actor=supervisor, training=training, data=data, file_name="x.csv")

    messages = error.value.message_dict["file"]
    assert messages[0] == "Row 3: 'SN-POL' is not an agency code of this task force."
    assert messages[1].startswith("Row 4: gender:")
    assert messages[2].startswith("Row 5: name:")
    assert len(messages) == 3
    assert not Participant.objects.exists()


def test_missing_columns_are_named(supervisor: Any) -> None:
    training = TrainingFactory(task_force=supervisor.agency.task_force)

    with pytest.raises(ValidationError) as error:
        import_participants(
            actor=supervisor, training=training, data=b"name,sex\nAma,F\n", file_name="x.csv"
        )

    assert "agency" in error.value.message_dict["file"][0]


def test_officer_does_not_import(officer: Any) -> None:
    training = TrainingFactory(task_force=officer.agency.task_force)

    with pytest.raises(PermissionDenied):
        import_participants(actor=officer, training=training, data=GOOD_CSV, file_name="x.csv")


def test_import_page_shows_row_errors(supervisor: Any, police: Any, customs: Any) -> None:
    training = TrainingFactory(task_force=supervisor.agency.task_force)
    client = client_for(supervisor)
    url = reverse("training-participant-import", args=[training.pk])

    bad = client.post(
        url, {"file": SimpleUploadedFile("x.csv", b"name,agency,gender\nAma,NOPE,F\n")}
    )
    assert bad.status_code == 400
    assert "Row 2: &#x27;NOPE&#x27; is not an agency code" in bad.content.decode()

    good = client.post(url, {"file": SimpleUploadedFile("course.csv", GOOD_CSV)})
    assert good.status_code == 302
    assert training.participants.count() == 3
