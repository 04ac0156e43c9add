"""Reads of the catalog: the public procedure list and one procedure with everything it publishes."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from motcua.catalog.models import Field, Level, OnlineLevel, Procedure, ProcedureVersion, WorkflowStep
from motcua.core.errors import InvalidInput, NotFound
from motcua.core.reference_cache import reference_cached

_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no"}


def procedures_list(
    *,
    level: str | None = None,
    field: str | None = None,
    boundary_free: str | None = None,
    online_level: str | None = None,
) -> QuerySet[Procedure]:
    """Procedures filtered by level (any of theirs), field (code or exact name), boundary-free flag
    and online level. Bad values raise InvalidInput with a code naming the filter."""
    procedures = Procedure.objects.select_related("field")
    if level:
        if level not in Level.values:
            raise InvalidInput(
                f"Cấp thực hiện '{level}' không hợp lệ.", code="invalid_level", level=level, allowed=Level.values
            )
        procedures = procedures.filter(levels_index__contains=f"|{level}|")
    if field:
        found = Field.objects.filter(Q(code=field) | Q(name=field)).values_list("pk", flat=True).first()
        if found is None:
            raise InvalidInput(f"Không có lĩnh vực '{field}'.", code="invalid_field", field=field)
        procedures = procedures.filter(field_id=found)
    if boundary_free:
        value = boundary_free.strip().lower()
        if value not in _TRUE | _FALSE:
            raise InvalidInput(
                "Tham số boundary_free phải là true hoặc false.",
                code="invalid_boundary_free",
                boundary_free=boundary_free,
            )
        procedures = procedures.filter(boundary_free=value in _TRUE)
    if online_level:
        if online_level not in OnlineLevel.values:
            raise InvalidInput(
                f"Mức độ trực tuyến '{online_level}' không hợp lệ.",
                code="invalid_online_level",
                online_level=online_level,
                allowed=OnlineLevel.values,
            )
        procedures = procedures.filter(online_level=online_level)
    return procedures


def procedure_get(*, code: str) -> Procedure:
    """One procedure with its field, current version (channels, components, legal bases) and workflow."""
    version = ProcedureVersion.objects.prefetch_related("channels", "components", "legal_bases")
    procedure = (
        Procedure.objects.select_related("field", "workflow")
        .prefetch_related(
            Prefetch("current_version", queryset=version),
            Prefetch("workflow__steps", queryset=WorkflowStep.objects.order_by("order")),
        )
        .filter(code=code)
        .first()
    )
    if procedure is None:
        raise NotFound(f"Không có thủ tục mã '{code}'.", code="unknown_procedure", procedure=code)
    return procedure


def procedure_names() -> dict[int, str]:
    """Every procedure's name by id, memoized per process (see `core.reference_cache`): work queues show
    one per row without joining the catalog to a table of millions."""
    return reference_cached("catalog.procedure_names", None, lambda: dict(Procedure.objects.values_list("id", "name")))


def procedure_versions(code: str) -> list[ProcedureVersion]:
    """Every version of the procedure `code`, latest first, each with its procedure, field, channels and
    components; memoized per process (see `core.reference_cache`): reception reads them on every dossier."""

    def load() -> list[ProcedureVersion]:
        return list(
            ProcedureVersion.objects.select_related("procedure__field")
            .filter(procedure__code=code)
            .order_by("-effective_from", "-pk")
            .prefetch_related("channels", "components")
        )

    return reference_cached("catalog.versions", code, load)
