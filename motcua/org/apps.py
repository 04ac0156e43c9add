from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "motcua.org"
    label = "org"
    verbose_name = "Tổ chức"

    def ready(self) -> None:
        # Reception and call-next memoize these rows per process (core.reference_cache): every change must drop the memo.
        from motcua.core.reference_cache import reference_models_watch
        from motcua.org.models import AdministrativeUnit, Agency, Counter, Province, ServiceCenter

        reference_models_watch(Agency, AdministrativeUnit, Province, ServiceCenter, Counter)
