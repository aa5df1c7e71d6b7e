"""Real-browser tests: Playwright (the PyPI package) driving Debian's chromium.

The browser is never downloaded: without /usr/bin/chromium these tests are skipped on a
developer's machine and fail in CI (.ci/run installs chromium with apt-get).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "correct horse battery staple"

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the
# test itself are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        reason = "Debian's chromium is not installed (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.failed_call = report.failed
    return report


@pytest.fixture
def page(request, browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems: list[str] = []
    # What the policy blocks, scripts that fail, and dialogs a payload might open: a page
    # answering 400 to a refused form is not a problem, so other console noise is ignored.
    page.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if m.type == "error" and ("Content Security Policy" in m.text or "Refused to" in m.text)
            else None
        ),
    )
    page.on(
        "response", lambda r: problems.append(f"{r.status} {r.url}") if r.status == 404 else None
    )
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.console_problems = problems
    page.on("dialog", lambda d: problems.append(f"dialog opened: {d.message}") or d.dismiss())
    yield page
    # Every page ran under the Content-Security-Policy: a violation is a console error.
    if not getattr(request.node, "failed_call", False):
        assert problems == [], problems
    if getattr(request.node, "failed_call", False):
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()


@pytest.fixture
def roles(roles_for_transactional_tests):
    return None


def log_in(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r".*/$"))


# The suite's user fixtures, made after the roles are back in place.
@pytest.fixture
def reviewer(roles):
    from tests.factories import reviewer_factory

    return reviewer_factory(username="rui", first_name="Rui")


@pytest.fixture
def reviewer2(roles):
    from tests.factories import reviewer_factory

    return reviewer_factory(username="rania", first_name="Rania")


@pytest.fixture
def editor(roles):
    from tests.factories import editor_factory

    return editor_factory(username="elena", first_name="Elena")
