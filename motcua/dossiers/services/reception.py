"""Receiving a dossier (tiếp nhận hồ sơ) at any center, on any channel (domain.md §3, §7)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua.catalog.competence import competent_agency
from motcua.catalog.models import ChannelKind, Component, Procedure, ProcedureVersion
from motcua.catalog.selectors import procedure_versions
from motcua.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from motcua.core.inserts import row_build, rows_insert, rows_insert_batch
from motcua.dossiers.identity import parse_personal_id
from motcua.dossiers.lookup_reference import lookup_reference_check
from motcua.dossiers.models import (
    Dossier,
    DossierComponent,
    PersonalDataStoreItem,
    ReturnPlace,
    StoreItemKind,
)
from motcua.dossiers.selectors import document_ids
from motcua.dossiers.services import deadlines
from motcua.dossiers.services.codes import dossier_code_allocate
from motcua.dossiers.services.events import event_build, event_insert
from motcua.dossiers.services.steps import steps_create, workflow_with_steps
from motcua.dossiers.services.tracking import new_tracking_salt
from motcua.dossiers.states import STATUS_OF, SubState
from motcua.dossiers.store_selectors import store_items_for
from motcua.org.models import AdministrativeUnit, Role, ServiceCenter, StaffUser
from motcua.org.selectors import administrative_unit, service_center_active

RECEIVE = "receive"

# Django builds an enum's `values` list anew at each read (a twentieth of a millisecond here).
_RETURN_PLACES = frozenset(ReturnPlace.values)
_CHANNELS = frozenset(ChannelKind.values)


@dataclass(frozen=True)
class ApplicantData:
    """Chủ hồ sơ: a citizen identified by the 12-digit personal ID."""

    full_name: str
    personal_id: str
    birth_date: date | None = None
    phone: str = ""
    email: str = ""
    address: str = ""
    address_unit: str | None = None
    #: Filled in from the population database: needs the lookup's signed `population_reference` and the
    #: name and birth date it returned (`dossiers.lookup_reference`).
    verified_by_population_db: bool = False
    population_reference: str = ""


@dataclass(frozen=True)
class ComponentData:
    """A component as filed: its code in the procedure version, the SHA-256 of its scans, and papers
    taken from the applicant's personal data store (`store_items`, which mark it reused).
    `from_national_db` (DuocLayTuKhoDMQG) needs the signed `national_db_reference` of the desk's lookup."""

    component: str
    documents: list[str] = field(default_factory=list)
    reused: bool = False
    from_national_db: bool = False
    national_db_reference: str = ""
    store_items: list[int] = field(default_factory=list)


def dossier_receive(
    *,
    actor: StaffUser | None,
    procedure_code: str,
    receiving_center: str,
    channel: str,
    applicant: ApplicantData,
    subject_unit: str,
    components: list[ComponentData],
    return_place: str = ReturnPlace.DESK,
    idempotency_key: str | None = None,
    received_at: datetime | None = None,
    vneid_verified: bool = False,
) -> Dossier:
    """Receive a dossier and route it to the competent body.

    A direct or postal dossier must be complete (else `missing_components`: the desk guides the applicant
    instead); an online one is registered as submitted (status 1) for the desk to accept, refuse or send
    back for a supplement. Nothing is written when a check fails. A repeated `idempotency_key` at the same
    center returns the first dossier.

    `actor` None is the citizen submitting on-line through the portal (the caller has signed them in,
    `vneid_verified` when through VNeID): only the online channel, and no officer is recorded.
    """
    center = service_center_active(receiving_center)
    if center is None:
        raise NotFound(f"Không có trung tâm '{receiving_center}'.", code="unknown_center", center=receiving_center)
    if actor is None:
        if channel != ChannelKind.ONLINE:
            raise PermissionDenied("Công dân chỉ nộp hồ sơ trực tuyến.", code="citizen_online_only")
    elif actor.role != Role.RECEPTION or actor.center_id != center.id:
        raise PermissionDenied(
            "Chỉ công chức một cửa của trung tâm này được tiếp nhận hồ sơ.", code="not_receiving_desk"
        )
    fingerprint = ""
    if idempotency_key:
        # What a retry must repeat to get the first dossier back.
        fingerprint = _fingerprint(procedure_code, channel, applicant, subject_unit, components, return_place)
        existing = _replay(center, idempotency_key, fingerprint)
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            return _receive(
                actor=actor,
                center=center,
                procedure_code=procedure_code,
                channel=channel,
                applicant=applicant,
                subject_code=subject_unit,
                components=components,
                return_place=return_place,
                idempotency_key=idempotency_key or "",
                fingerprint=fingerprint,
                received_at=received_at or timezone.now(),
                vneid_verified=vneid_verified,
            )
    except IntegrityError:
        # A concurrent request with the same key won the race: answer with its dossier.
        if idempotency_key and (existing := _replay(center, idempotency_key, fingerprint)) is not None:
            return existing
        raise


def _replay(center: ServiceCenter, key: str, fingerprint: str) -> Dossier | None:
    existing = Dossier.objects.filter(receiving_center=center, idempotency_key=key).first()
    if existing is not None and existing.idempotency_fingerprint != fingerprint:
        raise Conflict(
            "Khóa chống gửi trùng đã dùng cho một hồ sơ khác.", code="idempotency_key_reused", dossier=existing.code
        )
    return existing


def _receive(
    *,
    actor: StaffUser | None,
    center: ServiceCenter,
    procedure_code: str,
    channel: str,
    applicant: ApplicantData,
    subject_code: str,
    components: list[ComponentData],
    return_place: str,
    idempotency_key: str,
    fingerprint: str,
    received_at: datetime,
    vneid_verified: bool,
) -> Dossier:
    day = timezone.localdate(received_at)
    _check_applicant(applicant, today=day)
    population_db_linked = _check_national_db_references(actor, applicant, components)
    subject = _unit(subject_code, "subject_unit")
    address_unit = None
    if applicant.address_unit:
        # Usually the same commune as the case: no second query for it.
        address_unit = (
            subject
            if applicant.address_unit == subject.code
            else _unit(applicant.address_unit, "applicant.address_unit")
        )
    if return_place not in _RETURN_PLACES:
        raise InvalidInput("Nơi trả kết quả không hợp lệ.", code="invalid_return_place", allowed=ReturnPlace.values)
    procedure, version = _procedure_in_force(procedure_code, channel, received_at)
    if not procedure.boundary_free and center.unit_id is not None and center.unit_id != subject.code:
        raise InvalidInput(
            "Thủ tục không thuộc danh mục tiếp nhận phi địa giới: nộp tại trung tâm của địa bàn.",
            code="not_boundary_free",
            procedure=procedure.code,
        )
    chosen, documents = _check_components(version, components, channel=channel, complete=channel != ChannelKind.ONLINE)
    stored = store_items_for(personal_id=applicant.personal_id, item_ids=[i for c in components for i in c.store_items])
    agency = competent_agency(procedure=procedure, subject_unit=subject, on=day)
    calendar = deadlines.calendar_for(agency.province_id)
    template, template_steps = workflow_with_steps(procedure)
    limit = deadlines.limit_of(version, channel, template.limit_days if template else None)
    online = channel == ChannelKind.ONLINE
    sub_state = SubState.SUBMITTED if online else SubState.RECEIVED
    # The legal count starts at the complete dossier: at once at the desk, at acceptance for online ones.
    due_at = None if online else deadlines.due_for(received_at, limit, calendar)
    dossier = row_build(
        Dossier,
        code=dossier_code_allocate(agency=agency, day=day),
        procedure=procedure,
        version=version,
        channel=channel,
        status=STATUS_OF[sub_state],
        sub_state=sub_state,
        receiving_center=center,
        handling_agency=agency,
        subject_unit=subject,
        return_place=return_place,
        applicant_name=applicant.full_name.strip(),
        applicant_personal_id=applicant.personal_id,
        applicant_birth_date=applicant.birth_date,
        applicant_phone=applicant.phone,
        applicant_email=applicant.email,
        applicant_address=applicant.address,
        applicant_address_unit=address_unit,
        received_at=received_at,
        clock_started_at=None if online else received_at,
        due_at=due_at,
        original_due_at=due_at,
        tracking_salt=new_tracking_salt(),
        idempotency_key=idempotency_key,
        idempotency_fingerprint=fingerprint,
        created_by=actor,
        vneid_verified=vneid_verified,
        population_db_linked=population_db_linked,
    )
    # The first event is chained before the dossier is written, so its row holds the chain head at once.
    event = event_build(
        dossier=dossier,
        action=RECEIVE,
        actor=actor,
        at=received_at,
        from_status=None,
        from_sub_state="",
        payload={
            "channel": channel,
            "receiving_center": center.code,
            "handling_agency": agency.code,
            "due_at": due_at.isoformat() if due_at else None,
            "components": sorted(chosen),
            "population_db_linked": population_db_linked,
        },
    )
    # The dossier and everything filed with it in one write (`rows_insert_batch`): rows refer to each other
    # by instance until then.
    with rows_insert_batch():
        rows_insert([dossier])
        filed = _create_components(dossier, chosen, components, stored, documents)
        # A new dossier's steps are all unfinished: their due times are set as they are created.
        steps_create(
            dossier=dossier,
            template=template,
            schedule=None if online else (received_at, calendar),
            template_steps=template_steps,
        )
        event_insert(dossier=dossier, event=event, components=filed)
    return dossier


def _check_applicant(applicant: ApplicantData, *, today: date) -> None:
    if not applicant.full_name.strip():
        raise InvalidInput("Thiếu họ tên chủ hồ sơ.", code="applicant_name_required", field="full_name")
    parse_personal_id(applicant.personal_id, birth_date=applicant.birth_date, today=today)


def _check_national_db_references(
    actor: StaffUser | None, applicant: ApplicantData, components: list[ComponentData]
) -> bool:
    """Whether data of the dossier was taken from the population database (DSKetNoiCSDL), each claim
    backed by a genuine lookup of this applicant by this officer; a bad claim refuses the reception."""
    officer = actor.username if actor is not None else None
    linked = False
    if applicant.verified_by_population_db:
        record = lookup_reference_check(
            applicant.population_reference,
            personal_id=applicant.personal_id,
            officer=officer,
            field="applicant.population_reference",
        )
        if (record.full_name, record.birth_date) != (applicant.full_name.strip(), applicant.birth_date):
            raise InvalidInput(
                "Họ tên, ngày sinh khác với CSDL quốc gia về dân cư: không ghi nhận là dữ liệu từ CSDL.",
                code="population_data_mismatch",
                field="applicant",
            )
        linked = True
    for item in components:
        if item.from_national_db:
            lookup_reference_check(
                item.national_db_reference,
                personal_id=applicant.personal_id,
                officer=officer,
                field=f"components.{item.component}.national_db_reference",
            )
            linked = True
    return linked


def _unit(code: str, field_name: str) -> AdministrativeUnit:
    unit = administrative_unit(code)
    if unit is None:
        raise InvalidInput(f"Không có đơn vị hành chính mã '{code}'.", code="unknown_unit", field=field_name)
    return unit


def _procedure_in_force(code: str, channel: str, at: datetime) -> tuple[Procedure, ProcedureVersion]:
    # The field comes along for the national portal's record; channels and components are read once,
    # for the channel check, the time limit and the component check.
    versions = procedure_versions(code)
    version = next(
        (v for v in versions if v.effective_from <= at and (v.effective_to is None or v.effective_to > at)), None
    )
    if version is None:
        if not Procedure.objects.filter(code=code).exists():
            raise InvalidInput(f"Không có thủ tục mã '{code}'.", code="unknown_procedure", procedure=code)
        raise InvalidInput("Thủ tục không còn hiệu lực.", code="procedure_not_in_force", procedure=code)
    procedure = version.procedure
    offered = {c.kind for c in version.channels.all()}
    if channel not in _CHANNELS or channel not in offered:
        raise InvalidInput(
            "Thủ tục không tiếp nhận qua kênh này.",
            code="channel_not_offered",
            channel=channel,
            offered=sorted(offered),
        )
    return procedure, version


def _check_components(
    version: ProcedureVersion, filed: list[ComponentData], *, channel: str, complete: bool
) -> tuple[dict[str, Component], dict[str, int]]:
    """The procedure's components filed, by code, and the scanned documents' ids, by SHA-256. A required
    paper is missing only on the channels it is for (the desk's paper form is not wanted online)."""
    listed = {component.code: component for component in version.components.all()}
    codes = [item.component for item in filed]
    unknown = sorted(set(codes) - set(listed))
    if unknown:
        raise InvalidInput("Thành phần hồ sơ không có trong thủ tục.", code="unknown_components", components=unknown)
    if len(set(codes)) != len(codes):
        raise InvalidInput("Một thành phần được khai hai lần.", code="duplicate_components")
    hashes = {sha for item in filed for sha in item.documents}
    documents = document_ids(hashes)
    found = set(documents)
    if hashes - found:
        raise InvalidInput("Có tệp chưa được tải lên.", code="unknown_documents", documents=sorted(hashes - found))
    missing = sorted(
        code
        for code, component in listed.items()
        if component.required and component.applies_to(channel) and code not in codes
    )
    if complete and missing:
        raise InvalidInput(
            "Hồ sơ thiếu thành phần bắt buộc.",
            code="missing_components",
            components=[{"code": code, "name": listed[code].name} for code in missing],
        )
    return {code: listed[code] for code in codes}, documents


def _create_components(
    dossier: Dossier,
    chosen: dict[str, Component],
    filed: list[ComponentData],
    stored: dict[int, PersonalDataStoreItem],
    documents: dict[str, int],
) -> list[DossierComponent]:
    """The filed components (in the order filed), their files, and the applicant's store items for the
    scans: rows of three tables, whatever the number of components."""
    rows = [
        row_build(
            DossierComponent,
            dossier=dossier,
            code=chosen[item.component].code,
            name=chosen[item.component].name,
            required=chosen[item.component].required,
            # DuocSoHoa: scanned for this dossier; DuocTaiSuDung: taken from the store, not filed again.
            digitized=bool(item.documents),
            reused=item.reused or bool(item.store_items),
            from_national_db=item.from_national_db,
        )
        for item in filed
    ]
    rows_insert(rows)
    links: list[Any] = []
    through = DossierComponent.documents.through
    for row, item in zip(rows, filed, strict=True):
        linked = {documents[sha] for sha in item.documents} | {stored[i].document_id for i in item.store_items}
        links.extend(
            row_build(through, dossiercomponent=row, document_id=document_id) for document_id in sorted(linked)
        )
    rows_insert(links, ignore_conflicts=True)
    # Digitised once, offered again at the applicant's next dossier (Decree 45/2020 Art. 16): a scan
    # already in the store stays as it is; a new one is stored under the first component filing it.
    scans = {documents[sha]: chosen[item.component] for item in reversed(filed) for sha in item.documents}
    if scans:
        first_filed = [documents[sha] for item in filed for sha in item.documents]
        # ON CONFLICT DO NOTHING on (personal_id, document, kind): a scan already in the store (from an
        # earlier dossier, or a concurrent reception) keeps its item as it is.
        rows_insert(
            [
                row_build(
                    PersonalDataStoreItem,
                    personal_id=dossier.applicant_personal_id,
                    document_id=pk,
                    kind=StoreItemKind.DIGITIZED_COMPONENT,
                    component_code=scans[pk].code,
                    name=scans[pk].name,
                    dossier=dossier,
                )
                for pk in dict.fromkeys(first_filed)
            ],
            ignore_conflicts=True,
        )
    return rows


def _fingerprint(
    procedure_code: str,
    channel: str,
    applicant: ApplicantData,
    subject_unit: str,
    components: list[ComponentData],
    return_place: str,
) -> str:
    request = {
        "procedure": procedure_code,
        "channel": channel,
        "applicant": asdict(applicant),
        "subject_unit": subject_unit,
        "components": [asdict(c) for c in components],
        "return_place": return_place,
    }
    return hashlib.sha256(json.dumps(request, sort_keys=True, default=str).encode()).hexdigest()
