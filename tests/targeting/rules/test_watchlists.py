"""Watchlists: import all or nothing, history, audit, and who may see which list."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from agencies.models import Agency
from aircop.audit.models import AuditEvent
from targeting.rules import selectors, watchlists
from targeting.rules.models import Watchlist, WatchlistEntry
from tests.agencies.factories import AgencyFactory, PersonFactory, TaskForceFactory

pytestmark = pytest.mark.django_db

GOOD = (
    "name,aliases,birth_date,nationality,document_type,document_number,issuing_state,category,"
    "reason,notice\n"
    "Мухаммад Аль-Хасан,MUHAMMAD ALHASAN;محمد الحسن,1985,SYR,P,N0123456,SYR,terrorism,"
    "INTERPOL red notice,A-1234/5-2025\n"
    "KOFFI Jean,,1975-01,CIV,,,,drugs,seized 3 kg cocaine LFW 2025,\n"
)


@pytest.fixture
def customs(task_force: Any) -> Agency:
    return AgencyFactory(task_force=task_force, code="TG-CUS")


@pytest.fixture
def watchlist(customs: Agency) -> Watchlist:
    return watchlists.create_watchlist(actor=None, agency=customs, name="Couriers")


def test_import_stores_rows_with_aliases_partial_dates_and_notes(watchlist: Watchlist) -> None:
    count = watchlists.import_watchlist(
        actor=None, watchlist=watchlist, data=GOOD.encode(), file_name="list.csv"
    )
    assert count == 2
    hassan = WatchlistEntry.objects.get(full_name="Мухаммад Аль-Хасан")
    assert hassan.aliases == ["MUHAMMAD ALHASAN", "محمد الحسن"]
    assert hassan.birth_date == "1985" and hassan.category == "terrorism"
    assert hassan.notes == {"notice": "A-1234/5-2025"}
    koffi = WatchlistEntry.objects.get(full_name="KOFFI Jean")
    assert koffi.birth_date == "1975-01"
    assert hassan.history.count() == 1  # kept in history
    assert AuditEvent.objects.filter(
        object_type="rules.Watchlist", reason="import list.csv"
    ).exists()


def test_a_bad_row_is_named_and_nothing_is_stored(watchlist: Watchlist) -> None:
    bad = GOOD + "SMITH John,,1980-13-01,GBR,,,,poaching,,\n,,,,,,,,,\n"
    with pytest.raises(ValidationError) as err:
        watchlists.import_watchlist(
            actor=None, watchlist=watchlist, data=bad.encode(), file_name="list.csv"
        )
    text = " ".join(err.value.messages)
    assert "row 4" in text and "1980-13-01" in text and "poaching" in text
    assert "row 5" in text
    assert WatchlistEntry.objects.count() == 0


def test_import_command_creates_the_list(customs: Agency, tmp_path: Path) -> None:
    path = tmp_path / "interpol.csv"
    path.write_text(GOOD, encoding="utf-8")
    out = StringIO()
    call_command(
        "import_watchlist", str(path), "--agency", "tg-cus", "--name", "INTERPOL", stdout=out
    )
    assert "2 entries imported" in out.getvalue()
    assert Watchlist.objects.get(name="INTERPOL").entries.count() == 2


def test_import_command_reports_bad_rows(customs: Agency, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("surname,birth_date\nDOE,19xx\n", encoding="utf-8")
    with pytest.raises(CommandError, match="row 2"):
        call_command("import_watchlist", str(path), "--agency", "TG-CUS", "--name", "X")
    assert WatchlistEntry.objects.count() == 0


def test_file_without_name_column_is_refused(watchlist: Watchlist) -> None:
    with pytest.raises(ValidationError, match="no 'name'"):
        watchlists.import_watchlist(
            actor=None, watchlist=watchlist, data=b"colour,size\nred,2\n", file_name="x.csv"
        )


def test_formula_cells_are_never_kept_as_formulas(watchlist: Watchlist) -> None:
    data = b'name,reason\n"=HYPERLINK(""http://x"")",test\n'
    watchlists.import_watchlist(actor=None, watchlist=watchlist, data=data, file_name="x.csv")
    assert not WatchlistEntry.objects.get().full_name.startswith("=")


def test_entry_change_is_kept_in_history_with_reason(watchlist: Watchlist) -> None:
    entry = watchlists.save_entry(
        actor=None, entry=WatchlistEntry(watchlist=watchlist, full_name="DOE John"), reason="new"
    )
    entry.birth_date = "1970-05-04"
    watchlists.save_entry(actor=None, entry=entry, reason="date confirmed by NCB")
    watchlists.deactivate_entry(actor=None, entry=entry, reason="notice cancelled")
    reasons = list(
        entry.history.order_by("history_date").values_list("history_change_reason", flat=True)
    )
    assert reasons == ["new", "date confirmed by NCB", "notice cancelled"]
    watchlist.refresh_from_db()
    assert watchlist.revision == 4


def test_visibility_agency_task_force_network(customs: Agency, police: Any) -> None:
    own = watchlists.create_watchlist(actor=None, agency=customs, name="own")
    shared = watchlists.create_watchlist(
        actor=None, agency=customs, name="tf", visibility="task_force"
    )
    elsewhere = AgencyFactory(task_force=TaskForceFactory())
    network = watchlists.create_watchlist(
        actor=None, agency=elsewhere, name="net", visibility="network"
    )
    foreign = watchlists.create_watchlist(actor=None, agency=elsewhere, name="foreign")
    customs_officer = PersonFactory(agency=customs)
    police_officer = PersonFactory(agency=police)
    assert set(selectors.watchlists_visible_to(customs_officer)) == {own, shared, network}
    assert set(selectors.watchlists_visible_to(police_officer)) == {shared, network}
    assert foreign not in set(selectors.watchlists_screening(customs.task_force))
    assert {own, shared, network} <= set(selectors.watchlists_screening(customs.task_force))
