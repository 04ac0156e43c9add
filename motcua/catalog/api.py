"""Public procedure catalog endpoints (no credentials): the filtered list, search and one procedure."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema

from motcua.catalog.models import (
    Component,
    LegalBasis,
    Procedure,
    ProcedureChannel,
    ProcedureVersion,
    TimeUnit,
    WorkflowTemplate,
)
from motcua.catalog.search import SearchFilters, search_procedures
from motcua.catalog.selectors import procedure_get, procedures_list
from motcua.core.pagination import keyset_page

router = Router(tags=["procedures"])


class TimeLimitOut(Schema):
    amount: float
    unit: str
    text: str


class ProcedureItem(Schema):
    code: str
    name: str
    level: str | None
    levels: list[str]
    field: str | None
    field_code: str | None
    online_level: str
    boundary_free: bool
    processing_time: TimeLimitOut | None


class ProcedurePage(Schema):
    items: list[ProcedureItem]
    next_cursor: str | None


class ProcedureFilter(Schema):
    level: str | None = None
    field: str | None = None
    boundary_free: str | None = None
    online_level: str | None = None
    cursor: str | None = None
    limit: int = 50


class FeeOut(Schema):
    channel: str
    amount: float | None
    currency: str
    text: str


class ChannelOut(Schema):
    kind: str
    time_limit: TimeLimitOut | None
    time_text: str
    fee: FeeOut
    description: str


class ComponentOut(Schema):
    code: str
    name: str
    required: bool
    group: str
    form: str
    count: int | None
    copy_kind: str
    quantity_text: str
    #: Submission channels the paper is for (direct, post, online); empty: every channel.
    channels: list[str]


class LegalBasisOut(Schema):
    title: str
    number: str
    year: int | None


class ResultOut(Schema):
    text: str
    code: str


class BodiesOut(Schema):
    competent: str
    implementing: str
    delegated: str
    cooperating: str
    issuing: str
    filing_address: str


class VersionOut(Schema):
    number: int
    effective_from: datetime
    effective_to: datetime | None
    source: str
    decision_number: str


class WorkflowStepOut(Schema):
    order: int
    name: str
    role: str
    unit_kind: str
    budget_days: float
    output: str


class WorkflowOut(Schema):
    limit_days: float | None
    limit_basis: str
    is_default: bool
    needs_review: bool
    steps: list[WorkflowStepOut]


class ProcedureDetail(ProcedureItem):
    source_url: str
    version: VersionOut | None
    procedure_type: str
    subjects: str
    bodies: BodiesOut | None
    steps: str
    conditions: str
    channels: list[ChannelOut]
    fees: list[FeeOut]
    components: list[ComponentOut]
    legal_basis: list[LegalBasisOut]
    result: ResultOut | None
    workflow: WorkflowOut | None
    parse_problems: list[str]


@router.get("/procedures", response=ProcedurePage, auth=None, summary="Procedure catalog (filtered, paged)")
def list_procedures(request: HttpRequest, filters: Query[ProcedureFilter]) -> ProcedurePage:
    queryset = procedures_list(
        level=filters.level,
        field=filters.field,
        boundary_free=filters.boundary_free,
        online_level=filters.online_level,
    )
    rows, next_cursor = keyset_page(queryset, keys=["code"], cursor=filters.cursor, limit=filters.limit)
    return ProcedurePage(items=[_item(p) for p in rows], next_cursor=next_cursor)


class SearchParams(Schema):
    q: str = ""
    limit: int = 5
    field: str | None = None
    level: str | None = None
    online_level: str | None = None


class SearchHitOut(Schema):
    code: str
    name: str
    score: float


class SearchResults(Schema):
    items: list[SearchHitOut]


# Declared before `/procedures/{code}`, which would otherwise take "search" for a code.
@router.get("/procedures/search", response=SearchResults, auth=None, summary="Procedure search (ranked)")
def search(request: HttpRequest, params: Query[SearchParams]) -> SearchResults:
    filters = SearchFilters(field=params.field, level=params.level, online_level=params.online_level)
    hits = search_procedures(params.q, limit=params.limit, filters=filters)
    return SearchResults(items=[SearchHitOut(code=h.code, name=h.name, score=h.score) for h in hits])


@router.get("/procedures/{code}", response=ProcedureDetail, auth=None, summary="One procedure")
def get_procedure(request: HttpRequest, code: str) -> ProcedureDetail:
    procedure = procedure_get(code=code)
    version = procedure.current_version
    channels = list(version.channels.all()) if version else []
    components = list(version.components.all()) if version else []
    legal_bases = list(version.legal_bases.all()) if version else []
    # A missing reverse one-to-one raises an AttributeError subclass.
    workflow: WorkflowTemplate | None = getattr(procedure, "workflow", None)
    return ProcedureDetail(
        **_item(procedure).dict(),
        source_url=procedure.source_url,
        version=_version(version) if version else None,
        procedure_type=version.procedure_type if version else "",
        subjects=version.subjects if version else "",
        bodies=_bodies(version) if version else None,
        steps=version.steps if version else "",
        conditions=version.conditions if version else "",
        channels=[_channel(c) for c in channels],
        fees=[_fee(c) for c in channels],
        components=[_component(c) for c in components],
        legal_basis=[_legal_basis(b) for b in legal_bases],
        result=ResultOut(text=version.result_text, code=version.result_code) if version else None,
        workflow=_workflow(workflow) if workflow else None,
        parse_problems=list(version.parse_problems) if version else [],
    )


def _time_limit(amount: Decimal | None, unit: str) -> TimeLimitOut | None:
    if amount is None or not unit:
        return None
    text = f"{amount.normalize():f} {TimeUnit(unit).label}"
    return TimeLimitOut(amount=float(amount), unit=unit, text=text)


def _item(procedure: Procedure) -> ProcedureItem:
    return ProcedureItem(
        code=procedure.code,
        name=procedure.name,
        level=procedure.level or None,
        levels=list(procedure.levels),
        field=procedure.field.name if procedure.field else None,
        field_code=procedure.field.code if procedure.field else None,
        online_level=procedure.online_level,
        boundary_free=procedure.boundary_free,
        processing_time=_time_limit(procedure.processing_time_amount, procedure.processing_time_unit),
    )


def _version(version: ProcedureVersion) -> VersionOut:
    return VersionOut(
        number=version.number,
        effective_from=timezone.localtime(version.effective_from),
        effective_to=timezone.localtime(version.effective_to) if version.effective_to else None,
        source=version.source,
        decision_number=version.decision_number,
    )


def _bodies(version: ProcedureVersion) -> BodiesOut:
    return BodiesOut(
        competent=version.competent_body,
        implementing=version.implementing_body,
        delegated=version.delegated_body,
        cooperating=version.cooperating_body,
        issuing=version.issuing_body,
        filing_address=version.filing_address,
    )


def _fee(channel: ProcedureChannel) -> FeeOut:
    amount = float(channel.fee_amount) if channel.fee_amount is not None else None
    return FeeOut(channel=channel.kind, amount=amount, currency=channel.fee_currency, text=channel.fee_text)


def _channel(channel: ProcedureChannel) -> ChannelOut:
    return ChannelOut(
        kind=channel.kind,
        time_limit=_time_limit(channel.time_amount, channel.time_unit),
        time_text=channel.time_text,
        fee=_fee(channel),
        description=channel.description,
    )


def _component(component: Component) -> ComponentOut:
    return ComponentOut(
        code=component.code,
        name=component.name,
        required=component.required,
        group=component.group,
        form=component.form_name,
        count=component.count,
        copy_kind=component.copy_kind,
        quantity_text=component.quantity_text,
        channels=list(component.channels),
    )


def _legal_basis(basis: LegalBasis) -> LegalBasisOut:
    return LegalBasisOut(title=basis.title, number=basis.number, year=basis.year)


def _workflow(template: WorkflowTemplate) -> WorkflowOut:
    return WorkflowOut(
        limit_days=float(template.limit_days) if template.limit_days is not None else None,
        limit_basis=template.limit_basis,
        is_default=template.is_default,
        needs_review=template.needs_review,
        steps=[
            WorkflowStepOut(
                order=s.order,
                name=s.name,
                role=s.role,
                unit_kind=s.unit_kind,
                budget_days=float(s.budget_days),
                output=s.output,
            )
            for s in template.steps.all()
        ],
    )
