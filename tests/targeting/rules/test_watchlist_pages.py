"""Watchlist pages, the name search and `screen_name`: who sees and keeps which list."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from agencies.models import Agency, Role
from aircop.audit.models import AuditEvent
from targeting.rules import watchlists
from targeting.rules.models import Category, Watchlist, WatchlistEntry
from tests.agencies.factories import PersonFactory
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

HASSAN = "Мухаммад Аль-Хасан"


@pytest.fixture
def analyst(police: Agency) -> Any:
    return PersonFactory(username="analyst", agency=police, roles=[Role.ANALYST])


@pytest.fixture
def couriers(police: Agency) -> Watchlist:
    """A police list visible to the police only, with a listed courier and a listed FTF."""
    watchlist = watchlists.create_watchlist(
        actor=None, agency=police, name="Couriers", threshold=85
    )
    watchlists.save_entry(
        actor=None,
        entry=WatchlistEntry(
            watchlist=watchlist,
            full_name=HASSAN,
            aliases=["محمد الحسن"],
            birth_date="1985",
            nationality="SYR",
            document_type="P",
            document_number="N0123456",
            issuing_state="SYR",
            category=Category.TERRORISM,
            action="Stop and refer to the police liaison",
            source="INTERPOL",
            source_reference="red notice A-1234/5-2025",
        ),
    )
    watchlists.save_entry(
        actor=None,
        entry=WatchlistEntry(
            watchlist=watchlist, full_name="KOFFI Jean", birth_date="1975-01", category="drugs"
        ),
    )
    return watchlist


@pytest.fixture
def customs_list(customs: Agency) -> Watchlist:
    """A customs list its agency keeps to itself."""
    watchlist = watchlists.create_watchlist(actor=None, agency=customs, name="Customs only")
    watchlists.save_entry(
        actor=None,
        entry=WatchlistEntry(watchlist=watchlist, full_name="ADJOVI Kodjo", category="currency"),
    )
    return watchlist


def _entry(name: str) -> WatchlistEntry:
    return WatchlistEntry.objects.get(full_name=name)


# -- pages and permissions ------------------------------------------------------------------------


def test_the_list_page_shows_visible_lists_with_their_settings(
    officer: Any, couriers: Watchlist, customs_list: Watchlist
) -> None:
    response = client_for(officer).get("/watchlists/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Couriers" in page and "Customs only" not in page
    assert "TG-POL" in page and "85" in page
    assert response.context["lists"].get(pk=couriers.pk).entries_count == 2
    assert "New list" not in page  # officers do not keep lists


def test_officer_reads_entries_without_edit_links_and_the_read_is_audited(
    officer: Any, couriers: Watchlist
) -> None:
    response = client_for(officer).get(f"/watchlists/{couriers.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert HASSAN in page and "KOFFI Jean" in page
    assert "Add an entry" not in page and "/edit/" not in page
    assert AuditEvent.objects.filter(
        actor=officer, action="view", object_type="rules.Watchlist", object_id=str(couriers.pk)
    ).exists()


def test_officer_cannot_change_a_list_of_their_own_agency(
    officer: Any, couriers: Watchlist
) -> None:
    client = client_for(officer)
    entry = _entry("KOFFI Jean")
    assert client.get(f"/watchlists/{couriers.pk}/entries/new/").status_code == 404
    assert (
        client.post(f"/watchlists/entries/{entry.pk}/deactivate/", {"why": "x"}).status_code == 404
    )
    assert client.get(f"/watchlists/{couriers.pk}/settings/").status_code == 404
    assert client.get("/watchlists/new/").status_code == 404
    entry.refresh_from_db()
    assert entry.is_active


def test_agency_only_list_of_another_agency_answers_404(
    officer: Any, customs_list: Watchlist
) -> None:
    client = client_for(officer)
    entry = _entry("ADJOVI Kodjo")
    assert client.get(f"/watchlists/{customs_list.pk}/").status_code == 404
    assert client.get(f"/watchlists/entries/{entry.pk}/history/").status_code == 404


def test_task_force_list_of_another_agency_is_read_only_for_its_analysts(
    analyst: Any, customs_list: Watchlist
) -> None:
    customs_list.visibility = "task_force"
    customs_list.save()
    client = client_for(analyst)
    response = client.get(f"/watchlists/{customs_list.pk}/")
    assert response.status_code == 200 and "ADJOVI Kodjo" in response.content.decode()
    assert response.context["can_edit"] is False
    entry = _entry("ADJOVI Kodjo")
    assert client.get(f"/watchlists/entries/{entry.pk}/edit/").status_code == 404
    assert client.get(f"/watchlists/{customs_list.pk}/import/").status_code == 404


def test_entries_are_searchable_by_name_and_document_number(
    officer: Any, couriers: Watchlist
) -> None:
    client = client_for(officer)
    by_name = client.get(f"/watchlists/{couriers.pk}/", {"q": "koffi"})
    assert [e.full_name for e in by_name.context["page"]] == ["KOFFI Jean"]
    by_number = client.get(f"/watchlists/{couriers.pk}/", {"q": "n0123 456"})
    assert [e.full_name for e in by_number.context["page"]] == [HASSAN]


def test_analyst_creates_a_list(analyst: Any) -> None:
    response = client_for(analyst).post(
        "/watchlists/new/",
        {"name": "Wildlife", "kind": "persons", "visibility": "task_force", "threshold": "90"},
    )
    watchlist = Watchlist.objects.get(name="Wildlife")
    assert response.status_code == 302 and response["Location"] == f"/watchlists/{watchlist.pk}/"
    assert watchlist.agency == analyst.agency and watchlist.threshold == 90


def test_editor_adds_edits_and_deactivates_with_reasons_kept_in_history(
    analyst: Any, couriers: Watchlist
) -> None:
    client = client_for(analyst)
    added = client.post(
        f"/watchlists/{couriers.pk}/entries/new/",
        {"full_name": "MENSAH Kossi", "aliases": "MENSA Kosi; Коси Менса", "category": "drugs"},
    )
    assert added.status_code == 302
    entry = _entry("MENSAH Kossi")
    assert entry.aliases == ["MENSA Kosi", "Коси Менса"]

    without_reason = client.post(
        f"/watchlists/entries/{entry.pk}/edit/",
        {"full_name": "MENSAH Kossi", "category": "drugs", "birth_date": "1990"},
    )
    assert without_reason.status_code == 200 and "why" in without_reason.context["form"].errors
    entry.refresh_from_db()
    assert entry.birth_date == ""

    edited = client.post(
        f"/watchlists/entries/{entry.pk}/edit/",
        {
            "full_name": "MENSAH Kossi",
            "category": "drugs",
            "birth_date": "1990-04",
            "why": "birth year from the seizure report",
        },
    )
    assert edited.status_code == 302
    assert (
        client.post(f"/watchlists/entries/{entry.pk}/deactivate/", {"why": ""}).status_code == 200
    )
    removed = client.post(
        f"/watchlists/entries/{entry.pk}/deactivate/", {"why": "acquitted, court order 12/2025"}
    )
    assert removed.status_code == 302
    entry.refresh_from_db()
    assert entry.birth_date == "1990-04" and not entry.is_active

    history = client.get(f"/watchlists/entries/{entry.pk}/history/")
    page = history.content.decode()
    assert "birth year from the seizure report" in page
    assert "acquitted, court order 12/2025" in page
    assert "1990-04" in page and analyst.get_full_name() in page
    changes = {c.field for _, changes in history.context["records"] for c in changes}
    assert changes == {"birth_date", "is_active"}
    assert AuditEvent.objects.filter(
        actor=analyst, action="change", object_id=str(entry.pk), reason__startswith="acquitted"
    ).exists()


def test_editor_changes_threshold_and_visibility_with_a_reason(
    analyst: Any, couriers: Watchlist
) -> None:
    revision = couriers.revision
    response = client_for(analyst).post(
        f"/watchlists/{couriers.pk}/settings/",
        {"visibility": "network", "threshold": "92", "is_active": "on", "why": "shared with DSS"},
    )
    assert response.status_code == 302
    couriers.refresh_from_db()
    assert (couriers.visibility, couriers.threshold) == ("network", 92)
    assert couriers.revision > revision
    assert couriers.history.first().history_change_reason == "shared with DSS"


def test_import_lists_bad_rows_by_number_and_stores_nothing(
    analyst: Any, couriers: Watchlist
) -> None:
    data = (
        "name,birth_date,category\n"
        "AMEGAH Yao,1980,drugs\n"
        "DOE John,1980-13-01,drugs\n"
        "SMITH Ann,,poaching\n"
    )
    response = client_for(analyst).post(
        f"/watchlists/{couriers.pk}/import/",
        {"file": SimpleUploadedFile("list.csv", data.encode(), content_type="text/csv")},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was stored" in page
    assert "row 3" in page and "row 4" in page and "row 2:" not in page
    assert couriers.entries.count() == 2


def test_import_of_a_good_file_adds_its_rows(analyst: Any, couriers: Watchlist) -> None:
    data = "name,aliases,birth_date,category\nAMEGAH Yao,AMEGA Yao,1980,drugs\n"
    response = client_for(analyst).post(
        f"/watchlists/{couriers.pk}/import/",
        {"file": SimpleUploadedFile("list.csv", data.encode(), content_type="text/csv")},
    )
    assert response.status_code == 302
    assert _entry("AMEGAH Yao").aliases == ["AMEGA Yao"]


def test_list_page_queries_do_not_grow_with_the_lists(
    officer: Any, couriers: Watchlist, django_assert_max_num_queries: Any
) -> None:
    client = client_for(officer)
    for n in range(5):
        watchlists.create_watchlist(actor=None, agency=couriers.agency, name=f"List {n}")
    with django_assert_max_num_queries(12):
        assert client.get("/watchlists/").status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(f"/watchlists/{couriers.pk}/").status_code == 200


# -- name search ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["MUHAMMAD ALHASAN", "محمد الحسن", "Mohamed El Hassan"])
def test_search_finds_the_cyrillic_entry_across_scripts(
    officer: Any, couriers: Watchlist, name: str
) -> None:
    response = client_for(officer).get("/watchlists/search/", {"name": name})
    assert response.status_code == 200
    matches = response.context["matches"]
    assert [m.entry.full_name for m in matches] == [HASSAN]
    page = response.content.decode()
    assert "Couriers" in page and "Stop and refer to the police liaison" in page
    assert "terrorism" in page
    assert "transliteration" in page or "consonants" in page
    assert "data-search" in page
    event = AuditEvent.objects.get(actor=officer, action="search")
    assert event.details["name"] == name and event.details["entries"] == [matches[0].entry.pk]


def test_search_weighs_the_birth_date_and_the_threshold_override(
    officer: Any, couriers: Watchlist
) -> None:
    client = client_for(officer)
    far = client.get("/watchlists/search/", {"name": "MUHAMMAD ALHASAN", "birth_date": "1950"})
    assert far.context["matches"] == []
    strict = client.get("/watchlists/search/", {"name": "MUHAMMAD ALHASAN", "threshold": "100"})
    assert strict.context["matches"] == []
    bad = client.get("/watchlists/search/", {"name": "X", "birth_date": "1985-13"})
    assert bad.context["matches"] is None and "birth_date" in bad.context["form"].errors


def test_search_does_not_reach_lists_the_person_may_not_see(
    officer: Any, customs_list: Watchlist
) -> None:
    response = client_for(officer).get("/watchlists/search/", {"name": "ADJOVI Kodjo"})
    assert response.context["matches"] == []
    assert "ADJOVI" not in response.content.decode().split("</form>")[-1]


def test_search_page_without_a_name_searches_nothing(officer: Any, couriers: Watchlist) -> None:
    response = client_for(officer).get("/watchlists/search/")
    assert response.status_code == 200 and response.context["matches"] is None
    assert not AuditEvent.objects.filter(action="search").exists()


# -- manage.py screen_name ---------------------------------------------------------------------


def _screen(*args: str) -> str:
    out = StringIO()
    call_command("screen_name", *args, stdout=out)
    return out.getvalue()


def test_screen_name_json_lists_candidates_best_first_with_exact_keys(
    couriers: Watchlist,
) -> None:
    watchlists.save_entry(
        actor=None,
        entry=WatchlistEntry(watchlist=couriers, full_name="Mohamed Hassan", category="drugs"),
    )
    found = json.loads(_screen("MUHAMMAD ALHASAN", "--json"))
    assert len(found) == 2
    assert all(set(c) == {"entry_id", "name", "list", "score", "explanation"} for c in found)
    assert found[0]["entry_id"] == _entry(HASSAN).pk and found[0]["name"] == HASSAN
    assert found[0]["list"] == "Couriers"
    assert isinstance(found[0]["score"], int | float)
    assert [c["score"] for c in found] == sorted((c["score"] for c in found), reverse=True)


def test_screen_name_json_prints_an_empty_list_when_nothing_passes(couriers: Watchlist) -> None:
    assert json.loads(_screen("John Smith", "--json")) == []
    assert json.loads(_screen("MUHAMMAD ALHASAN", "--json", "--threshold", "100")) == []


def test_screen_name_with_agency_searches_only_its_visible_lists(
    couriers: Watchlist, customs_list: Watchlist
) -> None:
    assert json.loads(_screen("ADJOVI Kodjo", "--json", "--agency", "TG-POL")) == []
    found = json.loads(_screen("ADJOVI Kodjo", "--json", "--agency", "tg-cus"))
    assert [c["list"] for c in found] == ["Customs only"]
    assert [c["list"] for c in json.loads(_screen("ADJOVI Kodjo", "--json"))] == ["Customs only"]


def test_screen_name_prints_a_table_and_says_when_nothing_matches(couriers: Watchlist) -> None:
    table = _screen("Mohamed El Hassan", "--birth-date", "1985-03-02")
    lines = table.splitlines()
    assert lines[0].split() == ["score", "list", "entry", "name"]
    assert "Couriers" in lines[1] and HASSAN in lines[1]
    assert "birth date" in lines[2]
    assert "no listed entry matches" in _screen("John Smith")


def test_screen_name_refuses_an_unknown_agency_and_a_bad_date(couriers: Watchlist) -> None:
    with pytest.raises(CommandError, match="no agency"):
        _screen("X", "--agency", "NOPE")
    with pytest.raises(CommandError, match="birth-date"):
        _screen("X", "--birth-date", "85")
