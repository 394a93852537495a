"""Input refused before it reaches the database: text with NUL characters, which PostgreSQL
cannot store or compare (a query with one fails instead of finding nothing)."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import SAFE_METHODS


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(item) for item in value)
    return False


class RejectsNulCharacters:
    """API views: a NUL character in the path, the query or the body is a 400 on the field
    that carries it (DRF's ``CharField`` refuses it already; lookups, filters, slugs and
    JSON fields did not)."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        sources = [kwargs, dict(request.query_params.lists())]
        if request.method not in SAFE_METHODS and isinstance(request.data, dict):
            sources.append(request.data)
        message = _("Text must not contain NUL characters.")
        fields = {
            name: [message]
            for source in sources
            for name, value in source.items()
            if _has_nul(name) or _has_nul(value)
        }
        if fields:
            raise ValidationError(fields)
