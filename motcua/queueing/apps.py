from django.apps import AppConfig


class QueueingConfig(AppConfig):
    name = "motcua.queueing"
    label = "queueing"
    verbose_name = "Lấy số, gọi số"

    def ready(self) -> None:
        # Issue and call-next memoize services, priority groups and work profiles per process (core.reference_cache).
        from motcua.core.reference_cache import reference_models_watch
        from motcua.queueing.models import PriorityGroup, QueueService, WorkProfileEntry

        reference_models_watch(QueueService, WorkProfileEntry, PriorityGroup)
