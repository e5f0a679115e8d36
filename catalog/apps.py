from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = "Storefront"

    def ready(self):
        from catalog import permissions, signals  # noqa: F401 (roles' permissions)

        signals.connect()
