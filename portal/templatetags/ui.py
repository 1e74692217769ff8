"""Layout helpers for the portals' templates: `{% load ui %}`."""

from django import template
from django.utils.html import format_html

register = template.Library()


class _TableWrapNode(template.Node):
    def __init__(self, label: template.base.FilterExpression, nodelist: template.NodeList):
        self.label = label
        self.nodelist = nodelist

    def render(self, context) -> str:
        # A region that scrolls sideways on a phone must be reachable and named for keyboard
        # and screen-reader users (WCAG 2.1.1, axe's scrollable-region-focusable).
        return format_html(
            '<div class="table-wrap" role="region" aria-label="{}" tabindex="0">{}</div>',
            self.label.resolve(context),
            self.nodelist.render(context),
        )


@register.tag
def tablewrap(parser, token):
    """{% tablewrap _("Applications") %}<table>…</table>{% endtablewrap %}"""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("tablewrap takes one argument: the table's name")
    nodelist = parser.parse(("endtablewrap",))
    parser.delete_first_token()
    return _TableWrapNode(parser.compile_filter(bits[1]), nodelist)
