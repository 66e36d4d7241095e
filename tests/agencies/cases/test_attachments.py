from __future__ import annotations

import hashlib
import io
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from agencies.cases import services
from agencies.cases.attachments import (
    add_attachment,
    clean_name,
    read_attachment,
    size_label,
)
from agencies.cases.models import Attachment, CaseEntry, CaseFile
from agencies.models import Role
from aircop.audit.models import AuditEvent
from tests.agencies.cases.factories import open_case
from tests.agencies.factories import PersonFactory

REFUSED_TYPES_ADVICE = "attach JPEG, PNG, WebP, TIFF or PDF."


def png(width: int = 2, height: int = 2) -> bytes:
    """A real PNG: signature, IHDR, one IDAT of grey pixels, IEND."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    pixels = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(pixels))
        + chunk(b"IEND", b"")
    )


# The JFIF head of a camera JPEG (SOI, APP0) and its end (EOI): what magic-byte detection reads.
JPEG = (
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    + b"\x00" * 64
    + b"\xff\xd9"
)
PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)


def zip_archive() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("photo.jpg", JPEG)
    return buffer.getvalue()


ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 100
WINDOWS_PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


@pytest.fixture
def case(officer: Any) -> CaseFile:
    return open_case(officer)


def stored_files(media_root: Path) -> list[Path]:
    return [path for path in media_root.rglob("*") if path.is_file()]


def attach(actor: Any, case: CaseFile, name: str, content: bytes, **kwargs: Any) -> Attachment:
    # The browser's content type is a lie on purpose: it must not count.
    upload = SimpleUploadedFile(name, content, content_type="image/jpeg")
    return add_attachment(actor=actor, case=case, upload=upload, **kwargs)


def refused(actor: Any, case: CaseFile, media_root: Path, name: str, content: bytes) -> str:
    """The message of a refused upload; checks that nothing was stored."""
    with pytest.raises(ValidationError) as caught:
        attach(actor, case, name, content)
    assert not Attachment.objects.exists()
    assert not case.entries.filter(kind=CaseEntry.Kind.ATTACHMENT).exists()
    assert stored_files(media_root) == []
    [message] = caught.value.message_dict["upload"]
    return message


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("photo.jpg", JPEG, "image/jpeg"),
        ("bag.PNG", png(), "image/png"),
        ("statement.pdf", PDF, "application/pdf"),
    ],
)
def test_photos_and_scans_are_stored_with_entry_and_audit(
    officer: Any, case: CaseFile, media_root: Path, name: str, content: bytes, content_type: str
) -> None:
    attachment = attach(officer, case, name, content, description="At the X-ray")
    assert (attachment.name, attachment.content_type) == (name, content_type)
    assert attachment.size == len(content)
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert (attachment.uploaded_by, attachment.agency_id) == (officer, officer.agency_id)
    [path] = stored_files(media_root)
    assert path.read_bytes() == content
    # The stored name is ours: the case, the hash and a random token, never the uploader's name.
    assert path.relative_to(media_root).as_posix() == (
        f"cases/{case.pk}/{attachment.sha256[:16]}-{attachment.token}"
    )
    assert len(attachment.token) == 32
    entry = case.entries.get(kind=CaseEntry.Kind.ATTACHMENT)
    assert entry.text == f"Attachment: {name} (1 KB)"
    event = AuditEvent.objects.get(reason="attachment")
    assert (event.action, event.object_id) == ("change", str(case.pk))
    assert event.details["attachment"] == attachment.pk


def test_the_entry_names_the_size_in_kilobytes(officer: Any, case: CaseFile) -> None:
    attach(officer, case, "photo.jpg", JPEG + b"\x00" * (240 * 1024 - len(JPEG)))
    assert case.entries.get(kind="attachment").text == "Attachment: photo.jpg (240 KB)"


def test_a_zip_archive_is_refused(officer: Any, case: CaseFile, media_root: Path) -> None:
    message = refused(officer, case, media_root, "photos.jpg", zip_archive())
    assert message == f"This file is a ZIP archive; {REFUSED_TYPES_ADVICE}"


@pytest.mark.parametrize(
    ("content", "what"), [(ELF, "a program (ELF)"), (WINDOWS_PROGRAM, "a Windows program")]
)
def test_programs_are_refused(
    officer: Any, case: CaseFile, media_root: Path, content: bytes, what: str
) -> None:
    message = refused(officer, case, media_root, "scan.pdf", content)
    assert message == f"This file is {what}; {REFUSED_TYPES_ADVICE}"


@pytest.mark.parametrize(
    ("name", "content"),
    [("page.html", HTML), ("photo.jpg", b"just some text pretending to be a photo\n")],
)
def test_files_of_unknown_type_are_refused(
    officer: Any, case: CaseFile, media_root: Path, name: str, content: bytes
) -> None:
    message = refused(officer, case, media_root, name, content)
    assert message == f"The type of this file cannot be recognised; {REFUSED_TYPES_ADVICE}"


@pytest.mark.parametrize("name", ["scan.pdf", "photo.jpg", "notes.txt", "photo.png.exe"])
def test_a_name_that_contradicts_the_content_is_refused(
    officer: Any, case: CaseFile, media_root: Path, name: str
) -> None:
    message = refused(officer, case, media_root, name, png())
    extension = "." + name.rsplit(".", 1)[1]
    assert message == (
        f"This file is named {extension} but is a PNG file; rename it or attach the right file."
    )


def test_a_name_without_extension_gets_the_contents(officer: Any, case: CaseFile) -> None:
    assert attach(officer, case, "scan", PDF).name == "scan.pdf"


def test_an_oversized_file_is_refused_before_it_is_read(
    officer: Any, case: CaseFile, media_root: Path, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.CASE_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
    upload = SimpleUploadedFile("photo.jpg", JPEG + b"\x00" * (10 * 1024 * 1024 + 1 - len(JPEG)))

    def unread(*args: Any, **kwargs: Any) -> Any:
        pytest.fail("the upload was read although its size is over the limit")

    class Unread(io.BytesIO):
        read = unread

    monkeypatch.setattr(upload, "chunks", unread)
    upload.file = Unread()
    with pytest.raises(ValidationError) as caught:
        add_attachment(actor=officer, case=case, upload=upload)
    assert caught.value.message_dict == {
        "upload": ["This file is 10.1 MB; attach files of up to 10 MB."]
    }
    assert not Attachment.objects.exists()
    assert stored_files(media_root) == []


def test_a_file_larger_than_it_declares_is_refused(
    officer: Any, case: CaseFile, media_root: Path, settings: Any
) -> None:
    settings.CASE_ATTACHMENT_MAX_BYTES = 2 * 1024 * 1024
    upload = SimpleUploadedFile("photo.jpg", JPEG + b"\x00" * 3 * 1024 * 1024)
    upload.size = 1000
    with pytest.raises(ValidationError, match="attach files of up to 2 MB"):
        add_attachment(actor=officer, case=case, upload=upload)
    assert not Attachment.objects.exists()
    assert stored_files(media_root) == []


def test_an_empty_file_is_refused(officer: Any, case: CaseFile, media_root: Path) -> None:
    assert refused(officer, case, media_root, "photo.jpg", b"") == "This file is empty."


@pytest.mark.parametrize(
    ("uploaded", "shown"),
    [
        ("../../etc/passwd.png", "passwd.png"),
        ("..\\..\\windows\\system32\\evil.png", "evil.png"),
        ("bag\x00\x1b[31m.png", "bag[31m.png"),
        ("photo\u202egnp.exe.png", "photognp.exe.png"),  # a right-to-left override hides a name
        (".htaccess.png", "htaccess.png"),
        ("a" * 300 + ".png", "a" * 196 + ".png"),
    ],
)
def test_hostile_names_are_stored_as_plain_labels(
    officer: Any, case: CaseFile, media_root: Path, uploaded: str, shown: str
) -> None:
    upload = SimpleUploadedFile("x.png", png())
    # Django's setter keeps only the basename; another upload handler or a caller may not.
    upload._name = uploaded  # type: ignore[attr-defined]  # set past that setter on purpose
    attachment = add_attachment(actor=officer, case=case, upload=upload)
    assert attachment.name == shown
    [path] = stored_files(media_root)
    assert path.parent == media_root / "cases" / str(case.pk)


def test_a_name_of_nothing_but_dots_becomes_attachment(officer: Any, case: CaseFile) -> None:
    upload = SimpleUploadedFile("x.png", png())
    upload._name = "../.."  # type: ignore[attr-defined]  # a name that cleans to nothing
    assert add_attachment(actor=officer, case=case, upload=upload).name == "attachment.png"
    assert clean_name("  Scan 2026-03-01 .pdf ") == "Scan 2026-03-01 .pdf"


def test_size_labels() -> None:
    assert [size_label(n) for n in (1, 1024, 245_760, 1024 * 1024, 3_300_000)] == [
        "1 KB",
        "1 KB",
        "240 KB",
        "1 MB",
        "3.2 MB",
    ]


def test_partner_of_an_approved_share_can_attach(
    case: CaseFile, supervisor: Any, customs: Any
) -> None:
    services.request_share(actor=supervisor, case=case, agency=customs, reason="joint control")
    customs_officer = PersonFactory(agency=customs, roles=[Role.OFFICER])
    attachment = attach(customs_officer, case, "photo.jpg", JPEG)
    assert attachment.agency_id == customs.pk
    assert case.entries.get(kind="attachment").agency_id == customs.pk


def test_an_agency_the_case_is_not_shared_with_cannot_attach(
    case: CaseFile, customs: Any, media_root: Path
) -> None:
    customs_officer = PersonFactory(agency=customs, roles=[Role.OFFICER])
    with pytest.raises(PermissionDenied):
        attach(customs_officer, case, "photo.jpg", JPEG)
    assert not Attachment.objects.exists()
    assert stored_files(media_root) == []


def test_a_failed_database_write_leaves_no_file(
    officer: Any, case: CaseFile, media_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**kwargs: Any) -> CaseEntry:
        raise RuntimeError("database went away")

    monkeypatch.setattr(CaseEntry.objects, "create", broken)
    with pytest.raises(RuntimeError, match="database went away"):
        attach(officer, case, "photo.jpg", JPEG)
    assert not Attachment.objects.exists()
    assert stored_files(media_root) == []


def test_reading_an_attachment_returns_its_bytes_and_audits_the_view(
    officer: Any, case: CaseFile
) -> None:
    attachment = attach(officer, case, "statement.pdf", PDF)
    with read_attachment(actor=officer, attachment=attachment) as stored:
        assert stored.read() == PDF
    event = AuditEvent.objects.get(action="view")
    assert event.details == {"attachment": attachment.pk, "name": "statement.pdf"}
    assert event.object_id == str(case.pk)


def test_an_agency_that_cannot_see_the_case_cannot_read_its_attachment(
    officer: Any, case: CaseFile, customs: Any
) -> None:
    attachment = attach(officer, case, "statement.pdf", PDF)
    with pytest.raises(PermissionDenied):
        read_attachment(
            actor=PersonFactory(agency=customs, roles=[Role.OFFICER]), attachment=attachment
        )
    assert not AuditEvent.objects.filter(action="view").exists()
