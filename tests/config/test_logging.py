import io
import json
import logging
import logging.config

import pytest
from django.conf import settings

from config.settings.base import logging_config


def test_request_id_is_generated_and_returned(client):
    response = client.get("/health/live")

    assert len(response["X-Request-ID"]) == 32


def test_request_id_from_the_proxy_is_kept(client):
    response = client.get("/health/live", HTTP_X_REQUEST_ID="nginx-abc12345")

    assert response["X-Request-ID"] == "nginx-abc12345"


@pytest.mark.parametrize(
    "forged", ["x\ninjected log line", "nginx-abc12345\n", "nginx-abc12345\r\n"]
)
def test_request_id_that_could_forge_log_lines_is_replaced(client, forged):
    response = client.get("/health/live", HTTP_X_REQUEST_ID=forged)

    assert response.status_code == 200
    assert response["X-Request-ID"] != forged
    assert len(response["X-Request-ID"]) == 32


@pytest.fixture
def json_log():
    """Configure logging as production does, writing to a buffer."""
    stream = io.StringIO()
    config = logging_config("json", "INFO")
    config["handlers"]["console"]["stream"] = stream
    logging.config.dictConfig(config)
    yield stream
    logging.config.dictConfig(settings.LOGGING)


def test_production_logs_one_json_line_per_event_with_the_request_id(
    client, json_log, db
):
    client.get("/no-such-page/", HTTP_X_REQUEST_ID="req-12345678")

    lines = json_log.getvalue().splitlines()
    events = [json.loads(line) for line in lines]
    not_found = next(e for e in events if e["name"] == "django.request")
    assert not_found["level"] == "WARNING"
    assert "Not Found" in not_found["message"]
    assert not_found["request_id"] == "req-12345678"
