"""Participants from a CSV or XLSX sheet: every row is checked first, then all are stored or none.

Columns (header names in any case): `name`, `agency` (the code of an agency of the task force),
`other agency` (the name of an agency from outside it, when `agency` is empty), `gender`
(F, M or X) and `role`. Errors name the sheet's row, counting the header as row 1.
"""

from __future__ import annotations

import io
from typing import Any

import pandas as pd
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agencies.models import Agency
from agencies.training import services
from agencies.training.models import Participant, Training
from aircop.audit.services import Action, record_event

# What a header may be called, to the field it fills.
COLUMNS = {
    "name": "name",
    "agency": "agency",
    "agency_code": "agency",
    "other_agency": "outside_agency",
    "outside_agency": "outside_agency",
    "gender": "gender",
    "sex": "gender",
    "role": "role",
}
MAX_ROWS = 2000


def _read_table(data: bytes, file_name: str) -> pd.DataFrame:
    try:
        if data[:4] == b"PK\x03\x04" or file_name.lower().endswith(".xlsx"):
            return pd.read_excel(io.BytesIO(data), dtype=str, keep_default_na=False)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252")
        return pd.read_csv(
            io.StringIO(text), dtype=str, keep_default_na=False, sep=None, engine="python"
        )
    except Exception as err:  # pandas and openpyxl raise many kinds for a broken file
        raise ValidationError(
            {
                "file": _("%(name)s is not a readable CSV or XLSX file (%(err)s).")
                % {"name": file_name, "err": type(err).__name__}
            }
        ) from err


def _cell(row: dict[str, Any], column: str) -> str:
    value = str(row.get(column, "") or "").strip()
    # A spreadsheet formula is never evaluated nor stored as one.
    return value.lstrip("=+@")


def _errors_of(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [f"{field}: {m}" for field, ms in error.message_dict.items() for m in ms]
    return list(error.messages)


def read_participants(data: bytes, file_name: str, training: Training) -> list[Participant]:
    """Validated, unsaved participants; a ValidationError lists each bad row by its number."""
    frame = _read_table(data, file_name)
    frame.columns = [str(c).strip().lower().replace(" ", "_") for c in frame.columns]
    frame = frame.rename(columns={c: COLUMNS[c] for c in frame.columns if c in COLUMNS})
    missing = [c for c in ("name", "gender") if c not in frame.columns]
    if missing or not {"agency", "outside_agency"} & set(frame.columns):
        raise ValidationError(
            {
                "file": _(
                    "%(name)s needs the columns name, agency (or other agency) and gender; "
                    "it has: %(cols)s."
                )
                % {"name": file_name, "cols": ", ".join(frame.columns)}
            }
        )
    if len(frame) > MAX_ROWS:
        raise ValidationError(
            {"file": _("At most %(max)d participants per file.") % {"max": MAX_ROWS}}
        )
    agencies = {a.code: a for a in Agency.objects.filter(task_force_id=training.task_force_id)}
    participants: list[Participant] = []
    errors: list[str] = []
    for index, row in enumerate(frame.to_dict("records")):
        number = index + 2  # the header is row 1
        if not any(_cell(row, c) for c in row):
            continue
        code = _cell(row, "agency").upper()
        agency = agencies.get(code) if code else None
        if code and agency is None:
            errors.append(
                _("Row %(row)d: '%(code)s' is not an agency code of this task force.")
                % {"row": number, "code": code}
            )
            continue
        try:
            participants.append(
                services.build_participant(
                    training=training,
                    name=_cell(row, "name"),
                    agency=agency,
                    outside_agency=_cell(row, "outside_agency"),
                    gender=_cell(row, "gender"),
                    role=_cell(row, "role"),
                )
            )
        except ValidationError as error:
            errors.extend(
                _("Row %(row)d: %(error)s") % {"row": number, "error": e} for e in _errors_of(error)
            )
    if errors:
        raise ValidationError({"file": errors})
    if not participants:
        raise ValidationError({"file": _("%(name)s has no participant.") % {"name": file_name}})
    return participants


@transaction.atomic
def import_participants(
    *, actor: Any, training: Training, data: bytes, file_name: str
) -> list[Participant]:
    """Add every participant of the sheet, or none if any row is wrong."""
    services.require_recorder(actor, training)
    participants = read_participants(data, file_name, training)
    Participant.objects.bulk_create(participants)
    record_event(
        action=Action.CHANGE,
        actor=actor,
        obj=training,
        details={"participants_imported": len(participants), "file": file_name[:200]},
    )
    return participants
