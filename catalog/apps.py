from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = "Storefront"

    def ready(self):
        from catalog import signals

        signals.connect()
