"""The benchmark's shop (bench/storefront.sh): one shop with thousands of pieces,
made in minutes on a fresh database.

Its pieces are the demo's (demo/inventory.py), each taken into stock through the
inventory's service, so it has its ledger row and its stone as an import would
make it. They share one photo per design: drawing and resizing a photo per piece
would take longer than the benchmark itself, and a page costs the same whichever
photo it shows.

Two of Wagtail's indexes are not written piece by piece, as a save would, because
both make seeding quadratic in the pieces (20 minutes for 10,000): the search
index is written once at the end, in chunks, as `update_index` does (saved one by
one, each piece makes the database backend recompute the average title length over
every entry); the reference index (the admin's "used by" listings and deletion
warnings, which the storefront never reads) is not written for the pieces, their
photos, stones and ledger rows: as the application role, each of its statements
checks its rows against the row-level security of every table it names, and each
costs more as the shop grows.
"""

import random
import secrets
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

from celery import current_app
from django.db import transaction
from wagtail.search.backends import get_search_backends
from wagtail.signal_handlers import disable_reference_index_auto_update

from back_office.inventory.models import Piece, PiecePhoto, Stone
from back_office.inventory.purity import purity_label
from back_office.tenancy.context import tenant_context
from back_office.tenants import services
from back_office.tenants.models import Branch, Tenant
from demo.inventory import (
    DESIGNS,
    ensure_categories,
    photo,
    receive_piece,
    search_index_not_updated,
    seed_quantity_stock,
    seed_rates,
)
from demo.seeding import SHOPS, remove_wagtail_placeholder
from demo.storefront import LOOKS, seed_storefront

SLUG = "bench"
NAME = "Bench Jewellers"
# Pieces per transaction: a failure loses one batch, and progress shows.
BATCH = 500
INDEX_CHUNK = 1000


@dataclass(frozen=True)
class BenchShop:
    tenant: Tenant
    pieces: int
    sample_sku: str  # a piece on show with a stone, for the piece page's figures


def seed_bench_shop(
    pieces: int,
    hostname: str,
    port: int = 80,
    progress: Callable[[int, int], None] | None = None,
) -> BenchShop:
    """A new shop at `hostname` with `pieces` pieces, its rates, quantity stock and
    the demo's storefront (Aurum's look)."""
    with tasks_run_here():
        return _seed(pieces, hostname, port, progress)


@contextmanager
def tasks_run_here():
    """No worker runs beside a one-off command: the tasks the seeding sends (the
    photos' renditions, catalog.tasks.make_renditions) run here, as a worker would
    run them."""
    conf = current_app.conf
    before = conf.task_always_eager
    conf.task_always_eager = True
    try:
        yield
    finally:
        conf.task_always_eager = before


def _seed(pieces, hostname, port, progress) -> BenchShop:
    rng = random.Random(SLUG)
    with transaction.atomic():
        remove_wagtail_placeholder()
        tenant = services.create_tenant(
            name=NAME,
            slug=SLUG,
            hostname=hostname,
            port=port,
            owner_email=f"owner@{SLUG}.test",
            owner_password=secrets.token_urlsafe(24),
            currency="USD",
            tax_rate="3.00",
        ).tenant
        for code, name, address in SHOPS[0].branches:
            services.add_branch(tenant, name=name, code=code, address=address)
        with tenant_context(tenant):
            seed_rates(tenant, rng)
            categories = ensure_categories()
            branches = list(Branch.objects.order_by("code"))
            images = [
                photo(
                    tenant,
                    category,
                    colour,
                    stone,
                    seed,
                    f"{category} in {purity_label(metal, fineness)}",
                )
                for seed, (category, metal, fineness, colour, _w, stone) in enumerate(
                    DESIGNS, start=1
                )
            ]
    with search_index_not_updated(), disable_reference_index_auto_update():
        for first in range(1, pieces + 1, BATCH):
            with transaction.atomic(), tenant_context(tenant):
                for number in range(first, min(first + BATCH, pieces + 1)):
                    piece = receive_piece(tenant, number, rng, categories, branches)
                    PiecePhoto.objects.create(
                        piece=piece, image=images[(number - 1) % len(images)]
                    )
            if progress:
                progress(min(first + BATCH - 1, pieces), pieces)
    with transaction.atomic(), tenant_context(tenant):
        index_pieces()
        seed_quantity_stock(tenant)
        seed_storefront(tenant, LOOKS["aurum"])
        sample = (
            Stone.objects.filter(
                piece__status=Piece.Status.IN_STOCK, kind=Stone.Kind.DIAMOND
            )
            .order_by("-piece__sku")
            .values_list("piece__sku", flat=True)
            .first()
        )
    return BenchShop(tenant, pieces, sample)


def index_pieces() -> None:
    """The current shop's pieces into every search backend, a chunk at a time."""
    pieces = Piece.get_indexed_objects().select_related("category")
    pieces = pieces.prefetch_related("stones").order_by("pk")
    ids = list(pieces.values_list("pk", flat=True))
    for start in range(0, len(ids), INDEX_CHUNK):
        chunk = list(pieces.filter(pk__in=ids[start : start + INDEX_CHUNK]))
        for backend in get_search_backends(with_auto_update=True):
            backend.add_bulk(Piece, chunk)
