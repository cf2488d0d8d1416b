from datetime import timedelta

from django.core.cache import cache
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from directory.models import CharterVersion, User

CHARTER_CACHE_KEY = "directory:current-charter-version"
LAST_ACCESS_RESOLUTION = timedelta(hours=1)


def current_charter_version() -> int | None:
    """Version number of the charter in force (cached for a minute)."""
    version = cache.get(CHARTER_CACHE_KEY)
    if version is None:
        charter = CharterVersion.objects.current()
        version = charter.version if charter else 0
        cache.set(CHARTER_CACHE_KEY, version, 60)
    return version or None


def needs_charter(user) -> bool:
    version = current_charter_version()
    return bool(version) and (user.charter_version_accepted or 0) < version


class CharterGateMiddleware:
    """Until the current charter is accepted, a logged-in user sees only the charter page
    (and may still log out or change their password)."""

    ALLOWED_URL_NAMES = (
        "charter",
        "logout",
        "password_change",
        "password_change_done",
        "territory_autocomplete",
    )
    ALLOWED_PREFIXES = ("/static/", "/media/", "/sante/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and request.path not in {reverse(name) for name in self.ALLOWED_URL_NAMES}
            and needs_charter(user)
        ):
            return redirect(f"{reverse('charter')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class LastAccessMiddleware:
    """Record when each user last used the platform (at most one write per hour and user)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = timezone.now()
            if user.last_access is None or now - user.last_access > LAST_ACCESS_RESOLUTION:
                User.objects.filter(pk=user.pk).update(last_access=now, inactivity_warned_at=None)
                user.last_access = now
        return response
