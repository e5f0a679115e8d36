from django.core.management.base import BaseCommand

from back_office.tenants.models import Tenant
from back_office.tenants.services import sync_role_groups


class Command(BaseCommand):
    help = (
        "Give every shop's owner, manager and sales groups exactly the permissions "
        "the apps declare (each app's permissions.py). Run after migrate when they "
        "change."
    )

    def handle(self, *args, **options):
        tenants = Tenant.objects.all()
        for tenant in tenants:
            sync_role_groups(tenant)
        self.stdout.write(f"Role permissions synced for {tenants.count()} shop(s).")
