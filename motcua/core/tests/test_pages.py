"""Vietnamese is the default UI language; English comes from the .po file."""

from __future__ import annotations

from django.test import Client


def test_home_is_vietnamese_by_default(client: Client) -> None:
    response = client.get("/")

    assert response.status_code == 200
    assert '<html lang="vi">' in response.text
    assert "Trung tâm Phục vụ hành chính công" in response.text


def test_home_in_english_when_the_browser_asks(client: Client) -> None:
    response = client.get("/", headers={"accept-language": "en"})

    assert '<html lang="en">' in response.text
    assert "Public Administrative Service Center" in response.text
