import pytest

from tests.utils import PROJECT_DIR, env_file, run_python

SETUP = (
    "import django; django.setup(); "
    "from django.conf import settings; print(settings.DEBUG)"
)
PRODUCTION_ENV = env_file(PROJECT_DIR / ".env.prod.example")


@pytest.mark.parametrize(
    ("settings_module", "env", "debug"),
    [
        ("config.settings.dev", {}, "True"),
        ("config.settings.test", {}, "False"),
        ("config.settings.production", PRODUCTION_ENV, "False"),
    ],
)
def test_every_settings_mode_loads(settings_module, env, debug):
    result = run_python(SETUP, settings_module, env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == debug


def test_dev_needs_no_configuration_and_uses_sqlite_and_eager_tasks():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, "
        "s.CACHES['default']['BACKEND'].rsplit('.', 1)[1])"
    )
    result = run_python(code, "config.settings.dev", {})

    assert result.returncode == 0, result.stderr
    engine, eager, cache = result.stdout.split()
    assert engine.endswith("sqlite3")
    assert eager == "True"
    assert cache == "LocMemCache"


@pytest.mark.parametrize(
    "missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL"]
)
def test_production_refuses_to_start_without_a_required_value(missing):
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != missing}

    result = run_python(SETUP, "config.settings.production", env)

    assert result.returncode != 0
    assert "Karat cannot start: set the environment variable(s)" in result.stderr
    assert missing in result.stderr


def test_production_names_every_missing_value_at_once():
    result = run_python(SETUP, "config.settings.production", {})

    assert result.returncode != 0
    assert (
        "DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL, REDIS_URL"
        in result.stderr
    )


def test_production_deploy_check_is_clean_with_the_sample_env():
    code = (
        "import sys; from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy', "
        "'--fail-level', 'WARNING'])"
    )
    result = run_python(code, "config.settings.production", PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("email_url", "expected"),
    [
        (None, "smtp.EmailBackend localhost 25 False None None"),
        (
            "smtp+tls://mailer:s3cret@mail.example.com:587",
            "smtp.EmailBackend mail.example.com 587 True mailer s3cret",
        ),
    ],
    ids=["default", "starttls"],
)
def test_production_sends_mail_through_the_smtp_server_its_url_names(
    email_url, expected
):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.EMAIL_BACKEND.rsplit('.', 2)[-2] + '.' + "
        "s.EMAIL_BACKEND.rsplit('.', 1)[1], s.EMAIL_HOST, s.EMAIL_PORT, "
        "s.EMAIL_USE_TLS, s.EMAIL_HOST_USER, s.EMAIL_HOST_PASSWORD)"
    )
    env = {**PRODUCTION_ENV, **({"DJANGO_EMAIL_URL": email_url} if email_url else {})}

    result = run_python(code, "config.settings.production", env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_production_connections_run_without_jit_and_keep_the_urls_options():
    url = PRODUCTION_ENV["DATABASE_URL"] + "?sslmode=require"
    env = {**PRODUCTION_ENV, "DATABASE_URL": url}
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "o = s.DATABASES['default']['OPTIONS']; "
        "print(o['options'], o['sslmode'], o['server_side_binding'], "
        "o['prepare_threshold'])"
    )
    result = run_python(code, "config.settings.production", env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "-c jit=off require True 5"


@pytest.mark.django_db
def test_a_statement_run_again_and_again_is_prepared_on_the_server():
    from django.contrib.auth import get_user_model
    from django.db import connection

    for pk in range(6):
        list(get_user_model().objects.filter(pk=pk))

    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [statement for (statement,) in cursor.fetchall()]
    assert any('FROM "auth_user"' in statement for statement in prepared)


@pytest.mark.django_db
def test_the_applications_database_connection_has_no_jit():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
