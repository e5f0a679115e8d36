from django.apps import AppConfig
from django.db.models.signals import post_migrate


class TenancyConfig(AppConfig):
    """The tenancy framework: how shops are kept apart (docs/tenancy.md)."""

    name = "back_office.tenancy"
    label = "tenancy"
    verbose_name = "Tenancy"

    def ready(self):
        from back_office.tenancy import sites
        from back_office.tenancy.admin.localization import (
            name_selected_rows,
            shop_clock_by_default,
        )
        from back_office.tenancy.admin.scoping import scope_wagtail_admin
        from back_office.tenancy.rls import apply_row_level_security

        sites.connect()
        scope_wagtail_admin()
        shop_clock_by_default()
        name_selected_rows()
        # Once per migrate run, after every app's tables exist.
        post_migrate.connect(
            apply_row_level_security, sender=self, dispatch_uid="tenancy_rls"
        )
