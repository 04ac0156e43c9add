"""Dossier models (hồ sơ), split by sub-domain."""

from motcua.dossiers.models.audit import DossierAccessLog, DossierEvent
from motcua.dossiers.models.documents import Document, PersonalDataStoreItem, StoreItemKind
from motcua.dossiers.models.dossiers import (
    Dossier,
    DossierComponent,
    DossierSequence,
    DossierStep,
    Outcome,
    ReturnPlace,
)
from motcua.dossiers.models.drafts import SubmissionDraft
from motcua.dossiers.models.handling import PaperTransfer, SupplementRequest
from motcua.dossiers.models.ratings import DossierRating, Satisfaction

__all__ = [
    "Document",
    "Dossier",
    "DossierAccessLog",
    "DossierComponent",
    "DossierEvent",
    "DossierRating",
    "DossierSequence",
    "DossierStep",
    "Outcome",
    "PaperTransfer",
    "PersonalDataStoreItem",
    "ReturnPlace",
    "Satisfaction",
    "StoreItemKind",
    "SubmissionDraft",
    "SupplementRequest",
]
