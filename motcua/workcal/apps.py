from django.apps import AppConfig


class WorkcalConfig(AppConfig):
    name = "motcua.workcal"
    label = "workcal"
    verbose_name = "Lịch làm việc"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from motcua.workcal.models import CalendarOverride, OfficeHours
        from motcua.workcal.services import clear_calendar_cache

        # Cache invalidation only (services.py explains the cross-process part); no business flow here.
        for model in (CalendarOverride, OfficeHours):
            post_save.connect(clear_calendar_cache, sender=model, dispatch_uid=f"workcal_clear_{model.__name__}")
            post_delete.connect(clear_calendar_cache, sender=model, dispatch_uid=f"workcal_clear_{model.__name__}")
