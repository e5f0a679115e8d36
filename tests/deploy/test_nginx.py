"""nginx/ for real: `nginx -t` on the shipped files, then Debian's nginx with the same
configuration in front of Gunicorn serving the app with production settings.

The live run substitutes only what differs outside compose: loopback ports instead
of 80/8081/web:8000 and temporary folders instead of the container's paths.
"""

import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import pytest

from tests.deploy.conftest import free_port, production_env, wait_for_http
from tests.utils import PROJECT_DIR

pytestmark = pytest.mark.slow

NGINX_DIR = PROJECT_DIR / "nginx"
SHOP = "shop.example.com"
CONTAINER_TMP = "/tmp/"  # noqa: S108 - the nginx container's tmpfs, replaced here
SECURITY_HEADERS = [
    "Strict-Transport-Security",
    "X-Content-Type-Options",
    "X-Frame-Options",
    "Referrer-Policy",
    "Content-Security-Policy",
]


def test_shipped_config_passes_nginx_t(tmp_path):
    # The files at the path compose mounts them on, in a private mount namespace.
    etc = tmp_path / "etc-nginx"
    shutil.copytree("/etc/nginx", etc)
    shutil.copytree(NGINX_DIR, etc / "karat")
    script = (
        f"mount --bind {etc} /etc/nginx && mount -t tmpfs tmpfs /tmp && "
        "nginx -t -c /etc/nginx/karat/nginx.conf"
    )

    result = subprocess.run(
        ["unshare", "--mount", "sh", "-c", script],
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


class Stack:
    """nginx on `port`, internal server on `status_port`, Gunicorn on `web_port`."""

    def __init__(self, root: Path, database_url: str):
        self.root = root
        self.database_url = database_url
        self.port, self.status_port, self.web_port = (
            free_port(),
            free_port(),
            free_port(),
        )
        self.static = root / "static"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
            **production_env(
                database_url,
                DJANGO_STATIC_ROOT=str(self.static),
                DJANGO_LOG_LEVEL="CRITICAL",
                PORT=str(self.web_port),
                GUNICORN_WORKERS="2",
            ),
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
        }
        self.processes = []

    def manage(self, *args: str) -> None:
        subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=PROJECT_DIR, env=self.env, check=True, capture_output=True,
        )  # fmt: skip

    def nginx_config(self) -> Path:
        conf = self.root / "karat"
        shutil.copytree(NGINX_DIR, conf)
        for path in conf.rglob("*.conf"):
            text = path.read_text()
            for old, new in [
                (CONTAINER_TMP, f"{self.root}/"),
                ("/etc/nginx/karat", str(conf)),
                ("/srv/static/", f"{self.static}/"),
                ("http://web:8000", f"http://127.0.0.1:{self.web_port}"),
            ]:
                text = text.replace(old, new)
            text = re.sub(r"listen 80\b", f"listen 127.0.0.1:{self.port}", text)
            text = re.sub(
                r"listen 8081\b", f"listen 127.0.0.1:{self.status_port}", text
            )
            path.write_text(text)
        return conf / "nginx.conf"

    def start(self) -> None:
        self.manage("migrate", "--noinput")
        self.manage("collectstatic", "--noinput")
        # nginx's workers run as nobody: they must be able to read the static files.
        for path in [self.root, *self.root.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        log = (self.root / "gunicorn.log").open("w")
        self.processes.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "-c",
                    "config/gunicorn.py",
                    "config.wsgi",
                ],
                cwd=PROJECT_DIR,
                env=self.env,
                stdout=log,
                stderr=log,
            )  # fmt: skip
        )
        nginx_log = (self.root / "nginx.log").open("w")
        self.processes.append(
            subprocess.Popen(
                ["nginx", "-c", str(self.nginx_config()), "-g", "daemon off;"],
                stdout=nginx_log,
                stderr=nginx_log,
            )  # fmt: skip
        )
        wait_for_http(self.web_port, "/health/live")
        wait_for_http(self.port, host=SHOP)

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
            process.wait(timeout=30)

    def request(self, path, host=SHOP, method="GET", headers=None, port=None):
        conn = http.client.HTTPConnection("127.0.0.1", port or self.port, timeout=10)
        conn.request(method, path, headers={"Host": host, **(headers or {})})
        response = conn.getresponse()
        response.read()
        conn.close()
        return response


@pytest.fixture(scope="module")
def stack(deploy_database):
    root = Path(tempfile.mkdtemp(prefix="karat-nginx-"))
    stack = Stack(root, deploy_database)
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()
        for log in root.glob("*.log"):
            print(log.read_text()[-3000:])
        shutil.rmtree(root)


def test_hashed_static_file_is_cached_forever(stack):
    manifest = (stack.static / "staticfiles.json").read_text()
    hashed = re.search(r'"css/site.css": "([^"]+)"', manifest).group(1)

    response = stack.request(f"/static/{hashed}")

    assert response.status == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_unhashed_static_file_is_cached_briefly(stack):
    response = stack.request("/static/css/site.css")

    assert response.status == 200
    assert response.headers["Cache-Control"] == "public, max-age=300"


def test_text_is_gzipped(stack):
    response = stack.request(
        "/static/css/site.css", headers={"Accept-Encoding": "gzip"}
    )

    assert response.headers["Content-Encoding"] == "gzip"


def test_shop_host_reaches_django_with_nginx_request_id(stack):
    response = stack.request("/health/ready")

    assert response.status == 200
    # Django echoes the id nginx generated ($request_id: 32 hex digits).
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])


def test_any_dns_name_passes_to_django_which_refuses_unknown_ones(stack):
    response = stack.request("/health/ready", host="unknown-shop.example.net")

    assert response.status == 400


def test_client_cannot_claim_https(stack):
    # nginx overwrites X-Forwarded-Proto with its own scheme, so Django redirects.
    response = stack.request("/", headers={"X-Forwarded-Proto": "https"})

    assert response.status == 301
    assert response.headers["Location"] == f"https://{SHOP}/"


def _raw_response(stack, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", stack.port), timeout=5) as sock:
        sock.sendall(request)
        return sock.recv(1024)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]", "web"])
def test_requests_for_ip_or_dotless_hosts_are_dropped(stack, host):
    # 444: the connection is closed without a response.
    assert (
        _raw_response(stack, f"GET / HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()) == b""
    )


def test_requests_without_host_are_dropped(stack):
    assert _raw_response(stack, b"GET / HTTP/1.0\r\n\r\n") == b""


def test_empty_host_is_refused_by_nginx_itself(stack):
    response = _raw_response(stack, b"GET / HTTP/1.1\r\nHost: \r\n\r\n")

    assert response.startswith(b"HTTP/1.1 400")
    assert b"Server: nginx" in response


def test_upload_over_the_limit_is_refused_by_nginx(stack):
    response = stack.request(
        "/admin/images/add/",
        method="POST",
        headers={"Content-Length": str(25 * 1024 * 1024)},
    )

    assert response.status == 413


@pytest.mark.parametrize("path", ["/admin/login/", "/shop/ring/reserve/"])
def test_bursts_on_login_and_reservation_are_rate_limited(stack, path):
    statuses = [stack.request(path).status for _ in range(15)]

    assert statuses[0] != 429
    assert statuses[-1] == 429


def test_metrics_are_refused_publicly_but_served_on_the_backend(stack):
    public = stack.request("/metrics")
    backend = stack.request("/metrics", host="127.0.0.1", port=stack.web_port)
    stub = stack.request("/stub_status", host="127.0.0.1", port=stack.status_port)

    assert public.status == 404
    assert backend.status == 200
    assert stub.status == 200


def _assert_each_security_header_once(response):
    for name in SECURITY_HEADERS:
        assert len(response.headers.get_all(name) or []) == 1, name


def test_security_headers_once_on_django_200_and_404(stack):
    ok = stack.request("/health/live")
    not_found = stack.request("/health/no-such-page/")

    assert (ok.status, not_found.status) == (200, 404)
    _assert_each_security_header_once(ok)
    _assert_each_security_header_once(not_found)


def test_security_headers_once_on_static_and_nginx_errors(stack):
    static = stack.request("/static/css/site.css")
    refused = stack.request("/metrics")
    too_large = stack.request(
        "/", method="POST", headers={"Content-Length": str(25 * 1024 * 1024)}
    )

    for response in (static, refused, too_large):
        _assert_each_security_header_once(response)


def test_security_headers_once_on_django_500(stack):
    # A real server error: the database loses a table every page needs.
    with psycopg.connect(stack.database_url, autocommit=True) as conn:
        conn.execute("ALTER TABLE wagtailcore_site RENAME TO wagtailcore_site_away")
        try:
            response = stack.request("/health/any-page/")
        finally:
            conn.execute("ALTER TABLE wagtailcore_site_away RENAME TO wagtailcore_site")

    assert response.status == 500
    _assert_each_security_header_once(response)


def test_nginx_logs_json_with_request_and_upstream_time(stack):
    stack.request("/health/live")
    time.sleep(0.2)
    line = (stack.root / "nginx.log").read_text().strip().splitlines()[-1]

    assert '"request_time":' in line
    assert '"upstream_time":"0.' in line
