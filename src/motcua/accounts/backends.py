"""Sign-in with lockout after repeated failures (TN 11: level-3 information system)."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db.models import F
from django.utils import timezone

from .models import User


class LockoutBackend(ModelBackend):
    """Username and password; ``MOTCUA_LOGIN_ATTEMPTS`` failures in a row lock the account
    for ``MOTCUA_LOCKOUT_MINUTES``. A locked account is refused even with the right
    password, and the refusal looks the same as a wrong password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = User.objects.filter(username=username).first()
        if user is None:
            User().set_password(password)  # same cost as a real check: no user enumeration
            return None
        now = timezone.now()
        if user.locked_until and user.locked_until > now:
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            if user.failed_logins or user.locked_until:
                User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
            return user
        User.objects.filter(pk=user.pk).update(failed_logins=F("failed_logins") + 1)
        user.refresh_from_db(fields=["failed_logins"])
        if user.failed_logins >= settings.MOTCUA_LOGIN_ATTEMPTS:
            User.objects.filter(pk=user.pk).update(
                failed_logins=0,
                locked_until=now + timedelta(minutes=settings.MOTCUA_LOCKOUT_MINUTES),
            )
        return None
