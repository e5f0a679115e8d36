from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "back_office.inventory"
    label = "inventory"
    verbose_name = "Inventory"
