"""System checks: stored documents must never be reachable through a static or media web root."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, register

from motcua.dossiers.services.documents import document_path


@register()
def documents_outside_web_roots(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    documents = document_path("0" * 64).parents[2].resolve()
    roots = [settings.STATIC_ROOT, getattr(settings, "MEDIA_ROOT", ""), *settings.STATICFILES_DIRS]
    errors: list[CheckMessage] = []
    for root in (Path(str(r)).resolve() for r in roots if r):
        if documents == root or root in documents.parents or documents in root.parents:
            errors.append(
                Error(
                    f"Thư mục tài liệu {documents} nằm trong hoặc chứa thư mục web {root}.",
                    hint="Đặt MOTCUA_DATA_DIR ngoài thư mục tĩnh; tài liệu chỉ được tải qua API có kiểm tra quyền.",
                    id="dossiers.E001",
                )
            )
    return errors
