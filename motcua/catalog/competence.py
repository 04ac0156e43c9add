"""Competence (thẩm quyền): which body decides a procedure for a case, and the writes that set it up.

Rules of `competence_resolve`, in order (the first that applies wins):

1. **Delegation** (phân cấp / ủy quyền): a `Delegation` of the case's province in force on the date
   (`valid_from <= on <= valid_to`, open end = until revoked) for the procedure, or else for its
   field, moves competence to its `to_agency`, or down to the commune body of the case's unit. A
   procedure-specific record beats a field-wide one; among equals the latest `valid_from` wins (a later
   decision supersedes an earlier one), then the latest record.
2. **Pinned procedure**: a procedure-specific `SectorAssignment` gives the procedure to its agency,
   whatever the levels.
3. **Commune level**: a procedure that runs at commune level ("commune" among its levels, even with
   other levels: the 2025 reform moved first-instance work to communes) goes to the commune body of the
   case's unit: its People's Committee (UBND xã, phường), or the kind of body the field's assignment
   names (the commune police for residence procedures).
4. **Provincial body**: a procedure at province level, or run by another body ("other": tax, social
   insurance, court), goes to the agency the field's `SectorAssignment` names.
5. Otherwise, `NoCompetentBody`: ministry-only procedures are not handled in the province, and a field
   without an assignment is a configuration gap to fix in the admin, not something to guess (falling
   back to the provincial People's Committee would hide it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.db import transaction

from motcua.catalog.models import (
    Delegation,
    DelegationKind,
    DelegationTarget,
    Field,
    Level,
    Procedure,
    SectorAssignment,
)
from motcua.core.errors import InvalidInput
from motcua.core.reference_cache import reference_cached
from motcua.org.models import AdministrativeUnit, Agency, AgencyKind, Province


class NoCompetentBody(InvalidInput):
    code = "no_competent_body"
    message = "Không xác định được cơ quan có thẩm quyền giải quyết thủ tục này."


class CompetenceBasis(StrEnum):
    """Why a body is competent, for the dossier's history and the routing screen."""

    DELEGATION = "delegation"
    PINNED = "pinned"
    COMMUNE_LEVEL = "commune_level"
    SECTOR = "sector"


@dataclass(frozen=True)
class Competence:
    agency: Agency
    basis: CompetenceBasis
    delegation: Delegation | None = None


def competent_agency(*, procedure: Procedure, subject_unit: AdministrativeUnit, on: date) -> Agency:
    """The competent body (cơ quan có thẩm quyền) for `procedure`, a case in `subject_unit`, on `on`;
    memoized per process (see `core.reference_cache`): every rule reads only reference rows."""
    return reference_cached(
        "catalog.competent_agency",
        (procedure.pk, subject_unit.code, on),
        lambda: competence_resolve(procedure=procedure, subject_unit=subject_unit, on=on).agency,
    )


@dataclass(frozen=True)
class _ProvinceRules:
    """A province's competence records, read in three queries and memoized (`core.reference_cache`), so
    resolving a procedure and commune not seen yet today reads nothing: a province receives thousands of
    procedures from a hundred communes, and most pairs are new on a given day."""

    pinned: dict[int, SectorAssignment]
    by_field: dict[int, SectorAssignment]
    delegations: list[Delegation]
    #: The active body of each (unit, kind), the first by code.
    commune_bodies: dict[tuple[str, str], Agency]


def _province_rules(province_id: str) -> _ProvinceRules:
    def load() -> _ProvinceRules:
        assignments = list(SectorAssignment.objects.select_related("agency").filter(province_id=province_id))
        bodies: dict[tuple[str, str], Agency] = {}
        for agency in Agency.objects.filter(unit__province_id=province_id, is_active=True).order_by("code"):
            assert agency.unit_id is not None
            bodies.setdefault((agency.unit_id, agency.kind), agency)
        return _ProvinceRules(
            pinned={a.procedure_id: a for a in assignments if a.procedure_id is not None},
            by_field={a.field_id: a for a in assignments if a.procedure_id is None and a.field_id is not None},
            delegations=list(Delegation.objects.select_related("to_agency").filter(province_id=province_id)),
            commune_bodies=bodies,
        )

    return reference_cached("catalog.competence_rules", province_id, load)


def competence_resolve(*, procedure: Procedure, subject_unit: AdministrativeUnit, on: date) -> Competence:
    """The competent body and the rule that chose it (see the module docstring); raises `NoCompetentBody`."""
    rules = _province_rules(subject_unit.province_id)
    field_assignment = rules.by_field.get(procedure.field_id) if procedure.field_id is not None else None
    commune_kind = field_assignment.commune_agency_kind if field_assignment else AgencyKind.COMMUNE_COMMITTEE

    delegation = _delegation(rules, procedure=procedure, on=on)
    if delegation is not None:
        if delegation.target == DelegationTarget.COMMUNE:
            agency = _commune_body(rules, procedure=procedure, unit=subject_unit, kind=commune_kind, on=on)
        else:
            agency = _active(delegation.to_agency, procedure=procedure, unit=subject_unit, on=on)
        return Competence(agency=agency, basis=CompetenceBasis.DELEGATION, delegation=delegation)

    pinned = rules.pinned.get(procedure.pk)
    if pinned is not None:
        agency = _active(pinned.agency, procedure=procedure, unit=subject_unit, on=on)
        return Competence(agency=agency, basis=CompetenceBasis.PINNED)

    levels = set(procedure.levels)
    if Level.COMMUNE in levels:
        agency = _commune_body(rules, procedure=procedure, unit=subject_unit, kind=commune_kind, on=on)
        return Competence(agency=agency, basis=CompetenceBasis.COMMUNE_LEVEL)

    if levels & {Level.PROVINCE, Level.OTHER}:
        if field_assignment is None:
            raise _no_body(
                procedure,
                subject_unit,
                on,
                reason="no_sector_assignment",
                message=f"Lĩnh vực '{procedure.field or 'chưa xác định'}' chưa được giao cho cơ quan nào của tỉnh.",
            )
        agency = _active(field_assignment.agency, procedure=procedure, unit=subject_unit, on=on)
        return Competence(agency=agency, basis=CompetenceBasis.SECTOR)

    raise _no_body(
        procedure,
        subject_unit,
        on,
        reason="not_handled_in_province",
        message="Thủ tục này không thuộc thẩm quyền giải quyết của cơ quan cấp tỉnh, cấp xã.",
    )


def delegation_in_force(*, procedure: Procedure, province_id: str, on: date) -> Delegation | None:
    """The delegation that governs `procedure` in the province on `on` (rule 1), if any."""
    return _delegation(_province_rules(province_id), procedure=procedure, on=on)


def _delegation(rules: _ProvinceRules, *, procedure: Procedure, on: date) -> Delegation | None:
    candidates = [
        d
        for d in rules.delegations
        if (d.procedure_id == procedure.pk or (d.field_id is not None and d.field_id == procedure.field_id))
        and d.valid_from <= on
        and (d.valid_to is None or d.valid_to >= on)
    ]
    # Procedure-specific first, then the most recent decision.
    ranked = sorted(candidates, key=lambda d: (d.procedure_id is not None, d.valid_from, d.pk), reverse=True)
    return ranked[0] if ranked else None


def _commune_body(
    rules: _ProvinceRules, *, procedure: Procedure, unit: AdministrativeUnit, kind: str, on: date
) -> Agency:
    agency = rules.commune_bodies.get((unit.code, kind))
    if agency is None:
        raise _no_body(
            procedure,
            unit,
            on,
            reason="no_commune_body",
            message=f"{unit.name} chưa có {AgencyKind(kind).label} trong hệ thống.",
        )
    return agency


def _active(agency: Agency | None, *, procedure: Procedure, unit: AdministrativeUnit, on: date) -> Agency:
    if agency is None or not agency.is_active:
        raise _no_body(
            procedure,
            unit,
            on,
            reason="agency_inactive",
            message=f"Cơ quan được giao giải quyết ({agency}) không còn hoạt động.",
        )
    return agency


def _no_body(procedure: Procedure, unit: AdministrativeUnit, on: date, *, reason: str, message: str) -> NoCompetentBody:
    return NoCompetentBody(
        f"Không xác định được cơ quan có thẩm quyền giải quyết thủ tục {procedure.code} "
        f"cho hồ sơ thuộc {unit.name} ngày {on:%d/%m/%Y}: {message}",
        procedure=procedure.code,
        unit=unit.code,
        date=on.isoformat(),
        reason=reason,
    )


@transaction.atomic
def sector_assignment_set(
    *,
    province: Province,
    agency: Agency,
    field: Field | None = None,
    procedure: Procedure | None = None,
    commune_agency_kind: str = AgencyKind.COMMUNE_COMMITTEE,
    note: str = "",
) -> SectorAssignment:
    """Give a field's (or pin one procedure's) provincial competence to `agency`; replaces the previous one."""
    if (field is None) == (procedure is None):
        raise InvalidInput("Chọn đúng một trong hai: lĩnh vực hoặc thủ tục.", code="invalid_sector_assignment")
    if agency.province_id != province.code:
        raise InvalidInput("Cơ quan được giao không thuộc tỉnh này.", code="agency_outside_province")
    values = {"agency": agency, "commune_agency_kind": commune_agency_kind, "note": note}
    assignment = (
        # order_by("pk"): the default ordering joins fields and procedures, which FOR UPDATE refuses.
        SectorAssignment.objects.select_for_update()
        .filter(province=province, field=field, procedure=procedure)
        .order_by("pk")
        .first()
    )
    if assignment is None:
        return SectorAssignment.objects.create(province=province, field=field, procedure=procedure, **values)
    # Save only a real change, so re-running a seed leaves the row (and its updated_at) alone.
    if any(getattr(assignment, name) != value for name, value in values.items()):
        for name, value in values.items():
            setattr(assignment, name, value)
        assignment.save()
    return assignment


@transaction.atomic
def delegation_create(
    *,
    province: Province,
    decision_number: str,
    valid_from: date,
    valid_to: date | None = None,
    procedure: Procedure | None = None,
    field: Field | None = None,
    to_agency: Agency | None = None,
    from_agency: Agency | None = None,
    kind: str = DelegationKind.AUTHORIZATION,
    decision_date: date | None = None,
    note: str = "",
) -> Delegation:
    """Record a phân cấp / ủy quyền decision: to `to_agency`, or (when None) to the commune level."""
    if (field is None) == (procedure is None):
        raise InvalidInput("Chọn đúng một trong hai: lĩnh vực hoặc thủ tục.", code="invalid_delegation")
    if valid_to is not None and valid_to < valid_from:
        raise InvalidInput("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.", code="invalid_delegation_period")
    if to_agency is not None and to_agency.province_id != province.code:
        raise InvalidInput("Cơ quan được phân cấp, ủy quyền không thuộc tỉnh này.", code="agency_outside_province")
    return Delegation.objects.create(
        province=province,
        kind=kind,
        procedure=procedure,
        field=field,
        from_agency=from_agency,
        target=DelegationTarget.AGENCY if to_agency is not None else DelegationTarget.COMMUNE,
        to_agency=to_agency,
        valid_from=valid_from,
        valid_to=valid_to,
        decision_number=decision_number,
        decision_date=decision_date,
        note=note,
    )
