"""The body's register of decisions: each decision takes the next section (§) of its body's
register for the year it is made in ("§ 12/2026"), the way an official's decisions are
numbered in the minutes the body keeps and publishes (Local Government Act 140 §). A number
is never given twice and never skipped by a refusal: the section is taken inside the deciding
transaction, so a decision that is refused or rolled back gives its number back with
everything else it wrote."""

from datetime import date

from django.db import connection, transaction

from organisations.models import PublicBody, SectionRegister

# One statement creates the year's register with its first section or moves it on by one, and
# holds the row's lock until the deciding transaction ends: what select_for_update on a row
# made on first use does, without a first decision of the year costing more queries than the
# tenth or two first decisions racing to create the row. PostgreSQL and SQLite (3.24+) both
# read it.
_TAKE = (
    "INSERT INTO {table} (public_body_id, year, last_section) VALUES (%s, %s, 1) "
    "ON CONFLICT (public_body_id, year) DO UPDATE SET last_section = {table}.last_section + 1"
)


def section_take(body: PublicBody, day: date) -> str:
    """The next section of `body`'s register for `day`'s year ("§ 12/2026"), taken for good
    once the caller's transaction commits; a second decision of the body waits for it."""
    table = connection.ops.quote_name(SectionRegister._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_TAKE.format(table=table), [body.pk, day.year])
        section = (
            SectionRegister.objects.filter(public_body=body, year=day.year)
            .values_list("last_section", flat=True)
            .get()
        )
    return f"§ {section}/{day.year}"
