import pytest

from assessments.models import Criterion, Reviewer


@pytest.fixture
def criteria(call):
    """Two criteria of different weight and scale: impact 0–5 ×2, cost 1–10 ×1."""
    return [
        Criterion.objects.create(
            call=call,
            position=1,
            name="Vaikuttavuus",
            name_sv="Effekt",
            weight=2,
            scale_min=0,
            scale_max=5,
        ),
        Criterion.objects.create(
            call=call, position=2, name="Kustannukset", weight=1, scale_min=1, scale_max=10
        ),
    ]


@pytest.fixture
def submitted(application, walk):
    return walk(application, "submit")


@pytest.fixture
def reviewers(call, people):
    """The preparer reviews every application of the call; the liaison is assigned later."""
    Reviewer.objects.create(call=call, user=people["preparer"])
    Reviewer.objects.create(call=call, user=people["preparer2"])
    return people
