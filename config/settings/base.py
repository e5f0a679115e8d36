"""Settings shared by every mode. Mode modules (dev, test, production) set the rest.

Values that differ between deployments come from the environment (django-environ;
`DJANGO_` prefix for Django's own settings): see docs/configuration.md.
"""

from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

# Application definition

INSTALLED_APPS = [
    "catalog",
    "back_office.tenancy",
    "back_office.tenants",
    "back_office.inventory",
    "back_office.sales",
    "demo",
    "wagtail.contrib.forms",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_prometheus",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    # Outermost, so the metrics count every request and its full latency.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "config.middleware.RequestIdMiddleware",
    "config.middleware.RejectNulBytesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before the session and the shop are looked at: a warm storefront page is
    # answered from Redis without touching PostgreSQL (catalog/cache.py).
    "catalog.cache.StorefrontCacheMiddleware",
    # Inside the cache, so a cached page keeps its policy.
    "catalog.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Before the shop is chosen: a session that has not passed the second step
    # reaches no shop's data.
    "back_office.tenants.middleware.SecondFactorMiddleware",
    # After authentication: admin requests find their shop through the user.
    "back_office.tenancy.middleware.TenantMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Turns a refused sign-in of a locked-out account or address into its page.
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "site" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "catalog.context_processors.storefront",
            ],
        },
    },
]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Every PostgreSQL connection (production and tests; the mode modules add it):
# - no JIT: the storefront's listing is one large statement run per request, and
#   PostgreSQL's JIT spent about a second compiling it each time, ten times what
#   running it takes;
# - parameters bound by the server, so a statement run five times on a connection
#   is prepared there and not parsed and planned again: completing a sale went
#   from 21 to 17 ms (docs/scaling.md). A pooler in transaction mode between
#   Django and PostgreSQL cannot keep prepared statements: such a deployment needs
#   prepare_threshold None.
POSTGRES_OPTIONS = {
    "options": "-c jit=off",
    "server_side_binding": True,
    "prepare_threshold": 5,
}

AUTHENTICATION_BACKENDS = [
    # First: refuses every sign-in of a locked-out account or address.
    "axes.backends.AxesStandaloneBackend",
    # A user's role permissions count only in the shop the request runs as.
    "back_office.tenancy.permissions.ShopPermissionBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalization

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Static files and media

STATIC_URL = "/static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "site" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Wagtail's page editor posts many fields for rich pages.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Security defaults that hold in every mode; production tightens the rest.

# Only staff have sessions (the storefront sets no cookie): a working day's length.
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Wagtail's preview panel frames the site from the admin on the same origin.
X_FRAME_OPTIONS = "SAMEORIGIN"

# Tenancy (docs/tenancy.md)

# The models the tenancy framework (back_office/tenancy) works with.
TENANCY_TENANT_MODEL = "tenants.Tenant"
TENANCY_MEMBERSHIP_MODEL = "tenants.Membership"
# Hostnames that belong to the platform itself (its landing page and admin), not a shop.
TENANCY_PLATFORM_HOSTNAMES = env.list(
    "KARAT_PLATFORM_HOSTNAMES", default=["127.0.0.1", "localhost"]
)
# Paths that run as no shop: probes, metrics and files.
TENANCY_EXEMPT_PATHS = ("/health/", "/metrics", "/static/", "/media/")
# What a suspended shop's staff may still post to: signing in and out, switching
# shop, and their own account (its password, its second sign-in step).
TENANCY_SUSPENDED_ALLOWED = (
    "/admin/login/",
    "/admin/logout/",
    "/admin/second-step/",
    "/admin/account/",
    "/admin/shop/switch/",
)
# The PostgreSQL role the application connects as in production; it is granted
# data privileges (never ownership) after each migrate. See back_office/tenancy/rls.py.
DATABASE_APP_ROLE = env("DATABASE_APP_ROLE", default=None)
# The storefront's page cache (catalog/cache.py): on, and how long an entry lives
# at most (a change retires it at once; this only bounds the memory).
KARAT_STOREFRONT_CACHE = env.bool("KARAT_STOREFRONT_CACHE", default=True)
KARAT_STOREFRONT_CACHE_SECONDS = 10 * 60
# Origins besides the site's own that storefront pages load photos from (the S3
# renditions' domain: production sets it from the storage settings). Nothing else is
# loaded from another origin: the Content Security Policy (catalog/middleware.py).
KARAT_STOREFRONT_IMAGE_ORIGINS: list[str] = []
# Where a piece's storefront page is: a function of the shop giving the address its
# pieces' pages start with ("https://aurum.example/catalog/"), or "" (inventory's
# price tags put it in their QR code; the storefront knows it).
INVENTORY_PIECE_PAGES = "catalog.queries.piece_pages"
# The page type of a new shop's storefront root (tenants.services.create_tenant).
TENANTS_HOME_PAGE_MODEL = "catalog.HomePage"
# How long the link of an invitation to a shop's staff works.
TENANTS_INVITATION_DAYS = 7

# Staff sign-in (docs/security.md). Five wrong passwords in a row lock the account,
# and separately the address they came from, for 15 minutes; an operator can lift a
# lockout sooner (manage.py axes_reset_username / axes_reset_ip).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Failures expire with the cool-off, not at a success: Axes clears by each parameter
# alone, so anyone's good sign-in from an address would wipe the failures of every
# account guessed at from there.
AXES_RESET_ON_SUCCESS = False
AXES_USERNAME_CALLABLE = "back_office.tenants.signals.attempted_username"
AXES_CLIENT_IP_CALLABLE = "config.middleware.client_ip"
AXES_LOCKOUT_CALLABLE = "back_office.tenants.views.locked_out"
# Sign-ins are kept in each shop's history; Axes keeps only the failures it counts.
AXES_DISABLE_ACCESS_LOG = True
# The request header nginx puts the client's address in (it overwrites any the
# client sent); unset, the address is the connection's own (REMOTE_ADDR).
KARAT_CLIENT_IP_HEADER = env("KARAT_CLIENT_IP_HEADER", default=None)
# Owners, managers and operators must sign in with a second step (an authenticator app's
# code or a recovery code); other staff may choose to. Off only in the demo.
KARAT_SECOND_FACTOR_REQUIRED = True
OTP_TOTP_ISSUER = "Karat"

# The demo (seed_demo): pieces per demo shop, and days of sales history.
DEMO_PIECES_PER_SHOP = 64
DEMO_SALES_DAYS = 90

# Celery

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/1")
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    "refresh-metal-rates": {
        "task": "back_office.inventory.tasks.refresh_metal_rates",
        "schedule": 15 * 60,
    },
    "release-expired-reservations": {
        "task": "back_office.sales.tasks.release_expired_reservations",
        "schedule": 5 * 60,
    },
}

# Metal rates (docs/pricing.md): the platform-wide JSON provider, for shops whose feed
# names none, and how long to wait for it before keeping the rates in force.
KARAT_RATE_PROVIDER_URL = env("KARAT_RATE_PROVIDER_URL", default="")
KARAT_RATE_FETCH_TIMEOUT = env.float("KARAT_RATE_FETCH_TIMEOUT", default=5.0)

# Wagtail

WAGTAIL_SITE_NAME = "Karat"
# No outside avatar service: a shop's network may not reach it, and it would learn
# every staff email's hash. Staff get Wagtail's own default avatar or one they upload.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "txt", "xlsx"]
# Documents download through Karat's view (back_office/tenancy/views.py), which serves
# a document only on its own shop's hostname; their files are private in storage.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Wagtail's default list, spelled out: no HEIC. Without "heic" here the upload field's
# accept attribute omits image/heic, so iPhones convert their photos to JPEG before
# sending them, and the image carries no HEIF codecs (26 MB; Dockerfile.prod).
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024

# Logging: one line per event; `request_id` ties a request's lines together.

LOG_FORMAT = env("DJANGO_LOG_FORMAT", default="readable")
LOG_LEVEL = env("DJANGO_LOG_LEVEL", default="INFO")


def logging_config(log_format: str, level: str) -> dict:
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "config.logging.RequestIdFilter"}},
        "formatters": {
            "readable": {
                "format": "%(asctime)s %(levelname)-7s %(name)s "
                "[%(request_id)s] %(message)s",
            },
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": ["asctime", "levelname", "name", "message", "request_id"],
                "rename_fields": {"asctime": "time", "levelname": "level"},
            },
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": log_format,
                "filters": ["request_id"],
            },
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django": {"handlers": ["console"], "level": level, "propagate": False},
            # Wagtail's background tasks log every run at INFO; keep only problems.
            "django_tasks": {"level": "WARNING"},
            # Axes logs each sign-in's bookkeeping at INFO; sign-ins, failures and
            # lockouts are logged (and kept in the shops' history) by tenants.
            "axes": {"level": "WARNING"},
        },
    }


LOGGING = logging_config(LOG_FORMAT, LOG_LEVEL)
