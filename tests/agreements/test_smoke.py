from datetime import date

import pytest

from agreements.models import Agreement, AgreementVersion, Evaluation, Meeting

pytestmark = pytest.mark.django_db


def test_a_draft_comes_into_force_through_review_and_signatures(active):
    version = active.in_force_version
    assert active.state == Agreement.State.ACTIVE
    assert version.state == AgreementVersion.State.IN_FORCE
    assert version.signatures.count() == 3
    assert Meeting.objects.filter(agreement=active).count() == 6
    assert [e.period_ends_on for e in Evaluation.objects.filter(agreement=active)] == [
        date(2027, 12, 31),
        date(2028, 12, 31),
        date(2029, 12, 31),
    ]
