"""Factories that build valid records; roles are given with `grant_role` / `represent`."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from application_forms.models import FormDefinition
from application_forms.versions import version_save
from grants.models import Application, BudgetLine, Call
from organisations.identifiers import business_id_for, iban_for
from organisations.models import (
    Association,
    AssociationRole,
    OfficialRole,
    PublicBody,
    Unit,
    User,
)
from organisations.roles import forget_roles
from workflow.models import ApprovalChain, ApprovalStep


class PublicBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PublicBody

    name = factory.Sequence(lambda n: f"Kunta {n}")
    kind = PublicBody.Kind.MUNICIPALITY
    business_id = factory.Sequence(lambda n: business_id_for(100_000 + n))
    finance_email = "talous@example.fi"
    # What a decision and its notification state (organisations.facts).
    address = "PL 1, 00099 KUNTA"
    phone = "09 123 4567"
    registry_address = "Kirjaamo, PL 1, 00099 KUNTA"
    registry_email = "kirjaamo@example.fi"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    public_body = factory.SubFactory(PublicBodyFactory)
    name = factory.Sequence(lambda n: f"Toimiala {n}")


class AssociationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Association

    name = factory.Sequence(lambda n: f"Yhdistys {n} ry")
    business_id = factory.Sequence(lambda n: business_id_for(500_000 + n))
    register_number = factory.Sequence(lambda n: f"{100000 + n}")
    iban = factory.Sequence(lambda n: iban_for(n + 1))
    email = factory.Sequence(lambda n: f"yhdistys{n}@example.fi")
    street_address = factory.Sequence(lambda n: f"Seurantie {n + 1}")
    postal_code = "02100"
    post_office = "ESPOO"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Testi"
    last_name = factory.Sequence(lambda n: f"Henkilö {n}")
    email = factory.Sequence(lambda n: f"user{n}@example.fi")
    password = factory.django.Password("pw")


def grant_role(user: User, public_body: PublicBody, role: str, title: str | None = None) -> User:
    """The role in `public_body`, titled (a decision names its maker's title) unless `title`
    is given, "" for none."""
    title = str(OfficialRole.Role(role).label) if title is None else title
    OfficialRole.objects.create(user=user, public_body=public_body, role=role, title=title)
    forget_roles(user)
    return user


def represent(
    user: User, association: Association, role: str = AssociationRole.Role.REPRESENTATIVE
) -> User:
    AssociationRole.objects.create(user=user, association=association, role=role)
    forget_roles(user)
    return user


def chain_with_steps(
    public_body: PublicBody,
    *steps: tuple,
    kind: str = ApprovalChain.SubjectKind.GRANT_APPLICATION,
) -> ApprovalChain:
    """steps: (role,) or (role, threshold) for a step that applies above the threshold; `kind`
    the subjects the chain reviews (grant applications unless told)."""
    chain = ApprovalChain.objects.create(public_body=public_body, name="Chain", subject_kind=kind)
    for position, step in enumerate(steps, start=1):
        role, threshold = (step[0], step[1]) if len(step) > 1 else (step[0], None)
        ApprovalStep.objects.create(
            chain=chain,
            position=position,
            name=f"Step {position}",
            role=role,
            condition="amount_above" if threshold is not None else "always",
            threshold=threshold,
        )
    return chain


def form_of(public_body: PublicBody, content: dict | None = None) -> FormDefinition:
    """A form of the body with `content` as its first version (default: no questions)."""
    definition = FormDefinition.objects.create(public_body=public_body, name="Lomake")
    version_save(definition, content or {"sections": []})
    return definition


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call

    public_body = factory.SubFactory(PublicBodyFactory)
    name = factory.Sequence(lambda n: f"Avustushaku {n}")
    category = Call.Category.GENERAL
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=20))
    budget = Decimal("100000.00")
    max_per_application = Decimal("20000.00")
    report_due_days = 90
    # The factory's calls ask no questions of their own unless a test gives them a form (a
    # call saved without one copies the default form: grants.models.Call.save).
    form = factory.LazyAttribute(lambda o: form_of(o.public_body))
    chain = factory.LazyAttribute(
        lambda o: chain_with_steps(
            o.public_body,
            (OfficialRole.Role.PREPARER,),
            (OfficialRole.Role.DECISION_MAKER,),
        )
    )


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application
        skip_postgeneration_save = True

    call = factory.SubFactory(CallFactory)
    association = factory.SubFactory(AssociationFactory)
    created_by = factory.SubFactory(UserFactory)
    requested_amount = Decimal("5000.00")
    purpose = "Kerhotoimintaa lapsille ja nuorille."

    @factory.post_generation
    def budget(self, create, extracted, **kwargs):
        if create:
            BudgetLine.objects.create(
                application=self,
                position=1,
                description="Tilavuokrat",
                amount=extracted if extracted is not None else self.requested_amount,
            )
