from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "motcua.catalog"
    label = "catalog"
    verbose_name = "Danh mục thủ tục"

    def ready(self) -> None:
        # Reception memoizes catalog rows per process (core.reference_cache): every change must drop the memo.
        from motcua.core.reference_cache import reference_models_watch

        reference_models_watch(*self.get_models())
