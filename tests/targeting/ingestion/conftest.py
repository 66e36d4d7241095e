"""Shared helpers: where the sample corpus and our own test messages live."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
# The shared corpus sits next to the repository: <repo>/../shared/corpus.
CORPUS = (REPO / "../shared/corpus").resolve()
DATA = REPO / "tests" / "data" / "paxlst"

PAXLST_FILES = [
    "gtas/flight1.txt",
    "gtas/flight2.txt",
    "gtas/Test1.txt",
    "gtas/Test3.txt",
    "gtas/apisMessage.txt",
    "ediclean/A.txt",
    "ediclean/B.txt",
    "ediclean/D.txt",
    "ediclean/F.txt",
]
BAD_FILES = [
    "bad/garbage.bin",
    "bad/not-passenger-data.edi",
    "bad/truncated.edi",
    "bad/una-only.edi",
]


def corpus_path(name: str) -> Path:
    """Path of a corpus file; skip the test when the corpus is absent, except in CI."""
    if not CORPUS.is_dir():
        reason = f"sample corpus not found at {CORPUS} (expected <repo>/../shared/corpus)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return CORPUS / name


def corpus_bytes(name: str) -> bytes:
    """Bytes of a corpus file (see `corpus_path`)."""
    return corpus_path(name).read_bytes()


def pnrgov_files() -> list[str]:
    """Every PNRGOV sample of the corpus (those not listed as PAXLST or bad)."""
    if not CORPUS.is_dir():
        return []
    names = sorted(
        str(p.relative_to(CORPUS)) for p in CORPUS.glob("*/*") if p.suffix in (".txt", ".edi")
    )
    return [n for n in names if n not in PAXLST_FILES and not n.startswith("bad/")]
