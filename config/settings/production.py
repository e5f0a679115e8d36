"""Production: every secret and host comes from the environment, with no default.

A missing required value stops start-up with one message naming all of them.
"""

import socket

from django.core.exceptions import ImproperlyConfigured

from config.storage import rendition_origins, s3_storages

from .base import *  # noqa: F403
from .base import POSTGRES_OPTIONS, env, logging_config

REQUIRED = ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL")
_missing = [name for name in REQUIRED if not env.str(name, default="")]
if _missing:
    raise ImproperlyConfigured(
        "Karat cannot start: set the environment variable(s) "
        + ", ".join(_missing)
        + " (see .env.prod.example and docs/configuration.md)."
    )


def _own_addresses() -> list[str]:
    try:
        return socket.gethostbyname_ex(socket.gethostname())[2]
    except OSError:
        return []


DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
# The container's health check and Prometheus reach each replica by address, not by
# a shop's hostname. nginx never forwards such a Host: its default_server refuses IP
# and dot-less names (nginx/nginx.conf), so these are only ever seen from inside.
ALLOWED_HOSTS += ["127.0.0.1", *_own_addresses()]
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

DATABASES = {
    "default": env.db("DATABASE_URL", engine="django_prometheus.db.backends.postgresql")
}
# The role web, worker and beat connect as (postgres/init-roles.sh makes it): each
# migrate grants it row privileges, and none to change the ledgers.
DATABASE_APP_ROLE = env("DATABASE_APP_ROLE", default="karat_app")
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("OPTIONS", {}).update(
    POSTGRES_OPTIONS, connect_timeout=5
)

REDIS_URL = env("REDIS_URL")
CACHES = {
    "default": {
        "BACKEND": "django_prometheus.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 2, "SOCKET_TIMEOUT": 2},
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.cache"
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)

# Media on S3 when a bucket is configured (config/storage.py). Without one, media are
# local files, which need a writable volume at DJANGO_MEDIA_ROOT.
_s3 = s3_storages(env)
if _s3:
    STORAGES.update(_s3)  # noqa: F405
    WAGTAILIMAGES_RENDITION_STORAGE = "renditions"
    KARAT_STOREFRONT_IMAGE_ORIGINS = rendition_origins(env)

# Hashed names let nginx cache static files forever.
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
)

# HTTPS is terminated by nginx (or a load balancer), which sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# nginx overwrites X-Forwarded-For with the client address (nginx/includes/proxy.conf).
KARAT_CLIENT_IP_HEADER = env("KARAT_CLIENT_IP_HEADER", default="HTTP_X_FORWARDED_FOR")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# The health probes come over plain HTTP from inside the stack.
SECURE_REDIRECT_EXEMPT = [r"^health/", r"^metrics$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

SILENCED_SYSTEM_CHECKS = [
    # Wagtail's preview panel frames pages from the admin: SAMEORIGIN, not DENY.
    "security.W019",
    # Joining the HSTS preload list binds every subdomain of a shop's domain for
    # years; that is each domain owner's call (DJANGO_SECURE_HSTS_PRELOAD).
    "security.W021",
]

# Outgoing mail (staff invitations): smtp://user:password@host:port, smtp+tls://...
# for STARTTLS on 587, smtp+ssl://... for 465 (django-environ's email URLs).
vars().update(env.email_url("DJANGO_EMAIL_URL", default="smtp://localhost:25"))
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="noreply@localhost")

# No demo password in production: seed_demo makes random ones and prints them.
DEMO_PASSWORD = None

LOGGING = logging_config(
    env("DJANGO_LOG_FORMAT", default="json"), env("DJANGO_LOG_LEVEL", default="INFO")
)
