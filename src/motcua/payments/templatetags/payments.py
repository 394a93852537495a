from django import template

from motcua.documents.formatting import vnd as vnd_text

register = template.Library()


@register.filter
def vnd(amount) -> str:
    """``100.000 đồng``."""
    return vnd_text(int(amount))
