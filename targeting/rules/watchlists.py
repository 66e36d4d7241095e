"""Keeping watchlists: every change audited and kept in history; imports all or nothing."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from agencies.models import Agency
from aircop.audit.services import Action, record_event
from targeting.rules.models import PARTIAL_DATE, Category, Watchlist, WatchlistEntry
from targeting.rules.selectors import watchlists_editable_by

# Columns of an import file (issue 4); any other column is kept as a note on the entry.
IMPORT_COLUMNS = (
    "name",
    "surname",
    "given_names",
    "aliases",
    "birth_date",
    "nationality",
    "document_type",
    "document_number",
    "issuing_state",
    "category",
    "reason",
)
_CATEGORY_WORDS = {c.value: c.value for c in Category} | {
    "terrorism/ftf": "terrorism",
    "ftf": "terrorism",
    "trafficking in persons": "trafficking",
    "tip": "trafficking",
    "stolen": "documents",
    "sltd": "documents",
}


def _touch(watchlist: Watchlist) -> None:
    """Screening caches key on the revision: bump it on any change to the list."""
    Watchlist.objects.filter(pk=watchlist.pk).update(revision=F("revision") + 1)


def _after_change(watchlist: Watchlist) -> None:
    from targeting.rules.tasks import rescreen_upcoming_flights

    rescreen_upcoming_flights.delay_on_commit(watchlist_id=watchlist.pk)


@transaction.atomic
def create_watchlist(
    *,
    actor: Any,
    agency: Agency,
    name: str,
    kind: str = Watchlist.Kind.PERSONS,
    visibility: str = "agency",
    threshold: int = 85,
    description: str = "",
) -> Watchlist:
    if actor is not None and actor.agency_id != agency.pk:
        raise PermissionDenied(_("You keep the lists of your own agency only."))
    watchlist = Watchlist(
        agency=agency,
        name=name.strip(),
        kind=kind,
        visibility=visibility,
        threshold=threshold,
        description=description,
    )
    watchlist.full_clean()
    watchlist.save()
    record_event(action=Action.CREATE, actor=actor, obj=watchlist)
    return watchlist


def _clean_entry(entry: WatchlistEntry) -> None:
    entry.nationality = entry.nationality.strip().upper()
    entry.issuing_state = entry.issuing_state.strip().upper()
    entry.document_type = entry.document_type.strip().upper()
    entry.document_number = entry.document_number.strip().upper()
    entry.aliases = [a.strip() for a in entry.aliases if a and a.strip()]
    if not (entry.full_name or entry.surname or entry.document_number):
        raise ValidationError({"name": _("Give a name (or surname) or a document number.")})
    if entry.watchlist.kind == Watchlist.Kind.DOCUMENTS and not entry.document_number:
        raise ValidationError({"document_number": _("A document list entry needs its number.")})
    entry.full_clean(exclude=["watchlist"])


@transaction.atomic
def save_entry(*, actor: Any, entry: WatchlistEntry, reason: str = "") -> WatchlistEntry:
    """Add or change an entry; the change is audited and kept in the entry's history."""
    _clean_entry(entry)
    is_new = entry.pk is None
    entry._change_reason = reason or ("added" if is_new else "changed")  # type: ignore[attr-defined]  # read by simple-history
    entry.save()
    record_event(
        action=Action.CREATE if is_new else Action.CHANGE,
        actor=actor,
        obj=entry,
        reason=reason[:500],
        details={"watchlist": entry.watchlist_id},
    )
    _touch(entry.watchlist)
    _after_change(entry.watchlist)
    return entry


@transaction.atomic
def deactivate_entry(*, actor: Any, entry: WatchlistEntry, reason: str) -> WatchlistEntry:
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the entry is removed.")})
    entry.is_active = False
    entry._change_reason = reason  # type: ignore[attr-defined]  # read by simple-history
    entry.save(update_fields=["is_active", "updated_at"])
    record_event(
        action=Action.CHANGE,
        actor=actor,
        obj=entry,
        reason=reason[:500],
        details={"is_active": False},
    )
    _touch(entry.watchlist)
    _after_change(entry.watchlist)
    return entry


@dataclass
class ImportReport:
    created: int = 0
    errors: list[str] = field(default_factory=list)


def _read_table(data: bytes, file_name: str) -> pd.DataFrame:
    try:
        if data[:4] == b"PK\x03\x04" or file_name.lower().endswith(".xlsx"):
            return pd.read_excel(io.BytesIO(data), dtype=str, keep_default_na=False)
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="strict")
    except Exception as err:  # openpyxl raises many kinds for a broken workbook
        raise ValidationError(
            _("%(name)s is not a readable CSV or XLSX file (%(err)s).")
            % {"name": file_name, "err": type(err).__name__}
        ) from err
    try:
        return pd.read_csv(
            io.StringIO(text), dtype=str, keep_default_na=False, sep=None, engine="python"
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        raise ValidationError(
            _("%(name)s is not a readable CSV file: %(err)s") % {"name": file_name, "err": err}
        ) from err


def _cell(row: dict[str, str], column: str) -> str:
    value = str(row.get(column, "") or "").strip()
    # A spreadsheet formula is never evaluated nor stored as one.
    return value[1:] if value[:1] in ("=", "+", "@") and column != "document_number" else value


def read_import(data: bytes, file_name: str, watchlist: Watchlist) -> list[WatchlistEntry]:
    """Validate every row first; raise ValidationError listing each bad row by its number."""
    frame = _read_table(data, file_name)
    frame.columns = [str(c).strip().lower().replace(" ", "_") for c in frame.columns]
    if not {"name", "surname", "document_number"} & set(frame.columns):
        raise ValidationError(
            _("%(name)s has no 'name', 'surname' or 'document_number' column (columns: %(cols)s).")
            % {"name": file_name, "cols": ", ".join(frame.columns)}
        )
    entries: list[WatchlistEntry] = []
    errors: list[str] = []
    for number, row in enumerate(frame.to_dict("records"), start=2):  # line 1 is the header
        birth = _cell(row, "birth_date")
        category_word = _cell(row, "category").lower()
        category = _CATEGORY_WORDS.get(category_word, "") if category_word else Category.OTHER
        entry = WatchlistEntry(
            watchlist=watchlist,
            full_name=_cell(row, "name")[:200],
            surname=_cell(row, "surname")[:120],
            given_names=_cell(row, "given_names")[:160],
            aliases=[a for a in _cell(row, "aliases").split(";") if a.strip()],
            birth_date=birth,
            nationality=_cell(row, "nationality"),
            document_type=_cell(row, "document_type"),
            document_number=_cell(row, "document_number"),
            issuing_state=_cell(row, "issuing_state"),
            category=category or Category.OTHER,
            reason=_cell(row, "reason"),
            notes={c: str(v) for c, v in row.items() if c not in IMPORT_COLUMNS and str(v)},
        )
        problems = []
        if category_word and not category:
            problems.append(
                _("category '%(c)s' is unknown (use one of: %(all)s)")
                % {"c": category_word, "all": ", ".join(Category.values)}
            )
        if birth and not PARTIAL_DATE.match(birth):
            problems.append(
                _("birth_date '%(d)s' is not YYYY, YYYY-MM or YYYY-MM-DD") % {"d": birth}
            )
        elif birth and len(birth) == 10:
            try:
                date.fromisoformat(birth)
            except ValueError:
                problems.append(_("birth_date '%(d)s' is not a real date") % {"d": birth})
        try:
            _clean_entry(entry)
        except ValidationError as err:
            problems.extend(
                f"{f}: {' '.join(m)}" if f != "__all__" else " ".join(m)
                for f, m in err.message_dict.items()
            )
        if problems:
            errors.append(_("row %(n)d: %(p)s") % {"n": number, "p": "; ".join(problems)})
        entries.append(entry)
    if errors:
        raise ValidationError(errors)
    if not entries:
        raise ValidationError(_("%(name)s has no entries.") % {"name": file_name})
    return entries


@transaction.atomic
def import_watchlist(*, actor: Any, watchlist: Watchlist, data: bytes, file_name: str) -> int:
    """Add every row of a CSV/XLSX file to the list, or nothing if any row is bad."""
    entries = read_import(data, file_name, watchlist)
    for entry in entries:
        entry._change_reason = f"imported from {file_name}"  # type: ignore[attr-defined]  # read by simple-history
        entry.save()
    record_event(
        action=Action.CREATE,
        actor=actor,
        obj=watchlist,
        reason=f"import {file_name}"[:500],
        details={"entries": len(entries)},
    )
    _touch(watchlist)
    _after_change(watchlist)
    return len(entries)


@transaction.atomic
def change_watchlist_settings(
    *,
    actor: Any,
    watchlist: Watchlist,
    visibility: str,
    threshold: int,
    description: str,
    is_active: bool,
    reason: str,
) -> Watchlist:
    """Change who sees a list and how strict it is; audited, in history, and re-screened."""
    if actor is not None and not watchlists_editable_by(actor).filter(pk=watchlist.pk).exists():
        raise PermissionDenied(_("You keep the lists of your own agency only."))
    if not reason.strip():
        raise ValidationError({"why": _("Say why the settings change.")})
    before = {
        f: getattr(watchlist, f) for f in ("visibility", "threshold", "description", "is_active")
    }
    watchlist.visibility = visibility
    watchlist.threshold = threshold
    watchlist.description = description
    watchlist.is_active = is_active
    watchlist.full_clean()
    watchlist._change_reason = reason  # type: ignore[attr-defined]  # read by simple-history
    watchlist.save(update_fields=list(before))
    # Screening caches its index by revision: a new threshold needs a new index. Bumped in the
    # database, so that an entry saved at the same moment cannot undo the bump.
    _touch(watchlist)
    record_event(
        action=Action.CHANGE,
        actor=actor,
        obj=watchlist,
        reason=reason[:500],
        details={
            field: [str(old), str(getattr(watchlist, field))]
            for field, old in before.items()
            if old != getattr(watchlist, field)
        },
    )
    _after_change(watchlist)
    return watchlist
