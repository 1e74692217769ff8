"""A payable's reason as facts (finance.reasons), rendered in the reader's language, instead of
text written in the site's language. The text written before is read back into facts where it
is the one sentence agreements.instalments wrote ("Sopimusmuutos 2026-7 (versio 2), päätetty
1.3.2027", or its Swedish or English form); what cannot be read stays as written. Backwards,
the facts are written out again as that sentence in the site's language."""

import re
from datetime import date, datetime

import django.core.serializers.json
from django.conf import settings
from django.db import migrations, models

# The sentence agreements.instalments stored, in each language it could be stored in.
WRITTEN = {
    "fi": ("Sopimusmuutos", "versio", "päätetty"),
    "sv": ("Avtalsändring", "version", "beslutad"),
    "en": ("Amendment", "version", "decided on"),
}
PATTERNS = [
    re.compile(
        rf"^{re.escape(amendment)} (?P<number>.+) \({re.escape(version)} (?P<version>\d+)\), "
        rf"{re.escape(decided)} (?P<day>.+)$"
    )
    for amendment, version, decided in WRITTEN.values()
]


def _day(text: str) -> date | None:
    for pattern in ("%d.%m.%Y", "%d %B %Y"):
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None


def _change(payable) -> str:
    if payable.kind == "recovery":
        return "recovery"
    # A supplementary payable has a source of its own ("instalment:<year>:v<version>"); a
    # reason on the instalment itself was a reduction.
    return "supplement" if re.search(r":v\d+$", payable.source) else "reduction"


def reasons_read(apps, schema_editor):
    Payable = apps.get_model("finance", "Payable")
    for payable in Payable.objects.exclude(reason="").iterator():
        kept, read = [], []
        for line in payable.reason.splitlines():
            found = next((m for p in PATTERNS if (m := p.match(line.strip()))), None)
            day = _day(found["day"]) if found else None
            if found is None or day is None:
                kept.append(line)
                continue
            read.append(
                {
                    "change": _change(payable),
                    "number": found["number"],
                    "version": int(found["version"]),
                    "decided_on": day.isoformat(),
                }
            )
        payable.reason = "\n".join(kept)
        payable.reasons = [*payable.reasons, *read]
        payable.save(update_fields=["reason", "reasons"])


def reasons_written(apps, schema_editor):
    Payable = apps.get_model("finance", "Payable")
    amendment, version, decided = WRITTEN.get(settings.LANGUAGE_CODE, WRITTEN["fi"])
    for payable in Payable.objects.iterator():
        if not payable.reasons:
            continue
        lines = [
            f"{amendment} {entry['number']} ({version} {entry['version']}), {decided} "
            + "{0.day}.{0.month}.{0.year}".format(date.fromisoformat(entry["decided_on"]))
            for entry in payable.reasons
        ]
        payable.reason = "\n".join(filter(None, [payable.reason, *lines]))
        payable.reasons = []
        payable.save(update_fields=["reason", "reasons"])


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0004_payable_inbox_in_its_order"),
    ]

    operations = [
        migrations.AddField(
            model_name="payable",
            name="reasons",
            field=models.JSONField(
                blank=True,
                default=list,
                encoder=django.core.serializers.json.DjangoJSONEncoder,
                verbose_name="reasons for the sum",
            ),
        ),
        migrations.AlterField(
            model_name="payable",
            name="reason",
            field=models.TextField(blank=True, verbose_name="reason as written"),
        ),
        migrations.RunPython(reasons_read, reasons_written),
    ]
