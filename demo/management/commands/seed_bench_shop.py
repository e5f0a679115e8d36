import time

from django.core.management.base import BaseCommand, CommandError

from back_office.tenants.models import Tenant
from demo.bench import SLUG, seed_bench_shop


class Command(BaseCommand):
    help = (
        "Create the benchmark's shop (bench/storefront.sh): one shop with many "
        "pieces, for a throwaway database. Refuses if it exists."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--pieces", type=int, default=10_000, help="How many pieces (10,000)."
        )
        parser.add_argument(
            "--hostname", default="bench.example.com", help="The shop's hostname."
        )
        parser.add_argument("--port", type=int, default=80, help="The site's port.")

    def handle(self, *args, pieces, hostname, port, **options):
        if pieces < 1:
            raise CommandError("--pieces must be at least 1.")
        if Tenant.objects.filter(slug=SLUG).exists():
            raise CommandError(f"The benchmark's shop ({SLUG}) exists already.")

        start = time.monotonic()

        def progress(done, total):
            elapsed = time.monotonic() - start
            self.stdout.write(f"  {done:>6} / {total} pieces ({elapsed:.0f} s)")

        shop = seed_bench_shop(pieces, hostname, port, progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"Bench shop ready: http://{hostname}/ with {shop.pieces} pieces."
            )
        )
        self.stdout.write(f"sample piece: {shop.sample_sku}")
        self.stdout.write(
            "The pieces are not in the admin's reference index (demo/bench.py)."
        )
