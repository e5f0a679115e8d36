"""Browser tests: Debian's Chromium, headless, driven by Playwright against the
live test server (pytest-django's `live_server`, a thread of this process with the
test database). Staff are signed in by their session cookie, set by the test client
(which also passes the second sign-in step). Screenshots are saved under
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
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


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
        # The live server serves no media (Django does only with DEBUG): the
        # browser reads the test's uploads from MEDIA_ROOT itself.
        context.route(f"{live_server.url}{settings.MEDIA_URL}**", _media_file)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

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
    # Photos load lazily: wait until those of the grown screen have arrived.
    page.wait_for_function(
        "[...document.querySelectorAll('main img')].every(image => image.complete)"
    )
    path = SCREENSHOTS / f"{name}-{width}.png"
    page.screenshot(path=path, full_page=True)
    return path
