"""The layout, the front door and the portals' doors, through Django's test client."""

import re

import pytest
from django.test import Client

from organisations.models import User

PORTAL_HOMES = {
    "associations": "/association/",
    "officials": "/workbench/",
    "finance": "/finance/",
    "partnerships": "/partnerships/",
}
# Who may enter which portal (portal/portals.py).
ADMITTED = {
    "representative": {"associations", "partnerships"},
    "signatory": {"associations", "partnerships"},
    "preparer": {"officials", "partnerships"},
    "decision_maker": {"officials", "partnerships"},
    "liaison": {"officials", "partnerships"},
    "finance": {"finance"},
    "several": {"associations", "finance", "partnerships"},
    "nobody": set(),
}


def signed_in(user: User, **headers) -> Client:
    client = Client(**headers)
    client.force_login(user)
    return client


# --- security headers ----------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/accessibility/", "/api/docs/"])
def test_every_page_carries_a_csp_without_unsafe_inline(client, db, path):
    response = client.get(path)

    policy = response.headers["Content-Security-Policy"]
    directives = {}
    for part in filter(None, (p.strip() for p in policy.split(";"))):
        name, _, value = part.partition(" ")
        directives[name] = value
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert directives["default-src"] == "'self'"
    assert directives["img-src"] == "'self' data:"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert directives["base-uri"] == "'self'"


def test_portal_pages_carry_the_csp_too(portal_people):
    response = signed_in(portal_people["preparer"]).get("/workbench/")

    assert response.status_code == 200
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]


def test_every_post_form_on_the_portal_pages_carries_a_csrf_token(portal_people):
    pages = [
        (None, "/"),
        (None, "/accounts/login/"),
        (None, "/accessibility/"),
        ("representative", "/association/"),
        ("representative", "/partnerships/"),
        ("representative", "/accounts/me/"),
        ("preparer", "/workbench/"),
        ("finance", "/finance/"),
        ("several", "/"),
    ]
    checked = 0
    for who, path in pages:
        client = signed_in(portal_people[who]) if who else Client()
        html = client.get(path).content.decode()
        forms = re.findall(r"<form\b[^>]*>.*?</form>", html, flags=re.S)
        for form in forms:
            if re.search(r'method="post"', form, flags=re.I):
                assert 'name="csrfmiddlewaretoken"' in form, f"{path}: {form[:200]}"
                checked += 1
        # htmx sends the token as a header on every request it makes.
        assert re.search(r'<body hx-headers=\'\{"X-CSRFToken": "[A-Za-z0-9]{32,}"\}\'>', html)
    assert checked >= len(pages)  # at least the language switch on every page


def test_a_form_posted_without_its_csrf_token_is_refused_with_the_layout(db):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/accounts/login/", {"username": "x", "password": "y"})

    assert response.status_code == 403
    assert b'<main id="main"' in response.content
    assert response.templates[0].name == "403_csrf.html"


# --- layout --------------------------------------------------------------------------------


@pytest.mark.parametrize(("accept", "lang"), [("fi", "fi"), ("sv", "sv"), ("en", "en")])
def test_the_page_language_is_the_active_one(db, accept, lang):
    html = Client(HTTP_ACCEPT_LANGUAGE=accept).get("/").content.decode()

    assert f'<html lang="{lang}">' in html
    assert re.search(rf'<button[^>]*value="{lang}"[^>]*aria-current="true"', html)


def test_the_layout_has_a_skip_link_to_main_one_h1_and_the_accessibility_statement(db):
    html = Client().get("/accounts/login/").content.decode()

    assert html.index('class="skip-link" href="#main"') < html.index("<header")
    assert '<main id="main"' in html
    assert html.count("<h1") == 1
    assert 'href="/accessibility/"' in html
    assert 'role="status"' in html  # the messages area exists before any message


def test_the_language_switch_is_a_plain_form_to_set_language(db):
    html = Client().get("/accessibility/?x=1").content.decode()

    form = re.search(r'<form class="language-switch".*?</form>', html, flags=re.S).group(0)
    assert 'action="/accounts/language/"' in form
    assert 'name="next" value="/accessibility/?x=1"' in form
    assert re.findall(r'name="language" value="(\w+)" lang="\1"', form) == ["fi", "sv", "en"]


def test_the_header_names_the_person_and_the_nav_lists_only_their_portals(portal_people):
    html = signed_in(portal_people["representative"]).get("/association/").content.decode()

    assert "Aino Virtanen" in html
    nav = re.search(r'<nav class="portal-nav".*?</nav>', html, flags=re.S).group(0)
    assert re.findall(r'href="([^"]+)"', nav) == ["/association/", "/partnerships/"]
    assert re.search(r'href="/association/" aria-current="true"', nav)


def test_anonymous_people_get_no_portal_navigation(db):
    html = Client().get("/").content.decode()

    assert "portal-nav" not in html


def test_a_missing_page_gets_the_layout_and_404(portal_people):
    response = signed_in(portal_people["preparer"]).get("/no-such-page/")

    assert response.status_code == 404
    assert b'<main id="main"' in response.content


# --- the front door ------------------------------------------------------------------------


def test_the_front_page_welcomes_anonymous_people_with_the_way_to_sign_in(db):
    response = Client(HTTP_ACCEPT_LANGUAGE="fi").get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/accounts/login/"' in html
    assert "Kirjaudu sisään" in html


@pytest.mark.parametrize(
    ("who", "portal"),
    [
        ("representative", "/association/"),
        ("signatory", "/association/"),
        ("preparer", "/workbench/"),
        ("decision_maker", "/workbench/"),
        ("liaison", "/workbench/"),
        ("finance", "/finance/"),
    ],
)
def test_the_front_page_sends_a_person_with_one_portal_straight_to_it(portal_people, who, portal):
    response = signed_in(portal_people[who]).get("/")

    assert response.status_code == 302
    assert response.url == portal


def test_a_person_with_several_portals_chooses_among_theirs(portal_people):
    response = signed_in(portal_people["several"]).get("/")

    assert response.status_code == 200
    html = response.content.decode()
    main = html[html.index("<main") :]
    assert re.findall(r'<h2><a href="([^"]+)"', main) == [
        "/association/",
        "/finance/",
        "/partnerships/",
    ]


def test_a_person_without_roles_is_told_whom_to_ask(portal_people):
    nobody = portal_people["nobody"]
    nobody.language = "en"
    nobody.save()

    response = signed_in(nobody).get("/")

    assert response.status_code == 200
    assert b"main user" in response.content


# --- the portals' doors --------------------------------------------------------------------


@pytest.mark.parametrize("who", sorted(ADMITTED))
def test_each_portal_admits_exactly_the_roles_it_serves(portal_people, who):
    client = signed_in(portal_people[who])

    statuses = {name: client.get(path).status_code for name, path in PORTAL_HOMES.items()}

    assert {name for name, status in statuses.items() if status == 200} == ADMITTED[who]
    assert {status for name, status in statuses.items() if name not in ADMITTED[who]} <= {403}


@pytest.mark.parametrize("path", sorted(PORTAL_HOMES.values()))
def test_anonymous_people_are_sent_to_sign_in_and_back(db, path):
    response = Client().get(path)

    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next={path}"


def test_a_refused_portal_page_says_so_in_the_layout(portal_people):
    response = signed_in(portal_people["finance"]).get("/workbench/")

    assert response.status_code == 403
    assert "<h1>Ei käyttöoikeutta</h1>" in response.content.decode()


def test_the_accessibility_statement_names_the_law_the_feedback_address_and_the_date(db):
    html = Client(HTTP_ACCEPT_LANGUAGE="fi").get("/accessibility/").content.decode()

    assert "<h1>Saavutettavuusseloste</h1>" in html
    assert "306/2019" in html
    assert 'href="mailto:saavutettavuus@example.fi"' in html
    assert "22.11.2026" in html


def test_the_profiles_languages_are_each_marked_as_their_own(portal_people):
    html = signed_in(portal_people["representative"]).get("/accounts/me/").content.decode()

    options = re.findall(
        r'name="language" value="(\w+)"[^<]*<span lang="(\w+)">(\w+)</span>', html, flags=re.S
    )
    assert options == [("fi", "fi", "Suomi"), ("sv", "sv", "Svenska"), ("en", "en", "English")]
