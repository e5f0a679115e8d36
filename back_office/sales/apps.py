from django.apps import AppConfig


class SalesConfig(AppConfig):
    name = "back_office.sales"
    label = "sales"
    verbose_name = "Sales"

    def ready(self):
        from back_office.sales import permissions  # noqa: F401 - declares the roles
