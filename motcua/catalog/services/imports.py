"""Import of national procedure data (CSDLQG về TTHC): files are validated whole, then written in one
transaction with bulk statements.

- A new code creates the procedure, version 1 and a default workflow template.
- Unchanged content (same hash as the current version) is left alone, so re-imports are idempotent.
- Changed content closes the current version (`effective_to`) and opens the next one.
- A list (XLSX) row never replaces portal detail: for a code whose current version came from the
  portal, or that the same import also reads from a portal file, the row is counted and skipped.
- `online_level` and `boundary_free` are set when a procedure is created and are the officers' after.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from motcua.catalog.importers.parsing import (
    ParsedChannel,
    parse_channels,
    parse_components,
    parse_legal_bases,
    parse_result,
    slugify_vi,
    unique_slug,
)
from motcua.catalog.importers.portal_jsonl import is_portal_file, read_portal_jsonl
from motcua.catalog.importers.records import ImportFileError, Problem, ProcedureRecord
from motcua.catalog.importers.xlsx_lists import is_list_file, read_xlsx_list
from motcua.catalog.models import (
    ChannelKind,
    Component,
    Field,
    LegalBasis,
    Level,
    OnlineLevel,
    Procedure,
    ProcedureChannel,
    ProcedureVersion,
    TimeLimit,
    TimeUnit,
    VersionSource,
    WorkflowStep,
    WorkflowTemplate,
)
from motcua.catalog.services.workflow import build_default_workflow, limit_in_working_days
from motcua.core.reference_cache import reference_changed

BATCH_SIZE = 500
LISTING_COLUMNS = [
    "name",
    "levels",
    "level",
    "levels_index",
    "field",
    "processing_time_amount",
    "processing_time_unit",
    "processing_time_text",
    "ministry_slug",
    "source_url",
]
BOUNDARY_FREE_LEVELS = frozenset({Level.PROVINCE, Level.COMMUNE})
# Phrases that say the result is returned electronically, which Decree 42/2022 Art. 11 requires of
# a full (toàn trình) online service.
FULL_ONLINE_MARKERS = (
    "toàn trình",
    "kết quả điện tử",
    "bản điện tử",
    "trả kết quả trực tuyến",
    "qua tài khoản",
    "kho quản lý dữ liệu",
)

Progress = Callable[[Iterable[Any], int], Iterable[Any]]


@dataclass
class ImportReport:
    """What an import did, and how well the portal's flattened tables could be read."""

    files: list[str] = field(default_factory=list)
    records: int = 0
    created: int = 0
    new_versions: int = 0
    unchanged: int = 0
    list_rows_kept_portal: int = 0
    portal_records: int = 0
    with_time: int = 0
    with_time_stated: int = 0
    with_fee: int = 0
    seconds: float = 0.0
    problems: dict[str, list[str]] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "records": self.records,
            "created": self.created,
            "new_versions": self.new_versions,
            "unchanged": self.unchanged,
            "list_rows_kept_portal": self.list_rows_kept_portal,
            "portal_records": self.portal_records,
            "with_time": self.with_time,
            "with_time_stated": self.with_time_stated,
            "with_fee": self.with_fee,
            "seconds": round(self.seconds, 2),
            "problems": self.problems,
            "notes": self.notes,
        }


def import_procedure_files(
    paths: Sequence[str | Path], *, progress: Progress | None = None, now: datetime | None = None
) -> ImportReport:
    """Read every file (a directory means its .jsonl, .jsonl.gz and .xlsx files), validate them all,
    then write them in one transaction. Raises ImportFileError, writing nothing, on any bad file."""
    started = time.perf_counter()
    files = expand_paths(paths)
    batches: list[list[ProcedureRecord]] = []
    problems: list[Problem] = []
    for path in files:
        try:
            batches.append(read_portal_jsonl(path) if is_portal_file(path) else read_xlsx_list(path))
        except ImportFileError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ImportFileError(problems)
    records, kept_portal, merge_problems = merge_records(batches)
    if merge_problems:
        raise ImportFileError(merge_problems)
    report = procedures_import(records=records, progress=progress, now=now)
    report.files = [str(path) for path in files]
    report.list_rows_kept_portal += kept_portal
    report.records += kept_portal
    report.seconds = time.perf_counter() - started
    return report


def expand_paths(paths: Sequence[str | Path]) -> list[Path]:
    files: list[Path] = []
    problems: list[Problem] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if is_portal_file(p) or is_list_file(p))
            found += sorted(p for p in path.glob("*/*") if is_portal_file(p) or is_list_file(p))
            if not found:
                problems.append(Problem(f"{path}:0", "thư mục không có tệp .jsonl, .jsonl.gz hoặc .xlsx"))
            files.extend(found)
        elif not path.exists():
            problems.append(Problem(f"{path}:0", "không có tệp này"))
        elif is_portal_file(path) or is_list_file(path):
            files.append(path)
        else:
            problems.append(Problem(f"{path}:0", "chỉ nhận tệp .jsonl, .jsonl.gz hoặc .xlsx"))
    if problems:
        raise ImportFileError(problems)
    return files


def merge_records(batches: Sequence[Sequence[ProcedureRecord]]) -> tuple[list[ProcedureRecord], int, list[Problem]]:
    """One record per code: portal records win over list rows; a code in two portal files is an error;
    a code in two lists keeps the first row. Returns (records, list rows skipped, problems)."""
    portal: dict[str, ProcedureRecord] = {}
    listed: dict[str, ProcedureRecord] = {}
    problems: list[Problem] = []
    skipped = 0
    rows = [record for batch in batches for record in batch]
    for record in rows:
        if record.source != VersionSource.PORTAL:
            continue
        if record.code in portal:
            first = portal[record.code].location
            problems.append(Problem(record.location, f"mã thủ tục {record.code} trùng với {first}"))
        portal[record.code] = record
    for record in rows:
        if record.source == VersionSource.PORTAL:
            continue
        if record.code in portal or record.code in listed:
            skipped += 1
        else:
            listed[record.code] = record
    merged = [*portal.values(), *listed.values()]
    return merged, skipped, problems


@dataclass
class _Content:
    """A record with its parsed tables."""

    record: ProcedureRecord
    content_hash: str
    channels: list[ParsedChannel] = field(default_factory=list)
    components: list[Component] = field(default_factory=list)
    legal_bases: list[LegalBasis] = field(default_factory=list)
    result_text: str = ""
    result_code: str = ""
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def time_limit(self) -> TimeLimit | None:
        """Same preference as `ProcedureVersion.time_limit()`: direct, online, then post."""
        for kind in ChannelKind.values:
            for channel in self.channels:
                if channel.kind == kind and channel.time_amount is not None:
                    return TimeLimit(amount=channel.time_amount, unit=channel.time_unit)
        return None

    def online_level(self) -> str:
        if not any(channel.kind == ChannelKind.ONLINE for channel in self.channels):
            return OnlineLevel.NONE
        text = " ".join([self.record.steps, self.record.channels_text, self.record.result_text]).lower()
        return OnlineLevel.FULL if any(marker in text for marker in FULL_ONLINE_MARKERS) else OnlineLevel.PARTIAL


def _parse(record: ProcedureRecord) -> _Content:
    content = _Content(record=record, content_hash=record.content_hash())
    if record.source != VersionSource.PORTAL:
        content.result_text = record.result_text
        return content
    channels = parse_channels(record.channels_text, record.steps)
    components = parse_components(record.components_text)
    legal = parse_legal_bases(record.legal_basis_text)
    result = parse_result(record.result_text)
    content.channels = channels.items
    content.components = [
        Component(
            position=position,
            code=c.code,
            name=c.name,
            group=c.group,
            form_name=c.form_name,
            count=c.count,
            copy_kind=c.copy_kind,
            quantity_text=c.quantity_text,
            required=c.required,
            channels=c.channels,
        )
        for position, c in enumerate(components.items, start=1)
    ]
    content.legal_bases = [
        LegalBasis(position=position, title=b.title, number=b.number, year=b.year, issuer_code=b.issuer_code)
        for position, b in enumerate(legal.items, start=1)
    ]
    content.result_text = result.text
    content.result_code = result.code
    content.problems = channels.problems + components.problems + legal.problems
    content.notes = channels.notes
    return content


@transaction.atomic
def procedures_import(
    *, records: Sequence[ProcedureRecord], progress: Progress | None = None, now: datetime | None = None
) -> ImportReport:
    """Write validated records (one per code) in one transaction; see the module docstring."""
    # Bulk writes send no signals: drop the processes' memo of catalog rows ourselves.
    reference_changed()
    now = now or timezone.now()
    report = ImportReport(records=len(records))
    fields = _ensure_fields({r.field_name for r in records if r.field_name})
    existing = {
        p.code: p
        for p in Procedure.objects.filter(code__in=[r.code for r in records]).select_related("current_version")
    }
    templates = {t.procedure_id: t for t in WorkflowTemplate.objects.filter(procedure__code__in=list(existing))}
    iterable: Iterable[ProcedureRecord] = progress(records, len(records)) if progress else records
    new_procedures: list[Procedure] = []
    changed: list[tuple[Procedure, _Content]] = []
    versions_to_close: list[int] = []
    for record in iterable:
        content = _parse(record)
        if record.source == VersionSource.PORTAL:
            _count_parse(report, content)
        procedure = existing.get(record.code)
        current = procedure.current_version if procedure is not None else None
        if procedure is None:
            procedure = Procedure(
                code=record.code,
                online_level=content.online_level(),
                boundary_free=bool(BOUNDARY_FREE_LEVELS.intersection(record.levels)),
            )
            new_procedures.append(procedure)
            report.created += 1
        elif current is not None and record.source == VersionSource.LIST and current.source == VersionSource.PORTAL:
            report.list_rows_kept_portal += 1
            continue
        elif current is not None and current.content_hash == content.content_hash:
            report.unchanged += 1
            continue
        else:
            report.new_versions += 1
            if current is not None:
                versions_to_close.append(current.pk)
        _set_listing_columns(procedure, content, fields)
        changed.append((procedure, content))

    Procedure.objects.bulk_create(new_procedures, batch_size=BATCH_SIZE)
    ProcedureVersion.objects.filter(pk__in=versions_to_close).update(effective_to=now)
    versions = [_version(procedure, content, fields, now) for procedure, content in changed]
    ProcedureVersion.objects.bulk_create(versions, batch_size=BATCH_SIZE)
    _write_children(changed, versions)
    # New procedures were inserted with their listing columns; only existing ones need an update.
    created = {id(p) for p in new_procedures}
    Procedure.objects.bulk_update(
        [procedure for procedure, _ in changed if id(procedure) not in created], LISTING_COLUMNS, batch_size=BATCH_SIZE
    )
    # One statement instead of a per-row CASE: the current version is the open one.
    open_version = ProcedureVersion.objects.filter(procedure=OuterRef("pk"), effective_to__isnull=True).values("pk")
    Procedure.objects.filter(pk__in=[procedure.pk for procedure, _ in changed]).update(
        current_version=Subquery(open_version[:1])
    )
    for (procedure, _), version in zip(changed, versions, strict=True):
        procedure.current_version = version
    _write_workflows(changed, templates)
    return report


def _count_parse(report: ImportReport, content: _Content) -> None:
    report.portal_records += 1
    code = content.record.code
    if content.time_limit() is not None:
        report.with_time += 1
        if not any("assumed" in note for note in content.notes):
            report.with_time_stated += 1
    if any(channel.fee_amount is not None for channel in content.channels):
        report.with_fee += 1
    if content.problems:
        report.problems[code] = content.problems
    if content.notes:
        report.notes[code] = content.notes


def _ensure_fields(names: set[str]) -> dict[str, Field]:
    fields = {f.name: f for f in Field.objects.filter(name__in=names)}
    missing = sorted(names - fields.keys())
    if missing:
        taken = set(
            Field.objects.filter(code__in=[slugify_vi(n)[:200] for n in missing]).values_list("code", flat=True)
        )
        created = [Field(name=name, code=unique_slug(name, taken, max_length=200)) for name in missing]
        Field.objects.bulk_create(created, batch_size=BATCH_SIZE)
        fields.update((f.name, f) for f in created)
    return fields


def _set_listing_columns(procedure: Procedure, content: _Content, fields: dict[str, Field]) -> None:
    record = content.record
    procedure.name = record.name
    procedure.levels = record.levels
    procedure.level = record.levels[0] if record.levels else ""
    procedure.levels_index = "".join(f"|{level}" for level in record.levels) + "|" if record.levels else ""
    procedure.field = fields.get(record.field_name)
    procedure.ministry_slug = record.ministry_slug or procedure.ministry_slug
    procedure.source_url = record.source_url or procedure.source_url
    limit = content.time_limit()
    if limit is None:
        procedure.processing_time_amount = None
        procedure.processing_time_unit = ""
        procedure.processing_time_text = ""
    else:
        procedure.processing_time_amount = limit.amount
        procedure.processing_time_unit = limit.unit
        procedure.processing_time_text = format_time_limit(limit)


def format_time_limit(limit: TimeLimit) -> str:
    amount: Decimal = limit.amount.normalize()
    return f"{amount:f} {TimeUnit(limit.unit).label}"


def _version(procedure: Procedure, content: _Content, fields: dict[str, Field], now: datetime) -> ProcedureVersion:
    record = content.record
    current = procedure.current_version
    return ProcedureVersion(
        procedure=procedure,
        number=current.number + 1 if current is not None else 1,
        effective_from=now,
        source=record.source,
        content_hash=content.content_hash,
        name=record.name,
        decision_number=record.decision_number,
        levels=record.levels,
        field=fields.get(record.field_name),
        procedure_type=record.procedure_type,
        subjects=record.subjects,
        issuing_body=record.issuing_body,
        competent_body=record.competent_body,
        implementing_body=record.implementing_body,
        delegated_body=record.delegated_body,
        cooperating_body=record.cooperating_body,
        filing_address=record.filing_address,
        steps=record.steps,
        channels_text=record.channels_text,
        components_text=record.components_text,
        legal_basis_text=record.legal_basis_text,
        conditions=record.conditions,
        result_text=content.result_text,
        result_code=content.result_code,
        related_procedures=record.related_procedures,
        parse_problems=content.problems,
    )


def _write_children(changed: list[tuple[Procedure, _Content]], versions: list[ProcedureVersion]) -> None:
    channels: list[ProcedureChannel] = []
    components: list[Component] = []
    legal_bases: list[LegalBasis] = []
    for (_, content), version in zip(changed, versions, strict=True):
        for position, c in enumerate(content.channels, start=1):
            channels.append(
                ProcedureChannel(
                    version=version,
                    position=position,
                    kind=c.kind,
                    time_amount=c.time_amount,
                    time_unit=c.time_unit,
                    time_text=c.time_text,
                    fee_amount=c.fee_amount,
                    fee_currency=c.fee_currency,
                    fee_text=c.fee_text,
                    description=c.description,
                )
            )
        for component in content.components:
            component.version = version
            components.append(component)
        for basis in content.legal_bases:
            basis.version = version
            legal_bases.append(basis)
    ProcedureChannel.objects.bulk_create(channels, batch_size=BATCH_SIZE)
    Component.objects.bulk_create(components, batch_size=BATCH_SIZE)
    LegalBasis.objects.bulk_create(legal_bases, batch_size=BATCH_SIZE)


def _write_workflows(changed: list[tuple[Procedure, _Content]], templates: dict[int, WorkflowTemplate]) -> None:
    """Default templates for new procedures and for default templates whose limit changed; an
    officer-edited template whose limit changed is flagged for review instead."""
    replace: list[int] = []
    review: list[int] = []
    new_templates: list[WorkflowTemplate] = []
    new_steps: list[WorkflowStep] = []
    for procedure, content in changed:
        limit = content.time_limit()
        existing = templates.get(procedure.pk)
        if existing is not None:
            if existing.limit_days == limit_in_working_days(limit):
                continue
            if not existing.is_default:
                review.append(existing.pk)
                continue
            replace.append(existing.pk)
        template, steps = build_default_workflow(procedure, limit, procedure.levels)
        new_templates.append(template)
        new_steps.extend(steps)
    WorkflowTemplate.objects.filter(pk__in=review).update(needs_review=True)
    WorkflowTemplate.objects.filter(pk__in=replace).delete()
    WorkflowTemplate.objects.bulk_create(new_templates, batch_size=BATCH_SIZE)
    WorkflowStep.objects.bulk_create(new_steps, batch_size=BATCH_SIZE)
