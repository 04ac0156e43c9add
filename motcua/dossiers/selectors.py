"""Reads that carry rules: which dossiers a staff member may see (domain.md: visibility by unit and role)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django_stubs_ext import StrOrPromise

from motcua.catalog.models import Procedure
from motcua.catalog.search import MAX_QUERY_LENGTH, search_procedures
from motcua.catalog.selectors import procedure_names
from motcua.core.errors import NotFound
from motcua.core.pagination import keyset_page
from motcua.core.prepared import prepared_cursor
from motcua.dossiers.models import Document, Dossier, DossierEvent
from motcua.dossiers.services import deadlines
from motcua.dossiers.states import STATUS_OF, SubState
from motcua.org.models import AGENCY_ROLES, CENTER_ROLES, Agency, Role, StaffUser
from motcua.org.selectors import agency_provinces

_CODE_PREFIX = re.compile(r"[0-9][0-9.]*")
#: Agencies nest at most three levels below the one a handler belongs to (department → office → team).
_AGENCY_DEPTH = 3


def agency_scope(agency_id: int, *, field: str = "handling_agency") -> Q:
    """Dossiers handled by the agency or one of its descendants."""
    condition = Q(**{f"{field}_id": agency_id})
    path = field
    for _ in range(_AGENCY_DEPTH):
        path += "__parent"
        condition |= Q(**{f"{path}_id": agency_id})
    return condition


def agency_covers(ancestor_id: int | None, agency: Agency) -> bool:
    current: Agency | None = agency
    for _ in range(_AGENCY_DEPTH + 1):
        if current is None:
            return False
        if current.id == ancestor_id:
            return True
        current = current.parent
    return False


def dossiers_visible_to(actor: StaffUser) -> QuerySet[Dossier]:
    """Reception: what their center received; specialists, leaders, clerks: what their agency (or a child
    agency) handles; the supervisor: the province; system admins: everything; anyone else: nothing."""
    dossiers = Dossier.objects.all()
    if not actor.is_active:
        return dossiers.none()
    if actor.role in CENTER_ROLES:
        return dossiers.filter(receiving_center_id=actor.center_id)
    if actor.role in AGENCY_ROLES and actor.agency_id is not None:
        return dossiers.filter(agency_scope(actor.agency_id))
    if actor.role == Role.SUPERVISOR:
        return dossiers.filter(
            Q(handling_agency__province_id=actor.province_id) | Q(receiving_center__province_id=actor.province_id)
        )
    if actor.role == Role.SYSTEM_ADMIN:
        return dossiers
    return dossiers.none()


def dossier_get_for_actor(actor: StaffUser, code: str) -> Dossier:
    """One visible dossier; the same 404 whether it does not exist or may not be seen."""
    dossier = (
        dossiers_visible_to(actor)
        .select_related("procedure", "receiving_center", "handling_agency", "subject_unit")
        .filter(code=code)
        .first()
    )
    if dossier is None:
        raise NotFound("Không tìm thấy hồ sơ.", code="dossier_not_found")
    return dossier


def dossier_lock_for_actor(actor: StaffUser | None, code: str) -> Dossier:
    """The dossier a write is about, row-locked for the caller's transaction: one the actor may see, or
    any dossier for the system (`actor` None). The same 404 whether it does not exist or may not be seen.
    The handling agency comes with three levels of parents, which the scope checks walk."""
    dossier = (
        (Dossier.objects.all() if actor is None else dossiers_visible_to(actor))
        .select_for_update(of=("self",))
        .select_related("procedure", "receiving_center", "handling_agency__parent__parent__parent")
        .filter(code=code)
        .first()
    )
    if dossier is None:
        raise NotFound("Không tìm thấy hồ sơ.", code="dossier_not_found")
    return dossier


def dossier_history(dossier: Dossier) -> list[DossierEvent]:
    """The dossier's events in order (QuaTrinhXuLy)."""
    return list(DossierEvent.objects.filter(dossier=dossier).order_by("seq"))


@dataclass(frozen=True)
class WorkQueue:
    """A staff page listing the dossiers waiting for one role, most urgent first."""

    slug: str
    title: StrOrPromise
    role: Role
    sub_states: frozenset[SubState]


#: The specialist's inbox (hộp thư), the leader's approval queue, the clerk's numbering queue and the
#: desk's queue (dossiers to transfer, results to return). Keyed by the role that works them.
WORK_QUEUES: dict[Role, WorkQueue] = {
    queue.role: queue
    for queue in (
        WorkQueue(
            "hop-thu",
            gettext_lazy("Hồ sơ cần xử lý"),
            Role.SPECIALIST,
            frozenset({SubState.WAITING_ASSIGNMENT, SubState.IN_HANDLING}),
        ),
        WorkQueue(
            "cho-duyet", gettext_lazy("Hồ sơ chờ ký duyệt"), Role.LEADER, frozenset({SubState.WAITING_SIGNATURE})
        ),
        WorkQueue(
            "cho-vao-so",
            gettext_lazy("Kết quả chờ vào số, phát hành"),
            Role.CLERK,
            frozenset({SubState.WAITING_NUMBERING}),
        ),
        WorkQueue(
            "tai-quay",
            gettext_lazy("Hồ sơ tại quầy"),
            Role.RECEPTION,
            frozenset({SubState.RECEIVED, SubState.RESULT_AT_DESK}),
        ),
    )
}


@dataclass(frozen=True)
class Urgency:
    """How much working time is left on an open dossier whose clock runs; negative once overdue."""

    remaining: timedelta
    day_length: timedelta
    overdue: bool
    due_soon: bool

    @property
    def parts(self) -> tuple[int, int, int]:
        """(working days, hours, minutes) of the remaining or overdue time, a working day being the
        office day of the calendar."""
        total = int(abs(self.remaining).total_seconds()) // 60
        day = max(int(self.day_length.total_seconds()) // 60, 1)
        return total // day, total % day // 60, total % 60

    @property
    def text(self) -> str:
        """ "Còn 2 ngày 3 giờ 5 phút", or overdue, or due soon: built here rather than by a template include
        per row, which cost about 0.1 ms a row on a 50-row work queue."""
        days, hours, minutes = self.parts
        values = {"days": days, "hours": hours, "minutes": minutes}
        if self.overdue:
            return gettext("Quá hạn %(days)s ngày %(hours)s giờ %(minutes)s phút") % values
        if self.due_soon:
            return gettext("Sắp đến hạn: còn %(days)s ngày %(hours)s giờ %(minutes)s phút") % values
        return gettext("Còn %(days)s ngày %(hours)s giờ %(minutes)s phút") % values

    @property
    def css(self) -> str:
        return "late" if self.overdue else "soon" if self.due_soon else ""


@dataclass(frozen=True)
class QueueRow:
    dossier: Dossier
    urgency: Urgency | None
    procedure_name: str


def dossier_urgency(dossier: Dossier, now: datetime, *, provinces: dict[int, str] | None = None) -> Urgency | None:
    """None when no clock runs (not yet accepted, paused for a supplement, or handling finished);
    due-soon = less than one working day left (the notice Mẫu 04 needs). `provinces`: `agency_provinces()`,
    read once by a caller with many rows."""
    if dossier.due_at is None or dossier.finished_at is not None or dossier.paused_at is not None:
        return None
    calendar = deadlines.calendar_for((provinces or agency_provinces())[dossier.handling_agency_id])
    remaining = deadlines.working_time_left(now, dossier.due_at, calendar)
    notice = deadlines.extension_notice(calendar)
    overdue = dossier.due_at < now
    return Urgency(remaining, calendar.day_length, overdue, not overdue and remaining < notice)


def agency_ids_under(agency_id: int) -> list[int]:
    """The agency and its descendants (the handling bodies a handler's queue covers), in one query."""
    condition = Q(pk=agency_id)
    path = ""
    for _ in range(_AGENCY_DEPTH):
        path += "parent__"
        condition |= Q(**{f"{path}id": agency_id})
    return list(Agency.objects.filter(condition).values_list("pk", flat=True))


#: The columns a work-queue row reads (`_queue_rows.html`, `dossier_urgency`); the procedure's name and
#: the body's province come from the reference memo.
QUEUE_ROW_FIELDS = (
    "code",
    "procedure_id",
    "handling_agency_id",
    "status",
    "sub_state",
    "applicant_name",
    "due_at",
    "finished_at",
    "paused_at",
)


def dossier_work_queue(
    actor: StaffUser, *, cursor: str | None = None, limit: int = 50, now: datetime | None = None
) -> tuple[WorkQueue, list[QueueRow], str | None]:
    """The actor's queue ordered by remaining working time (the due time, which the working-time
    distance follows), keyset-paginated; due-soon = less than one working day left."""
    queue = WORK_QUEUES.get(Role(actor.role)) if actor.role in Role.values else None
    if queue is None or not actor.is_active:
        raise NotFound("Vai trò này không có hàng hồ sơ chờ xử lý.", code="no_work_queue")
    dossiers = Dossier.objects.filter(
        status__in=sorted({STATUS_OF[s] for s in queue.sub_states}),
        sub_state__in=sorted(queue.sub_states),
        due_at__isnull=False,
    )
    if queue.role == Role.RECEPTION:
        dossiers = dossiers.filter(receiving_center_id=actor.center_id)
    elif actor.agency_id is not None:
        dossiers = dossiers.filter(handling_agency_id__in=agency_ids_under(actor.agency_id))
    else:
        dossiers = dossiers.none()
    # Only what a row shows and its remaining time need, and no join: loading every column of the
    # dossier, procedure and agency was half the selector's time, and at 10 M dossiers a misestimated
    # join to the agencies took 95 ms. A deferred column read per row would show as a query per row
    # (test_inbox_query_count_does_not_grow_with_rows_and_pages_by_50).
    rows, next_cursor = keyset_page(
        dossiers.only(*QUEUE_ROW_FIELDS),
        keys=["due_at", "id"],
        cursor=cursor,
        limit=limit,
    )
    at = now or timezone.now()
    names, provinces = procedure_names(), agency_provinces()
    return (
        queue,
        [
            QueueRow(dossier, dossier_urgency(dossier, at, provinces=provinces), names.get(dossier.procedure_id, ""))
            for dossier in rows
        ],
        next_cursor,
    )


def assignable_specialists(dossier: Dossier) -> QuerySet[StaffUser]:
    """Specialists of the handling body a leader may assign the dossier to (as `dossier_transition` checks)."""
    return StaffUser.objects.filter(
        role=Role.SPECIALIST, agency_id=dossier.handling_agency_id, is_active=True
    ).order_by("last_name", "first_name", "username")


def dossier_document(dossier: Dossier, sha256: str) -> Document:
    """A file filed with the dossier or issued as its result; the same 404 for any other file."""
    document = (
        Document.objects.filter(sha256=sha256)
        .filter(Q(pk__in=dossier.components.values("documents")) | Q(pk__in=dossier.result_documents.values("pk")))
        .first()
    )
    if document is None:
        raise NotFound("Không tìm thấy tệp của hồ sơ.", code="document_not_found")
    return document


def document_ids(hashes: set[str]) -> dict[str, int]:
    """The stored documents among `hashes` (SHA-256), by hash: the ids reception links (plain SQL, as
    every reception with scans asks it)."""
    if not hashes:
        return {}
    table = connection.ops.quote_name(Document._meta.db_table)
    with prepared_cursor() as cursor:
        cursor.execute(
            f"SELECT sha256, id FROM {table} WHERE sha256 IN ({', '.join(['%s'] * len(hashes))})",  # noqa: S608 - table from the model
            sorted(hashes),
        )
        return dict(cursor.fetchall())


def procedures_for_desk(query: str, *, limit: int = 10) -> list[Procedure]:
    """The desk's lookup box: a code prefix (`1.0011`) or words of the name, ranked by the catalog's
    search (accent-insensitive, typo-tolerant)."""
    text = query.strip()[:MAX_QUERY_LENGTH]
    if not text:
        return []
    if _CODE_PREFIX.fullmatch(text):
        return list(Procedure.objects.filter(code__startswith=text).order_by("code")[:limit])
    codes = [hit.code for hit in search_procedures(text, limit=limit)]
    found = Procedure.objects.in_bulk(codes, field_name="code")
    return [found[code] for code in codes if code in found]
