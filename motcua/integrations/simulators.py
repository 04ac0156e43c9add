"""The partner agencies' systems, simulated: one stdlib HTTP server hosting every partner under its path.

Realistic latency and switchable faults per partner (`Faults`): down (the connection is dropped), slow,
a share of 5xx before the message is applied, a share of replies lost after it is applied, malformed
replies, duplicate callbacks (payments, postal delivery notices). Each partner keeps the requests it saw per idempotency key and the
effects it applied (one per key: a repeated key gets the first reply back), so tests can assert that
nothing was applied twice. `motcua simulators` serves them; tests start them on loopback.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import threading
import time
import urllib.request
import uuid
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from motcua.integrations.adapters.national_portal import ALREADY_EXISTS
from motcua.integrations.adapters.postal import DELIVERED
from motcua.integrations.callbacks import SIGNATURE_HEADER, callback_signature

PARTNERS = ("dvcqg", "population", "residence", "tax", "bhxh", "land", "post", "payment", "sms")
_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi")
_GIVEN = ("Văn An", "Thị Bình", "Minh Châu", "Thị Dung", "Quốc Huy", "Thị Lan", "Đức Minh", "Thu Trang")


@dataclass
class Faults:
    down: bool = False
    latency_ms: tuple[int, int] = (5, 20)
    #: A share of requests answered 503 before anything is applied.
    error_rate: float = 0.0
    #: A share of requests applied, then answered 503 as if the reply was lost on the way back.
    lost_reply_rate: float = 0.0
    malformed: bool = False
    duplicate_callbacks: bool = False


@dataclass
class PartnerState:
    faults: Faults = field(default_factory=Faults)
    requests: int = 0
    #: Requests seen per idempotency key (retries included).
    seen: Counter[str] = field(default_factory=Counter)
    #: Effects applied per idempotency key: more than 1 would be a duplicate at the partner.
    applied: Counter[str] = field(default_factory=Counter)
    replies: dict[str, tuple[int, dict[str, Any]]] = field(default_factory=dict)


@dataclass
class Reply:
    status: int
    body: bytes
    drop: bool = False


class Simulators:
    """The state of every simulated partner; thread-safe."""

    def __init__(self, *, callback_secrets: Mapping[str, bytes], seed: int | None = None) -> None:
        self.partners = {name: PartnerState() for name in PARTNERS}
        #: Per calling partner (payment, post): the secret its callbacks are signed with.
        self.callback_secrets = dict(callback_secrets)
        self.random = random.Random(seed)  # noqa: S311 - fault injection, not security
        self.lock = threading.Lock()
        #: The national portal's copy: each dossier's TrangThaiHoSo in the order it received them.
        self.portal_states: dict[str, list[int]] = {}
        self.payments: dict[str, dict[str, Any]] = {}
        #: The post's bookings by tracking number.
        self.shipments: dict[str, dict[str, Any]] = {}
        self.sms_sent: list[dict[str, Any]] = []
        #: What the tax authority assesses for any dossier (0: no obligation).
        self.tax_amount = 0

    def set_faults(self, partner: str, **changes: Any) -> None:
        with self.lock:
            faults = self.partners[partner].faults
            for name, value in changes.items():
                if not hasattr(faults, name):
                    raise ValueError(f"no fault {name}")
                setattr(faults, name, tuple(value) if name == "latency_ms" else value)

    def stats(self, partner: str) -> dict[str, Any]:
        with self.lock:
            state = self.partners[partner]
            return {
                "requests": state.requests,
                "keys": len(state.applied),
                "duplicates": sorted(key for key, count in state.applied.items() if count > 1),
                "retried_keys": sum(1 for count in state.seen.values() if count > 1),
            }

    # The request path ------------------------------------------------------------------------------

    def handle(self, method: str, path: str, key: str, body: bytes) -> Reply:
        match = re.fullmatch(r"/([a-z]+)(/.*)?", path.split("?")[0])
        if match is None or match.group(1) not in self.partners:
            return _json(404, {"code": "not_found"})
        partner, rest = match.group(1), match.group(2) or "/"
        with self.lock:
            state = self.partners[partner]
            faults = Faults(**vars(state.faults))
            state.requests += 1
            if key:
                state.seen[key] += 1
            roll = self.random.random()
        low, high = faults.latency_ms
        time.sleep(self.random.uniform(low, high) / 1000)
        if faults.down:
            return Reply(0, b"", drop=True)
        if roll < faults.error_rate:
            return _json(503, {"code": "unavailable"})
        if faults.malformed:
            return Reply(200, b"<html><body>Gateway Timeout</body></html>")
        try:
            payload = json.loads(body) if body else {}
        except ValueError:
            return _json(400, {"code": "bad_json"})
        with self.lock:
            if key and key in state.replies and method != "GET":
                status, data = state.replies[key]
                return _json(status, data)
            status, data = self._apply(partner, method, rest, payload)
            if key and method != "GET" and status < 500 and status != 409:
                state.applied[key] += 1
                state.replies[key] = (status, data)
        if roll < faults.error_rate + faults.lost_reply_rate:
            return _json(503, {"code": "reply_lost"})
        return _json(status, data)

    def _apply(self, partner: str, method: str, path: str, payload: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """The partner's business logic (called under the lock)."""
        if partner == "dvcqg":
            code = str(payload.get("MaHoSo", ""))
            if method == "POST" and path == "/hoso":
                if code in self.portal_states:
                    return 409, {"code": ALREADY_EXISTS, "message": "Hồ sơ đã tồn tại"}
                self.portal_states[code] = [int(payload["TrangThaiHoSo"])]
            elif method == "PUT" and path == f"/hoso/{code}" and code in self.portal_states:
                self.portal_states[code].append(int(payload["TrangThaiHoSo"]))
            else:
                return 404, {"code": "not_found"}
            return 200, {"MaHoSo": code, "TrangThaiHoSo": payload["TrangThaiHoSo"]}
        if partner in {"population", "residence", "bhxh"} and method == "GET":
            return self._citizen(partner, path)
        if partner == "population" and path == "/verify":
            status, person = self._citizen(partner, f"/citizens/{payload.get('personal_id', '')}")
            match = status == 200 and (person["full_name"], person["birth_date"]) == (
                payload.get("full_name"),
                payload.get("birth_date"),
            )
            return 200, {"match": match}
        if partner == "land" and method == "GET":
            digest = hashlib.sha256(path.encode()).digest()
            return 200, {"area_m2": 50 + digest[0] * 3, "land_use": "ONT", "holder": _name(digest)}
        if partner == "tax" and path == "/assessments":
            reference = f"TAX-{uuid.uuid4().hex[:12].upper()}"
            return 200, {"reference": reference, "amount": self.tax_amount, "description": "Lệ phí trước bạ"}
        if partner == "payment" and path == "/links":
            reference = str(payload["reference"])
            self.payments[reference] = payload
            return 200, {"url": f"https://pay.example.invalid/{reference}"}
        if partner == "post" and path == "/shipments":
            number = f"EE{self.random.randrange(10**8):08d}VN"
            self.shipments[number] = payload
            return 200, {"tracking_number": number}
        if partner == "sms" and path == "/messages":
            self.sms_sent.append(payload)
            return 200, {"message_id": uuid.uuid4().hex}
        return 404, {"code": "not_found"}

    def _citizen(self, partner: str, path: str) -> tuple[int, dict[str, Any]]:
        personal_id = path.rsplit("/", 1)[-1]
        if not re.fullmatch(r"\d{12}", personal_id) or personal_id.endswith("0000"):
            return 404, {"code": "not_found"}
        digest = hashlib.sha256(personal_id.encode()).digest()
        century = {"0": 1900, "1": 1900, "2": 2000, "3": 2000}.get(personal_id[3], 1900)
        born = date(century + int(personal_id[4:6]), 1 + digest[1] % 12, 1 + digest[2] % 28)
        person = {
            "personal_id": personal_id,
            "full_name": _name(digest),
            "birth_date": born.isoformat(),
            "sex": "F" if int(personal_id[3]) % 2 else "M",
            "address": f"Tổ {1 + digest[3] % 20}, phường Cốc Lếu, tỉnh Lào Cai",
            "address_unit": "",
        }
        if partner == "residence":
            return 200, {"personal_id": personal_id, "permanent_address": person["address"], "unit_code": ""}
        if partner == "bhxh":
            return 200, {"insurance_number": f"LC{personal_id[-10:]}", "health_card_valid_to": "2026-12-31"}
        return 200, person

    def payment_callbacks(self, reference: str) -> list[tuple[bytes, str]]:
        """The signed callback(s) the gateway sends once the applicant has paid (twice with the fault)."""
        with self.lock:
            link = self.payments[reference]
            twice = self.partners["payment"].faults.duplicate_callbacks
        body = json.dumps(
            {"reference": reference, "amount": link["amount"], "transaction_id": f"GD{uuid.uuid4().hex[:10]}"}
        ).encode()
        signed = (body, callback_signature(body, self.callback_secrets["payment"]))
        return [signed, signed] if twice else [signed]

    def pay(self, reference: str) -> list[int]:
        """The applicant pays: POST the callback(s) to the URL given with the link; their HTTP statuses."""
        return _send(str(self.payments[reference]["callback_url"]), self.payment_callbacks(reference))

    def delivery_callbacks(self, tracking_number: str, *, at: datetime | None = None) -> list[tuple[bytes, str]]:
        """The signed notice(s) the post sends once the shipment is delivered, `at` or now (twice with the
        fault)."""
        with self.lock:
            twice = self.partners["post"].faults.duplicate_callbacks
        delivered_at = at or datetime.now().astimezone()
        body = json.dumps(
            {"tracking_number": tracking_number, "event": DELIVERED, "at": delivered_at.isoformat()}
        ).encode()
        signed = (body, callback_signature(body, self.callback_secrets["post"]))
        return [signed, signed] if twice else [signed]

    def deliver(self, tracking_number: str) -> list[int]:
        """The postman delivers: POST the notice(s) to the URL given with the booking; their HTTP statuses."""
        url = str(self.shipments[tracking_number]["callback_url"])
        return _send(url, self.delivery_callbacks(tracking_number))


def _send(url: str, callbacks: list[tuple[bytes, str]]) -> list[int]:
    statuses = []
    for body, signature in callbacks:
        request = urllib.request.Request(  # noqa: S310 - the URL is ours, given with the request
            url, data=body, method="POST", headers={"Content-Type": "application/json", SIGNATURE_HEADER: signature}
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                statuses.append(response.status)
        except urllib.error.HTTPError as exc:
            statuses.append(exc.code)
            exc.close()
    return statuses


def _name(digest: bytes) -> str:
    return f"{_FAMILY[digest[4] % len(_FAMILY)]} {_GIVEN[digest[5] % len(_GIVEN)]}"


def _json(status: int, data: dict[str, Any]) -> Reply:
    return Reply(status, json.dumps(data, ensure_ascii=False).encode())


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: SimulatorServer

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        sims = self.server.sims
        if self.path.startswith("/_control/"):
            reply = self._control(sims, self.path.removeprefix("/_control/"), body)
        elif self.path.startswith("/_pay/"):
            reply = _json(200, {"callbacks": sims.pay(self.path.removeprefix("/_pay/"))})
        elif self.path.startswith("/_deliver/"):
            reply = _json(200, {"callbacks": sims.deliver(self.path.removeprefix("/_deliver/"))})
        else:
            reply = sims.handle(self.command, self.path, self.headers.get("Idempotency-Key", ""), body)
        if reply.drop:
            self.close_connection = True
            return
        self.send_response(reply.status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)

    @staticmethod
    def _control(sims: Simulators, partner: str, body: bytes) -> Reply:
        """POST /_control/{partner} with fault settings as JSON; GET for the partner's counters."""
        if partner not in sims.partners:
            return _json(404, {"code": "not_found"})
        if body:
            sims.set_faults(partner, **json.loads(body))
        return _json(200, sims.stats(partner))

    do_GET = do_POST = do_PUT = _serve  # noqa: N815 - BaseHTTPRequestHandler's naming

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the exchange log on our side records every message."""


class SimulatorServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], sims: Simulators) -> None:
        super().__init__(address, _Handler)
        self.sims = sims

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


@contextmanager
def running_simulators(sims: Simulators, *, host: str = "127.0.0.1", port: int = 0) -> Iterator[SimulatorServer]:
    """Serve `sims` in a background thread for the duration of the block, then close cleanly."""
    server = SimulatorServer((host, port), sims)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
