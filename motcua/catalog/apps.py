from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "motcua.catalog"
    label = "catalog"
    verbose_name = "Danh mục thủ tục"

    def ready(self) -> None:
        # Reception memoizes these rows per process (core.reference_cache): every change must drop the memo.
        from motcua.catalog.models import (
            Component,
            Delegation,
            Field,
            Procedure,
            ProcedureChannel,
            ProcedureVersion,
            SectorAssignment,
            WorkflowStep,
            WorkflowTemplate,
        )
        from motcua.core.reference_cache import reference_models_watch

        reference_models_watch(
            Component,
            Delegation,
            Field,
            Procedure,
            ProcedureChannel,
            ProcedureVersion,
            SectorAssignment,
            WorkflowStep,
            WorkflowTemplate,
        )
