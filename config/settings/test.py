"""The test suite: real PostgreSQL and Redis (localhost unless the environment says)."""

import os

from .base import *  # noqa: F403
from .base import POSTGRES_OPTIONS, env

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["localhost", "127.0.0.1", ".localhost", "testserver"]

DATABASES = {
    "default": env.db(
        "DATABASE_URL",
        # The owner role creates the test database and runs migrations; the suite
        # then connects as DATABASE_APP_ROLE (tests/conftest.py), as production does.
        default="postgres://karat_owner@127.0.0.1:5432/karat",
        engine="django_prometheus.db.backends.postgresql",
    )
}

# Test runs on one machine may overlap (several checkouts, CI): each run gets its
# own database names (pytest-xdist adds _gw0, _gw1... per worker).
_RUN = env("PYTEST_XDIST_TESTRUNUID", default=str(os.getpid()))[:8]
DATABASES["default"]["TEST"] = {"NAME": f"test_karat_{_RUN}"}
DATABASES["default"].setdefault("OPTIONS", {}).update(POSTGRES_OPTIONS)

# Parallel test workers share one Redis: keep their keys apart.
_WORKER = f"{_RUN}-{env('PYTEST_XDIST_WORKER', default='main')}"
CACHES = {
    "default": {
        "BACKEND": "django_prometheus.cache.backends.redis.RedisCache",
        "LOCATION": env("REDIS_URL", default="redis://127.0.0.1:6379/0"),
        "KEY_PREFIX": f"test-{_WORKER}",
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 2, "SOCKET_TIMEOUT": 2},
    }
}

DATABASE_APP_ROLE = env("DATABASE_APP_ROLE", default="karat_app")

CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEMO_PASSWORD = "karat-demo"  # noqa: S105
DEMO_PIECES_PER_SHOP = 8  # enough to show every kind of stock, quick to make
DEMO_SALES_DAYS = 3
