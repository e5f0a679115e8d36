"""Every foreign key a form accepts is the current shop's, in the code itself.

Each form of the project (found by walking the form classes defined under back_office/
and catalog/) and each form of a shop's admin screens (the tenant ViewSets' add and
edit forms with their inline rows, the storefront's page forms) is built as shop
"aurum". For every choice of a row, its choices must hold nothing of shop "zircon",
and posting zircon's row must be a form error on that field.

Row-level security is pointed at zircon while the form runs (`database_sees`), so
only the code's own scoping can keep zircon's rows out: a form whose choices relied
on RLS alone would offer them here.
"""

import importlib
import pkgutil
from contextlib import contextmanager

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.urls import get_resolver
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm
from wagtail.admin.panels import ObjectList
from wagtail.admin.viewsets import viewsets
from wagtail.blocks.base import BlockField
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection, Page, Site

import back_office
import catalog
from back_office.inventory.admin.forms import QuantityForm
from back_office.inventory.importing import PieceRowForm, check_rows
from back_office.inventory.models import Branch, Category, Piece, StockItem
from back_office.sales.admin.forms import ReturnForm
from back_office.sales.models import Sale
from back_office.tenancy.admin.viewsets import TenantViewSetMixin
from back_office.tenancy.context import set_database_tenant, tenant_context
from back_office.tenancy.models import TenantOwned
from back_office.tenants.models import RoleGroup
from catalog.models import CatalogPage, ContactPage, ContentPage, HomePage, ShopBranding
from catalog.views import ReserveForm
from tests.factories import OBJECT_MAKERS
from tests.factories.tenants import make_tenant, owner_of

get_resolver().url_patterns  # noqa: B018 - loading the admin URLs registers ViewSets
for package in (back_office, catalog):  # every form class is defined once imported
    for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
        if ".migrations" not in module.name:
            importlib.import_module(module.name)

# Forms whose choices are not ModelChoiceFields, with where their scoping is proven.
CHECKED_ELSEWHERE = {
    PieceRowForm: "its categories and branches come from check_rows (tested below)",
}


def _subclasses(cls):
    for subclass in cls.__subclasses__():
        yield subclass
        yield from _subclasses(subclass)


def _project_forms():
    return {
        form
        for form in _subclasses(forms.BaseForm)
        if form.__module__.startswith(("back_office.", "catalog."))
        and getattr(form, "_meta", None) is None  # model forms: from their screens
        and form not in CHECKED_ELSEWHERE
    }


def _screen_forms():
    """The add and edit forms of every shop screen."""
    found = set()
    for viewset in viewsets.viewsets:
        if isinstance(viewset, TenantViewSetMixin) and viewset.model is not None:
            found.add(viewset.get_form_class())
            found.add(viewset.get_form_class(for_update=True))
    for page_model in [HomePage, CatalogPage, ContentPage, ContactPage]:
        found.add(page_model.get_edit_handler().get_form_class())
    branding = ObjectList(ShopBranding.panels).bind_to_model(ShopBranding)
    found.add(branding.get_form_class())
    return {form for form in found if form is not None}


FORMS = sorted(_project_forms() | _screen_forms(), key=lambda f: f.__qualname__)


@contextmanager
def database_sees(tenant):
    """Row-level security shows `tenant`'s rows until the block ends, whatever the
    code's current shop."""
    set_database_tenant(tenant.pk)
    try:
        yield
    finally:
        set_database_tenant(None)


@pytest.fixture
def aurum(db):
    tenant = make_tenant("aurum")
    with tenant_context(tenant):
        OBJECT_MAKERS[Branch](tenant)
    return tenant


@pytest.fixture
def zircons_rows(db):
    """One row of every kind a form could choose, all of shop zircon's."""
    tenant = make_tenant("zircon", name="Zircon Canary Gems")
    rows = {model: make(tenant) for model, make in OBJECT_MAKERS.items()}
    with tenant_context(tenant):
        rows[Image] = Image.objects.create(
            title="canary", file=get_test_image_file(), collection=tenant.collection
        )
        rows[Document] = Document.objects.create(
            title="canary", collection=tenant.collection
        )
    rows.update(
        {
            Page: tenant.home_page,
            HomePage: tenant.home_page.specific,
            Collection: tenant.collection,
            Site: tenant.home_page.sites_rooted_here.get(),
            get_user_model(): owner_of(tenant),
            Group: rows[RoleGroup].group,
        }
    )
    return tenant, rows


def _build(form_class, user, data=None):
    if issubclass(form_class, WagtailAdminPageForm):
        data = None if data is None else {**_empty_streams(form_class), **data}
        return form_class(data, for_user=user, parent_page=HomePage())
    if issubclass(form_class, WagtailAdminModelForm):
        return form_class(data, for_user=user)
    if form_class is ReserveForm:  # a reservation of one piece
        return form_class(data, piece=Piece())
    if form_class is ReturnForm:  # a return from one sale
        return form_class(data, sale=Sale())
    if issubclass(form_class, QuantityForm):  # a change of one item's stock
        return form_class(data, item=StockItem(sku="CANARY", unit="gram"))
    return form_class(data)


def _empty_streams(form_class) -> dict[str, str]:
    """A page form's post names each StreamField's block count."""
    return {
        f"{name}-count": "0"
        for name, field in form_class.base_fields.items()
        if isinstance(field, BlockField)
    }


def _choices(form):
    """(formset prefix or None, field name, field) of each choice of a row."""
    for name, field in form.fields.items():
        if isinstance(field, forms.ModelChoiceField):
            yield None, name, field
    for prefix, formset in getattr(form, "formsets", {}).items():
        # A row's own id chooses among the parent's rows (formset.get_queryset()).
        own_id = formset.model._meta.pk.name
        for name, field in formset.empty_form.fields.items():
            if isinstance(field, forms.ModelChoiceField) and name != own_id:
                yield prefix, name, field


def _posting(prefix, name, value):
    if prefix is None:
        return {name: value}
    return {
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-0-{name}": value,
    }


def _errors(form, prefix, name):
    form.is_valid()
    if prefix is None:
        return form.errors.get(name)
    return form.formsets[prefix].forms[0].errors.get(name)


def _theirs(rows, model):
    for kind, row in rows.items():
        if issubclass(kind, model) or issubclass(model, kind):
            return row
    pytest.fail(f"zircons_rows has no {model.__name__}: add one to the fixture")


def test_the_sweep_finds_the_forms_and_their_choices_of_rows(aurum):
    with tenant_context(aurum):
        choices = {
            f"{form.__name__}.{prefix or ''}{name}"
            for form in FORMS
            for prefix, name, _ in _choices(_build(form, owner_of(aurum)))
        }
    assert {
        "PieceForm.category",
        "PieceForm.photosimage",
        "TransferForm.to_branch",
        "ReceiveStockForm.branch",
        "TransferStockForm.to_branch",
        "AdjustStockForm.branch",
        "ReserveForm.branch",
        "HomePageForm.hero_image",
        "HomePageForm.hero_button_page",
        "HomePageForm.featured_categoriescategory",
        "HomePageForm.featured_piecespiece",
    } <= choices, choices


@pytest.mark.parametrize("form_class", FORMS, ids=lambda f: f.__qualname__)
def test_a_form_offers_and_accepts_only_the_shops_own_rows(
    aurum, zircons_rows, form_class
):
    zircon, rows = zircons_rows
    user = owner_of(aurum)
    with tenant_context(aurum), database_sees(zircon):
        for prefix, name, field in _choices(_build(form_class, user)):
            theirs = _theirs(rows, field.queryset.model)
            offered = set(field.queryset.values_list("pk", flat=True))

            assert theirs.pk not in offered, f"{form_class.__name__}.{name}"
            bound = _build(form_class, user, _posting(prefix, name, theirs.pk))
            assert _errors(bound, prefix, name), f"{form_class.__name__}.{name}"


def test_an_import_row_cannot_name_another_shops_branch_or_category(
    aurum, zircons_rows
):
    zircon, rows = zircons_rows
    row = {
        "sku": "IMP-1",
        "title": "Band",
        "category": rows[Category].name,
        "branch": rows[Branch].code,
        "metal": "gold",
        "fineness": "750",
        "gross_weight_g": "5",
        "net_weight_g": "5",
    }

    with tenant_context(aurum), database_sees(zircon):
        pieces, errors = check_rows([row])

    assert not pieces
    messages = " ".join(error.message for error in errors).lower()
    assert "category" in messages, messages
    assert "branch" in messages, messages


def test_the_database_half_is_off_in_these_tests(aurum, zircons_rows):
    """The premise: inside database_sees(zircon), RLS shows zircon's rows."""
    zircon, rows = zircons_rows
    with tenant_context(aurum), database_sees(zircon), connection.cursor() as cursor:
        cursor.execute("SELECT id FROM tenants_branch")
        visible = {pk for (pk,) in cursor.fetchall()}
    assert rows[Branch].pk in visible
    assert issubclass(Branch, TenantOwned)
