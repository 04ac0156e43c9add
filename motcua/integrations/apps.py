from __future__ import annotations

from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "motcua.integrations"
    label = "integrations"
    verbose_name = "Kết nối liên thông"

    def ready(self) -> None:
        from motcua.core.outbox import outbox_register_waker
        from motcua.integrations.tasks import wake_worker

        outbox_register_waker(wake_worker)
