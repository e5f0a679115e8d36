from django.apps import AppConfig


class SalesConfig(AppConfig):
    name = "back_office.sales"
    label = "sales"
    verbose_name = "Sales"
