from django.conf import settings
from django.core.management.base import BaseCommand

from demo.seeding import seed


class Command(BaseCommand):
    help = "Create (or complete) the demo shops and logins. Safe to run repeatedly."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help="Password for new demo accounts (default: the dev demo password, "
            "or a random one printed once).",
        )
        parser.add_argument(
            "--port", type=int, default=8000, help="Port for the printed URLs."
        )

    def handle(self, *args, password, port, **options):
        summary = seed(password=password, port=port)
        self.stdout.write(self.style.SUCCESS("Karat demo is ready."))
        self.stdout.write("\nStorefronts:")
        for shop, url in summary.sites:
            self.stdout.write(f"  {shop:<24} {url}")
        self.stdout.write(f"\nPlatform and admin: http://127.0.0.1:{port}/admin/")
        self.stdout.write("\nLogins:")
        for login in summary.logins:
            shown = login.password or "(unchanged)"
            self.stdout.write(f"  {login.username:<20} {shown:<14} {login.role}")
        if settings.DEMO_PASSWORD:
            self.stdout.write(
                "\nDemo accounts are created with the password "
                f"{settings.DEMO_PASSWORD}."
            )
        if not settings.KARAT_SECOND_FACTOR_REQUIRED:
            self.stdout.write(
                "The demo asks for no second sign-in step (production does, for "
                "owners, managers and operators: docs/security.md)."
            )
