"""Reads for the citizen's online submission: their drafts, their attached files, their own data store
(what the portal offers to reuse instead of uploading again, Decree 45/2020 Art. 16)."""

from __future__ import annotations

from dataclasses import dataclass

from motcua.catalog.models import ChannelKind, Procedure
from motcua.core.errors import NotFound
from motcua.dossiers.models import Document, PersonalDataStoreItem, SubmissionDraft
from motcua.dossiers.store_selectors import fits


@dataclass(frozen=True)
class CitizenStoreItem:
    item: PersonalDataStoreItem
    #: Codes of the procedure's components this paper can fill.
    fits: list[str]


def draft_get(*, token: str, personal_id: str) -> SubmissionDraft:
    """The citizen's draft; another person's draft is not found, like a missing one."""
    draft = SubmissionDraft.objects.select_related("procedure", "dossier").filter(token=token).first()
    if draft is None or draft.personal_id != personal_id:
        raise NotFound("Không tìm thấy bản nháp.", code="draft_not_found")
    return draft


def draft_latest(*, personal_id: str, procedure: Procedure) -> SubmissionDraft | None:
    """The citizen's most recent draft of the procedure not yet submitted nor replaced (maybe expired)."""
    return (
        SubmissionDraft.objects.filter(
            personal_id=personal_id, procedure=procedure, dossier__isnull=True, renewed_as__isnull=True
        )
        .order_by("-updated_at", "-id")
        .first()
    )


def draft_documents(draft: SubmissionDraft) -> dict[str, list[Document]]:
    """The documents attached to each component, in upload order."""
    shas = {sha for files in draft.files.values() for sha in files}
    found = Document.objects.in_bulk(list(shas), field_name="sha256")
    return {code: [found[sha] for sha in files if sha in found] for code, files in draft.files.items()}


def citizen_store(*, personal_id: str, procedure: Procedure) -> list[CitizenStoreItem]:
    """The citizen's own store, newest first, with the components of `procedure` each paper fits."""
    version = procedure.current_version
    components = (
        [c for c in version.components.order_by("position") if c.applies_to(ChannelKind.ONLINE)] if version else []
    )
    items = PersonalDataStoreItem.objects.filter(personal_id=personal_id).select_related("document", "dossier")
    return [
        CitizenStoreItem(item, [c.code for c in components if fits(item.component_code, item.name, c.code, c.name)])
        for item in items.order_by("-created_at", "-id")
    ]
