"""On PostgreSQL: an administrator's edit saved while an application is being started on the
same version makes a new version; the application's questions never change under it."""

import copy
import threading
import time
from decimal import Decimal

import pytest
from django.db import transaction

from application_forms.versions import version_save
from grants import services
from grants.models import Application
from organisations.models import User
from tests.application_forms.forms import EVERY_TYPE, field
from tests.factories import form_of
from tests.grants.test_concurrency import TIMEOUT, blocked_by_me, run_in_threads

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_an_edit_racing_an_application_started_on_the_version_makes_a_new_one(
    call, association, representative
):
    call.form = form_of(call.public_body, EVERY_TYPE)
    call.save()
    edited = copy.deepcopy(EVERY_TYPE)
    edited["sections"][0]["fields"].append(field("added", "short_text"))
    inserted = threading.Event()
    waited = []

    def start_an_application() -> int:
        with transaction.atomic():
            application = services.application_create(
                user=User.objects.get(pk=representative.pk),
                call=call,
                association=association,
                requested_amount=Decimal("1000"),
                purpose="Kerho",
                answers={"members": 3},
            )
            inserted.set()
            # Not committed until the edit waits on this application's hold on the version.
            deadline = time.monotonic() + TIMEOUT
            while time.monotonic() < deadline:
                # Each poll is a round trip to PostgreSQL; no sleeping on a clock.
                if blocked_by_me():
                    waited.append(True)
                    break
            return application.pk

    def edit_the_form() -> int:
        assert inserted.wait(TIMEOUT)
        return version_save(call.form, edited).number

    (started, pk), (edit, number) = run_in_threads(start_an_application, edit_the_form)

    assert (started, edit) == ("ok", "ok")
    assert waited == [True]
    assert number == 2
    application = Application.objects.get(pk=pk)
    assert application.form_version.number == 1
    assert application.form_version.content == EVERY_TYPE
