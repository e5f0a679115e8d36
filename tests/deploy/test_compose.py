"""docker-compose.prod.yml: valid for both validators, and hardened throughout."""

import shutil
import subprocess

import pytest
import yaml

from tests.utils import PROJECT_DIR, env_file

COMPOSE_FILE = PROJECT_DIR / "docker-compose.prod.yml"
COMPOSE = yaml.safe_load(COMPOSE_FILE.read_text())
SERVICES = COMPOSE["services"]
ONE_OFF = {"migrate", "publish-static"}
LONG_RUNNING = set(SERVICES) - ONE_OFF
APP_ROLES = {"web", "worker", "beat"}


@pytest.fixture
def project(tmp_path):
    """The compose file with an env file made from the documented example."""
    shutil.copy(COMPOSE_FILE, tmp_path)
    shutil.copy(PROJECT_DIR / ".env.prod.example", tmp_path / ".env.prod")
    return tmp_path


def test_docker_compose_accepts_the_file(project):
    result = subprocess.run(
        ["docker-compose", "-f", "docker-compose.prod.yml", "config", "-q"],
        cwd=project, capture_output=True, text=True, check=False,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr


def test_file_matches_the_compose_spec_schema(tools):
    result = subprocess.run(
        [tools / "check-jsonschema", "--builtin-schema", "vendor.compose-spec",
         COMPOSE_FILE],
        capture_output=True, text=True, check=False,
    )  # fmt: skip

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_every_service_is_hardened_and_limited(name):
    service = SERVICES[name]

    assert service["read_only"] is True
    assert service["cap_drop"] == ["ALL"]
    assert service["security_opt"] == ["no-new-privileges:true"]
    assert service["init"] is True
    assert {"cpus", "memory"} <= set(service["deploy"]["resources"]["limits"])


@pytest.mark.parametrize("name", sorted(LONG_RUNNING))
def test_every_long_running_service_restarts_and_has_a_health_check(name):
    service = SERVICES[name]

    assert service["restart"] == "unless-stopped"
    assert service["healthcheck"]["test"][0] in {"CMD", "CMD-SHELL"}


def test_one_off_services_run_once():
    assert {SERVICES[name]["restart"] for name in ONE_OFF} == {"no"}


def test_only_nginx_publishes_ports_and_joins_the_frontend():
    publishing = {name for name, service in SERVICES.items() if "ports" in service}
    frontend = {
        name for name, service in SERVICES.items() if "frontend" in service["networks"]
    }

    assert publishing == {"nginx"}
    assert frontend == {"nginx"}


def test_capabilities_are_added_back_only_to_nginx():
    added = {
        name: service["cap_add"]
        for name, service in SERVICES.items()
        if "cap_add" in service
    }

    assert added == {"nginx": ["NET_BIND_SERVICE", "SETUID", "SETGID", "CHOWN"]}


def test_web_has_two_replicas_and_beat_exactly_one():
    assert SERVICES["web"]["deploy"]["replicas"] == 2
    assert SERVICES["beat"]["deploy"]["replicas"] == 1


def test_app_roles_wait_for_migrations_to_complete():
    for name in APP_ROLES:
        condition = SERVICES[name]["depends_on"]["migrate"]["condition"]
        assert condition == "service_completed_successfully", name


def test_graceful_stop_outlasts_gunicorn_graceful_timeout():
    from config import gunicorn

    grace = int(SERVICES["web"]["stop_grace_period"].removesuffix("s"))

    assert grace > gunicorn.graceful_timeout


def test_data_lives_in_named_volumes():
    named = set(COMPOSE["volumes"])
    mounts = {
        "postgres": "pgdata:/var/lib/postgresql/data",
        "redis": "redisdata:/data",
        "prometheus": "prometheus:/prometheus",
        "grafana": "grafana:/var/lib/grafana",
    }

    for name, mount in mounts.items():
        assert mount in SERVICES[name]["volumes"]
        assert mount.split(":")[0] in named


def test_env_example_names_every_password_the_stack_reads():
    documented = env_file(PROJECT_DIR / ".env.prod.example")
    required = [
        "DJANGO_SECRET_KEY",
        "DJANGO_ALLOWED_HOSTS",
        "DATABASE_URL",
        "REDIS_URL",
    ]

    assert list(documented)[:4] == required
    assert {
        "MIGRATE_DATABASE_URL",
        "POSTGRES_PASSWORD",
        "KARAT_OWNER_PASSWORD",
        "KARAT_APP_PASSWORD",
        "REDIS_PASSWORD",
        "DATA_SOURCE_NAME",
        "GF_SECURITY_ADMIN_PASSWORD",
    } <= set(documented)
