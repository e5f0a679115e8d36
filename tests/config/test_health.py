import json

from tests.utils import run_python

READY_IN_SUBPROCESS = (
    "import django; django.setup(); from django.test import Client; "
    "r = Client().get('/health/ready'); print(r.status_code); print(r.content.decode())"
)


def test_live_answers_without_touching_the_database(client):
    # No `db` fixture: any query here would raise.
    response = client.get("/health/live")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_ready_answers_200_when_database_cache_and_storage_answer(db, client):
    response = client.get("/health/ready")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": ["cache", "database", "storage"],
    }


def test_probes_are_never_cached(db, client):
    for probe in ["/health/live", "/health/ready"]:
        response = client.get(probe)

        assert "no-cache" in response["Cache-Control"], probe


def _ready_with(env: dict[str, str]) -> tuple[int, dict]:
    result = run_python(READY_IN_SUBPROCESS, "config.settings.test", env)
    assert result.returncode == 0, result.stderr
    status, body = result.stdout.strip().split("\n", 1)
    return int(status), json.loads(body)


def test_ready_names_the_database_when_it_is_unreachable():
    status, body = _ready_with(
        {"DATABASE_URL": "postgres://postgres@127.0.0.1:1/karat"}
    )

    assert status == 503
    assert body["status"] == "unavailable"
    assert body["failed"] == ["database"]
    assert "OperationalError" in body["errors"]["database"]


def test_ready_names_the_cache_when_redis_is_unreachable():
    status, body = _ready_with(
        {
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
            "REDIS_URL": "redis://127.0.0.1:1/0",
        }
    )

    assert status == 503
    assert body["failed"] == ["cache"]
