"""Who calls the API: a personal token (`Authorization: Bearer <token>`), or the browser session
of the platform's own pages. A token authenticates only an active member of the platform, and
never after its expiry; each use is recorded (at most once a minute, to spare the database)."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication

from directory import perms
from directory.middleware import LAST_ACCESS_RESOLUTION, needs_charter
from directory.models import User

#: Uses closer together than this are not written again.
LAST_USE_PRECISION = datetime.timedelta(minutes=1)


class ApiTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, token):
        try:
            token.decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from exc
        return super().authenticate_credentials(token)

    def validate_user(self, auth_token):
        user = auth_token.user
        if not perms.is_active_member(user):
            raise exceptions.AuthenticationFailed(_("This account is not active."))
        if needs_charter(user):
            # As the pages' charter gate: nothing before the charter in force is accepted.
            raise exceptions.PermissionDenied(
                _("Accept the charter in force on the platform before using the API.")
            )
        now = timezone.now()
        if auth_token.last_used_at is None or now - auth_token.last_used_at > LAST_USE_PRECISION:
            type(auth_token).objects.filter(pk=auth_token.pk).update(last_used_at=now)
            auth_token.last_used_at = now
        # Using the API is using the platform: the inactivity countdown starts again, as with
        # the pages (directory.middleware.LastAccessMiddleware).
        if user.last_access is None or now - user.last_access > LAST_ACCESS_RESOLUTION:
            User.objects.filter(pk=user.pk).update(last_access=now, inactivity_warned_at=None)
            user.last_access = now
        return user, auth_token


class PlatformSessionAuthentication(SessionAuthentication):
    """The session of the platform's pages (CSRF checked on writes, as on the pages). The session
    middleware has already applied the charter and second-factor gates."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None and not perms.is_active_member(result[0]):
            return None
        return result
