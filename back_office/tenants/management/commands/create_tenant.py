from django.core.management.base import BaseCommand, CommandError

from back_office.tenants.errors import TenantError
from back_office.tenants.services import create_tenant


class Command(BaseCommand):
    help = (
        "Onboard a shop: its storefront on a hostname, media collection, staff roles "
        "and owner account, in one transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help='e.g. "Aurum Jewellers"')
        parser.add_argument("--hostname", required=True, help="e.g. aurum.example.com")
        parser.add_argument("--owner-email", required=True)
        parser.add_argument("--port", type=int, default=80)
        parser.add_argument("--slug", help="Short name; derived from --name if absent.")
        parser.add_argument("--currency", default="USD")
        parser.add_argument("--tax-rate", default="0", help="Percent, e.g. 3 or 7.5")
        parser.add_argument("--prices-include-tax", action="store_true")
        parser.add_argument("--timezone", default="UTC")
        parser.add_argument(
            "--owner-password",
            help="Set the owner's password now (demo/dev) instead of inviting.",
        )

    def handle(self, *args, **options):
        try:
            onboarding = create_tenant(
                name=options["name"],
                hostname=options["hostname"],
                owner_email=options["owner_email"],
                port=options["port"],
                slug=options["slug"],
                currency=options["currency"],
                tax_rate=options["tax_rate"],
                prices_include_tax=options["prices_include_tax"],
                timezone=options["timezone"],
                owner_password=options["owner_password"],
            )
        except TenantError as error:
            raise CommandError(str(error)) from error
        tenant = onboarding.tenant
        port = "" if options["port"] == 80 else f":{options['port']}"
        self.stdout.write(self.style.SUCCESS(f"Created {tenant.name} ({tenant.slug})."))
        self.stdout.write(f"Storefront: http://{options['hostname']}{port}/")
        if onboarding.invitation:
            self.stdout.write(
                f"Owner: {onboarding.owner_email}, invited by email (the link works "
                f"until {onboarding.invitation.expires_at:%Y-%m-%d})."
            )
        else:
            self.stdout.write(f"Owner: {onboarding.owner_email}")
