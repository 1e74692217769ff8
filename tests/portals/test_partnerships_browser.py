"""The partnership agreement story in Chromium, and axe-core on every partnership page in
Finnish, Swedish and English.

The story: the association drafts and proposes an agreement; the liaison comments, accepts it
and submits it for review; the preparer records the first step and the decision-maker approves
it; two of the association's signatories and the decision-maker sign it into force; a year
later the association submits its evaluation, the liaison records the cooperation meeting
(with its minutes) and evaluates. Time is set with time-machine: the browser keeps its cookies
by Max-Age, so the server's clock may run ahead of the real one.
"""

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from agreements import scans, services
from agreements.models import Agreement, AgreementVersion, Evaluation, Meeting
from organisations.models import AssociationRole, OfficialRole
from tests.agreements.builders import act, at, terms, version_of
from tests.factories import UserFactory, chain_with_steps, represent
from tests.portals.conftest import assert_accessible, login
from workflow.models import ApprovalChain

AGREEMENT = ApprovalChain.SubjectKind.AGREEMENT_VERSION

pytestmark = pytest.mark.browser

S = AgreementVersion.State
Role = OfficialRole.Role
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def cast(portal_people):
    """portal_people with a second signatory for the association and an approval chain for
    agreements (the preparer proposes, the decision-maker decides)."""
    association = portal_people["representative"].association_roles.get().association
    body = portal_people["liaison"].official_roles.get().public_body
    return {
        **portal_people,
        "association": association,
        "body": body,
        "signatory2": represent(
            UserFactory(username="sanna", first_name="Sanna", last_name="Sihteeri"),
            association,
            AssociationRole.Role.SIGNATORY,
        ),
        "chain": chain_with_steps(body, (Role.PREPARER,), (Role.DECISION_MAKER,), kind=AGREEMENT),
    }


def sign_out(page) -> None:
    page.locator(".site-header form.inline-form button").click()
    page.wait_for_load_state()


def as_person(page, person) -> None:
    """Sign out whoever is signed in, sign in `person`."""
    if page.locator(".site-header form.inline-form button").count():
        sign_out(page)
    login(page, person)


def submit(page, action: str) -> None:
    page.locator(f"form[action$='/actions/{action}/'] button[type=submit]").click()
    page.wait_for_load_state()


def success(page) -> str:
    return page.locator("#messages .message--success").inner_text()


def test_the_partnership_agreement_story(page, cast, time_machine):
    time_machine.move_to(at(date(2026, 12, 1), 9))
    representative, liaison = cast["representative"], cast["liaison"]

    # The association drafts the agreement: parties, term, goals and resources as rows.
    login(page, representative)
    page.goto("/partnerships/")
    assert_accessible(page)
    page.locator("a[href='/partnerships/new/']").click()
    page.wait_for_load_state()
    page.locator("[name=public_body]").select_option(str(cast["body"].pk))
    page.locator("[name=title]").fill("Kumppanuussopimus ikäihmisten liikunnasta")
    page.locator("[name=purpose]").fill("Ikäihmiset liikkuvat ja osallistuvat.")
    page.locator("[name=starts_on]").fill("2027-01-01")
    page.locator("[name=ends_on]").fill("2029-12-31")
    page.locator("[name=public_body_responsibilities]").fill("Tarjoaa tilat maksutta.")
    page.locator("[name=association_responsibilities]").fill("Järjestää liikuntaryhmät.")
    page.locator("[name='goals-0-title']").fill("Liikuntaryhmät")
    page.locator("[name='goals-0-indicator']").fill("Osallistujia viikossa")
    page.locator("[name='goals-0-target']").fill("120")
    page.locator("[name='goals-1-title']").fill("Vapaaehtoiset")
    page.locator("[name='goals-1-indicator']").fill("Koulutettuja ohjaajia")
    page.locator("[name='goals-1-target']").fill("10")
    page.locator("[name='resources-0-year']").fill("2027")
    page.locator("[name='resources-0-kind']").select_option("money")
    page.locator("[name='resources-0-amount']").fill("10 000,00")
    page.locator("[name='resources-0-pays_on']").fill("2027-02-01")
    page.locator("[name='resources-1-year']").fill("2027")
    page.locator("[name='resources-1-kind']").select_option("premises")
    page.locator("[name='resources-1-description']").fill("Seniorikeskus, liikuntasali")
    page.locator("[name='resources-1-amount']").fill("3 000")
    page.locator("[name='resources-1-hours']").fill("6")
    page.locator("[name='resources-1-hours_per']").select_option("week")
    page.locator("form.form button[type=submit]:not([name=add])").click()
    page.wait_for_load_state()
    agreement = Agreement.objects.get()
    version = version_of(agreement)
    assert page.url.endswith(f"/partnerships/{agreement.pk}/versions/1/")
    assert version.goals.count() == 2
    assert version.money_total == Decimal("10000.00")
    assert_accessible(page)

    # ... and proposes it to the public body.
    submit(page, "propose")
    assert version_of(agreement).state == S.NEGOTIATION
    assert success(page)

    # The liaison comments (swapped in by htmx), accepts and submits it for review.
    as_person(page, liaison)
    page.goto(f"/partnerships/{agreement.pk}/versions/1/")
    assert_accessible(page)
    page.locator("[name='comment-body']").fill("Hyvä pohja, tilat sopivat meille.")
    url_before = page.url
    page.locator("#comments button[type=submit]").click()
    page.locator("#comments .pship-comments li").wait_for()
    assert page.url == url_before
    assert "Hyvä pohja" in page.locator("#comments").inner_text()
    submit(page, "accept")
    assert version_of(agreement).state == S.AGREED
    page.locator("[name='submit_for_review-chain_id']").select_option(str(cast["chain"].pk))
    submit(page, "submit_for_review")
    assert version_of(agreement).state == S.IN_REVIEW

    # The preparer records the first step; the decision-maker approves.
    as_person(page, cast["preparer"])
    page.goto(f"/partnerships/{agreement.pk}/versions/1/")
    assert_accessible(page)
    page.locator("[name='record_step-reasons']").fill("Tavoitteet tukevat suunnitelmaa.")
    submit(page, "record_step")
    assert page.locator("form[action$='/actions/decide/']").count() == 0  # one step each

    as_person(page, cast["decision_maker"])
    page.goto(f"/partnerships/{agreement.pk}/versions/1/")
    submit(page, "decide")  # no reasons: the form comes back with the error focused
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert_accessible(page)
    page.locator("[name='decide-outcome'][value=approved]").check()
    page.locator("[name='decide-reasons']").fill("Sopimus tukee hyvinvointisuunnitelmaa.")
    submit(page, "decide")
    assert version_of(agreement).state == S.APPROVED

    # Both sides sign: two signatories of the association, then the decision-maker.
    as_person(page, cast["signatory"])
    page.goto(f"/partnerships/{agreement.pk}/versions/1/")
    assert_accessible(page)
    submit(page, "sign")
    as_person(page, cast["signatory2"])
    page.goto(f"/partnerships/{agreement.pk}/versions/1/")
    # Who still has to sign (agreements/_signatures.html): the association's row names Sanna
    # among those who may still sign, then among those who signed.
    signatures = page.locator("table", has=page.locator("thead th", has_text="Allekirjoittaneet"))
    row = signatures.locator("tr", has=page.locator("th", has_text=cast["association"].name))
    signed, may_still_sign = row.locator("td").nth(1), row.locator("td").nth(3)
    assert "Sanna" not in signed.inner_text()
    assert "Sanna Sihteeri" in may_still_sign.inner_text()
    submit(page, "sign")
    assert "Sanna Sihteeri" in signed.inner_text()
    assert version_of(agreement).state == S.AWAITING_SIGNATURES
    as_person(page, cast["decision_maker"])
    page.goto(f"/partnerships/{agreement.pk}/versions/1/")
    submit(page, "sign")
    assert version_of(agreement).state == S.IN_FORCE
    # Signed before its term: in force from its first day (the daily scan activates it).
    assert Agreement.objects.get().state == Agreement.State.SIGNED
    assert_accessible(page)

    # A year later the evaluation is due (the daily scan opens it).
    time_machine.move_to(at(date(2028, 1, 20), 9))
    assert scans.activate_signed_agreements() == 1
    scans.open_due_evaluations()
    evaluation = Evaluation.objects.get(agreement=agreement, state=Evaluation.State.DUE)
    as_person(page, representative)
    page.goto(f"/partnerships/{agreement.pk}/")
    assert_accessible(page)
    page.locator(f"a[href='/partnerships/{agreement.pk}/evaluations/{evaluation.pk}/']").click()
    page.wait_for_load_state()
    assert_accessible(page)
    for goal, value in zip(version.goals.all(), ["110", "8"], strict=True):
        page.locator(f"[name='submit-value_{goal.pk}']").fill(value)
    page.locator("[name='submit-report']").fill("Ryhmät kokoontuivat joka viikko.")
    submit(page, "submit")
    evaluation.refresh_from_db()
    assert evaluation.state == Evaluation.State.SUBMITTED

    # The liaison records the missed meeting as held, with its minutes, and evaluates.
    as_person(page, liaison)
    page.goto(f"/partnerships/{agreement.pk}/")
    meeting = Meeting.objects.filter(agreement=agreement).order_by("due_on").first()
    page.locator(f"a[href$='/meetings/{meeting.pk}/record/']").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.locator("[name=held_on]").fill("2028-01-15")
    page.locator("[name=notes]").fill("Käytiin läpi vuosi 2027 ja sovittiin syksyn vuoroista.")
    page.locator("[name=minutes]").set_input_files(
        {"name": "poytakirja.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()
    meeting.refresh_from_db()
    assert meeting.held_on == date(2028, 1, 15)
    assert meeting.minutes
    page.goto(f"/partnerships/{agreement.pk}/evaluations/{evaluation.pk}/")
    assert_accessible(page)
    page.locator("[name='evaluate-assessment']").fill("Tavoitteet lähes saavutettiin.")
    page.locator(f"[name='evaluate-goals_met'][value='{version.goals.last().pk}']").check()
    page.locator("[name='evaluate-meeting_id']").select_option(str(meeting.pk))
    submit(page, "evaluate")
    evaluation.refresh_from_db()
    assert evaluation.state == Evaluation.State.EVALUATED
    assert evaluation.meeting == meeting
    assert [r.met for r in evaluation.results.order_by("goal__position")] == [False, True]
    assert_accessible(page)


@pytest.mark.parametrize("page", [{"javascript": False}], indirect=True)
def test_rows_are_added_and_a_comment_is_posted_without_javascript(page, cast, time_machine):
    time_machine.move_to(at(date(2026, 12, 1), 9))
    login(page, cast["representative"])
    page.goto("/partnerships/new/")
    assert page.locator("[name='goals-2-title']").count() == 0

    page.locator("button[name=add][value=goals]").click()
    page.wait_for_load_state()

    assert page.locator("[name='goals-2-title']").count() == 1
    agreement = services.agreement_create(
        user=cast["representative"],
        public_body=cast["body"],
        associations=[cast["association"]],
        terms_given=terms(),
    )
    page.goto(f"/partnerships/{agreement.pk}/versions/1/")
    page.locator("[name='comment-body']").fill("Muistiinpano omalle puolelle.")
    page.locator("#comments button[type=submit]").click()
    page.wait_for_load_state()
    assert "Muistiinpano omalle puolelle." in page.locator("#comments").inner_text()


def test_a_comment_sent_with_htmx_shows_its_error_or_conflict(page, cast, time_machine):
    time_machine.move_to(at(date(2026, 12, 1), 9))
    representative = cast["representative"]
    representative.language = "en"
    representative.save(update_fields=["language"])
    agreement = services.agreement_create(
        user=representative,
        public_body=cast["body"],
        associations=[cast["association"]],
        terms_given=terms(),
    )
    login(page, representative)
    page.goto(f"/partnerships/{agreement.pk}/versions/1/")
    url_before = page.url

    page.locator("#comments button[type=submit]").click()
    page.locator("#comments .field__errors").wait_for()

    assert page.url == url_before
    assert "This field is required." in page.locator("#comments .field__errors").inner_text()
    # Focus moves once htmx has settled the swap: wait for it, do not read it at once.
    expect(page.locator("[name='comment-body']")).to_be_focused()
    assert_accessible(page)
    page.locator("[name='comment-body']").fill("Tarkistetaan summat.")
    page.locator("#comments button[type=submit]").click()
    page.locator("#comments .pship-comments li").wait_for()
    assert page.locator("#comments .field__errors").count() == 0
    assert "Tarkistetaan summat." in page.locator("#comments").inner_text()

    # Withdrawn meanwhile: the version page loads whole with the reason, none of it nested.
    act(version_of(agreement), "withdraw", representative)
    page.locator("[name='comment-body']").fill("Vielä yksi.")
    with page.expect_navigation():
        page.locator("#comments button[type=submit]").click()
    assert "no longer discussed" in page.locator("#messages .message--error").inner_text()
    assert page.locator("h1").count() == 1
    assert_accessible(page)


def _pages_data(cast) -> dict:
    """An agreement in force with a counter-proposal in its history, an amendment drafted by
    the liaison, a due evaluation and a submitted one, and a draft of the association's."""
    representative, liaison = cast["representative"], cast["liaison"]
    agreement = services.agreement_create(
        user=representative,
        public_body=cast["body"],
        associations=[cast["association"]],
        terms_given=terms(),
    )
    act(version_of(agreement), "propose", representative)
    counter = services.version_draft(
        agreement,
        user=liaison,
        terms_given={"ends_on": date(2028, 12, 31), "resources": terms()["resources"][:2]},
        change_note="Kaksivuotinen kausi.",
    )
    counter = act(counter, "propose", liaison)
    services.comment_add(counter, user=representative, body="Sopii meille.")
    act(counter, "accept", representative)
    act(counter, "submit_for_review", liaison, chain_id=cast["chain"].pk)
    act(counter, "record_step", cast["preparer"], reasons="Esitän hyväksymistä.")
    act(counter, "decide", cast["decision_maker"], outcome="approved", reasons="Hyvä.")
    for signer in (cast["signatory"], cast["signatory2"], cast["decision_maker"]):
        act(counter, "sign", signer)
    amendment = services.version_draft(
        agreement, user=liaison, terms_given={"title": "Muutettu sopimus"}
    )
    own_draft = services.agreement_create(
        user=representative,
        public_body=cast["body"],
        associations=[cast["association"]],
        terms_given=terms(title="Toinen luonnos"),
    )
    on_table = services.agreement_create(
        user=representative,
        public_body=cast["body"],
        associations=[cast["association"]],
        terms_given=terms(title="Ehdotus"),
    )
    act(version_of(on_table), "propose", representative)
    return {
        "agreement": agreement,
        "amendment": amendment,
        "own_draft": own_draft,
        "on_table": on_table,
        "meeting": agreement.meetings.order_by("due_on").first(),
    }


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_every_partnership_page_passes_axe(page, cast, time_machine, language):
    time_machine.move_to(at(date(2026, 12, 15), 9))
    data = _pages_data(cast)
    agreement = data["agreement"]
    time_machine.move_to(at(date(2028, 1, 20), 9))
    scans.open_due_evaluations()
    evaluation = agreement.evaluations.get(state=Evaluation.State.DUE)
    a = f"/partnerships/{agreement.pk}"
    for person in cast.values():
        if hasattr(person, "language"):
            person.language = language
            person.save(update_fields=["language"])

    walks = [
        (
            "representative",
            [
                "/partnerships/",
                "/partnerships/?state=active",
                "/partnerships/new/",
                f"{a}/",
                f"{a}/versions/2/",
                f"{a}/versions/1/",
                f"{a}/evaluations/{evaluation.pk}/",
                f"{a}/actions/terminate/",
                f"/partnerships/{data['own_draft'].pk}/versions/1/",
                f"/partnerships/{data['own_draft'].pk}/versions/1/edit/",
                f"/partnerships/{data['own_draft'].pk}/actions/cancel/",
            ],
        ),
        (
            "liaison",
            [
                f"{a}/",
                f"{a}/versions/3/",
                f"{a}/versions/3/edit/",
                f"{a}/meetings/new/",
                f"{a}/meetings/{data['meeting'].pk}/record/",
                f"{a}/actions/renew/",
                f"/partnerships/{data['on_table'].pk}/versions/1/",
                f"/partnerships/{data['on_table'].pk}/versions/new/",
            ],
        ),
        ("preparer", [f"{a}/versions/2/", "/partnerships/"]),
    ]
    for who, paths in walks:
        as_person(page, cast[who])
        for path in paths:
            page.goto(path)
            assert page.locator("html").get_attribute("lang") == language, path
            assert_accessible(page)

    # Forms that come back with errors: the terms with their rows, an action, a meeting.
    as_person(page, cast["representative"])
    page.goto(f"/partnerships/{data['own_draft'].pk}/versions/1/edit/")
    page.locator("[name=title]").fill("")
    page.locator("[name='goals-0-target']").fill("-1")
    page.locator("form.form button[type=submit]:not([name=add])").click()
    page.wait_for_load_state()
    assert page.locator("[data-error-summary]").count() == 1
    assert_accessible(page)
    page.goto(f"{a}/evaluations/{evaluation.pk}/")
    submit(page, "submit")
    assert page.locator("[data-error-summary]").count() == 1
    assert_accessible(page)

    # The liaison's evaluation forms, once the association has submitted.
    goals = version_of(agreement, 2).goals.all()
    act(
        evaluation,
        "submit",
        cast["representative"],
        report="Hyvä vuosi.",
        results=[{"goal": g.pk, "value": Decimal(5)} for g in goals],
    )
    as_person(page, cast["liaison"])
    page.goto(f"{a}/evaluations/{evaluation.pk}/")
    assert page.locator("form[action$='/actions/evaluate/']").count() == 1
    assert_accessible(page)
    submit(page, "return_evaluation")
    assert page.locator("[data-error-summary]").count() == 1
    assert_accessible(page)

    page.goto(f"{a}/meetings/{data['meeting'].pk}/record/")
    page.locator("[name=held_on]").fill("2029-01-01")
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("[data-error-summary]").count() == 1
    assert_accessible(page)


def test_the_agreement_pages_reflow_at_320_pixels(page, cast, time_machine):
    time_machine.move_to(at(date(2026, 12, 15), 9))
    data = _pages_data(cast)
    a = f"/partnerships/{data['agreement'].pk}"
    login(page, cast["representative"])
    page.set_viewport_size({"width": 320, "height": 640})

    for path in ["/partnerships/", f"{a}/", f"{a}/versions/2/", "/partnerships/new/"]:
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
