import pytest
from django.conf import settings
from django.db import connections


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Run the suite as the application's database role, as production does.

    pytest-django creates and migrates the test database as the owner role (which
    also applies row-level security and grants). The tests then reconnect as
    DATABASE_APP_ROLE, which owns nothing and is no superuser, so RLS binds them:
    an isolation test that passed as a superuser would prove nothing.
    """
    connection = connections["default"]
    owner = connection.settings_dict["USER"]
    app_role = settings.DATABASE_APP_ROLE
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        # Transactional tests empty the tables between tests with TRUNCATE.
        cursor.execute(
            f"GRANT TRUNCATE ON ALL TABLES IN SCHEMA public TO {app_role}"  # noqa: S608
        )
    connection.close()
    connection.settings_dict["USER"] = app_role
    yield
    connection.close()
    connection.settings_dict["USER"] = owner  # the owner drops the test database


@pytest.fixture
def client():
    """The test client; its `force_login` passes the second sign-in step too."""
    from tests.factories.tenants import StaffClient

    return StaffClient()


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache: its worker's own keys (the key prefix),
    deleted one by one, since cache.clear() would flush the Redis database that the
    other workers' tests are using at the same moment."""
    from django.core.cache import cache

    cache.delete_pattern("*")  # django-redis: only keys under this cache's prefix


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded files go to a per-test folder, never the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
