"""HTTP to the partners: timeouts, the idempotency key and correlation id headers, error classes, and
every request and response captured for the exchange log."""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import requests
from django.utils import timezone

from motcua.config import env
from motcua.integrations.exchange_log import Exchange


class PartnerError(Exception):
    """The partner refused the message for good (a 4xx): retrying would not help."""


class TransientError(Exception):
    """The partner is down, slow or failing (connection error, timeout, 5xx, 429): retry later."""


class MalformedReply(PartnerError):
    """The partner answered 2xx with something that is not the agreed JSON."""


def partner_url(partner: str) -> str:
    return f"{env('MOTCUA_PARTNER_BASE_URL').rstrip('/')}/{partner}"


class Sessions:
    """One `requests.Session` per thread (keep-alive to the partner), all closed on exit."""

    def __init__(self) -> None:
        self._local = threading.local()
        self._all: list[requests.Session] = []
        self._lock = threading.Lock()

    def get(self) -> requests.Session:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            self._local.session = session
            with self._lock:
                self._all.append(session)
        return session

    def __enter__(self) -> Sessions:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        for session in self._all:
            session.close()


@dataclass
class PartnerClient:
    """Calls one partner. `log` collects the exchanges; the caller writes them to the exchange log."""

    partner: str
    sessions: Sessions
    log: list[Exchange] = field(default_factory=list)
    actor: str = ""
    purpose: str = ""
    personal_data: bool = False

    def call(
        self, method: str, path: str, *, body: dict[str, Any] | None = None, idempotency_key: str | None = None
    ) -> tuple[int, Any]:
        """Send one request; `(status, decoded JSON)` for a 2xx or 4xx reply. Raises `TransientError` for
        what a retry may cure, `MalformedReply` for a 2xx that is not JSON."""
        url = f"{partner_url(self.partner)}{path}"
        correlation_id = uuid.uuid4().hex
        headers = {"X-Correlation-Id": correlation_id, "Accept": "application/json"}
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
        if data is not None:
            headers["Content-Type"] = "application/json; charset=utf-8"
        self._record(correlation_id, "request", method, url, None, data.decode() if data else "")
        try:
            response = self.sessions.get().request(
                method, url, data=data, headers=headers, timeout=float(env("MOTCUA_PARTNER_TIMEOUT_S"))
            )
        except requests.RequestException as exc:
            self._record(correlation_id, "response", method, url, None, f"{type(exc).__name__}: {exc}")
            raise TransientError(f"{self.partner}: {type(exc).__name__}") from exc
        text = response.text
        self._record(correlation_id, "response", method, url, response.status_code, text)
        if response.status_code >= 500 or response.status_code == 429:
            raise TransientError(f"{self.partner}: HTTP {response.status_code}")
        try:
            decoded = json.loads(text) if text else None
        except ValueError:
            raise MalformedReply(
                f"{self.partner}: malformed reply (HTTP {response.status_code}): {text[:200]!r}"
            ) from None
        return response.status_code, decoded

    def _record(
        self, correlation_id: str, direction: str, method: str, url: str, status: int | None, body: str
    ) -> None:
        self.log.append(
            Exchange(
                partner=self.partner,
                correlation_id=correlation_id,
                direction=direction,
                at=timezone.now(),
                method=method,
                url=url,
                status=status,
                body=body,
                personal_data=self.personal_data,
                actor=self.actor,
                purpose=self.purpose,
            )
        )


def expect_fields(partner: str, reply: Any, *names: str) -> dict[str, Any]:
    """The reply as a dict holding `names`, else `MalformedReply` naming what is missing."""
    if not isinstance(reply, dict):
        raise MalformedReply(f"{partner}: malformed reply: expected an object, got {type(reply).__name__}")
    missing = [name for name in names if name not in reply]
    if missing:
        raise MalformedReply(f"{partner}: malformed reply: missing {', '.join(missing)}")
    return reply
