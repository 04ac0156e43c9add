from django.apps import AppConfig


class QueueingConfig(AppConfig):
    name = "motcua.queueing"
    label = "queueing"
    verbose_name = "Lấy số, gọi số"
