from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "back_office.tenants"
    label = "tenants"
    verbose_name = "Shops"

    def ready(self):
        from back_office.tenants import permissions  # noqa: F401 - declares the roles
