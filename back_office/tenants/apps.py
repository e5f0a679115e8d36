from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "back_office.tenants"
    label = "tenants"
    verbose_name = "Shops"
