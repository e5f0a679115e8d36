from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from back_office.inventory.errors import ImportRefused
from back_office.inventory.services import import_pieces
from back_office.tenancy.context import tenant_context
from back_office.tenants.models import Tenant

BAR_WIDTH = 30


class ProgressBar:
    """`Checking  [#######.......]  120/500` on one line of stderr, redrawn in place."""

    def __init__(self, stream):
        self.stream = stream  # the command's OutputWrapper
        self.stage = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage and self.stage is not None:
            self.stream.write("")
        self.stage = stage
        filled = BAR_WIDTH * done // total if total else BAR_WIDTH
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        line = f"\r{stage.capitalize():<10}[{bar}] {done:>6}/{total}"
        self.stream.write(line, ending="")
        self.stream.flush()

    def close(self) -> None:
        if self.stage is not None:
            self.stream.write("")
            self.stream.flush()


class Command(BaseCommand):
    help = (
        "Import pieces into a shop's stock from a .csv or .xlsx file. Every row is "
        "checked first: if any row is bad, nothing is imported and each bad line is "
        "listed. See docs/inventory-import.md for the columns."
    )

    def add_arguments(self, parser):
        parser.add_argument("--tenant", required=True, help="The shop's slug.")
        parser.add_argument("file", help="pieces.csv or pieces.xlsx")
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not draw a progress bar."
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        tenant = Tenant.objects.filter(slug=options["tenant"]).first()
        if tenant is None:
            raise CommandError(f'There is no shop with the slug "{options["tenant"]}".')
        progress = None if options["no_progress"] else ProgressBar(self.stderr)
        try:
            with tenant_context(tenant), path.open("rb") as file:
                result = import_pieces(file, filename=path.name, progress=progress)
        except ImportRefused as refused:
            raise CommandError(
                f"Nothing was imported into {tenant.name}: fix these lines and "
                f"run the import again.\n{refused}"
            ) from refused
        finally:
            if progress:
                progress.close()
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {result.count} pieces into {tenant.name} from {path.name}."
            )
        )
