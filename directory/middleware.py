from datetime import timedelta

from django.core.cache import cache
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import LazyObject, empty
from django.utils.http import urlencode
from django_otp.middleware import OTPMiddleware as BaseOTPMiddleware

from directory import perms
from directory.models import CharterVersion, User
from directory.services.second_factor import has_second_factor

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
        "second_factor_verify",
        "second_factor_enrol",
        "second_factor_recovery_codes",
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


class OTPMiddleware(BaseOTPMiddleware):
    """django-otp's middleware (`request.user.is_verified()`), with `request.user` a lazy object
    around the user itself rather than around Django's own lazy user: Wagtail's audit log looks
    through one lazy layer only to find the model of a logged object."""

    def _verify_user_sync(self, request, user):
        if isinstance(user, LazyObject):
            if user._wrapped is empty:
                user._setup()
            user = user._wrapped
        return super()._verify_user_sync(request, user)


class SecondFactorMiddleware:
    """Before any page, a user who must use a second factor (`perms.must_use_second_factor`)
    confirms their login with it: enrolment when they have none yet, else the verification step.
    The Wagtail admin needs a verified session whoever the user is."""

    ALLOWED_URL_NAMES = ("second_factor_verify", "second_factor_enrol", "logout")
    ALLOWED_PREFIXES = ("/static/", "/sante/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and request.path not in {reverse(name) for name in self.ALLOWED_URL_NAMES}
            and (perms.must_use_second_factor(user) or self.enters_admin(request, user))
        ):
            step = "second_factor_verify" if has_second_factor(user) else "second_factor_enrol"
            return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def enters_admin(request, user) -> bool:
        """Whoever may use the Wagtail admin needs a verified session there (the others get
        Wagtail's own refusal)."""
        return request.path.startswith(reverse("wagtailadmin_home")) and user.has_perm(
            "wagtailadmin.access_admin"
        )
