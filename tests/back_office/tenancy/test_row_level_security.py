"""Row-level security, checked with raw SQL as the application role."""

from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest
from django.db import DatabaseError, connection, transaction

from back_office.tenancy.context import set_database_tenant, tenant_context
from back_office.tenancy.rls import POLICY, tenant_owned_models
from back_office.tenants.models import Branch, Membership, Tenant
from tests.factories import OBJECT_MAKERS
from tests.factories.tenants import BranchFactory, make_member

TABLES = sorted(model._meta.db_table for model in tenant_owned_models())


@pytest.fixture
def two_shops_with_rows(aurum, luna):
    for tenant in (aurum, luna):
        for make in OBJECT_MAKERS.values():
            make(tenant)
    return aurum, luna


def test_every_tenant_owned_model_has_an_object_maker():
    missing = set(tenant_owned_models()) - set(OBJECT_MAKERS)
    assert not missing, f"add makers to tests/factories for {missing}"


def _tenant_ids(table: str) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT tenant_id FROM {table}")  # noqa: S608
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db
def test_the_suite_connects_as_a_role_that_rls_binds():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
        )
        assert cursor.fetchone() == (False, False)
        cursor.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' "
            "AND tableowner = current_user"
        )
        assert cursor.fetchone() == (0,)


@pytest.mark.django_db
@pytest.mark.parametrize("table", TABLES)
def test_every_tenant_owned_table_forces_its_isolation_policy(table):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relrowsecurity, relforcerowsecurity FROM pg_class "
            "WHERE relname = %s",
            [table],
        )
        assert cursor.fetchone() == (True, True)
        cursor.execute(
            "SELECT count(*) FROM pg_policies WHERE tablename = %s AND policyname = %s",
            [table, POLICY],
        )
        assert cursor.fetchone() == (1,)


@pytest.mark.parametrize("table", TABLES)
def test_raw_select_sees_only_the_current_shops_rows(two_shops_with_rows, table):
    aurum, luna = two_shops_with_rows

    with tenant_context(aurum):
        assert _tenant_ids(table) == {aurum.pk}
    with tenant_context(luna):
        assert _tenant_ids(table) == {luna.pk}


@pytest.mark.parametrize("table", TABLES)
def test_with_no_shop_set_no_row_is_visible(two_shops_with_rows, table):
    with tenant_context(None):
        assert _tenant_ids(table) == set()


def _branch_codes(tenant) -> list[str]:
    with tenant_context(tenant):
        return sorted(Branch.objects.values_list("code", flat=True))


def test_inserting_a_row_for_another_shop_is_refused(aurum, luna):
    before = _branch_codes(aurum), _branch_codes(luna)
    with (
        tenant_context(aurum),
        pytest.raises(DatabaseError, match="row-level security"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "INSERT INTO tenants_branch (tenant_id, name, code, address) "
            "VALUES (%s, 'Stolen', 'X1', '')",
            [luna.pk],
        )

    assert (_branch_codes(aurum), _branch_codes(luna)) == before


def test_moving_a_row_to_another_shop_is_refused(aurum, luna):
    with tenant_context(aurum):
        branch = BranchFactory()
        with (
            pytest.raises(DatabaseError, match="row-level security"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(
                "UPDATE tenants_branch SET tenant_id = %s WHERE id = %s",
                [luna.pk, branch.pk],
            )

        assert Branch.objects.get(pk=branch.pk).tenant_id == aurum.pk
    assert _branch_codes(luna) == []


def test_no_row_can_be_written_with_no_shop_set(aurum):
    before = _branch_codes(aurum)
    with (
        tenant_context(None),
        pytest.raises(DatabaseError, match="row-level security"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "INSERT INTO tenants_branch (tenant_id, name, code, address) "
            "VALUES (%s, 'Orphan', 'X2', '')",
            [aurum.pk],
        )

    assert _branch_codes(aurum) == before


def _database_shop() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('app.tenant_id', true)")
        return cursor.fetchone()[0]


def _in_and_after(transaction_block) -> tuple[str | None, str | None]:
    """The database shop setting inside `transaction_block` and in the next
    transaction on the same connection: in a thread, on a connection of its own,
    outside the test's wrapping transaction."""

    def run():
        try:
            with transaction_block():
                inside = _database_shop()
            return inside, _database_shop()
        finally:
            connection.close()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(run).result()


@pytest.mark.django_db
def test_the_database_shop_setting_dies_with_its_transaction_without_a_reset():
    @contextmanager
    def set_and_never_reset():
        with transaction.atomic():
            set_database_tenant(4242)
            yield

    inside, after = _in_and_after(set_and_never_reset)

    assert inside == "4242"
    assert after in (None, "")


@pytest.mark.django_db
def test_the_shop_setting_ends_with_its_tenant_context():
    inside, after = _in_and_after(lambda: tenant_context(Tenant(pk=4242)))

    assert inside == "4242"
    assert after in (None, "")


def test_every_unique_constraint_and_index_starts_with_tenant():
    for model in tenant_owned_models():
        label = model._meta.label
        for field in model._meta.local_fields:
            assert not field.unique or field.primary_key or field.one_to_one, (
                f"{label}.{field.name} is unique across shops; make it unique "
                "per tenant with a UniqueConstraint(fields=['tenant', ...])"
            )
        for constraint in model._meta.constraints:
            fields = getattr(constraint, "fields", ())
            if fields:
                assert fields[0] == "tenant", f"{label}: {constraint.name}"
        for index in model._meta.indexes:
            assert index.fields[0] == "tenant", f"{label}: {index.name}"
        assert not model._meta.unique_together, f"{label}: use UniqueConstraint"


def test_a_users_rows_in_other_shops_are_readable_to_him_but_never_changeable(
    aurum, luna
):
    user = make_member(aurum, "sales", "both@x.test")
    make_member(luna, "sales", "both@x.test")

    with tenant_context(aurum), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('app.user_id', %s, true)", [str(user.pk)])
        cursor.execute(
            "SELECT count(*) FROM tenants_membership WHERE user_id = %s", [user.pk]
        )
        assert cursor.fetchone() == (2,)  # his own, in both shops
        cursor.execute(
            "UPDATE tenants_membership SET role = 'owner' WHERE user_id = %s", [user.pk]
        )
        updated = cursor.rowcount
        cursor.execute("DELETE FROM tenants_membership WHERE user_id = %s", [user.pk])
        deleted = cursor.rowcount

    assert (updated, deleted) == (1, 1)  # aurum's only
    with tenant_context(luna):
        assert Membership.objects.get(user=user).role == "sales"
