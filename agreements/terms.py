"""An agreement version's terms as plain data: copying them into a new version, and the
difference between two versions, so either side sees exactly what a proposal changes.

The renewal (a transition's effect, agreements.effects) copies terms too, and the models
import the effects: so this module imports the models only for typing and makes its records
through the ones it is given (`agreement.versions.model`, `version.goals.model`)."""

from datetime import date
from difflib import SequenceMatcher
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from premises.services import premises_of_body_check

if TYPE_CHECKING:
    from agreements.models import Agreement, AgreementVersion

# The version's own fields that are terms (the rest records who did what and when): the one
# list of them, which the API's serializers and the pages' terms form follow.
TERM_FIELDS = (
    "title",
    "purpose",
    "starts_on",
    "ends_on",
    "public_body_responsibilities",
    "association_responsibilities",
    "meetings_per_year",
    "evaluation_every_months",
    "notice_period_months",
)
GOAL_FIELDS = ("title", "indicator", "target")
RESOURCE_FIELDS = (
    "year",
    "kind",
    "provided_by",
    "description",
    "amount",
    "hours",
    "hours_per",
    "pays_on",
    "payee",
    "premises",
)


def terms_of(version: "AgreementVersion") -> dict[str, Any]:
    """The terms as a dict: the fields, and the goals and resources as lists of dicts."""
    return {
        **{name: getattr(version, name) for name in TERM_FIELDS},
        "goals": [{f: getattr(g, f) for f in GOAL_FIELDS} for g in version.goals.all()],
        "resources": [{f: getattr(r, f) for f in RESOURCE_FIELDS} for r in version.resources.all()],
    }


def _rows_diff(name: str, before: list[dict], after: list[dict]) -> list[dict[str, Any]]:
    """Rows are matched by their content, so a row added or removed in the middle is one
    entry, not a change of every row after it. Changed and added rows are numbered as in the
    newer list, removed ones as in the older."""

    def entry(number: int, old: dict | None, new: dict | None) -> dict[str, Any]:
        return {"field": f"{name}[{number + 1}]", "before": old, "after": new}

    matcher = SequenceMatcher(
        None,
        [tuple(row.items()) for row in before],
        [tuple(row.items()) for row in after],
        autojunk=False,
    )
    changes = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        paired = min(i2 - i1, j2 - j1)
        changes += [entry(j1 + k, before[i1 + k], after[j1 + k]) for k in range(paired)]
        changes += [entry(i, before[i], None) for i in range(i1 + paired, i2)]
        changes += [entry(j, None, after[j]) for j in range(j1 + paired, j2)]
    return changes


def diff(older: "AgreementVersion", newer: "AgreementVersion") -> list[dict[str, Any]]:
    """What changed from `older` to `newer`: one entry per changed field, and per goal or
    resource changed, added or removed, with the value before and after (None for a row
    that is not there)."""
    a, b = terms_of(older), terms_of(newer)
    changes = [
        {"field": name, "before": a[name], "after": b[name]}
        for name in TERM_FIELDS
        if a[name] != b[name]
    ]
    changes += _rows_diff("goals", a["goals"], b["goals"])
    changes += _rows_diff("resources", a["resources"], b["resources"])
    return changes


def terms_write(version: "AgreementVersion", terms: dict[str, Any]) -> None:
    """Set the given terms on a version: fields, and goals and resources replaced wholesale
    when given."""
    for row in terms.get("resources", ()):
        _premises_check(version, row)
    for name in TERM_FIELDS:
        if name in terms:
            setattr(version, name, terms[name])
    # The check constraint on the term is stated by clean() with the field it concerns.
    version.full_clean(
        exclude=["agreement", "created_by", "based_on", "state"], validate_constraints=False
    )
    version.save()
    if "goals" in terms:
        version.goals.all().delete()
        Goal = version.goals.model
        Goal.objects.bulk_create(
            Goal(version=version, position=i, **{f: g[f] for f in GOAL_FIELDS if f in g})
            for i, g in enumerate(terms["goals"], start=1)
        )
    if "resources" in terms:
        version.resources.all().delete()
        Resource = version.resources.model
        Resource.objects.bulk_create(
            Resource(version=version, position=i, **{f: r[f] for f in RESOURCE_FIELDS if f in r})
            for i, r in enumerate(terms["resources"], start=1)
        )


def _premises_check(version: "AgreementVersion", row: dict[str, Any]) -> None:
    """A premises resource may name an entry of the agreement's body's catalogue; another
    body's entry, or an entry on a resource that is not premises, is refused by name."""
    premises = row.get("premises")
    if premises is None:
        return
    field = "resources"
    if row.get("kind") != "premises":
        raise ValidationError({field: _("Only a premises resource names premises.")})
    premises_of_body_check(premises, version.agreement.public_body_id, field=field)


def version_create(
    agreement: "Agreement",
    *,
    actor: Any,
    author_side: str,
    terms: dict[str, Any],
    based_on: "AgreementVersion | None" = None,
    change_note: str = "",
) -> "AgreementVersion":
    """The next version of an agreement: the terms it is based on, changed by `terms`."""
    base = terms_of(based_on) if based_on is not None else {}
    number = (
        agreement.versions.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    version = agreement.versions.model(
        agreement=agreement,
        number=number,
        based_on=based_on,
        author_side=author_side,
        created_by=actor,
        change_note=change_note,
    )
    terms_write(version, {**base, **terms})
    return version


def agreement_copy(
    agreement: "Agreement", *, actor: Any, starts_on: date, ends_on: date
) -> "Agreement":
    """A new agreement between the same parties with a draft of the terms in force moved to a
    new term (a renewal); instalment dates move by whole years with it."""
    old = agreement.in_force_version
    successor = type(agreement).objects.create(
        public_body_id=agreement.public_body_id,
        unit_id=agreement.unit_id,
        chain_id=agreement.chain_id,
        liaison_id=agreement.liaison_id,
        contact_id=agreement.contact_id,
        public_body_signatures_required=agreement.public_body_signatures_required,
        predecessor=agreement,
        created_by=actor,
        created_side="public_body",
    )
    number_assign(successor)
    AgreementParty = agreement.parties.model
    AgreementParty.objects.bulk_create(
        AgreementParty(
            agreement=successor,
            association_id=p.association_id,
            position=p.position,
            signatures_required=p.signatures_required,
        )
        for p in agreement.parties.all()
    )
    shift = starts_on.year - old.starts_on.year
    resources = [
        {
            **r,
            "year": r["year"] + shift,
            "pays_on": _shift_year(r["pays_on"], shift) if r["pays_on"] else None,
        }
        for r in terms_of(old)["resources"]
        if r["year"] + shift <= ends_on.year
    ]
    version_create(
        successor,
        actor=actor,
        author_side="public_body",
        terms={**terms_of(old), "starts_on": starts_on, "ends_on": ends_on, "resources": resources},
        change_note=f"{agreement.number} v{old.number}",
    )
    return successor


def _shift_year(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def number_assign(agreement: "Agreement") -> None:
    """KS-<year>-<id>: the number both sides quote, fixed when the agreement is created."""
    agreement.number = f"KS-{timezone.localtime(agreement.created_at):%Y}-{agreement.pk:05d}"
    type(agreement).objects.filter(pk=agreement.pk).update(number=agreement.number)
