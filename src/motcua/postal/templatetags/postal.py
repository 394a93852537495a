from django import template

register = template.Library()


@register.inclusion_tag("postal/shipments.html")
def postal_delivery(dossier):
    """The dossier's postal items and their news; or the tracking number of an item the
    officer posted by hand."""
    shipments = dossier.shipments.prefetch_related("events")
    by_hand = ""
    if dossier.status == "returned":
        returned = dossier.events.filter(action="return_result").last()
        by_hand = returned.data.get("tracking_number", "") if returned else ""
    return {"shipments": shipments, "by_hand": by_hand}
