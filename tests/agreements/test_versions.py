"""Versions of the terms: the differences either side sees between two versions, drafts that
only their author edits, and the comments of the negotiation."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from agreements import services, terms
from agreements.models import AgreementVersion, VersionComment
from tests.agreements.builders import act, fresh, log_of, version_of
from workflow.errors import TransitionConflict

V = AgreementVersion.State
pytestmark = pytest.mark.django_db

SPORTS = {"title": "Liikuntaryhmät", "indicator": "Osallistujia viikossa", "target": Decimal(120)}
VOLUNTEERS = {
    "title": "Vapaaehtoiset",
    "indicator": "Koulutettuja ohjaajia",
    "target": Decimal(10),
}
STAFF_2028 = {
    "year": 2028,
    "kind": "staff",
    "provided_by": "public_body",
    "description": "Liikuntaneuvojan ohjausaika",
    "amount": Decimal("4500.00"),
    "hours": Decimal("2.0"),
    "hours_per": "week",
    "pays_on": None,
    "payee": None,
    "premises": None,
}


def counter_proposal(draft, representative, liaison, **changes) -> AgreementVersion:
    """The association proposes version 1; the liaison drafts version 2 from it."""
    act(version_of(draft), "propose", representative)
    return services.version_draft(draft, user=liaison, terms_given=changes)


def with_resource(version: AgreementVersion, added: dict) -> list[dict]:
    return [*terms.terms_of(version)["resources"], added]


# --- the difference between two versions -------------------------------------------------------


def test_the_difference_lists_each_changed_field_goal_and_resource(draft, representative, people):
    v1 = version_of(draft)
    v2 = counter_proposal(
        draft,
        representative,
        people["liaison"],
        title="Kumppanuussopimus ikäihmisten liikunnasta ja ohjaajista",
        goals=[{**SPORTS, "target": Decimal(150)}],
        resources=with_resource(v1, {**STAFF_2028, "year": 2029}),
    )

    assert terms.diff(v1, v2) == [
        {
            "field": "title",
            "before": "Kumppanuussopimus ikäihmisten liikunnasta",
            "after": "Kumppanuussopimus ikäihmisten liikunnasta ja ohjaajista",
        },
        {"field": "goals[1]", "before": SPORTS, "after": {**SPORTS, "target": Decimal(150)}},
        {"field": "goals[2]", "before": VOLUNTEERS, "after": None},
        {"field": "resources[5]", "before": None, "after": {**STAFF_2028, "year": 2029}},
    ]


def test_removing_the_first_goal_is_one_removal(draft, representative, people):
    v1 = version_of(draft)
    v2 = counter_proposal(draft, representative, people["liaison"], goals=[VOLUNTEERS])

    assert terms.diff(v1, v2) == [{"field": "goals[1]", "before": SPORTS, "after": None}]


def test_a_resource_added_within_the_term_is_one_addition(draft, representative, people):
    v1 = version_of(draft)
    # Resources are listed by year: the 2028 staff time comes before the 2029 money.
    v2 = counter_proposal(
        draft, representative, people["liaison"], resources=with_resource(v1, STAFF_2028)
    )

    assert terms.diff(v1, v2) == [{"field": "resources[4]", "before": None, "after": STAFF_2028}]
    assert terms.diff(v2, v1) == [{"field": "resources[4]", "before": STAFF_2028, "after": None}]


def test_a_version_without_changes_has_no_difference(draft, representative, people):
    v2 = counter_proposal(draft, representative, people["liaison"])

    assert terms.diff(version_of(draft), v2) == []


# --- editing -----------------------------------------------------------------------------------


def test_the_author_side_edits_its_draft(draft, representative):
    version = services.version_update(
        version_of(draft),
        user=representative,
        terms_given={"ends_on": date(2028, 12, 31), "resources": []},
        change_note="Kaksivuotinen.",
    )

    version = fresh(version)
    assert (version.ends_on, version.change_note) == (date(2028, 12, 31), "Kaksivuotinen.")
    assert not version.resources.exists()
    assert log_of(version) == ["create", "edit"]


def test_a_proposed_version_is_not_edited(draft, representative):
    version = act(version_of(draft), "propose", representative)

    with pytest.raises(TransitionConflict) as conflict:
        services.version_update(version, user=representative, terms_given={"title": "Uusi otsikko"})

    assert conflict.value.code == "not_editable"
    assert fresh(version).title == "Kumppanuussopimus ikäihmisten liikunnasta"
    assert log_of(version) == ["create", "propose"]


def test_the_other_side_does_not_edit_a_draft(draft, people):
    with pytest.raises(PermissionDenied):
        services.version_update(
            version_of(draft), user=people["liaison"], terms_given={"title": "Kunnan otsikko"}
        )
    assert fresh(version_of(draft)).title == "Kumppanuussopimus ikäihmisten liikunnasta"


def test_bad_terms_save_nothing(draft, representative):
    with pytest.raises(ValidationError):
        services.version_update(
            version_of(draft),
            user=representative,
            terms_given={"ends_on": date(2026, 12, 31), "goals": []},
        )

    version = fresh(version_of(draft))
    assert version.ends_on == date(2029, 12, 31)
    assert version.goals.count() == 2
    assert log_of(version) == ["create"]


# --- a new version beside a draft -------------------------------------------------------------


def test_the_side_that_has_a_draft_is_told_to_edit_it(draft, representative, people):
    counter_proposal(draft, representative, people["liaison"], title="Vastaehdotus")

    with translation.override("en"), pytest.raises(TransitionConflict) as refused:
        services.version_draft(draft, user=people["liaison"], terms_given={"title": "Toinen"})

    assert refused.value.code == "draft_exists"
    assert refused.value.message == "A draft version exists already; edit it."
    assert draft.versions.count() == 2


def test_the_other_side_is_told_a_proposal_is_coming_and_nothing_of_the_hidden_draft(
    draft, representative, people
):
    counter_proposal(draft, representative, people["liaison"], title="Salainen vastaehdotus")

    with translation.override("en"), pytest.raises(TransitionConflict) as refused:
        services.version_draft(draft, user=representative, terms_given={"title": "Oma"})

    message = refused.value.message
    assert refused.value.code == "draft_exists"
    assert message.startswith("The other side is preparing a proposal.")
    assert "accept it or make a counter-proposal" in message
    assert "edit" not in message
    assert "Salainen" not in message
    assert draft.versions.count() == 2


# --- comments ----------------------------------------------------------------------------------


def test_both_sides_comment_on_a_proposed_version(draft, representative, people):
    version = act(version_of(draft), "propose", representative)

    services.comment_add(version, user=people["liaison"], body="Voisiko ryhmiä olla viisi?")
    services.comment_add(version, user=representative, body="Ohjaajia riittää neljään.")

    assert [(c.side, c.author, c.body) for c in version.comments.all()] == [
        ("public_body", people["liaison"], "Voisiko ryhmiä olla viisi?"),
        ("association", representative, "Ohjaajia riittää neljään."),
    ]
    assert log_of(version) == ["create", "propose", "comment", "comment"]


def test_the_other_side_does_not_comment_on_a_draft_it_has_not_been_shown(
    draft, representative, people
):
    version = version_of(draft)

    with pytest.raises(PermissionDenied):
        services.comment_add(version, user=people["liaison"], body="Mikä tämä on?")

    assert not VersionComment.objects.exists()
    # The author's side keeps its own notes on the draft.
    services.comment_add(version, user=representative, body="Tarkistetaan summat.")
    assert version.comments.get().side == "association"


def test_nobody_outside_the_agreement_comments(draft, representative, foreign_representative):
    version = act(version_of(draft), "propose", representative)

    with pytest.raises(PermissionDenied):
        services.comment_add(version, user=foreign_representative, body="Entä me?")
    assert not VersionComment.objects.exists()


def test_an_empty_comment_or_one_on_a_closed_version_is_refused(draft, representative, people):
    version = act(version_of(draft), "propose", representative)
    with pytest.raises(ValidationError):
        services.comment_add(version, user=representative, body="  ")

    services.version_draft(draft, user=people["liaison"], terms_given={})
    act(version_of(draft, 2), "propose", people["liaison"])
    with pytest.raises(TransitionConflict):
        services.comment_add(fresh(version), user=representative, body="Myöhässä.")
    assert not VersionComment.objects.exists()
