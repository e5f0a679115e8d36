from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "back_office.tenants"
    label = "tenants"
    verbose_name = "Shops"

    def ready(self):
        # Declares the roles; connects the sign-in receivers.
        from back_office.tenants import permissions, signals  # noqa: F401
