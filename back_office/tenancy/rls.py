"""PostgreSQL row-level security for every tenant-owned table.

Applied after each `migrate` (post_migrate), for every concrete subclass of
TenantOwned, so a new model is protected without anyone remembering to. Each table:

- ENABLE and FORCE row level security (FORCE binds the table owner too);
- one policy `tenant_isolation`: a row is visible and writable only when its
  `tenant_id` equals the transaction's `app.tenant_id`. With the setting unset or
  empty, the comparison is NULL, so no row is visible and no row can be written.
- a model that names an `rls_user_field` (the membership model) also shows a
  signed-in user the rows that name them (`app.user_id`), which is how the admin
  finds the shops a user works for before one is chosen.

Tables of AppendOnly models (ledgers) get no UPDATE or DELETE privilege.

The application must connect as a role that neither owns the tables nor is a
superuser nor has BYPASSRLS; `DATABASE_APP_ROLE` names it, and it is granted the
data privileges here. See docs/tenancy.md.
"""

from django.apps import apps
from django.conf import settings
from django.db import connections

from back_office.tenancy.models import AppendOnly, TenantOwned

POLICY = "tenant_isolation"
TENANT_MATCH = "tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::bigint"
CURRENT_USER = "NULLIF(current_setting('app.user_id', true), '')::bigint"


def tenant_owned_models():
    return [
        model
        for model in apps.get_models()
        if issubclass(model, TenantOwned) and not model._meta.proxy
    ]


def policy_sql(model) -> list[str]:
    quote = connections["default"].ops.quote_name
    table = quote(model._meta.db_table)
    visible = TENANT_MATCH
    if model.rls_user_field:
        column = quote(model._meta.get_field(model.rls_user_field).column)
        visible = f"({TENANT_MATCH}) OR ({column} = {CURRENT_USER})"
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        f"DROP POLICY IF EXISTS {POLICY} ON {table}",
        f"CREATE POLICY {POLICY} ON {table} USING ({visible}) "
        f"WITH CHECK ({TENANT_MATCH})",
    ]


def grant_sql(role: str) -> list[str]:
    """Data privileges for the application role; none to change the ledgers."""
    quote = connections["default"].ops.quote_name
    role = quote(role)
    statements = [
        "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public "
        f"TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
    ]
    for model in apps.get_models():
        if issubclass(model, AppendOnly):
            table = quote(model._meta.db_table)
            statements.append(f"REVOKE UPDATE, DELETE ON {table} FROM {role}")
    return statements


def apply_row_level_security(using: str = "default", plan=None, **kwargs) -> None:
    connection = connections[using]
    # `flush` (between transactional tests) also sends post_migrate, without a plan,
    # over the application's connection, which may not alter tables.
    if connection.vendor != "postgresql" or plan is None:
        return
    statements = [sql for model in tenant_owned_models() for sql in policy_sql(model)]
    role = getattr(settings, "DATABASE_APP_ROLE", None)
    if role:
        statements += grant_sql(role)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
