"""PostgreSQL row-level security for every tenant-owned table.

Applied after each `migrate` (post_migrate), for every concrete subclass of
TenantOwned, so a new model is protected without anyone remembering to. Each table:

- ENABLE and FORCE row level security (FORCE binds the table owner too);
- one policy `tenant_isolation`: a row is visible and writable only when its
  `tenant_id` equals the transaction's `app.tenant_id`. With the setting unset or
  empty, the comparison is NULL, so no row is visible and no row can be written.
- a model that names an `rls_user_field` (the membership model) also shows a
  signed-in user the rows that name them (`app.user_id`), for reading only, which
  is how the admin finds the shops a user works for before one is chosen.

Tables of AppendOnly models (ledgers) get no UPDATE or DELETE privilege.

Wagtail's own tables that hold a shop's data get policies too (`wagtail_policy_sql`),
by what their rows are about: images and documents by their collection (the shop's
own collection and those below it), renditions by their image, and tagged items,
references and search index entries by the object they name. These are ENABLEd but
not FORCEd: migrations and maintenance commands (rebuild_references_index,
update_index) run as the owner role, which sees every row; the application role sees
only the current shop's. Tag names (taggit_tag) and page tables carry none: see
docs/tenancy.md.

The application must connect as a role that neither owns the tables nor is a
superuser nor has BYPASSRLS; `DATABASE_APP_ROLE` names it, and it is granted the
data privileges here. See docs/tenancy.md.
"""

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connections
from taggit.models import TaggedItem
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, ReferenceIndex
from wagtail.search.models import IndexEntry

from back_office.tenancy.models import AppendOnly, TenantOwned, get_tenant_model

POLICY = "tenant_isolation"
OWN_ROWS_POLICY = "own_rows"
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
    statements = [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        f"DROP POLICY IF EXISTS {POLICY} ON {table}",
        f"CREATE POLICY {POLICY} ON {table} USING ({TENANT_MATCH}) "
        f"WITH CHECK ({TENANT_MATCH})",
        f"DROP POLICY IF EXISTS {OWN_ROWS_POLICY} ON {table}",
    ]
    if model.rls_user_field:
        # Reading only: a user's rows in other shops are never his to change.
        column = quote(model._meta.get_field(model.rls_user_field).column)
        statements.append(
            f"CREATE POLICY {OWN_ROWS_POLICY} ON {table} FOR SELECT "
            f"USING ({column} = {CURRENT_USER})"
        )
    return statements


def _shop_collection_ids(quote) -> str:
    """SQL: the ids of the current shop's collection and the collections below it."""
    tenant = get_tenant_model()._meta
    collections = quote(Collection._meta.db_table)
    return (
        f"SELECT c.id FROM {collections} c "  # noqa: S608 - names from the models
        f"JOIN {collections} shop ON c.path LIKE shop.path || '%' "
        f"JOIN {quote(tenant.db_table)} t "
        f"ON shop.id = t.{quote(tenant.get_field('collection').column)} "
        f"WHERE t.id = NULLIF(current_setting('app.tenant_id', true), '')::bigint"
    )


def _object_visible(using: str, content_type: str, object_id: str, text: bool) -> str:
    """SQL: the object a (content type, id) pair names is one the current shop sees,
    for the models whose tables carry row-level security; any other object is."""
    quote = connections[using].ops.quote_name
    cases = []
    for model in [*tenant_owned_models(), get_image_model(), get_document_model()]:
        content_type_id = ContentType.objects.db_manager(using).get_for_model(model).pk
        pk = quote(model._meta.pk.column) + ("::text" if text else "")
        table = quote(model._meta.db_table)
        cases.append(
            f"WHEN {content_type_id} THEN {object_id} "  # noqa: S608 - model names
            f"IN (SELECT {pk} FROM {table})"
        )
    return f"(CASE {content_type} {' '.join(cases)} ELSE true END)"


def wagtail_policy_sql(using: str = "default") -> list[str]:
    quote = connections[using].ops.quote_name
    image, document = get_image_model(), get_document_model()
    in_shop = f"collection_id IN ({_shop_collection_ids(quote)})"
    images = quote(image._meta.db_table)
    visible = {
        image: in_shop,
        document: in_shop,
        image.get_rendition_model(): f"image_id IN (SELECT id FROM {images})",  # noqa: S608
        TaggedItem: _object_visible(using, "content_type_id", "object_id", False),
        ReferenceIndex: (
            _object_visible(using, "content_type_id", "object_id", True)
            + " AND "
            + _object_visible(using, "to_content_type_id", "to_object_id", True)
        ),
        IndexEntry: _object_visible(using, "content_type_id", "object_id", True),
    }
    statements = []
    for model, condition in visible.items():
        table = quote(model._meta.db_table)
        statements += [
            f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
            f"DROP POLICY IF EXISTS {POLICY} ON {table}",
            f"CREATE POLICY {POLICY} ON {table} USING ({condition}) "
            f"WITH CHECK ({condition})",
        ]
    return statements


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
    statements += wagtail_policy_sql(using)
    role = getattr(settings, "DATABASE_APP_ROLE", None)
    if role:
        statements += grant_sql(role)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
