"""Attachments of a case: photos and scanned documents, checked before a byte is stored.

The type is read from the content (its magic bytes), never from the name or the browser's word;
the stored path is ours (`attachment_path`), the uploader's name only a cleaned label. Files
live in the default storage under MEDIA_ROOT, outside the web root, and reach a person only
through `read_attachment` after the caller has checked that they may see the case.
"""

from __future__ import annotations

import hashlib
import math
import mimetypes
import secrets
import unicodedata
from typing import Any

import filetype
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from agencies.cases import selectors
from agencies.cases.models import Attachment, CaseEntry, CaseFile
from agencies.cases.services import _entry
from aircop.audit.services import Action, record_event

# Detected MIME type -> what people call it.
ALLOWED_TYPES: dict[str, str] = {
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/webp": "WebP",
    "image/tiff": "TIFF",
    "application/pdf": "PDF",
}
# The names these types go by; the first is added to a name that has no extension.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "image/jpeg": (".jpg", ".jpeg", ".jpe", ".jfif"),
    "image/png": (".png",),
    "image/webp": (".webp",),
    "image/tiff": (".tif", ".tiff"),
    "application/pdf": (".pdf",),
}
# What a refused file is, in words an officer knows; others are named by their extension.
REFUSED_TYPES: dict[str, str] = {
    "application/zip": "a ZIP archive",
    "application/x-rar-compressed": "a RAR archive",
    "application/x-7z-compressed": "a 7-Zip archive",
    "application/gzip": "a gzip archive",
    "application/x-executable": "a program (ELF)",
    "application/x-msdownload": "a Windows program",
    "application/msword": "a Word document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "a Word document",
    "application/vnd.ms-excel": "an Excel workbook",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "an Excel workbook",
    "image/gif": "a GIF image",
    "image/heic": "a HEIC photo",
    "image/bmp": "a BMP image",
}
NAME_MAX = Attachment._meta.get_field("name").max_length or 200
# filetype reads at most this much of the head of a file.
HEAD_BYTES = 8192
MIB = 1024 * 1024
# Python's own table, not the host's /etc/mime.types: the same answer on every machine.
_KNOWN_EXTENSIONS = mimetypes.MimeTypes()


def _allowed_list() -> str:
    labels = list(ALLOWED_TYPES.values())
    return _("%(types)s or %(last)s") % {"types": ", ".join(labels[:-1]), "last": labels[-1]}


def size_label(size: int) -> str:
    """A file size for people: "240 KB", "3.2 MB" (binary units, rounded up)."""
    if size < MIB:
        return _("%(size)d KB") % {"size": max(1, math.ceil(size / 1024))}
    return _("%(size)s MB") % {"size": f"{math.ceil(size * 10 / MIB) / 10:.1f}".removesuffix(".0")}


def _limit_label(limit: int) -> str:
    return _("%(size)s MB") % {
        "size": f"{math.floor(limit * 10 / MIB) / 10:.1f}".removesuffix(".0")
    }


def clean_name(name: str) -> str:
    """The uploader's file name as a label: no folders, no control or direction characters."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    # Category C: control, format (right-to-left overrides hide an .exe), unassigned, private.
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = name.strip(" .")
    if len(name) > NAME_MAX:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            name = stem[: NAME_MAX - len(extension) - 1].rstrip(" .") + "." + extension
        else:
            name = name[:NAME_MAX].rstrip(" .")
    return name


def _extension(name: str) -> str:
    stem, dot, extension = name.rpartition(".")
    return f".{extension.lower()}" if dot and stem else ""


def _type_error(name: str, content_type: str, kind_extension: str) -> str | None:
    """Why a file of this detected type and name is refused, or None."""
    if content_type not in ALLOWED_TYPES:
        what = REFUSED_TYPES.get(content_type) or _("a %(extension)s file") % {
            "extension": kind_extension.upper()
        }
        return _("This file is %(what)s; attach %(allowed)s.") % {
            "what": what,
            "allowed": _allowed_list(),
        }
    extension = _extension(name)
    if not extension or extension in EXTENSIONS[content_type]:
        return None
    claimed = next((t for t, names in EXTENSIONS.items() if extension in names), None)
    if claimed is None:
        claimed, _encoding = _KNOWN_EXTENSIONS.guess_type(f"file{extension}", strict=False)
    if claimed is None or claimed == content_type:
        return None
    return _(
        "This file is named %(extension)s but is a %(type)s file; rename it or attach the "
        "right file."
    ) % {"extension": extension, "type": ALLOWED_TYPES[content_type]}


def _too_large(size: int, limit: int) -> ValidationError:
    return ValidationError(
        {
            "upload": _("This file is %(size)s; attach files of up to %(limit)s.")
            % {"size": size_label(size), "limit": _limit_label(limit)}
        }
    )


@transaction.atomic
def add_attachment(
    *, actor: Any, case: CaseFile, upload: UploadedFile, description: str = ""
) -> Attachment:
    """Store a photo or scanned document on the case, or refuse it and store nothing."""
    if not selectors.can_contribute(actor, case):
        raise PermissionDenied(_("You may not add attachments to this case."))
    limit: int = settings.CASE_ATTACHMENT_MAX_BYTES
    # The size the upload declares, before reading a byte of it.
    if not upload.size:
        raise ValidationError({"upload": _("This file is empty.")})
    if upload.size > limit:
        raise _too_large(upload.size, limit)

    digest = hashlib.sha256()
    head = b""
    size = 0
    for chunk in upload.chunks():
        if len(head) < HEAD_BYTES:
            head += chunk[: HEAD_BYTES - len(head)]
        digest.update(chunk)
        size += len(chunk)
        if size > limit:  # the declared size was wrong
            raise _too_large(size, limit)
    if not size:
        raise ValidationError({"upload": _("This file is empty.")})

    kind = filetype.guess(head)
    if kind is None:
        raise ValidationError(
            {
                "upload": _("The type of this file cannot be recognised; attach %(allowed)s.")
                % {"allowed": _allowed_list()}
            }
        )
    content_type: str = kind.mime
    name = clean_name(upload.name or "")
    problem = _type_error(name, content_type, kind.extension)
    if problem is not None:
        raise ValidationError({"upload": problem})
    if not _extension(name):
        name = (name or _("attachment"))[: NAME_MAX - 5] + EXTENSIONS[content_type][0]

    attachment = Attachment(
        case=case,
        token=secrets.token_hex(16),
        name=name,
        description=(description or "").strip(),
        content_type=content_type,
        size=size,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
        agency_id=actor.agency_id,
    )
    attachment.full_clean(exclude=["file"])

    # From here a file exists on disk: it goes again if anything after it fails.
    planned = attachment.file.field.generate_filename(attachment, name)
    try:
        attachment.file.save(name, upload, save=False)
        attachment.save()
        _entry(
            case,
            actor,
            CaseEntry.Kind.ATTACHMENT,
            _("Attachment: %(name)s (%(size)s)") % {"name": name, "size": size_label(size)},
        )
        record_event(
            action=Action.CHANGE,
            actor=actor,
            obj=case,
            reason="attachment",
            details={"attachment": attachment.pk, "sha256": attachment.sha256},
        )
    except BaseException:
        # The stored name, or the planned one when the write itself broke off half-way.
        attachment.file.storage.delete(attachment.file.name or planned)
        raise
    return attachment


def read_attachment(*, actor: Any, attachment: Attachment) -> File:
    """Open the stored file for serving and audit who read it.

    The caller answers 404 when the person may not see the case; the check here is a backstop.
    """
    if not selectors.cases_visible_to(actor).filter(pk=attachment.case_id).exists():
        raise PermissionDenied(_("You may not see this case."))
    if not attachment.file.name:
        raise FileNotFoundError(f"attachment {attachment.pk} has no stored file")
    stored = attachment.file.storage.open(attachment.file.name, "rb")
    try:
        record_event(
            action=Action.VIEW,
            actor=actor,
            obj=attachment.case,
            reason="attachment",
            details={"attachment": attachment.pk, "name": attachment.name},
        )
    except BaseException:
        stored.close()
        raise
    return stored
