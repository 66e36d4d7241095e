"""manage.py parse: JSON in the schema of issue 3 on stdout, exit 1 on unreadable files."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.targeting.ingestion.conftest import PAXLST_FILES, REPO, corpus_path

MESSAGE_KEYS = {
    "type",
    "version",
    "sender",
    "recipient",
    "interchange_ref",
    "message_ref",
    "sent_at",
    "findings",
}
PAXLST_KEYS = MESSAGE_KEYS | {"list", "action", "flights", "travellers"}
FINDING_KEYS = {"severity", "segment", "line", "text"}
LEG_KEYS = {"carrier", "number", "departure", "arrival"}
TRAVELLER_KEYS = {
    "surname",
    "given_names",
    "sex",
    "birth_date",
    "nationality",
    "residence",
    "birth_place",
    "embarkation",
    "disembarkation",
    "seat",
    "booking_ref",
    "documents",
}
DOCUMENT_KEYS = {"type", "number", "issuing_state", "expiry"}


def run_parse(*paths: str) -> list[dict[str, Any]]:
    out = StringIO()
    call_command("parse", *paths, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]


def test_paxlst_files_print_exactly_the_schema_keys() -> None:
    paths = [str(corpus_path(name)) for name in PAXLST_FILES]
    documents = run_parse(*paths)
    assert [d["file"] for d in documents] == paths
    for document in documents:
        assert set(document) == {"file", "messages"}
        for message in document["messages"]:
            assert set(message) == PAXLST_KEYS
            for finding in message["findings"]:
                assert set(finding) == FINDING_KEYS
            for leg in message["flights"]:
                assert set(leg) == LEG_KEYS
                assert set(leg["departure"]) == set(leg["arrival"]) == {"airport", "time"}
            for traveller in message["travellers"]:
                assert set(traveller) == TRAVELLER_KEYS
                for doc in traveller["documents"]:
                    assert set(doc) == DOCUMENT_KEYS


def test_values_are_printed_as_iso_dates_and_times() -> None:
    (document,) = run_parse(str(corpus_path("gtas/Test1.txt")))
    (message,) = document["messages"]
    assert (message["list"], message["action"], message["version"]) == ("crew", "original", "D02B")
    assert message["flights"][0]["arrival"] == {"airport": "IAD", "time": "2017-01-28T07:10:00"}
    steur = message["travellers"][0]
    assert (steur["surname"], steur["birth_date"]) == ("Steur", "1978-07-06")
    assert steur["documents"][0]["expiry"] == "2061-02-18"


def test_unreadable_file_is_reported_and_the_others_still_printed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    bad = str(corpus_path("bad/truncated.edi"))
    good = str(corpus_path("gtas/flight1.txt"))
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="1 of 2 file"):
        call_command("parse", bad, good, stdout=out, stderr=err)
    assert f"{bad}: segment 11 (line 12)" in err.getvalue()
    (document,) = [json.loads(line) for line in out.getvalue().splitlines()]
    assert document["file"] == good


def test_command_exits_1_on_bad_files() -> None:
    paths = [str(corpus_path(f"bad/{name}")) for name in ("garbage.bin", "not-passenger-data.edi")]
    result = subprocess.run(
        [sys.executable, "manage.py", "parse", *paths],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert "not EDIFACT" in result.stderr
    assert "message type INVOIC is not passenger data" in result.stderr
