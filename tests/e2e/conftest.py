"""Browser fixtures: one headless Chromium per test process, a fresh context (cookies, storage) per test,
and ``sign_in`` that goes through the login form the way the manual tells a user to.

Debian's Chromium is used as installed: the suite never downloads a browser.
"""

from collections.abc import Callable, Iterator

import pytest
from django.db import connections
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect, sync_playwright

from secondcrm.access.models import User
from tests.personas import PASSWORD

CHROMIUM = "/usr/bin/chromium"
# No sandbox: CI containers run as root. The rest keeps Chromium from calling home or updating itself.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Long enough for a loaded CI machine, short enough that a missing element fails the test quickly.
TIMEOUT_MS = 10_000
expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="session")
def playwright(django_db_setup) -> Iterator[Playwright]:
    """Playwright's sync API keeps its event loop running in this thread for the rest of the session. While a
    loop runs, Django (asgiref's ``Local``) hands out a second set of database connections, which lack what
    ``setup_databases`` put on the first set: without ``_test_serialized_contents``, ``serialized_rollback``
    silently restores nothing and the default roles are gone after the first browser test's flush."""
    before = {alias: connections[alias] for alias in connections}
    with sync_playwright() as p:
        for alias, connection in before.items():
            if hasattr(connection, "_test_serialized_contents"):
                connections[alias]._test_serialized_contents = connection._test_serialized_contents
        yield p
        # The loop's connections would otherwise stay open and keep the test database from being dropped.
        connections.close_all()


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    # Starting Chromium takes about a second: once per process (per xdist worker), not once per test.
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def new_context(browser: Browser, live_server) -> Iterator[Callable[[], BrowserContext]]:
    """``new_context()``: another browser profile against the live server, e.g. for a second user at once."""
    contexts: list[BrowserContext] = []

    def make() -> BrowserContext:
        # Wide enough that the navbar is not collapsed behind the toggler.
        context = browser.new_context(base_url=live_server.url, viewport={"width": 1366, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context) -> Page:
    return new_context().new_page()


@pytest.fixture
def sign_in(page: Page) -> Callable[..., Page]:
    """``sign_in(user, on=page)``: log in through the login form; returns the page, on the home page."""

    def login(user: User, on: Page = page) -> Page:
        on.goto("/login/")
        on.get_by_label("User Name").fill(user.username)
        on.get_by_label("Password").fill(PASSWORD)
        on.get_by_role("button", name="Sign in").click()
        # Signed in: the user menu carries the user's name.
        expect(on.get_by_role("button", name="User menu")).to_contain_text(user.get_full_name())
        return on

    return login
