"""Public tracking reads: proofs by token or phone digits, identical failures, masking, rate limits."""

from __future__ import annotations

import pytest

from motcua.core.errors import InvalidInput, NotFound
from motcua.core.ratelimit import RateLimited
from motcua.dossiers.services.tracking import tracking_token
from motcua.dossiers.tests.factories import DossierFactory, World
from motcua.dossiers.tracking_selectors import dossier_track, masked_phone, valid_code


def test_token_or_phone_digits_prove_the_receipt(world: World) -> None:
    dossier = DossierFactory.create(world=world)
    by_token = dossier_track(code=dossier.code, token=tracking_token(dossier), client="a")
    by_phone = dossier_track(code=dossier.code, phone_last4="5678", client="a")
    assert by_token.dossier.pk == by_phone.dossier.pk == dossier.pk
    assert by_token.applicant == "N*** V*** A***"
    assert by_token.phone == "••••••••78"
    assert by_token.acceptance_due is None
    assert by_token.timeline[0].action == "receive"


@pytest.mark.parametrize(
    ("code", "proof"),
    [
        ("known", {"token": "wrong"}),
        ("known", {"phone_last4": "1234"}),
        ("known", {}),
        ("H38.999-260101-0001", {"token": "wrong"}),
        ("H38.999-260101-0001", {"phone_last4": "5678"}),
        ("x" * 200, {"token": "wrong"}),
    ],
)
def test_every_failure_is_the_same_not_found(world: World, code: str, proof: dict[str, str]) -> None:
    dossier = DossierFactory.create(world=world)
    with pytest.raises(NotFound) as error:
        dossier_track(code=dossier.code if code == "known" else code, client="a", **proof)
    assert (error.value.code, error.value.message, error.value.details) == (
        "tracking_not_found",
        "Không tìm thấy hồ sơ với mã và thông tin tra cứu này.",
        {},
    )


def test_a_dossier_without_phone_never_matches_phone_digits(world: World) -> None:
    dossier = DossierFactory.create(world=world)
    type(dossier).objects.filter(pk=dossier.pk).update(applicant_phone="")
    with pytest.raises(NotFound):
        dossier_track(code=dossier.code, phone_last4="0000", client="a")
    with pytest.raises(InvalidInput):
        dossier_track(code=dossier.code, phone_last4="\x00\x00\x00\x00", client="a")


def test_failed_lookups_per_code_are_limited(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOTCUA_TRACKING_LIMIT_CODE", "2/600")
    dossier = DossierFactory.create(world=world)
    for client in ("a", "b"):
        with pytest.raises(NotFound):
            dossier_track(code=dossier.code, token="wrong", client=client)
    with pytest.raises(RateLimited):
        dossier_track(code=dossier.code, token=tracking_token(dossier), client="c")


def test_code_format_and_phone_mask() -> None:
    assert valid_code("H38.12-260315-0001")
    assert valid_code("H38.12-260315-12345678")
    assert not valid_code("h38")
    assert not valid_code("H38.12-2603-0001")
    assert masked_phone("+84 912 345 678") == "•••••••••78"
    assert masked_phone("") == ""
