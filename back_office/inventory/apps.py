from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "back_office.inventory"
    label = "inventory"
    verbose_name = "Inventory"

    def ready(self):
        from back_office.inventory import (
            permissions,  # noqa: F401 - declares the roles
            signals,
        )

        signals.connect()
