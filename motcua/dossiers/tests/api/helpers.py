"""Calling the API as a staff member."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.test.client import MULTIPART_CONTENT

from motcua.org.models import StaffUser
from motcua.org.services import api_token_create


class StaffClient:
    def __init__(self, user: StaffUser) -> None:
        self.user = user
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {api_token_create(username=user.username)}"}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(path, params, headers=self.headers)

    def post(self, path: str, body: dict[str, Any] | None = None) -> Any:
        return self.client.post(path, body or {}, content_type="application/json", headers=self.headers)

    def upload(self, path: str, files: dict[str, Any]) -> Any:
        return self.client.post(path, files, content_type=MULTIPART_CONTENT, headers=self.headers)
