"""Outbound messages of a dossier event: the national portal (DVCQG) sync and the applicant's SMS notice.

Called by `events.event_append` for every event, inside the event's transaction, so a message exists if
and only if the event does (the outbox, `core.outbox`). The payload follows domain.md §1.3; the
integrations app delivers it (create, then update on "already exists").
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from motcua.catalog.models import ChannelKind
from motcua.core.outbox import outbox_enqueue
from motcua.dossiers.lookup_reference import POPULATION_DB
from motcua.dossiers.models import Dossier, DossierComponent, DossierEvent, ReturnPlace
from motcua.dossiers.states import Status

NATIONAL_PORTAL, SMS = "dvcqg", "sms"
DOSSIER_SYNC, STATUS_NOTICE = "dossier.sync", "status.notice"

#: KenhThucHien: 1 trực tiếp, 2 trực tuyến, 3 bưu chính công ích.
_CHANNEL_CODE = {ChannelKind.DIRECT: 1, ChannelKind.ONLINE: 2, ChannelKind.POST: 3}


def dossier_event_sync(
    *, dossier: Dossier, event: DossierEvent, components: list[DossierComponent] | None = None
) -> None:
    """Enqueue the DVCQG update for `event` and, when the status changed, the SMS notice. `components`:
    the dossier's components in id order, when the caller has them; the first event is the whole trail."""
    outbox_enqueue(
        partner=NATIONAL_PORTAL,
        kind=DOSSIER_SYNC,
        payload=national_portal_payload(dossier, components=components, events=[event] if event.seq == 1 else None),
        dossier_code=dossier.code,
        idempotency_key=f"{NATIONAL_PORTAL}:{dossier.code}:{event.seq}",
        now=event.at,
    )
    if event.from_status != event.to_status and dossier.applicant_phone:
        outbox_enqueue(
            partner=SMS,
            kind=STATUS_NOTICE,
            payload={
                "to": dossier.applicant_phone,
                "text": f"Hồ sơ {dossier.code}: {Status(dossier.status).label}.",
            },
            dossier_code=dossier.code,
            idempotency_key=f"{SMS}:{dossier.code}:{event.seq}",
            now=event.at,
        )


def national_portal_payload(
    dossier: Dossier,
    *,
    components: list[DossierComponent] | None = None,
    events: list[DossierEvent] | None = None,
) -> dict[str, Any]:
    """The DVCQG dossier record (domain.md §1.3) as it stands now, with the whole QuaTrinhXuLy;
    `components` (by id) and `events` (by seq), when given, are the dossier's rows as stored."""
    procedure = dossier.procedure
    field = procedure.field
    if components is None:
        components = list(dossier.components.order_by("id"))
    if events is None:
        events = list(DossierEvent.objects.filter(dossier=dossier).order_by("seq"))
    return {
        "MaHoSo": dossier.code,
        "MaTTHC": procedure.code,
        "TenTTHC": procedure.name,
        "MaLinhVuc": field.code if field else "",
        "TenLinhVuc": field.name if field else "",
        "KenhThucHien": _CHANNEL_CODE[ChannelKind(dossier.channel)],
        "ChuHoSo": dossier.applicant_name,
        "LoaiDoiTuong": 1,
        "DinhDanhCHS": [{"LoaiDinhDanh": 1, "SoDinhDanh": dossier.applicant_personal_id}],
        "SoDienThoaiChuHoSo": dossier.applicant_phone,
        "NgayNopHoSo": _dvcqg_time(dossier.received_at),
        "NgayTiepNhan": _dvcqg_time(dossier.clock_started_at),
        "NgayHenTra": _dvcqg_time(dossier.due_at),
        "NgayKetThucXuLy": _dvcqg_time(dossier.finished_at),
        "NgayTra": _dvcqg_time(dossier.returned_at),
        "TrangThaiHoSo": dossier.status,
        "HinhThuc": 1 if dossier.return_place == ReturnPlace.POST else 0,
        "DonViXuLy": dossier.handling_agency.code,
        "DonViTiepNhan": dossier.receiving_center.code,
        "TaiKhoanDuocXacThucVoiVNeID": int(dossier.vneid_verified),
        "HoSoCoThanhPhanSoHoa": int(any(c.digitized for c in components)),
        "TaiLieuNop": [
            {
                "TenTepDinhKem": c.name,
                "MaThanhPhanHoSo": c.code,
                "DuocSoHoa": int(c.digitized),
                "DuocTaiSuDung": int(c.reused),
                "DuocLayTuKhoDMQG": int(c.from_national_db),
            }
            for c in components
        ],
        # Index 4.5: data taken from the population database at reception (a verified lookup).
        "DSKetNoiCSDL": [{"MaCSDL": POPULATION_DB}] if dossier.population_db_linked else [],
        "QuaTrinhXuLy": [
            {
                "NguoiXuLy": e.actor_name[:50],
                "ChucDanh": e.actor_role,
                "ThoiDiemXuLy": _dvcqg_time(e.at),
                "NoiDungXuLy": e.reason or e.action,
                "TrangThai": e.to_status,
            }
            for e in events
        ],
    }


def _dvcqg_time(value: datetime | None) -> str:
    """yyyyMMddHHmmss in the province's local time (the site's zone, whatever a request activated);
    empty when not yet known."""
    return value.astimezone(timezone.get_default_timezone()).strftime("%Y%m%d%H%M%S") if value else ""
