"""Catalog models: procedures (thủ tục hành chính) with versions, and their internal workflow templates."""

from motcua.catalog.models.competence import Delegation, DelegationKind, DelegationTarget, SectorAssignment
from motcua.catalog.models.procedures import (
    ChannelKind,
    Component,
    CopyKind,
    Field,
    LegalBasis,
    Level,
    OnlineLevel,
    Procedure,
    ProcedureChannel,
    ProcedureVersion,
    SupplementRule,
    TimeLimit,
    TimeUnit,
    VersionSource,
)
from motcua.catalog.models.workflow import StepRole, UnitKind, WorkflowStep, WorkflowTemplate

__all__ = [
    "ChannelKind",
    "Component",
    "CopyKind",
    "Delegation",
    "DelegationKind",
    "DelegationTarget",
    "Field",
    "LegalBasis",
    "Level",
    "OnlineLevel",
    "Procedure",
    "ProcedureChannel",
    "ProcedureVersion",
    "SectorAssignment",
    "StepRole",
    "SupplementRule",
    "TimeLimit",
    "TimeUnit",
    "UnitKind",
    "VersionSource",
    "WorkflowStep",
    "WorkflowTemplate",
]
