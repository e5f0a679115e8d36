from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Seeds the zero-setup demo. The one app allowed to depend on every other."""

    name = "demo"
    verbose_name = "Demo data"
