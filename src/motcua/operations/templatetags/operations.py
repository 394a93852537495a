from django import template

from motcua.operations import maintenance

register = template.Library()


@register.inclusion_tag("operations/banner.html")
def maintenance_banner():
    """Planned maintenance announced and not yet over, for every Portal page (BN 10.3)."""
    return {"notices": maintenance.banner()}
