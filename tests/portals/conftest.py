"""The portals' test harness: people in every portal, compiled catalogues, and a real
Chromium (Debian's package) driven by Playwright, with axe-core for WCAG 2.1 A and AA.

A browser test asks for `page` (a fresh browser tab on the live server, its CSP enforced)
and is marked `@pytest.mark.browser`:

    @pytest.mark.browser
    def test_my_page(page, live_server, portal_people):
        login(page, live_server, portal_people["representative"])
        page.goto(f"{live_server.url}/association/")
        assert axe(page) == []

The tab fails its test if the page broke the CSP or threw a JavaScript error; a failing test
leaves a screenshot in var/screenshots/<test>.png.
"""

import os
import re
import shutil
from pathlib import Path

import pytest

from organisations.models import AssociationRole, OfficialRole
from tests.factories import (
    AssociationFactory,
    PublicBodyFactory,
    UserFactory,
    grant_role,
    represent,
)
from tests.portals.catalogues import compile_catalogues

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "screenshots"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PASSWORD = "pw"  # tests.factories.UserFactory's
Role = OfficialRole.Role


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def pytest_collection_modifyitems(config, items):
    """Browser tests skip without Chromium on a laptop, and fail the run in CI."""
    browser_items = [item for item in items if "browser" in item.keywords]
    if not browser_items or chromium_path():
        return
    if _in_ci():
        raise pytest.UsageError("CI must run the browser tests: install Debian's chromium.")
    for item in browser_items:
        item.add_marker(pytest.mark.skip(reason="needs Chromium (apt-get install chromium)"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session", autouse=True)
def _catalogues():
    compile_catalogues()


# --- people --------------------------------------------------------------------------------


@pytest.fixture
def portal_people(db):
    """One person for each way into the portals, and one with several portals."""
    body = PublicBodyFactory(name="Esimerkkilän kaupunki")
    association = AssociationFactory(name="Esimerkkilän Seniorit ry")
    both = represent(UserFactory(username="kaisa", first_name="Kaisa"), association)
    return {
        "representative": represent(
            UserFactory(username="aino", first_name="Aino", last_name="Virtanen"), association
        ),
        "signatory": represent(
            UserFactory(username="sirpa"), association, AssociationRole.Role.SIGNATORY
        ),
        "preparer": grant_role(
            UserFactory(username="paula", first_name="Paula", last_name="Valmistelija"),
            body,
            Role.PREPARER,
        ),
        "decision_maker": grant_role(UserFactory(username="daniel"), body, Role.DECISION_MAKER),
        "liaison": grant_role(UserFactory(username="jarmo"), body, Role.LIAISON),
        "finance": grant_role(
            UserFactory(username="fiona", first_name="Fiona", last_name="Talous"),
            body,
            Role.FINANCE,
        ),
        "several": grant_role(both, body, Role.FINANCE),
        "nobody": UserFactory(username="nobody"),
    }


# --- the browser ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, one per test module. Playwright's sync API keeps an event loop
    running in this thread, so Django's ORM must be told that is fine here (the live server
    thread and the test's own queries are ordinary synchronous code)."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    if executable is None:
        pytest.skip("needs Chromium")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=executable, args=["--no-sandbox", "--disable-dev-shm-usage"]
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(request, browser, live_server, transactional_db):
    """A fresh tab (own cookies) on the live server, 1280×800, Finnish as the browser's
    language. Records CSP violations and JavaScript errors; the test fails on any."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 800},
        locale="fi-FI",
        base_url=live_server.url,
        java_script_enabled=getattr(request, "param", {}).get("javascript", True),
    )
    tab = context.new_page()
    problems: list[str] = []
    tab.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    tab.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
    tab.problems = problems
    yield tab
    call = getattr(request.node, "report_call", None)
    if call is not None and call.failed:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid.split("::", 1)[-1])
        tab.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    context.close()
    assert problems == [], "The page broke its CSP or threw:\n" + "\n".join(problems)


def login(page, user, password: str = PASSWORD) -> None:
    """Signs in through the sign-in form, as a person would."""
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(user.username)
    page.locator("input[name=password]").fill(password)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, f"{user.username} could not sign in"


def axe(page, tags: list[str] = WCAG_21_AA) -> list[dict]:
    """Runs axe-core on the page as it is now: the violations of the WCAG 2.1 A and AA
    rules (an empty list when there are none)."""
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": tags}})
    return result.response["violations"]


def describe(violations: list[dict]) -> str:
    """Violations as lines a person can act on: rule, impact, help and the offending HTML."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {node['html'][:200]}")
    return "\n".join(lines)


def assert_accessible(page) -> None:
    """Zero axe violations, one <h1>, a language and a title."""
    violations = axe(page)
    assert violations == [], f"{page.url}\n{describe(violations)}"
    assert page.locator("h1").count() == 1, f"{page.url}: one <h1> per page"
    assert page.locator("html").get_attribute("lang"), f"{page.url}: <html lang> missing"
    assert page.title().strip(), f"{page.url}: empty <title>"


def switch_language(page, code: str) -> None:
    """Presses the header's language button (a plain form post, no JavaScript needed)."""
    page.locator(f".language-switch button[value={code}]").click()
    page.wait_for_load_state()
