"""Who may read a stored document (the files are served only through `GET /documents/{sha256}`).

A staff member may read a document held by a dossier they can see (a filed component or a result), or
one they uploaded themselves while it is not yet attached to any dossier. Anything else, including a
malformed or unknown hash, is the same 404, so hashes cannot be probed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Q

from motcua.core.errors import NotFound
from motcua.dossiers.models import Document, Dossier, DossierComponent
from motcua.dossiers.selectors import dossiers_visible_to
from motcua.org.models import StaffUser

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class DocumentAccess:
    document: Document
    #: The visible dossier that holds it (whose access log records the read); None for one's own upload.
    dossier: Dossier | None


def document_get_for_actor(actor: StaffUser, sha256: str) -> DocumentAccess:
    document = Document.objects.filter(sha256=sha256).first() if _SHA256.match(sha256) else None
    if document is None or not actor.is_active:
        raise _not_found()
    holders = Q(pk__in=DossierComponent.objects.filter(documents=document).values("dossier_id")) | Q(
        result_documents=document
    )
    dossier = dossiers_visible_to(actor).filter(holders).order_by("id").first()
    if dossier is not None:
        return DocumentAccess(document, dossier)
    if document.uploaded_by_id == actor.id and not Dossier.objects.filter(holders).exists():
        return DocumentAccess(document, None)
    raise _not_found()


def _not_found() -> NotFound:
    return NotFound("Không tìm thấy tệp.", code="document_not_found")
