"""A dossier's lifecycle produces the national-portal sync messages in order with the right state codes."""

from __future__ import annotations

import re

import pytest

from motcua.core.errors import DomainError
from motcua.core.models_outbox import OutboxMessage
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import DossierFactory, World, act, receive
from motcua.integrations.simulators import Simulators
from motcua.integrations.tests.conftest import FAST
from motcua.integrations.tests.helpers import drain_until_settled

_LIFECYCLE_STATES = [2, 4, 4, 4, 4, 9, 10]  # receive, transfer, assign, forward, approve, issue-result, return


def _portal_messages(dossier: Dossier) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(dossier_code=dossier.code, partner="dvcqg").order_by("id"))


def test_each_event_enqueues_the_portal_sync_in_order_with_the_state_codes(world: World) -> None:
    dossier = DossierFactory.create(world=world, returned=True)

    messages = _portal_messages(dossier)
    assert [m.payload["TrangThaiHoSo"] for m in messages] == _LIFECYCLE_STATES
    last = messages[-1].payload
    assert last["MaHoSo"] == dossier.code
    assert last["MaTTHC"] == world.procedure.code
    assert last["KenhThucHien"] == 1
    assert last["ChuHoSo"] == "Nguyễn Văn An"
    assert last["DinhDanhCHS"] == [{"LoaiDinhDanh": 1, "SoDinhDanh": dossier.applicant_personal_id}]
    for field in ("NgayTiepNhan", "NgayHenTra", "NgayKetThucXuLy", "NgayTra"):
        assert re.fullmatch(r"\d{14}", last[field]), field
    assert last["DonViXuLy"] == world.subject_agency.code
    assert [step["TrangThai"] for step in last["QuaTrinhXuLy"]] == _LIFECYCLE_STATES
    # The applicant hears of each change of status, not of each internal step.
    sms = OutboxMessage.objects.filter(dossier_code=dossier.code, partner="sms").order_by("id")
    assert [m.payload["text"].rsplit(": ", 1)[1] for m in sms] == [
        "Được tiếp nhận.", "Đang xử lý.", "Đã xử lý xong.", "Đã trả kết quả.",
    ]  # fmt: skip


def test_the_portal_receives_them_in_order_through_faults(world: World, sims: Simulators) -> None:
    sims.set_faults("dvcqg", error_rate=0.15, lost_reply_rate=0.15)
    dossier = DossierFactory.create(world=world, returned=True)
    online = receive(world, channel="online")
    act(world, online, "withdraw", "reception", reason="Công dân rút hồ sơ")

    drain_until_settled(FAST)

    # Created once, then updated ("already exists" on create turns into an update), each state once.
    assert sims.portal_states[dossier.code] == _LIFECYCLE_STATES
    assert sims.portal_states[online.code] == [1, 7]
    assert sims.stats("dvcqg")["duplicates"] == []


def test_a_refused_transition_writes_no_message(world: World) -> None:
    dossier = receive(world)
    before = OutboxMessage.objects.count()
    with pytest.raises(DomainError):
        act(world, dossier, "return-result", "reception")
    assert OutboxMessage.objects.count() == before
