"""Storing uploaded documents, content-addressed under `MOTCUA_DATA_DIR/documents/`."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from django.db import transaction

from motcua.config import data_dir, env
from motcua.core.errors import DomainError, InvalidInput, PermissionDenied
from motcua.dossiers.filetypes import UnsupportedFileType as UnsupportedFileType  # callers catch it from here
from motcua.dossiers.filetypes import inspect_upload
from motcua.dossiers.models import Document
from motcua.org.models import Role, StaffUser

#: Staff who file or produce documents: the desk scans components, the handling body uploads results.
UPLOADER_ROLES = frozenset({Role.RECEPTION, Role.SPECIALIST, Role.LEADER, Role.CLERK})


class FileTooLarge(DomainError):
    code = "file_too_large"
    status = 413
    message = "Tệp vượt quá dung lượng cho phép."


def max_upload_bytes() -> int:
    return int(env("MOTCUA_MAX_UPLOAD_MB")) * 1024 * 1024


def document_path(sha256: str) -> Path:
    return data_dir() / "documents" / sha256[:2] / sha256[2:4] / sha256


def document_store(*, actor: StaffUser | None, chunks: Iterable[bytes], name: str = "") -> Document:
    """Store one upload given as chunks; the same content twice gives the same document.

    Nothing is written when the file is too large or refused by `filetypes.inspect_upload` (its kind,
    name and structure; `name` is the client's file name, "" when there is none). The file lands in its final
    place by an atomic rename, so a reader never sees half a file; a file left by a rolled-back
    transaction is harmless, as its name is its content. `actor` None is a citizen uploading to their
    online-submission draft through the portal, which has signed them in.
    """
    if actor is not None and actor.role not in UPLOADER_ROLES:
        raise PermissionDenied(code="upload_not_allowed")
    limit = max_upload_bytes()
    data = bytearray()
    for chunk in chunks:
        data += chunk
        if len(data) > limit:
            raise FileTooLarge(limit_bytes=limit)
    if not data:
        raise InvalidInput("Tệp rỗng.", code="empty_file")
    # PDF streams are inflated to look for hidden actions; ten times the upload limit is far more than
    # a scanned page's content needs and still bounds the work a crafted stream can cause.
    inspection = inspect_upload(bytes(data), name=name, inflate_budget=10 * limit)
    sha256 = hashlib.sha256(data).hexdigest()
    _write_once(document_path(sha256), bytes(data))
    with transaction.atomic():
        document, _ = Document.objects.get_or_create(
            sha256=sha256,
            defaults={
                "size": len(data),
                "content_type": inspection.content_type,
                "pages": inspection.pages,
                "uploaded_by": actor,
            },
        )
    return document


def _write_once(path: Path, data: bytes) -> None:
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
