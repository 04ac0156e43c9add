"""Hostile input: schemathesis generates requests from the whole OpenAPI document (issue #10).

Every operation of `/api/v1/openapi.json` gets requests that fit the document (positive) and requests
that break it (negative), with a supervisor's token (the role that reaches the most endpoints), and a few
without a valid token. They run in-process against the Django WSGI app, inside the test's transaction.
Each answer must be no 5xx and must match the document: a declared status code, the declared content
type and body schema (errors: `ErrorOut` with a stable snake_case code), and a refused write leaves the
dossiers, events, outbox, documents, paper transfers and tickets as they were. Negative requests must be
refused with a 4xx; requests to staff endpoints without a valid token must get 401 (or 429 once the
address has sent too many wrong tokens). The seed is fixed (`derandomize`), so CI sees the same requests
on every run.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from conftest import ReliabilityFigure
from motcua.core.models_outbox import OutboxMessage
from motcua.dossiers.models import Document, Dossier, DossierEvent, PaperTransfer
from motcua.dossiers.tests.factories import DossierFactory, build_world
from motcua.org.services import api_token_create
from motcua.queueing.models import Ticket
from motcua.wsgi import application

#: Examples per operation and run; with 39 operations (a few with no input give one example each) this
#: makes a little over 5,000 requests, about two minutes on a loaded 2-core machine.
BUDGET = {
    ("supervisor", GenerationMode.POSITIVE): 72,
    ("supervisor", GenerationMode.NEGATIVE): 72,
    ("anonymous", GenerationMode.POSITIVE): 12,
}
MIN_REQUESTS = 5_000
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
ERROR_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
#: Answers to a staff endpoint without a valid token. Schemathesis makes up bearer tokens from the security
#: scheme; past the per-address limit of wrong tokens the API stops checking them (429); a NUL character
#: is refused before authentication (core.middleware).
REFUSED_CREDENTIALS = {(401, "not_authenticated"), (429, "rate_limited"), (422, "invalid_characters")}
#: What a refused write must leave as it was (logs of refused tokens and rate-limit counters may grow).
WRITTEN = (Dossier, DossierEvent, OutboxMessage, Document, PaperTransfer, Ticket)


def _rows() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in WRITTEN)


@pytest.fixture
def in_test_transaction() -> Iterator[None]:
    """As Django's test client does: the WSGI handler must not close the test's connection per request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _error_code(response: Any) -> str | None:
    try:
        body = response.json()
    except ValueError:
        return None
    error = body.get("error") if isinstance(body, dict) else None
    return error.get("code") if isinstance(error, dict) else None


def _runner(strategy: Any, examples: int, headers: dict[str, str], role: str, mode: GenerationMode, verify: Any) -> Any:
    @given(case=strategy)
    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Case[Any]) -> None:
        before = _rows() if case.method != "GET" else ()
        response = case.call(headers=headers)
        verify(case, response, role, mode, before)

    return run


def test_generated_requests(db: None, in_test_transaction: None, reliability_figure: ReliabilityFigure) -> None:
    world = build_world()
    DossierFactory.create(world=world, handling=True)
    tokens = {"supervisor": api_token_create(username=world.staff["supervisor"].username), "anonymous": ""}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

    requests: Counter[str] = Counter()

    @schema.hook
    def after_call(context: Any, case: Case[Any], response: Any) -> None:
        requests[case.operation.label] += 1

    statuses: Counter[int] = Counter()
    violations: list[str] = []

    def verify(case: Case[Any], response: Any, role: str, mode: GenerationMode, before: tuple[int, ...]) -> None:
        statuses[response.status_code] += 1
        label = f"{case.operation.label} ({role}, {mode.value})"
        checks = [*CHECKS, negative_data_rejection] if mode is GenerationMode.NEGATIVE else CHECKS
        declared = {p["name"] for p in case.operation.definition.raw.get("parameters", []) if p["in"] == "query"}
        if set(case.query or {}) - declared:
            # Unknown query parameters are ignored by design, as unknown body fields are (api-contract.md):
            # such a request gets every other check, not the one that expects a refusal.
            checks = CHECKS
        try:
            case.validate_response(response, checks=checks)
        except (AssertionError, BaseExceptionGroup) as failure:  # a Failure, or FailureGroup of several
            violations.append(f"{label}: {failure}")
            return
        if response.status_code >= 400 and not ERROR_CODE.match(_error_code(response) or ""):
            violations.append(f"{label}: {response.status_code} without a stable error code: {response.text[:200]}")
        if response.status_code >= 400 and before and _rows() != before:
            violations.append(f"{label}: {response.status_code} but rows were written: {before} -> {_rows()}")
        refused = (response.status_code, _error_code(response)) in REFUSED_CREDENTIALS
        if role == "anonymous" and case.operation.definition.raw.get("security") and not refused:
            violations.append(f"{label}: {response.status_code} to a request without valid credentials")

    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    for operation in operations:
        takes_input = bool(operation.definition.raw.get("parameters") or operation.definition.raw.get("requestBody"))
        for (role, mode), examples in BUDGET.items():
            if mode is GenerationMode.NEGATIVE and not takes_input:
                continue  # nothing to break
            headers = {"Authorization": f"Bearer {tokens[role]}"} if tokens[role] else {}

            try:
                _runner(operation.as_strategy(generation_mode=mode), examples, headers, role, mode, verify)()
            except Unsatisfiable:
                # Only where every value the parameters can take fits the document (free-text path parts).
                assert mode is GenerationMode.NEGATIVE, operation.label

    total = sum(requests.values())
    server_errors = sum(count for status, count in statuses.items() if status >= 500)
    reliability_figure("Generated requests", "operations covered", len(requests), f"{len(operations)} (all)")
    reliability_figure("Generated requests", "requests generated", total, f">= {MIN_REQUESTS}")
    reliability_figure("Generated requests", "5xx answers", server_errors, "0")
    reliability_figure("Generated requests", "schema violations", len(violations), "0")
    kinds = Counter(violation.split(": ", 1)[0] for violation in violations)
    assert not violations, f"{len(violations)} violations, by operation: {kinds}; first ones:\n" + "\n\n".join(
        violations[:5]
    )
    assert total >= MIN_REQUESTS, f"only {total} requests: {requests}"
    assert len(requests) == len(operations)
