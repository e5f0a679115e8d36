"""Browser tests: Debian's Chromium, headless, driven by Playwright against the
live test server (pytest-django's `live_server`, a thread of this process with the
test database). Staff are signed in by their session cookie, set by the test client
(which also passes the second sign-in step). Customers open a shop's storefront on
its own hostname (`open_storefront`). Screenshots are saved under
artefacts/screenshots/ for a person to look at."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from playwright.sync_api import sync_playwright

from tests.factories.tenants import StaffClient

CHROMIUM = os.environ.get("KARAT_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artefacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: scripts/ensure-debian-packages installs it"
        )
    # Playwright's sync API runs an event loop in this thread; the ORM calls the
    # tests make between browser steps are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # The database connections are context-local (asgiref), and Playwright's loop
    # gives the tests a new context: their connections would lack the snapshot of
    # Wagtail's initial data that serialized_rollback restores before each test.
    snapshots = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    with sync_playwright() as playwright:
        for alias, snapshot in snapshots.items():
            connections[alias]._test_serialized_contents = snapshot
        # A storefront answers on its shop's hostname (aurum.localhost): every
        # *.localhost goes to the live server's address, whatever the resolver does
        # with such names (some try ::1 first, where nothing listens).
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--host-resolver-rules=MAP *.localhost 127.0.0.1"],
        )
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


def _page_of(context, url: str):
    """A page of `context`. The live server serves no media (Django does only with
    DEBUG): the browser reads the test's uploads from MEDIA_ROOT itself."""
    context.route(f"{url}{settings.MEDIA_URL}**", _media_file)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


@pytest.fixture
def open_as(chromium, live_server):
    """open_as(user, viewport=DESKTOP) -> a page signed in as `user`."""
    contexts = []

    def open_page(user, viewport=DESKTOP):
        client = StaffClient()
        client.force_login(user)
        context = chromium.new_context(viewport=viewport, base_url=live_server.url)
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        contexts.append(context)
        return _page_of(context, live_server.url)

    yield open_page
    for context in contexts:
        context.close()


def storefront_url(live_server, hostname: str) -> str:
    """The address of the shop answering on `hostname` (a Site with the live
    server's port: tests/factories/catalog.make_shop_site(..., port=...))."""
    return f"http://{hostname}:{live_server.thread.port}"


@pytest.fixture
def open_storefront(chromium, live_server):
    """open_storefront(hostname, viewport=DESKTOP, **context_options) -> a page of an
    anonymous customer's browser, at home on the shop's hostname. The options go to
    Playwright's new_context (java_script_enabled=False, bypass_csp=True...)."""
    contexts = []

    def open_page(hostname, viewport=DESKTOP, **options):
        url = storefront_url(live_server, hostname)
        context = chromium.new_context(viewport=viewport, base_url=url, **options)
        contexts.append(context)
        return _page_of(context, url)

    yield open_page
    for context in contexts:
        context.close()


def _media_file(route):
    path = route.request.url.split(settings.MEDIA_URL, 1)[1].split("?")[0]
    file = Path(settings.MEDIA_ROOT) / path
    if file.is_file():
        route.fulfill(path=file)
    else:
        route.fulfill(status=404)


def screenshot(page, name: str) -> Path:
    """Save the whole screen (Wagtail scrolls its main column, not the page, so the
    viewport is grown to the content first)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    height = page.evaluate(
        "Math.max(document.body.scrollHeight,"
        " ...[...document.querySelectorAll('main, .content-wrapper')]"
        ".map(e => e.scrollHeight))"
    )
    width = page.viewport_size["width"]
    page.set_viewport_size({"width": width, "height": max(height, 600)})
    # Photos load lazily: wait until those of the grown screen have arrived (not
    # those hidden, as a gallery's other slides, which never load). Not with
    # wait_for_function, which compiles its predicate in the page, and the
    # storefront's Content-Security-Policy (no 'unsafe-eval') refuses that.
    pending = page.evaluate(
        """() => {
            const images = [...document.querySelectorAll('main img')]
                .filter(image => image.getClientRects().length);
            const loaded = images.map(image => image.complete ? null : new Promise(
                done => { image.onload = image.onerror = done; }));
            const timeout = new Promise(done => setTimeout(done, 15000));
            return Promise.race([Promise.all(loaded), timeout]).then(
                () => images.filter(image => !image.complete).map(image => image.src));
        }"""
    )
    assert not pending, f"photos still loading: {pending}"
    path = SCREENSHOTS / f"{name}-{width}.png"
    page.screenshot(path=path, full_page=True)
    return path
