"""The grant story in the processes people run (tests/system/conftest.py): an association
applies in Chromium, the preparer proposes, the decision-maker decides, the decision document
is made by the worker, the decision is sent electronically and reaches the association's mail,
the appeal period passes and finance is told. What each person receives, and when, is checked
at the mail server; every link in every message is opened as its recipient."""

import re
import time

import pytest

from grants.demo import one_page_pdf
from tests.integration.conftest import wait_until
from tests.system.processes import act

pytestmark = [pytest.mark.system, pytest.mark.postgres, pytest.mark.redis, pytest.mark.browser]

ASSOCIATION = "Esimerkkilän Seniorit ry"
CALL = "Toiminta-avustukset 2027"
# Who the demo's addresses belong to (grants.demo): people by name, an association's own
# address read by its representative, the finance mailbox by finance.
READERS = {"seniorit@example.fi": "aino", "talous@esimerkkila.example.fi": "fiona"}
LINK = re.compile(r"https?://\S+")


def reader_of(address: str) -> str:
    return READERS.get(address, address.split("@", 1)[0])


def messages_to(deployment, address: str, subject_start: str) -> list:
    return [
        m
        for m in deployment.sink.messages
        if address in m.to and m.subject.startswith(subject_start)
    ]


def decision_documents(deployment, application_id: int) -> int:
    return deployment.database.value(
        "SELECT count(*) FROM documents_generateddocument d JOIN django_content_type t "
        "ON t.id = d.content_type_id WHERE t.app_label = 'grants' AND t.model = 'application' "
        "AND d.object_id = %s AND d.kind = 'grant_decision'",
        application_id,
    )


def test_the_grant_story_as_deployed(deployment, browse, timings, tmp_path):
    # --- the association applies -------------------------------------------------------------
    aino = browse("aino")
    aino.goto("/association/calls/")
    aino.get_by_role("link", name=CALL).click()
    aino.locator("main a[href$='/apply/']").click()
    aino.locator("#id_requested_amount").fill("1 500")
    aino.locator("#id_purpose").fill("Tuolijumppa kahdesti viikossa.")
    aino.locator("#id_lines-0-description").fill("Salivuokra")
    aino.locator("#id_lines-0-amount").fill("1 500")
    # The call's own questions (the default form): counts, activities, other funding and last
    # year's accounts and annual report as files.
    aino.locator("#a-members").fill("60")
    aino.locator("#a-members_under_29").fill("4")
    aino.locator("#a-activities").fill("Tuolijumppaa ja retkiä ikäihmisille.")
    aino.locator("#a-other_funding-no").check()
    for key, name in (("accounts", "tilinpaatos.pdf"), ("annual_report", "toimintakertomus.pdf")):
        path = tmp_path / name
        path.write_bytes(one_page_pdf(name))
        aino.locator(f"#a-{key}").set_input_files(str(path))
    aino.locator("button[name=check]").click()
    aino.wait_for_load_state()
    assert "toimintakertomus.pdf" in aino.locator("main").inner_text()
    aino.locator("main form[action$='/submit/'] button").click()
    aino.wait_for_load_state()
    found = re.search(r"/association/applications/(\d+)/receipt/$", aino.url)
    assert found, aino.url
    application_id = int(found.group(1))
    workbench = f"/workbench/applications/{application_id}/"

    # --- the preparer proposes; the decision-maker decides -------------------------------------
    paula = browse("paula")
    paula.goto(workbench)
    act(paula, "start_review")
    paula.locator("[name='record_step-proposed_amount']").fill("1 200,00")
    paula.locator("[name='record_step-reasons']").fill("Toiminta tukee ikäihmisten liikkumista.")
    act(paula, "record_step")

    daniel = browse("daniel")
    daniel.goto(workbench)
    daniel.locator("[name='decide-outcome'][value='partially_approved']").check()
    daniel.locator("[name='decide-granted_amount']").fill("1 200")
    daniel.locator("[name='decide-reasons']").fill("Toiminta on avustuskelpoista.")
    act(daniel, "decide")
    decided = time.monotonic()
    assert daniel.locator("main .lead .badge").inner_text().strip() == "Päätetty"

    # --- the worker makes the decision document ------------------------------------------------
    wait_until(lambda: decision_documents(deployment, application_id), 10, "the decision document")
    timings["decision_to_document_s"] = time.monotonic() - decided
    daniel.reload()
    assert daniel.locator("a[href^='/workbench/documents/']").count() >= 1

    # --- the decision goes to the association electronically ----------------------------------
    paula.goto(workbench)
    paula.locator("[name='notify-channel'][value='electronic']").check()
    act(paula, "notify")
    sent = time.monotonic()
    number = deployment.database.value(
        "SELECT decision_number FROM grants_application WHERE id = %s", application_id
    )
    assert paula.locator("main .lead .badge").inner_text().strip() == "Päätös annettu tiedoksi"
    for address in ("aino@example.fi", "seniorit@example.fi"):
        wait_until(
            lambda a=address: messages_to(deployment, a, f"Päätös {number}:"),
            10,
            f"the decision to {address}",
        )
    timings["notification_to_association_email_s"] = time.monotonic() - sent
    [message] = messages_to(deployment, "aino@example.fi", f"Päätös {number}:")
    assert message.language == "fi"
    assert ASSOCIATION in message.subject
    assert "oikaisuvaatimuksen viimeistään" in message.body

    # --- the appeal period passes: finance is told -------------------------------------------
    # Fifteen days in the database, since no clock can move for other processes; then what beat
    # runs every ten minutes, run now through the broker.
    deployment.database.query(
        "UPDATE grants_application SET notified_on = notified_on - 20, "
        "deemed_received_on = deemed_received_on - 20, appeal_ends_on = current_date - 1 "
        "WHERE id = %s RETURNING id",
        application_id,
    )
    deployment.run_task("grants.tasks.make_decisions_legally_valid")
    wait_until(
        lambda: (
            deployment.database.value(
                "SELECT state FROM grants_application WHERE id = %s", application_id
            )
            == "legally_valid"
        ),
        30,
        "the decision to become legally valid",
    )
    wait_until(
        lambda: [
            m
            for m in deployment.sink.messages
            # Fiona reads English (grants.demo): the money the English way.
            if "fiona@example.fi" in m.to and ASSOCIATION in m.body and "€1,200.00" in m.body
        ],
        15,
        "finance's message of the payable",
    )

    # --- every link in every message opens its page for its reader ----------------------------
    opened = set()
    for received in deployment.sink.messages:
        links = [link.rstrip(".,)") for link in LINK.findall(received.body)]
        assert links, f"no link in {received.subject!r} to {received.to}"
        for link in links:
            assert link.startswith(deployment.url + "/"), link
            for address in received.to:
                key = (reader_of(address), link)
                if key in opened:
                    continue
                opened.add(key)
                tab = browse(reader_of(address))
                response = tab.goto(link)
                assert response.status == 200, (link, address, response.status)
                assert tab.url == link, f"{link} went to {tab.url} for {address}"
                tab.context.close()
    assert opened
