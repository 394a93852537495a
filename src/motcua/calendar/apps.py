from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarConfig(AppConfig):
    name = "motcua.calendar"
    label = "workcalendar"
    verbose_name = _("Working calendar")

    def ready(self):
        from django.core import checks

        from motcua.profiles.checks import check_active_profile

        # The calendar is the first consumer of the profile: refuse to start without one.
        checks.register(check_active_profile)
