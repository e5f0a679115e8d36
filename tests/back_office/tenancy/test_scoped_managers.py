import pytest

from back_office.tenancy.context import TenantNotSet, current_tenant, tenant_context
from back_office.tenants.models import Branch
from tests.factories.tenants import BranchFactory


def test_tenant_owned_rows_cannot_be_queried_without_a_shop(aurum):
    with pytest.raises(TenantNotSet, match="No shop is selected"):
        list(Branch.objects.all())


def test_default_manager_returns_only_the_current_shops_rows(aurum, luna):
    with tenant_context(aurum):
        BranchFactory(code="A1")
    with tenant_context(luna):
        BranchFactory(code="L1")

        assert [b.code for b in Branch.objects.all()] == ["L1"]


def test_for_tenant_filters_by_the_shop_it_is_given(aurum, luna):
    with tenant_context(aurum):
        BranchFactory(code="A1")

        assert [b.code for b in Branch.objects.for_tenant(aurum)] == ["A1"]
        assert list(Branch.objects.for_tenant(luna)) == []


def test_for_tenant_outside_the_shops_context_is_stopped_by_the_database(aurum):
    with tenant_context(aurum):
        BranchFactory(code="A1")

    assert list(Branch.objects.for_tenant(aurum)) == []


def test_new_rows_belong_to_the_current_shop(aurum):
    with tenant_context(aurum):
        branch = Branch.objects.create(name="Harbour", code="HBR")

    assert branch.tenant == aurum


def test_context_is_restored_after_a_nested_shop(aurum, luna):
    with tenant_context(aurum):
        with tenant_context(luna):
            assert current_tenant() == luna
        assert current_tenant() == aurum
    assert current_tenant() is None


def test_the_scoping_is_in_the_query_itself_not_only_in_the_database(aurum):
    # RLS backs this up on PostgreSQL; on SQLite (the demo) the query alone scopes.
    with tenant_context(aurum):
        sql = str(Branch.objects.all().query)

    assert f'"tenants_branch"."tenant_id" = ({aurum.pk})' in sql
