"""Inserting model rows on hot paths without building a query each time.

`Model.save()` and `bulk_create` build and compile an insert query on every call; on reception (seven
inserts a dossier) that was a third of the request's CPU. `rows_insert` writes the same rows with a
statement text made once per (model, row count, conflict handling) and kept for the process, each value
prepared by its field exactly as the ORM prepares it (`pre_save`, then `get_db_prep_save`). Like
`bulk_create`, it sends no model signals. `row_build` makes the instances to insert without
`Model.__init__`'s per-field work (a tenth of a reception's processor time).

Inside `rows_insert_batch()` the inserts wait for the end of the block and are then written together: on
PostgreSQL in one statement whatever their number (the new rows' keys drawn from the tables' sequences by
the same statement), instead of one round trip each: each statement sent cost 0.1–0.2 ms of the
application's CPU here, plus the database's parsing, planning and network work.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any, TypeVar

import orjson
from django.db import connection
from django.db.models import DateField, DateTimeField, Field, Model, TimeField
from django.db.models.base import ModelState
from django.db.models.constants import OnConflict
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init

from motcua.core.prepared import prepared_cursor

#: The calls held by the thread's current `rows_insert_batch` (None outside one).
_local = threading.local()

M = TypeVar("M", bound=Model)


def row_build(model: type[M], /, **values: Any) -> M:
    """A new instance of `model`, as `model(**values)` makes it: a foreign key given by instance or by
    its column's attribute (`dossier=` or `dossier_id=`), every other field its default.

    `Model.__init__` walks the fields with checks a new row to insert does not need (a database router
    asked for each related instance, each value through its descriptor): 32 µs for a dossier, 7 here.
    Models with init signals or fields with their own descriptors (files) are left to `Model.__init__`.
    """
    plan = _build_plan(model)
    if plan is None or pre_init.has_listeners(model) or post_init.has_listeners(model):
        return model(**values)
    obj = model.__new__(model)
    obj._state = state = ModelState()
    attributes = obj.__dict__
    cache = state.fields_cache
    given = 0
    for name, attname, target, field in plan:
        if target is not None and name in values:
            related = values[name]
            cache[name] = related
            attributes[attname] = None if related is None else getattr(related, target)
            given += 1
        elif attname in values:
            attributes[attname] = values[attname]
            given += 1
        else:
            attributes[attname] = field.get_default()
    if given != len(values):
        known = {name for name, _, target, _ in plan if target is not None} | {entry[1] for entry in plan}
        twice = [name for name, attname, target, _ in plan if target is not None and {name, attname} <= set(values)]
        raise TypeError(f"{model.__name__}: unexpected fields {sorted(set(values) - known)}, given twice {twice}")
    return obj


#: Descriptors whose setting is storing the value in the instance's `__dict__` (a new instance has no
#: related instance cached for a foreign key's to drop).
_PLAIN_ATTRIBUTES = (DeferredAttribute, ForeignKeyDeferredAttribute)


@functools.cache
def _build_plan(model: type[Model]) -> tuple[tuple[str, str, str | None, Field[Any, Any]], ...] | None:
    """Each concrete field of `model`: its name, its column's attribute, the related model's attribute it
    refers to (foreign keys), the field; None when a field's attribute has its own descriptor."""
    fields = model._meta.concrete_fields
    if any(type(getattr(model, f.attname, None)) not in _PLAIN_ATTRIBUTES for f in fields):
        return None
    return tuple(
        (f.name, f.attname, f.target_field.attname if f.is_relation else None, f)  # type: ignore[attr-defined] # ForeignKey's
        for f in fields
    )


@dataclass(frozen=True)
class _Rows:
    objs: Sequence[Model]
    ignore_conflicts: bool


def rows_insert(objs: Sequence[Model], *, ignore_conflicts: bool = False) -> None:
    """INSERT `objs` (new instances of one model) in one statement.

    Without `ignore_conflicts` each instance gets its primary key, as after `save()`. With it, a row that
    would break a unique constraint is skipped (`ON CONFLICT DO NOTHING`) and primary keys are not set.
    Inside `rows_insert_batch()`, the rows are written at the end of the block (keys set then).
    """
    if not objs:
        return
    pending: list[_Rows] | None = getattr(_local, "pending", None)
    if pending is not None:
        pending.append(_Rows(objs, ignore_conflicts))
        return
    _insert_now(_Rows(objs, ignore_conflicts))


@contextmanager
def rows_insert_batch() -> Iterator[None]:
    """Hold the block's `rows_insert` calls and write them, in order, when it ends without an error.

    Inside the block the new rows have no primary key yet: link them to each other by instance (a foreign
    key set to an instance of an earlier call takes its key at the write, as `save()` resolves it), and
    read none of them back before the block ends.
    """
    if getattr(_local, "pending", None) is not None:
        yield  # an enclosing batch writes them
        return
    pending: list[_Rows] = []
    _local.pending = pending
    try:
        yield
    finally:
        _local.pending = None
    if connection.vendor == "postgresql":
        _insert_together(pending)
    else:
        for rows in pending:
            _insert_now(rows)


def _insert_now(rows: _Rows) -> None:
    model = type(rows.objs[0])
    fields = _insert_fields(model)
    batch = max(connection.ops.bulk_batch_size(fields, rows.objs), 1)
    for start in range(0, len(rows.objs), batch):
        objs = rows.objs[start : start + batch]
        sql, returning = _statement(connection.vendor, model, len(objs), rows.ignore_conflicts)
        with connection.cursor() as cursor:
            cursor.execute(sql, _values(objs, fields))
            if returning:
                for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
                    obj.pk = pk
        _mark_saved(objs)


def _insert_together(pending: list[_Rows]) -> None:
    """PostgreSQL: every INSERT of the batch in one statement, the new keys drawn by the same statement.

    A first query (`keys`) draws the keys of every row that needs one from its table's sequence, in the
    batch's order; the INSERTs follow as data-modifying WITH queries (each runs once whether or not the
    main query reads it; foreign keys are checked at commit), each row taking its key by position, and the
    main query returns the keys. A foreign key to a row of the batch is written as that row's position,
    negated, and read from `keys`. Each table's rows go as one JSON parameter that
    `json_populate_recordset` turns into rows of the table's own column types: the statement's text depends
    only on the tables, so it is prepared once, and no value is quoted one by one.
    """
    positions: dict[int, int] = {}  # id(instance) -> its key's 1-based position in `keys`
    params: list[Any] = []
    offsets: dict[int, int] = {}  # id(rows) -> where their keys start in `keys`
    for rows in pending:
        if _keys_wanted(type(rows.objs[0]), rows.ignore_conflicts):
            offsets[id(rows)] = offset = len(positions)
            positions.update((id(obj), offset + n) for n, obj in enumerate(rows.objs, start=1))
            params += [_key_sequence(type(rows.objs[0])), len(rows.objs)]
    shapes: list[tuple[type[Model], bool, bool, frozenset[str]]] = []
    for rows in pending:
        model = type(rows.objs[0])
        records, linked = _records(rows.objs, positions)
        with_key = id(rows) in offsets
        shapes.append((model, with_key, rows.ignore_conflicts, linked))
        if with_key:
            params.append(offsets[id(rows)])
        # orjson: the standard library's encoder took a twentieth of a reception's CPU here.
        params.append(orjson.dumps(records, default=_json_value, option=_JSON_OPTIONS).decode())
    with prepared_cursor() as cursor:
        cursor.execute(_together_statement(len(offsets), tuple(shapes)), params)
        (keys,) = cursor.fetchone()
    for rows in pending:
        if (start := offsets.get(id(rows))) is not None:
            for obj, pk in zip(rows.objs, keys[start : start + len(rows.objs)], strict=True):
                obj.pk = pk
    for rows in pending:
        for obj in rows.objs:
            _resolve_related(obj)  # the links to rows of the batch, now that they have keys
        _mark_saved(rows.objs)


@functools.cache
def _together_statement(draws: int, shapes: tuple[tuple[type[Model], bool, bool, frozenset[str]], ...]) -> str:
    """The statement of `_insert_together` for `draws` tables whose keys are drawn and one INSERT per
    (model, key drawn, conflicts ignored, columns linking to rows of the batch)."""
    arrays = " || ".join(["ARRAY(SELECT nextval(%s::regclass) FROM generate_series(1, %s))"] * draws)
    queries = [f"keys AS (SELECT {arrays or 'ARRAY[]::bigint[]'} AS ids)"]
    queries += [f"i{n} AS ({_json_statement(*shape)})" for n, shape in enumerate(shapes)]
    return f"WITH {', '.join(queries)} SELECT ids FROM keys"  # noqa: S608 - names from the models


@functools.cache
def _key_sequence(model: type[Model]) -> str:
    """The sequence numbering `model`'s key (looked up once: the lookup reads the catalog)."""
    opts = model._meta
    assert opts.pk is not None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_serial_sequence(%s, %s)", [connection.ops.quote_name(opts.db_table), opts.pk.column]
        )
        (name,) = cursor.fetchone()
    return str(name)


def _records(objs: Sequence[Model], positions: dict[int, int]) -> tuple[list[dict[str, Any]], frozenset[str]]:
    """The rows as JSON records, and the columns where a row links to a row of the batch."""
    plain, computed = _record_columns(type(objs[0]))
    records = []
    linked: set[str] = set()
    for obj in objs:
        links = _resolve_related(obj, positions)
        record = {column: getattr(obj, attname) for column, attname in plain}
        for column, field in computed:
            record[column] = field.pre_save(obj, True)
        record.update(links)
        linked.update(links)
        records.append(record)
    return records, frozenset(linked)


@functools.cache
def _record_columns(
    model: type[Model],
) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, Field[Any, Any]], ...]]:
    """The insert's columns whose value is the instance's attribute, with it, and those whose field
    computes the value at saving (`pre_save`: dates `auto_now`, files), with the field. Reading the first
    kind directly spares a method call per value (a twentieth of a reception's batch)."""
    plain: list[tuple[str, str]] = []
    computed: list[tuple[str, Field[Any, Any]]] = []
    for f in _insert_fields(model):
        pre_save = type(f).pre_save
        attribute = pre_save is Field.pre_save or (
            pre_save in _DATE_PRE_SAVES and not (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False))
        )
        if attribute:
            plain.append((f.column, f.attname))
        else:
            computed.append((f.column, f))
    return tuple(plain), tuple(computed)


#: `pre_save` of the date fields: the attribute, unless `auto_now` or `auto_now_add` sets it.
_DATE_PRE_SAVES = (DateField.pre_save, DateTimeField.pre_save, TimeField.pre_save)

_JSON_OPTIONS = orjson.OPT_NON_STR_KEYS  # a JSON field's keys as the standard library writes them


def _json_value(value: object) -> object:
    """Values orjson has no form for, in the text PostgreSQL reads for the column (full precision); it
    writes datetimes, dates and UUIDs as ISO 8601 and canonical text itself."""
    if isinstance(value, timedelta):
        return f"{value // timedelta(microseconds=1)} microseconds"
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"rows_insert: no JSON form for {type(value).__name__}")


def _json_statement(model: type[Model], with_key: bool, ignore: bool, linked: frozenset[str]) -> str:
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    fields = _insert_fields(model)
    columns = [ops.quote_name(f.column) for f in fields]
    values = [
        f"CASE WHEN r.{c} < 0 THEN keys.ids[(-r.{c})::int] ELSE r.{c} END" if f.column in linked else f"r.{c}"
        for f, c in zip(fields, columns, strict=True)
    ]
    if with_key:
        assert model._meta.pk is not None
        columns.insert(0, ops.quote_name(model._meta.pk.column))
        values.insert(0, "keys.ids[%s::int + r.ordinality::int]")
    conflict = " ON CONFLICT DO NOTHING" if ignore else ""
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)} "  # noqa: S608 - names from the model
        f"FROM keys, json_populate_recordset(NULL::{table}, %s) WITH ORDINALITY AS r{conflict}"
    )


def _keys_wanted(model: type[Model], ignore: bool) -> bool:
    """Whether an insert gives the new rows their keys (returned, or drawn by the batch): those the database
    numbers, unless conflicts are skipped (a skipped row has none)."""
    return not ignore and bool(getattr(model._meta.pk, "db_returning", False))


def _values(objs: Sequence[Model], fields: list[Field[Any, Any]]) -> list[Any]:
    values: list[Any] = []
    for obj in objs:
        _resolve_related(obj)
        values.extend(field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields)
    return values


def _resolve_related(obj: Model, positions: dict[int, int] | None = None) -> dict[str, int]:
    """A foreign key set to an instance saved after the assignment (the first event is built before its
    dossier is inserted) takes the instance's key now, and one set to an unsaved instance is refused, as
    `save()` does (Django's own check walks every field of the model: a tenth of a reception's inserts).
    An instance whose key the batch draws (`positions`) is not refused: the columns linking to one are
    returned, each with the instance's position in the batch's keys, negated."""
    cache = obj._state.fields_cache
    values = obj.__dict__
    links: dict[str, int] = {}
    for name, attname, target, column in _foreign_keys(type(obj)):
        related = cache.get(name)
        if related is not None and values.get(attname) is None:
            key = getattr(related, target)
            if key is not None:
                values[attname] = key
            elif positions is not None and id(related) in positions:
                links[column] = -positions[id(related)]
            else:
                raise ValueError(
                    f"rows_insert() prohibited to prevent data loss due to unsaved related object '{name}'."
                )
    return links


@functools.cache
def _foreign_keys(model: type[Model]) -> tuple[tuple[str, str, str, str], ...]:
    """Each foreign key of `model`: the name its instance is cached under, its column's attribute, the
    attribute of the related model it refers to, and its column."""
    return tuple(
        (f.cache_name, f.attname, f.target_field.attname, f.column)  # type: ignore[attr-defined] # ForeignKey's
        for f in model._meta.concrete_fields
        if f.is_relation
    )


def _mark_saved(objs: Sequence[Model]) -> None:
    alias = connection.alias
    for obj in objs:
        obj._state.adding = False
        obj._state.db = alias


@functools.cache
def _insert_fields(model: type[Model]) -> list[Field[Any, Any]]:
    """The columns an insert writes: all but generated ones and an auto key (numbered by the database, or
    drawn by the batch's statement)."""
    pk = model._meta.pk
    return [
        f
        for f in model._meta.concrete_fields
        if f.generated is False and not (f is pk and getattr(f, "db_returning", False))
    ]


@functools.cache
def _statement(vendor: str, model: type[Model], rows: int, ignore: bool) -> tuple[str, bool]:
    """`INSERT … VALUES` of `rows` rows on `vendor`, and whether it returns the new keys."""
    ops = connection.ops
    fields = _insert_fields(model)
    on_conflict = OnConflict.IGNORE if ignore else None
    pk = model._meta.pk
    assert pk is not None
    returning = _keys_wanted(model, ignore)
    one_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    parts = [
        ops.insert_statement(on_conflict=on_conflict),
        ops.quote_name(model._meta.db_table),
        "(" + ", ".join(ops.quote_name(f.column) for f in fields) + ")",
        "VALUES",
        ", ".join([one_row] * rows),
        ops.on_conflict_suffix_sql(fields, on_conflict, None, None),
        f"RETURNING {ops.quote_name(pk.column)}" if returning else "",
    ]
    return " ".join(part for part in parts if part), returning
