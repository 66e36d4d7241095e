"""read_messages: dispatch by message type and refusal of what is not passenger data."""

from __future__ import annotations

import importlib.util

import pytest

from targeting.ingestion import reader
from targeting.ingestion.edifact import EdifactError
from targeting.ingestion.reader import read_messages
from tests.targeting.ingestion.conftest import corpus_bytes, pnrgov_files


def _pnrgov_parser_available() -> bool:
    if importlib.util.find_spec("targeting.ingestion.pnrgov") is None:
        return False
    module = importlib.import_module("targeting.ingestion.pnrgov")
    return hasattr(module, "parse_pnrgov") and "PNRGOV" in reader.PARSERS


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("bad/garbage.bin", "the file is not EDIFACT"),
        ("bad/una-only.edi", "service string advice (UNA) but no interchange header (UNB)"),
    ],
)
def test_files_without_an_interchange_are_refused_saying_why(name: str, expected: str) -> None:
    with pytest.raises(EdifactError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        read_messages(corpus_bytes(name))


def test_truncated_file_is_refused_naming_segment_and_line() -> None:
    with pytest.raises(EdifactError) as caught:
        read_messages(corpus_bytes("bad/truncated.edi"))
    assert str(caught.value).startswith("segment 11 (line 12): the file ends inside a segment")
    assert "truncated" in str(caught.value)


def test_invoice_is_refused_naming_its_type_segment_and_line() -> None:
    with pytest.raises(EdifactError) as caught:
        read_messages(corpus_bytes("bad/not-passenger-data.edi"))
    error = caught.value
    assert (error.segment, error.line) == (2, 1)
    assert "message type INVOIC is not passenger data" in str(error)
    assert str(error).startswith("UNH in segment 2 (line 1, column 51)")


def test_pnrgov_without_its_parser_is_refused_clearly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(reader.PARSERS, "PNRGOV", raising=False)
    with pytest.raises(EdifactError, match="PNRGOV parser not available"):
        read_messages(corpus_bytes("gtas/pnr1.txt"))


@pytest.mark.parametrize("name", pnrgov_files())
def test_corpus_pnrgov_files_are_dispatched_to_the_pnrgov_parser(name: str) -> None:
    if not _pnrgov_parser_available():
        pytest.skip("targeting.ingestion.pnrgov.parse_pnrgov is not written/registered yet")
    messages = read_messages(corpus_bytes(name))
    assert messages
    assert all(m.type == "PNRGOV" for m in messages)
    assert all(f.severity != "error" for m in messages for f in m.findings)
