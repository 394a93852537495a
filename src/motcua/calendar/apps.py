from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarConfig(AppConfig):
    name = "motcua.calendar"
    label = "workcalendar"
    verbose_name = _("Working calendar")

    def ready(self):
        from django.core import checks
        from django.db.models.signals import post_delete, post_save

        from motcua.profiles.checks import check_active_profile

        from .models import CalendarOverride
        from .services import forget_overrides

        # The calendar is the first consumer of the profile: refuse to start without one.
        checks.register(check_active_profile)
        post_save.connect(forget_overrides, sender=CalendarOverride)
        post_delete.connect(forget_overrides, sender=CalendarOverride)
