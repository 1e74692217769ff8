"""The grant round as deployed (tests/system/conftest.py), in Chromium: the administrator
publishes the call's criteria in the call's admin; an association applies through the call's
own form and "check your answers"; the preparer assigns herself as the call's reviewer and
scores each application per criterion with a comment; she proposes the round on the round
page, the running total following what she ticks and types; the decision-maker decides the
round for the board (its meeting date and section); the worker makes each decision document;
the registry notifies each association electronically; and each association, one Finnish and
one Swedish, reads its decision in its portal, in its language, and receives its message.
What each person sees is asserted on their page; what each association receives, at the mail
server."""

import re
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from grants.demo import one_page_pdf
from tests.integration.conftest import wait_until
from tests.system.processes import act
from tests.system.test_grant_story import decision_documents, messages_to

pytestmark = [pytest.mark.system, pytest.mark.postgres, pytest.mark.redis, pytest.mark.browser]

CALL = "Toiminta-avustukset 2027"
SENIORIT = "Esimerkkilän Seniorit ry"
FORENINGEN = "Föreningen Exempelby Pensionärer rf"
HELSINKI = ZoneInfo("Europe/Helsinki")  # TIME_ZONE: the board met today, there
BOARD, SECTION = "Kulttuurilautakunta", "§ 14"
# The call's criteria as the administrator publishes them: (fi, sv, en, weight); each 0–5.
CRITERIA = [
    ("Vaikuttavuus", "Effekt", "Impact", "2"),
    ("Kustannustehokkuus", "Kostnadseffektivitet", "Cost-effectiveness", "1"),
]


def text(page) -> str:
    """The page's main text with the no-break spaces of money as plain ones."""
    return re.sub(r"[\u00a0\u202f]", " ", page.locator("main").inner_text())


def click(page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).first.click()


def total(page) -> str:
    return re.sub(r"[\u00a0\u202f]", " ", page.locator("output[data-sum-total=round]").inner_text())


def aino_applies(browse, tmp_path) -> int:
    """The existing story's application, through the call's own form and the check page."""
    aino = browse("aino")
    aino.goto("/association/calls/")
    aino.get_by_role("link", name=CALL).click()
    aino.wait_for_load_state()
    # The criteria are published next to the call, before anyone applies.
    assert "Vaikuttavuus" in text(aino)
    click(aino, "main a[href$='/apply/']")
    aino.locator("#id_requested_amount").fill("1 500")
    aino.locator("#id_purpose").fill("Tuolijumppa kahdesti viikossa.")
    aino.locator("#id_lines-0-description").fill("Salivuokra")
    aino.locator("#id_lines-0-amount").fill("1 500")
    aino.locator("#a-members").fill("60")
    aino.locator("#a-members_under_29").fill("4")
    aino.locator("#a-activities").fill("Tuolijumppaa ja retkiä ikäihmisille.")
    aino.locator("#a-other_funding-no").check()
    for key, name in (("accounts", "tilinpaatos.pdf"), ("annual_report", "toimintakertomus.pdf")):
        path = tmp_path / name
        path.write_bytes(one_page_pdf(name))
        aino.locator(f"#a-{key}").set_input_files(str(path))
    click(aino, "button[name=check]")
    assert "toimintakertomus.pdf" in text(aino)
    click(aino, "main form[action$='/submit/'] button")
    found = re.search(r"/association/applications/(\d+)/receipt/$", aino.url)
    assert found, aino.url
    aino.context.close()
    return int(found.group(1))


def test_the_round_from_the_calls_criteria_to_each_associations_decision(
    deployment, browse, timings, tmp_path
):
    db = deployment.database
    call_id = db.value("SELECT id FROM grants_call WHERE name = %s", CALL)
    foreningen_id = db.value("SELECT id FROM organisations_association WHERE name = %s", FORENINGEN)
    # The demo's Swedish association already applied to the call (grants.demo).
    theirs = db.value(
        "SELECT id FROM grants_application WHERE call_id = %s AND association_id = %s "
        "AND state = 'submitted'",
        call_id,
        foreningen_id,
    )

    # --- the administrator publishes the criteria in the call's admin -------------------------
    admin = browse("admin")
    admin.goto(f"/admin/grants/call/{call_id}/change/")
    for index, (name, name_sv, name_en, weight) in enumerate(CRITERIA):
        admin.locator(".add-row a").click()
        admin.locator(f"#id_criteria-{index}-position").fill(str(index + 1))
        admin.locator(f"#id_criteria-{index}-name").fill(name)
        admin.locator(f"#id_criteria-{index}-name_sv").fill(name_sv)
        admin.locator(f"#id_criteria-{index}-name_en").fill(name_en)
        admin.locator(f"#id_criteria-{index}-weight").fill(weight)
    click(admin, "input[name=_save]")
    assert "/change/" not in admin.url, admin.locator(".errornote, .errorlist").all_inner_texts()
    assert db.value("SELECT count(*) FROM assessments_criterion WHERE call_id = %s", call_id) == 2

    # --- the association applies ---------------------------------------------------------------
    ours = aino_applies(browse, tmp_path)

    # --- the preparer assigns herself and scores each application ------------------------------
    paula = browse("paula")
    paula.goto(f"/workbench/assessment/calls/{call_id}/reviewers/")
    paula.locator("#id_user").select_option(label="Paula Valmistelija")
    click(paula, "main form.form button[type=submit]")
    assert "Arvioija on nimetty." in text(paula)
    scores = {ours: ((4, "Liikuttaa ikäihmisiä viikoittain."), (3, "")), theirs: ((5, ""), (4, ""))}
    for application, given in scores.items():
        paula.goto(f"/workbench/applications/{application}/")
        click(paula, "a[href$='/scores/']")
        for index, (value, comment) in enumerate(given):
            paula.locator("input[name^=value_]").nth(index).fill(str(value))
            paula.locator("textarea[name^=comment_]").nth(index).fill(comment)
        click(paula, "main form.form button[type=submit]")
        assert "Pisteesi on tallennettu." in text(paula)
    # Side by side on the application's page: the comment, and the weighted total
    # (2 × 4/5 + 1 × 3/5) / 3 = 73.33.
    paula.goto(f"/workbench/applications/{ours}/")
    assert "Liikuttaa ikäihmisiä viikoittain." in text(paula)
    assert "73,33 / 100" in text(paula)
    paula.goto(f"/workbench/assessment/calls/{call_id}/ranking/")
    ranking = text(paula)
    assert ranking.index(FORENINGEN) < ranking.index(SENIORIT)  # 93.33 before 73.33

    # --- the preparer proposes the round; the total follows her -------------------------------
    paula.goto(f"/workbench/calls/{call_id}/round/")
    for box in paula.locator("input[name^=include_]").all():
        box.uncheck()
    assert total(paula) == "0,00 €"
    paula.locator(f"#id_include_{ours}").check()
    paula.locator(f"#id_include_{theirs}").check()
    # The requests prefilled the Finnish way, and counted.
    assert paula.locator(f"#id_amount_{ours}").input_value() == "1 500,00"
    assert paula.locator(f"#id_amount_{theirs}").input_value() == "6 000,00"
    assert total(paula) == "7 500,00 €"
    paula.locator(f"#id_amount_{ours}").fill("1 200,50")
    assert total(paula) == "7 200,50 €"
    paula.locator(f"#id_amount_{theirs}").fill("5 000")
    assert total(paula) == "6 200,50 €"
    paula.locator(f"#id_reasons_{ours}").fill("Toiminta tukee ikäihmisten liikkumista.")
    paula.locator(f"#id_reasons_{theirs}").fill("Verksamheten stöder äldres välmående.")
    click(paula, "button[value=propose]")
    assert "Kierros esitettiin." in text(paula)
    states = db.query(
        "SELECT id, state FROM grants_application WHERE id IN (%s, %s) ORDER BY id", ours, theirs
    )
    assert {state for _id, state in states} == {"in_review"}

    # --- the decision-maker decides the round for the board -----------------------------------
    daniel = browse("daniel")
    daniel.goto(f"/workbench/calls/{call_id}/round/")
    for box in daniel.locator("input[name^=include_]").all():
        box.uncheck()
    daniel.locator(f"#id_include_{ours}").check()
    daniel.locator(f"#id_include_{theirs}").check()
    # The preparer's proposals come to the decision-maker as she wrote them.
    assert daniel.locator(f"#id_amount_{ours}").input_value() == "1 200,50"
    assert total(daniel) == "6 200,50 €"
    daniel.locator("#id_board").fill(BOARD)
    daniel.locator("#id_meeting_date").fill(datetime.now(HELSINKI).date().isoformat())
    daniel.locator("#id_meeting_section").fill(SECTION)
    click(daniel, "button[value=decide]")
    decided = time.monotonic()
    assert "Kierros päätettiin" in text(daniel)
    assert f"{BOARD}" in text(daniel)
    assert SECTION in text(daniel)
    assert (
        db.value(
            "SELECT count(*) FROM grants_rounddecision WHERE call_id = %s AND board = %s "
            "AND meeting_section = %s",
            call_id,
            BOARD,
            SECTION,
        )
        == 1
    )

    # --- the worker makes each decision document ----------------------------------------------
    for application in (ours, theirs):
        wait_until(
            lambda a=application: decision_documents(deployment, a),
            30,
            f"the decision document of {application}",
        )
    timings["round_decision_to_documents_s"] = time.monotonic() - decided

    # --- the Swedish association consents to electronic notification ---------------------------
    bertil = browse("bertil")
    bertil.goto(f"/accounts/associations/{foreningen_id}/")
    bertil.locator("#id_accepts_electronic_notification").check()
    click(bertil, "main form.form button[type=submit]")
    assert db.value(
        "SELECT accepts_electronic_notification FROM organisations_association WHERE id = %s",
        foreningen_id,
    )

    # --- the registry notifies each association -----------------------------------------------
    for application in (ours, theirs):
        paula.goto(f"/workbench/applications/{application}/")
        paula.locator("[name='notify-channel'][value='electronic']").check()
        act(paula, "notify")
        assert paula.locator("main .lead .badge").inner_text().strip() == "Päätös annettu tiedoksi"
    sent = time.monotonic()
    numbers = {
        application: db.value(
            "SELECT decision_number FROM grants_application WHERE id = %s", application
        )
        for application in (ours, theirs)
    }
    expected = {
        ("aino@example.fi", f"Päätös {numbers[ours]}:", "fi"),
        ("seniorit@example.fi", f"Päätös {numbers[ours]}:", "fi"),
        ("bertil@example.fi", f"Beslut {numbers[theirs]}:", "sv"),
        ("foreningen@example.fi", f"Beslut {numbers[theirs]}:", "sv"),
    }
    for address, subject, _language in expected:
        wait_until(
            lambda a=address, s=subject: messages_to(deployment, a, s),
            15,
            f"{subject} to {address}",
        )
    timings["round_notification_to_association_email_s"] = time.monotonic() - sent
    for address, subject, language in expected:
        [message] = messages_to(deployment, address, subject)
        assert message.language == language, (address, message.language)
    [swedish] = messages_to(deployment, "bertil@example.fi", f"Beslut {numbers[theirs]}:")
    assert "Hej," in swedish.body

    # --- each association reads its decision in its portal, in its language --------------------
    aino = browse("aino")
    aino.goto(f"/association/applications/{ours}/")
    page = text(aino)
    assert "Päätös annettu tiedoksi" in page
    assert "1 200,50 €" in page
    assert numbers[ours] in page
    assert "Liikuttaa ikäihmisiä" not in page  # association people never see the scores
    bertil.goto(f"/association/applications/{theirs}/")
    page = text(bertil)
    assert "Beslutet delgivet" in page
    assert "5 000,00 €" in page
    assert numbers[theirs] in page
