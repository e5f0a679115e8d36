import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Site

from catalog.models import HomePage

pytestmark = pytest.mark.django_db


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if not model._meta.label.startswith(("sessions.", "wagtailsearch."))
    }


def test_seed_demo_creates_the_superuser_and_the_shop_home_page(capsys):
    call_command("seed_demo")

    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser
    assert admin.check_password("karat-demo")
    home = Site.objects.get(is_default_site=True).root_page.specific
    assert isinstance(home, HomePage)
    assert home.title == "Aurum Jewellers"
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8000/" in out
    assert "admin" in out
    assert "karat-demo" in out


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
    assert "password unchanged" in capsys.readouterr().out


def test_seed_demo_without_a_demo_password_prints_a_random_one(settings, capsys):
    settings.DEMO_PASSWORD = None

    call_command("seed_demo")

    admin = get_user_model().objects.get(username="admin")
    line = next(x for x in capsys.readouterr().out.splitlines() if "superuser" in x)
    password = line.split()[1]
    assert len(password) >= 16
    assert admin.check_password(password)
