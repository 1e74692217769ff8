"""The portals in a real Chromium: axe-core finds no WCAG 2.1 A/AA violation on any page in
any language, the language switch works without JavaScript, the keyboard reaches the
content, the layout reflows at 320 px and app.js sums as you type."""

import pytest

from organisations.models import User
from tests.portals.conftest import assert_accessible, axe, login, switch_language

pytestmark = pytest.mark.browser

LANGUAGES = ["fi", "sv", "en"]
# Each person's pages: (who, [paths]); None signs out and looks at the anonymous pages.
WALK = [
    (None, ["/", "/accounts/login/", "/accessibility/", "/no-such-page/"]),
    ("representative", ["/association/", "/partnerships/", "/accounts/me/"]),
    ("preparer", ["/workbench/", "/finance/"]),  # the second is refused: the 403 page
    ("finance", ["/finance/"]),
    ("several", ["/"]),
]


def sign_out(page) -> None:
    page.locator(".site-header form.inline-form button").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_passes_axe_in_each_language(page, portal_people, language):
    User.objects.update(language=language)
    page.goto("/")
    switch_language(page, language)

    for who, paths in WALK:
        if who:
            login(page, portal_people[who])
        for path in paths:
            page.goto(path)
            assert page.locator("html").get_attribute("lang") == language, path
            assert_accessible(page)
        if who:
            sign_out(page)


def test_a_failed_sign_in_passes_axe_and_focuses_the_error_summary(page, portal_people):
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill("aino")
    page.locator("input[name=password]").fill("wrong")
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()

    summary = page.locator("[data-error-summary]")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert_accessible(page)


@pytest.mark.parametrize("page", [{"javascript": False}], indirect=True)
def test_the_language_switch_works_without_javascript(page, portal_people):
    page.goto("/accessibility/")

    switch_language(page, "sv")

    assert page.url.endswith("/accessibility/")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.locator("h1").inner_text() == "Tillgänglighetsutlåtande"


def test_switching_language_in_the_browser_is_remembered_at_the_next_sign_in(page, portal_people):
    login(page, portal_people["preparer"])
    switch_language(page, "en")
    assert page.locator("h1").inner_text() == "Official workbench"
    sign_out(page)
    page.context.clear_cookies()

    login(page, portal_people["preparer"])

    assert page.locator("html").get_attribute("lang") == "en"


def test_the_skip_link_is_the_first_stop_and_moves_focus_to_main(page, portal_people):
    login(page, portal_people["representative"])

    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    box = skip.bounding_box()
    assert box is not None
    assert box["y"] >= 0  # visible while focused
    page.keyboard.press("Enter")

    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/accessibility/"])
def test_pages_reflow_at_320_pixels_without_sideways_scrolling(page, portal_people, path):
    page.set_viewport_size({"width": 320, "height": 640})

    page.goto(path)

    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_the_signed_in_header_reflows_at_320_pixels(page, portal_people):
    login(page, portal_people["several"])
    page.set_viewport_size({"width": 320, "height": 640})

    page.goto("/")

    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_budget_lines_sum_as_you_type_in_the_pages_language(page, portal_people):
    page.goto("/")  # app.js is loaded by the layout; add a form the way a portal page would
    page.evaluate(
        """() => {
        const form = document.createElement("form");
        form.innerHTML = `
          <label for="a">A</label><input id="a" data-sum="budget">
          <label for="b">B</label><input id="b" data-sum="budget">
          <output id="total" data-sum-total="budget"></output>`;
        document.querySelector("main").append(form);
      }"""
    )

    page.locator("#a").fill("1 234,50")
    page.locator("#b").fill("100")

    assert (
        page.locator("#total").inner_text().replace("\u202f", " ").replace("\xa0", " ")
        == "1 334,50 €"
    )
    page.locator("#b").fill("not a number")
    assert page.locator("#total").inner_text().startswith("1")


def test_an_inline_style_or_script_would_be_refused_and_fail_the_test(page, portal_people):
    """The harness itself: a CSP violation is caught (and would fail a portal test)."""
    page.goto("/")
    page.evaluate(
        """() => {
        const s = document.createElement("script");
        s.textContent = "window.ran = true";
        document.body.append(s);
      }"""
    )

    assert page.evaluate("window.ran === undefined")
    page.wait_for_timeout(0)
    assert any("Content Security Policy" in problem for problem in page.problems)
    page.problems.clear()  # expected here; any other test with a violation fails


def test_the_api_documentation_renders_under_the_csp(page, portal_people):
    login(page, portal_people["representative"])

    page.goto("/api/docs/")

    page.wait_for_selector(".opblock", timeout=15_000)  # Swagger UI drew the operations


def test_axe_reports_a_violation_when_there_is_one(page, portal_people):
    """The harness itself: an image without a text alternative is caught (WCAG 1.1.1)."""
    page.goto("/")
    page.evaluate("() => document.querySelector('main').append(document.createElement('img'))")

    assert [violation["id"] for violation in axe(page)] == ["image-alt"]
