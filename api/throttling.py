"""Rate limits, per token (each token has its own budget) or per user for session calls, counted
in the shared cache so that they hold across web workers. Beyond the limit the API answers 429
with `Retry-After` (DRF's exception handler sets it from the throttle's wait)."""

from django.core.cache import caches
from rest_framework.throttling import SimpleRateThrottle


class PerTokenThrottle(SimpleRateThrottle):
    scope = "api"

    @property
    def cache(self):
        return caches["shared"]

    def get_cache_key(self, request, view):
        token = getattr(request, "auth", None)
        if token is not None and getattr(token, "digest", None):
            ident = f"token:{token.token_key}:{token.digest[:16]}"
        elif request.user and request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            ident = f"anon:{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
