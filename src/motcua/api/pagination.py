from rest_framework import pagination


class CursorPagination(pagination.CursorPagination):
    """Cursor pagination on every list: stable under inserts, no ``COUNT(*)`` on big tables."""

    ordering = "-id"
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_ordering(self, request, queryset, view):
        """A view may set ``cursor_ordering`` (unique, indexed columns) instead of ``-id``."""
        return getattr(view, "cursor_ordering", None) or super().get_ordering(
            request, queryset, view
        )
