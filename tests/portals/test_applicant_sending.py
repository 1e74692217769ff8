"""The applicant's way to sending (issue 14, item 2): every answer checked before sending, the
receipt with the application number, and last year's application copied into a new draft."""

import copy
from decimal import Decimal
from pathlib import Path

import pytest

from application_forms.models import FormDefinition
from application_forms.versions import version_save
from grants import services
from grants.models import Application, Attachment
from tests.application_forms.forms import COMPLETE, EVERY_TYPE, field
from tests.factories import ApplicationFactory, CallFactory, UserFactory, represent
from tests.portals.test_association_portal import PDF, form_data, pdf, signed_in, text, url

S = Application.State
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def rep(representative):
    return signed_in(representative)


def form_call(body, content=EVERY_TYPE):
    definition = FormDefinition.objects.create(public_body=body, name="Kulttuuri")
    version_save(definition, content)
    return CallFactory(public_body=body, form=definition)


def answered(call, association, representative, answers=COMPLETE):
    """A draft to `call` with `answers` and its accounts attached."""
    application = services.application_create(
        user=representative,
        call=call,
        association=association,
        requested_amount=Decimal("5000"),
        purpose="Kerhotoimintaa.",
        budget_lines=[{"description": "Tilavuokra", "amount": Decimal("5000")}],
    )
    accounts = services.attachment_add(application, user=representative, upload=pdf("tilit.pdf"))
    return services.application_update(
        application, user=representative, answers={**answers, "accounts": accounts.pk}
    )


# --- check your answers, then send ---------------------------------------------------------------


def test_the_check_page_shows_every_answer_by_section_with_change_links(
    rep, body, association, representative
):
    application = answered(form_call(body), association, representative)

    response = rep.get(url("check", application.pk))

    assert response.status_code == 200
    page = text(response)
    # Each section's title before its answers, written out the reader's way.
    assert page.index("Basics") < page.index("Seura") < page.index("More")
    assert "€1,200.50" in page  # money
    assert "1 May 1990" in page  # a date
    assert "Sports" in page  # a choice by its label
    assert "Seniors" in page
    assert "1. title: Kevätjuhla" in page  # a table row by row
    assert "tilit.pdf" in page  # a file by its name
    html = response.content.decode()
    assert f'href="{url("edit", application.pk)}#a-members"' in html
    assert f'href="{url("edit", application.pk)}#id_requested_amount"' in html
    assert f'action="{url("submit", application.pk)}"' in html


def test_the_check_page_names_a_required_question_left_unanswered(
    rep, body, association, representative
):
    unfinished = {k: v for k, v in COMPLETE.items() if k != "members"}
    application = answered(form_call(body), association, representative, unfinished)

    page = text(rep.get(url("check", application.pk)))

    assert "members Not answered: this question must be answered." in page


def test_save_and_check_saves_the_draft_and_shows_the_answers(rep, application):
    response = rep.post(
        url("edit", application.pk), form_data(amount="300", lines=[("Bussi", "300")], check="1")
    )

    assert response.status_code == 302
    assert response.url == url("check", application.pk)
    application.refresh_from_db()
    assert application.state == S.DRAFT
    assert application.requested_amount == Decimal("300")


def test_sending_from_the_check_page_leads_to_the_receipt_with_the_number(rep, application):
    response = rep.post(url("submit", application.pk), follow=True)

    application.refresh_from_db()
    assert application.state == S.SUBMITTED
    assert response.redirect_chain == [(url("receipt", application.pk), 302)]
    page = text(response)
    assert f"Application number: {application.pk}" in page
    # The message after sending carries the same number.
    assert f"The application (number {application.pk}) was sent." in page


def test_the_receipt_waits_for_sending_and_the_check_page_for_a_draft(rep, application, walk):
    assert rep.get(url("receipt", application.pk)).url == url("application", application.pk)
    walk(application, "submit")
    assert rep.get(url("check", application.pk)).url == url("application", application.pk)
    assert rep.get(url("receipt", application.pk)).status_code == 200


def test_the_check_page_is_the_representatives(signatory, application):
    assert signed_in(signatory).get(url("check", application.pk)).status_code == 403


# --- copying last year's application -------------------------------------------------------------

# Next year's form: `founded` and `story` no longer asked; `members` capped below last year's
# answer (dropped: it no longer passes); `motto` new.
NEXT_YEAR = copy.deepcopy(EVERY_TYPE)
NEXT_YEAR["sections"][0]["fields"] = [
    f for f in NEXT_YEAR["sections"][0]["fields"] if f["key"] not in ("founded", "story")
]
for f in NEXT_YEAR["sections"][0]["fields"]:
    if f["key"] == "members":
        f["max"] = 10
NEXT_YEAR["sections"][0]["fields"].append(field("motto", "short_text"))


def test_last_years_application_is_copied_into_a_new_draft(rep, body, association, representative):
    last_year = answered(form_call(body), association, representative)
    services.application_update(
        last_year,
        user=representative,
        budget_lines=[{"description": "Bussi", "amount": Decimal("5000")}],
    )
    this_year = form_call(body, NEXT_YEAR)

    response = rep.post(url("copy", this_year.pk), {"source": last_year.pk})

    draft = Application.objects.get(call=this_year)
    assert response.url == url("edit", draft.pk)
    assert draft.state == S.DRAFT
    assert draft.association == association
    assert draft.form_version == this_year.form.current_version()
    # Kept: the keys still asked that still pass; dropped: those gone and `members` (over 10).
    assert draft.answers["name"] == "Seura"
    assert draft.answers["events"] == COMPLETE["events"]
    assert {"founded", "story", "members"}.isdisjoint(draft.answers)
    # The attachment is referenced: the same stored file, and the file answer points at it.
    attachment = draft.attachments.get()
    assert attachment.file.name == last_year.attachments.get().file.name
    assert draft.answers["accounts"] == attachment.pk
    assert [(b.description, b.amount) for b in draft.budget_lines.all()] == [
        ("Bussi", Decimal("5000.00"))
    ]
    # Last year's application is left as it was.
    last_year.refresh_from_db()
    assert last_year.answers["members"] == 40


def test_the_call_page_offers_the_associations_earlier_applications(
    rep, body, association, representative, walk
):
    last_year = answered(form_call(body), association, representative)
    walk(last_year, "submit")
    this_year = form_call(body, NEXT_YEAR)

    html = rep.get(url("call", this_year.pk)).content.decode()

    assert f'action="{url("copy", this_year.pk)}"' in html
    assert f'<option value="{last_year.pk}">' in html


def test_another_associations_application_cannot_be_copied(
    rep, call, foreign_association, foreign_representative
):
    theirs = ApplicationFactory(association=foreign_association, created_by=foreign_representative)

    response = rep.post(url("copy", call.pk), {"source": theirs.pk})

    assert response.status_code == 404
    assert not Application.objects.filter(call=call).exists()


@pytest.mark.parametrize("source", ["", "x", "99999999999999"])
def test_a_bad_source_is_404_and_nothing_is_made(rep, call, source):
    assert rep.post(url("copy", call.pk), {"source": source}).status_code == 404
    assert not Application.objects.filter(call=call).exists()


def test_a_signatory_cannot_copy(signatory, call, application):
    response = signed_in(signatory).post(url("copy", call.pk), {"source": application.pk})

    assert response.status_code == 302
    assert Application.objects.filter(call=call).count() == 1


# --- nothing lost on a 400 -----------------------------------------------------------------------


def test_a_file_chosen_on_a_refused_form_is_kept_and_attached_when_it_is_saved(
    rep, call, association, settings
):
    refused = rep.post(
        url("apply", call.pk), form_data(amount="-1", association=association.pk, files=pdf())
    )

    assert refused.status_code == 400
    assert not Application.objects.exists()
    assert not Attachment.objects.exists()
    assert "Kept from your last try, attached when the form is saved: talousarvio.pdf" in text(
        refused
    )

    saved = rep.post(url("apply", call.pk), form_data(association=association.pk))

    application = Application.objects.get()
    assert saved.url == url("edit", application.pk)
    assert application.attachments.get().name == "talousarvio.pdf"
    assert application.attachments.get().file.read() == PDF
    # Attached once: the next save does not attach it again.
    rep.post(url("edit", application.pk), form_data())
    assert application.attachments.count() == 1
    assert not list((Path(settings.MEDIA_ROOT) / "pending").rglob("*.pdf"))


def test_a_file_questions_file_is_kept_over_a_refused_answer(
    rep, body, association, representative
):
    application = ApplicationFactory(
        call=form_call(body), association=association, created_by=representative
    )
    application.form_version = application.call.form.current_version()
    application.save()
    typed = {"answers.name": "Seura", "answers.members": "paljon", "answers.premises": "no"}
    before = (application.answers, application.attachments.count())

    refused = rep.post(
        url("edit", application.pk),
        {**form_data(), **typed, "answers.accounts": pdf("tilit.pdf")},
    )

    assert refused.status_code == 400
    application.refresh_from_db()
    assert (application.answers, application.attachments.count()) == before
    assert "tilit.pdf" in text(refused)

    rep.post(url("edit", application.pk), {**form_data(), **typed, "answers.members": "40"})

    application.refresh_from_db()
    assert application.answers["members"] == 40
    assert application.attachments.get(pk=application.answers["accounts"]).name == "tilit.pdf"


def test_kept_files_are_the_persons_own(rep, call, association, representative):
    rep.post(url("apply", call.pk), form_data(amount="-1", association=association.pk, files=pdf()))
    other = represent(UserFactory(), association)

    page = text(signed_in(other).get(url("apply", call.pk)))

    assert "talousarvio.pdf" not in page
