"""nginx/ for real: `nginx -t` on the shipped files, then Debian's nginx with the same
configuration in front of Gunicorn serving the app with production settings.

The live run substitutes only what differs outside compose: loopback ports instead
of 80/8081/web:8000 and temporary folders instead of the container's paths.

The microcache is exercised in front of a stand-in upstream that answers each path
as the test sets it and counts the requests that reach it: "not stored" is proven
by the next request reaching it again.
"""

import http.client
import http.server
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
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


def local_nginx_config(
    root: Path, port: int, status_port: int, web_port: int, static: Path, **changes
) -> Path:
    """A copy of nginx/ in `root` for loopback ports and folders; `changes` maps
    further text to its replacement."""
    conf = root / "karat"
    shutil.copytree(NGINX_DIR, conf)
    for path in conf.rglob("*.conf"):
        text = path.read_text()
        for old, new in [
            (CONTAINER_TMP, f"{root}/"),
            ("/etc/nginx/karat", str(conf)),
            ("/srv/static/", f"{static}/"),
            ("http://web:8000", f"http://127.0.0.1:{web_port}"),
            *changes.items(),
        ]:
            text = text.replace(old, new)
        text = re.sub(r"listen 80\b", f"listen 127.0.0.1:{port}", text)
        text = re.sub(r"listen 8081\b", f"listen 127.0.0.1:{status_port}", text)
        path.write_text(text)
    return conf / "nginx.conf"


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
        return local_nginx_config(
            self.root, self.port, self.status_port, self.web_port, self.static
        )

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


# The microcache (nginx/includes/microcache.conf)

SHIPPED_WINDOW = "proxy_cache_valid 200 410 5s;"
WINDOW = 1  # seconds: the shipped window, shortened so expiry tests wait less
# nginx keeps time in whole seconds: an entry of a 1 s window may live almost 2 s.
PAST_WINDOW = WINDOW + 1.2


class StandIn(http.server.ThreadingHTTPServer):
    """The web replicas' stand-in: answers a path with the status and headers a
    test set for it (200 and no headers otherwise), and counts who reached it."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), StandInHandler)
        self.answers: dict[str, tuple[int, dict]] = {}
        self.hits: Counter = Counter()
        self.lock = threading.Lock()

    def answer(self, path: str, status: int = 200, **headers: str) -> None:
        self.answers[path] = (
            status,
            {k.replace("_", "-"): v for k, v in headers.items()},
        )


class StandInHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _answer(self):
        server = self.server
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        with server.lock:
            server.hits[self.command, self.path] += 1
            count = server.hits[self.command, self.path]
        status, headers = server.answers.get(self.path, (200, {}))
        body = f"{self.command} {self.path} answer {count}".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        # As Django's RequestIdMiddleware does: the id nginx sent comes back.
        self.send_header("X-Request-ID", self.headers.get("X-Request-ID", ""))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_POST = do_HEAD = _answer

    def log_message(self, *args):
        pass


class Microcache:
    """The shipped nginx/ on loopback in front of a StandIn."""

    def __init__(self, root: Path):
        self.root = root
        # nginx's workers run as nobody: they keep the cache under this folder.
        root.chmod(0o755)
        self.port, self.status_port = free_port(), free_port()
        self.upstream = StandIn()
        threading.Thread(target=self.upstream.serve_forever, daemon=True).start()
        assert SHIPPED_WINDOW in (NGINX_DIR / "includes/microcache.conf").read_text()
        config = local_nginx_config(
            root,
            self.port,
            self.status_port,
            self.upstream.server_address[1],
            root / "static",
            **{SHIPPED_WINDOW: f"proxy_cache_valid 200 410 {WINDOW}s;"},
        )
        self.log = (root / "nginx.log").open("w")
        self.nginx = subprocess.Popen(
            ["nginx", "-c", str(config), "-g", "daemon off;"],
            stdout=self.log,
            stderr=self.log,
        )
        wait_for_http(self.port, "/health/live", host=SHOP)

    def stop(self) -> None:
        self.nginx.terminate()
        self.nginx.wait(timeout=30)
        self.upstream.shutdown()
        self.upstream.server_close()

    def request(self, path, host=SHOP, method="GET", headers=None, body=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        conn.request(method, path, body=body, headers={"Host": host, **(headers or {})})
        response = conn.getresponse()
        response.text = response.read().decode()
        conn.close()
        return response

    def hits(self, path, method="GET") -> int:
        return self.upstream.hits[method, path]


@pytest.fixture(scope="module")
def microcache():
    root = Path(tempfile.mkdtemp(prefix="karat-microcache-"))
    stack = Microcache(root)
    try:
        yield stack
    finally:
        stack.stop()
        print((root / "nginx.log").read_text()[-3000:])
        shutil.rmtree(root)


@pytest.fixture
def page():
    """A storefront URL no other test has asked for."""
    return f"/catalog/?metal=gold&sort=price&n={uuid.uuid4().hex}"


def test_second_anonymous_get_within_the_window_is_a_hit(microcache, page):
    first = microcache.request(page)
    second = microcache.request(page)

    assert (first.status, first.headers["X-Cache-Status"]) == (200, "MISS")
    assert (second.status, second.headers["X-Cache-Status"]) == (200, "HIT")
    assert second.text == first.text
    assert microcache.hits(page) == 1


def test_kept_page_is_fetched_again_after_the_window(microcache, page):
    microcache.request(page)
    time.sleep(PAST_WINDOW)

    again = microcache.request(page)

    assert again.headers["X-Cache-Status"] == "EXPIRED"
    assert again.text.endswith("answer 2")


def test_pages_are_kept_per_hostname(microcache, page):
    microcache.request(page, host="aurum.example.com")

    other_shop = microcache.request(page, host="luna.example.com")

    assert other_shop.headers["X-Cache-Status"] == "MISS"
    assert microcache.hits(page) == 2


def test_pages_are_kept_per_query_string(microcache, page):
    microcache.request(page)

    other_filter = microcache.request(page.replace("gold", "silver"))

    assert other_filter.headers["X-Cache-Status"] == "MISS"
    assert other_filter.text.startswith(f"GET {page.replace('gold', 'silver')} ")


def test_request_with_session_cookie_bypasses_and_is_never_stored(microcache, page):
    staff = {"Cookie": "csrftoken=abc; sessionid=staff-session"}

    first = microcache.request(page, headers=staff)
    second = microcache.request(page, headers=staff)
    anonymous = microcache.request(page)

    assert [first.headers["X-Cache-Status"], second.headers["X-Cache-Status"]] == [
        "BYPASS",
        "BYPASS",
    ]
    # The staff member's page was not kept for customers.
    assert anonymous.headers["X-Cache-Status"] == "MISS"
    assert microcache.hits(page) == 3


def test_anonymous_visitor_with_only_a_csrf_cookie_is_served_from_the_cache(
    microcache, page
):
    microcache.request(page)

    visitor = microcache.request(page, headers={"Cookie": "csrftoken=abc"})

    assert visitor.headers["X-Cache-Status"] == "HIT"


def test_post_is_never_cached(microcache, page):
    posts = [
        microcache.request(page, method="POST", body=b"name=Maya") for _ in range(2)
    ]
    get = microcache.request(page)

    assert [p.headers.get("X-Cache-Status") for p in posts] == [None, None]
    assert microcache.hits(page, "POST") == 2
    assert get.headers["X-Cache-Status"] == "MISS"


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/pages/3/edit/",
        "/admin",
        "/documents/7/price-list.pdf",
        "/health/ready",
    ],
)
def test_back_office_documents_and_probes_are_never_cached(microcache, path):
    path = f"{path}?n={uuid.uuid4().hex}"

    statuses = [microcache.request(path).headers["X-Cache-Status"] for _ in range(2)]

    assert statuses == ["BYPASS", "BYPASS"]
    assert microcache.hits(path) == 2


@pytest.mark.parametrize(
    "headers",
    [
        {"Cache_Control": "private, no-store"},
        {"Cache_Control": "no-cache"},
        {"Set_Cookie": "csrftoken=fresh; Path=/; SameSite=Lax"},
        {"Vary": "*"},
    ],
    ids=["private-no-store", "no-cache", "set-cookie", "vary-star"],
)
def test_response_django_marks_unshareable_is_not_stored(microcache, page, headers):
    microcache.upstream.answer(page, 200, **headers)

    first = microcache.request(page)
    second = microcache.request(page)

    assert first.status == second.status == 200
    assert second.headers["X-Cache-Status"] == "MISS"
    assert microcache.hits(page) == 2


def test_sold_piece_answer_410_is_kept(microcache, page):
    microcache.upstream.answer(page, 410)

    microcache.request(page)
    second = microcache.request(page)

    assert (second.status, second.headers["X-Cache-Status"]) == (410, "HIT")


def test_not_found_is_not_kept(microcache, page):
    microcache.upstream.answer(page, 404)

    microcache.request(page)
    second = microcache.request(page)

    assert second.status == 404
    assert microcache.hits(page) == 2


@pytest.mark.parametrize(
    ("status", "headers"),
    [
        (404, {}),  # unpublished, or the piece taken off the storefront
        (503, {}),  # the shop is suspended: "temporarily closed"
        (200, {"Set_Cookie": "csrftoken=x; Path=/"}),  # now behind a password form
    ],
    ids=["taken-down", "suspended", "restricted"],
)
def test_page_that_changed_is_not_served_from_its_old_entry(
    microcache, page, status, headers
):
    microcache.request(page)
    microcache.upstream.answer(page, status, **headers)
    time.sleep(PAST_WINDOW)

    later = [microcache.request(page) for _ in range(3)]

    assert [r.status for r in later] == [status] * 3
    assert not any(r.text.endswith("answer 1") for r in later)


@pytest.mark.parametrize("status", [500, 502])
def test_last_page_is_served_while_the_app_fails(microcache, page, status):
    microcache.request(page)
    microcache.upstream.answer(page, status)
    time.sleep(PAST_WINDOW)

    during = microcache.request(page)

    assert (during.status, during.headers["X-Cache-Status"]) == (200, "STALE")
    assert during.text.endswith("answer 1")


def test_kept_page_carries_its_own_request_id(microcache, page):
    first = microcache.request(page)
    second = microcache.request(page)

    assert second.headers["X-Cache-Status"] == "HIT"
    ids = [
        first.headers.get_all("X-Request-ID"),
        second.headers.get_all("X-Request-ID"),
    ]
    assert all(
        len(found) == 1 and re.fullmatch(r"[0-9a-f]{32}", found[0]) for found in ids
    )
    assert ids[0] != ids[1]


def test_security_headers_once_on_a_kept_page(microcache, page):
    microcache.request(page)

    kept = microcache.request(page)

    assert kept.headers["X-Cache-Status"] == "HIT"
    _assert_each_security_header_once(kept)
