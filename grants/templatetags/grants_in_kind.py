"""The in-kind support a page shows with an application's proposal or decision."""

from django import template

from grants.in_kind import in_kind_of, in_kind_stands
from grants.models import Application, PremisesUse

register = template.Library()


@register.filter
def in_kind_support(application: Application) -> list[PremisesUse]:
    """Its free use of premises where it stands (grants.in_kind.in_kind_stands): none on a
    rejection, whatever was proposed before it."""
    return in_kind_of(application) if in_kind_stands(application) else []
