import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Site

from back_office.inventory.models import (
    MetalRate,
    Piece,
    PiecePhoto,
    StockItem,
    StockMovement,
    Stone,
)
from back_office.inventory.queries import latest_rates
from back_office.tenancy.context import tenant_context
from back_office.tenants.models import Branch, Membership, Tenant

pytestmark = pytest.mark.django_db

LOGINS = [
    "admin",
    "owner@aurum.test",
    "sales@aurum.test",
    "owner@luna.test",
    "sales@luna.test",
]


def _row_counts() -> dict[str, int]:
    counts = {}
    for model in apps.get_models():
        if model._meta.label.startswith(("sessions.", "wagtailsearch.")):
            continue
        manager = getattr(model, "unscoped_objects", model._default_manager)
        counts[model._meta.label] = manager.count()
    for tenant in Tenant.objects.all():
        with tenant_context(tenant):
            counts[f"{tenant.slug} branches"] = Branch.objects.count()
            counts[f"{tenant.slug} staff"] = Membership.objects.count()
    return counts


def test_seed_demo_creates_two_shops_with_staff_and_branches(capsys):
    call_command("seed_demo")

    assert set(Tenant.objects.values_list("name", flat=True)) == {
        "Aurum Jewellers",
        "Luna Gems",
    }
    for slug, hostname in [("aurum", "aurum.localhost"), ("luna", "luna.localhost")]:
        tenant = Tenant.objects.get(slug=slug)
        assert Site.objects.get(hostname=hostname, port=8000).root_page_id == (
            tenant.home_page_id
        )
        with tenant_context(tenant):
            assert Branch.objects.count() == 2
            roles = dict(Membership.objects.values_list("user__username", "role"))
        assert roles == {f"owner@{slug}.test": "owner", f"sales@{slug}.test": "sales"}
    for username in LOGINS:
        assert (
            get_user_model().objects.get(username=username).check_password("karat-demo")
        )
    out = capsys.readouterr().out
    assert "http://aurum.localhost:8000/" in out
    assert "http://luna.localhost:8000/" in out
    for username in LOGINS:
        assert username in out


def test_seed_demo_leaves_no_default_site_to_answer_unknown_hostnames():
    call_command("seed_demo")

    assert not Site.objects.filter(is_default_site=True).exists()


def test_seed_demo_twice_changes_no_row_counts():
    call_command("seed_demo")
    first = _row_counts()

    call_command("seed_demo")

    assert _row_counts() == first


def test_seed_demo_leaves_an_existing_password_alone(capsys):
    call_command("seed_demo")
    admin = get_user_model().objects.get(username="admin")
    admin.set_password("changed-by-the-operator")
    admin.save()

    call_command("seed_demo")

    admin.refresh_from_db()
    assert admin.check_password("changed-by-the-operator")
    assert "(unchanged)" in capsys.readouterr().out


def test_seed_demo_without_a_demo_password_prints_a_random_one(settings, capsys):
    settings.DEMO_PASSWORD = None

    call_command("seed_demo")

    admin = get_user_model().objects.get(username="admin")
    line = next(x for x in capsys.readouterr().out.splitlines() if "superuser" in x)
    password = line.split()[1]
    assert len(password) >= 16
    assert admin.check_password(password)


def test_seed_demo_stocks_each_shop_with_pieces_photos_rates_and_history(settings):
    call_command("seed_demo")

    for tenant in Tenant.objects.all():
        with tenant_context(tenant):
            # The shop's own stock, photographed; the sales history sold others.
            pieces = Piece.objects.filter(photos__isnull=False).distinct()
            assert pieces.count() == settings.DEMO_PIECES_PER_SHOP
            assert PiecePhoto.objects.count() == pieces.count()
            assert Stone.objects.exclude(certificate_number="").exists()
            assert set(pieces.values_list("metal", flat=True)) >= {"gold", "silver"}
            assert StockMovement.objects.filter(kind="transferred").count() == 8
            assert StockItem.objects.filter(unit="gram").exists()
            for metal in ("gold", "silver", "platinum"):
                history = MetalRate.objects.filter(metal=metal)
                assert history.count() == 31
            assert latest_rates()["gold"].rate_per_gram > 0


def test_seed_demo_gives_each_shop_a_trading_history(settings):
    from back_office.sales.models import Sale, TillDay, TradeIn

    call_command("seed_demo")

    for tenant in Tenant.objects.all():
        with tenant_context(tenant):
            numbers = list(
                Sale.objects.exclude(number=None)
                .order_by("number")
                .values_list("number", flat=True)
            )
            closed = TillDay.objects.filter(status="closed")
            assert numbers == list(range(1, len(numbers) + 1))
            assert len(numbers) >= settings.DEMO_SALES_DAYS
            # Every day but today closed at each branch, today's open.
            assert closed.count() == settings.DEMO_SALES_DAYS * 2
            assert TillDay.objects.filter(status="open").count() == 2
            assert all(day.report["sales_count"] >= 0 for day in closed)
            assert TradeIn.objects.exists() or len(numbers) < 10
