"""The body's decision on a version of the terms takes the next section of its register, and
is refused (409, naming what to fill in, nothing saved) while the body lacks what the
decision states or the decision-maker has no title."""

import pytest
from django.utils import timezone, translation

from agreements.models import AgreementVersion
from organisations.models import OfficialRole, SectionRegister
from tests.agreements.builders import fresh, version_of
from workflow.errors import TransitionConflict
from workflow.models import TransitionLog

V = AgreementVersion.State
pytestmark = pytest.mark.django_db

TO_DECIDE = ("propose", "accept", "submit_for_review", "record_step")


def test_the_decision_takes_the_next_section_of_the_bodys_register(draft, advance):
    version = advance(version_of(draft), *TO_DECIDE, "decide")
    assert version.state == V.APPROVED
    assert version.decision_section == f"§ 1/{timezone.localdate().year}"


def test_the_decision_is_refused_while_the_body_lacks_its_registry(draft, body, advance):
    version = advance(version_of(draft), *TO_DECIDE)
    body.registry_address = ""
    body.save()
    with translation.override("en"), pytest.raises(TransitionConflict) as refused:
        advance(version, "decide")
    assert refused.value.message == "Fill in the body's registry address before deciding."
    version = fresh(version)
    assert (version.state, version.decided_at, version.decision_section) == (V.IN_REVIEW, None, "")
    assert not SectionRegister.objects.filter(public_body=body).exists()
    assert not TransitionLog.objects.filter(transition="decide").exists()


def test_the_decision_is_refused_while_the_decision_maker_has_no_title(draft, people, advance):
    version = advance(version_of(draft), *TO_DECIDE)
    OfficialRole.objects.filter(user=people["decision_maker"]).update(title="")
    with translation.override("fi"), pytest.raises(TransitionConflict) as refused:
        advance(version, "decide")
    assert "päättäjän nimike" in refused.value.message
    assert fresh(version).state == V.IN_REVIEW
