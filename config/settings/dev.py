"""Zero-configuration demo and development: SQLite, local media, eager tasks."""

from .base import *  # noqa: F403
from .base import BASE_DIR, env

DEBUG = True
# Dev only: never used outside this module (production requires its own key).
SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key")  # noqa: S105
# Each demo shop is served on its own *.localhost name, which browsers resolve locally.
ALLOWED_HOSTS = ["localhost", "127.0.0.1", ".localhost", "[::1]"]

DATABASES = {
    "default": env.db(
        "DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        engine="django_prometheus.db.backends.sqlite3",
    )
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# A known password keeps the demo logins stable across `make run`s.
DEMO_PASSWORD = env("KARAT_DEMO_PASSWORD", default="karat-demo")  # noqa: S105

# The demo's logins work with their password alone, so that trying Karat needs no
# authenticator app; staff may still turn the second step on. Production requires it.
KARAT_SECOND_FACTOR_REQUIRED = env.bool("KARAT_SECOND_FACTOR_REQUIRED", default=False)
