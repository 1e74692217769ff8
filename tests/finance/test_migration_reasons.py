"""finance 0005: an adjustment's reason, written as text in the site's language before, is read
back into facts (finance.reasons) that each reader reads in their own language; what cannot be
read stays as written; backwards, the facts are written out again as the site's sentence."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from finance.models import Payable
from tests.factories import ApplicationFactory

BEFORE = [("finance", "0004_payable_inbox_in_its_order")]


def _migrate(targets) -> MigrationExecutor:
    MigrationExecutor(connection).migrate(targets)
    return MigrationExecutor(connection)


def _latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_the_written_reasons_become_facts_and_back():
    old = _migrate(BEFORE).loader.project_state(BEFORE[0]).apps
    try:
        application = ApplicationFactory()
        OldPayable = old.get_model("finance", "Payable")
        common = {
            "content_type_id": ContentType.objects.get_for_model(application).pk,
            "object_id": application.pk,
            "public_body_id": application.call.public_body_id,
            "association_id": application.association_id,
            "decision_number": "SK-2026-00003",
            "decided_on": date(2026, 12, 1),
            "payable_on": date(2027, 2, 1),
            "title": "Kumppanuus, 2027",
        }
        reduced = OldPayable.objects.create(
            **common,
            amount=Decimal("8000.00"),
            source="instalment:2027",
            reason="Sopimusmuutos SK-2026-00003 (versio 2), päätetty 1.3.2027\n"
            "Maksettu osin käteisellä.",
        )
        supplement = OldPayable.objects.create(
            **common,
            amount=Decimal("3000.00"),
            source="instalment:2027:v2",
            reason="Avtalsändring SK-2026-00003 (version 2), beslutad 1.3.2027",
        )
        claim = OldPayable.objects.create(
            **common,
            amount=Decimal("2000.00"),
            source="instalment:2027:v3",
            kind="recovery",
            reason="Amendment SK-2026-00003 (version 3), decided on 2 April 2027",
        )

        _migrate(_latest())

        facts = {"number": "SK-2026-00003", "version": 2, "decided_on": "2027-03-01"}
        now = {p.pk: p for p in Payable.objects.all()}
        assert now[reduced.pk].reasons == [{"change": "reduction", **facts}]
        assert now[reduced.pk].reason == "Maksettu osin käteisellä."
        assert now[supplement.pk].reasons == [{"change": "supplement", **facts}]
        assert now[claim.pk].reasons == [
            {"change": "recovery", **facts, "version": 3, "decided_on": "2027-04-02"}
        ]
        assert all(now[p.pk].reason == "" for p in (supplement, claim))
        with translation.override("sv"):
            assert now[supplement.pk].reason_lines == [
                "Avtalsändring SK-2026-00003 (version 2), beslutad 1.3.2027, höjde årets "
                "finansiering: tilläggsbetalning."
            ]
        with translation.override("en"):
            assert now[reduced.pk].reason_lines == [
                "Maksettu osin käteisellä.",
                "Reduced: amendment SK-2026-00003 (version 2), decided on 1 March 2027, "
                "lowered the year's money.",
            ]

        back = _migrate(BEFORE).loader.project_state(BEFORE[0]).apps
        written = {p.pk: p.reason for p in back.get_model("finance", "Payable").objects.all()}
        assert written == {
            reduced.pk: "Maksettu osin käteisellä.\n"
            "Sopimusmuutos SK-2026-00003 (versio 2), päätetty 1.3.2027",
            supplement.pk: "Sopimusmuutos SK-2026-00003 (versio 2), päätetty 1.3.2027",
            claim.pk: "Sopimusmuutos SK-2026-00003 (versio 3), päätetty 2.4.2027",
        }
    finally:
        _migrate(_latest())
        ContentType.objects.clear_cache()
