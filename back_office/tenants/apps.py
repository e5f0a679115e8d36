from django.apps import AppConfig
from django.db.models.signals import post_migrate


class TenantsConfig(AppConfig):
    name = "back_office.tenants"
    label = "tenants"
    verbose_name = "Shops"

    def ready(self):
        from back_office.tenants.admin_scoping import scope_wagtail_page_filters
        from back_office.tenants.rls import apply_row_level_security

        scope_wagtail_page_filters()

        # Once per migrate run, after every app's tables exist.
        post_migrate.connect(
            apply_row_level_security, sender=self, dispatch_uid="tenants_rls"
        )
