"""Security headers: Content-Security-Policy (django-csp) and Permissions-Policy.

The policies themselves are settings (`CONTENT_SECURITY_POLICY`, `PERMISSIONS_POLICY`); this
module only applies them, with one exception scoped to the Wagtail admin (see docs/security.md).
"""

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.urls import reverse

# What the Wagtail admin needs beyond the front end's policy. Wagtail 8 writes inline scripts in
# its own widget and panel templates (dates, inline panels, workflow) and its JavaScript inserts
# HTML that carries inline scripts and style attributes (StreamField, Draftail, tooltips): none
# of these can carry a nonce. So on the admin's URLs only, inline scripts and styles are allowed;
# everything else (own host only, no plugin, no foreign frame or form target) stays as on the
# front end. No nonce there: a nonce would make browsers ignore 'unsafe-inline'.
ADMIN_POLICY_REPLACE: dict[str, list[str]] = {
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
}


def admin_prefix() -> str:
    return reverse("wagtailadmin_home")


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's exception added on the admin's URLs only."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and request.path.startswith(admin_prefix()):
            parts.replace = {**ADMIN_POLICY_REPLACE, **(parts.replace or {})}
            parts.nonce = None
        return parts


class PermissionsPolicyMiddleware:
    """Send `Permissions-Policy`: the browser features the platform never uses are disabled."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(allowlist)})"
            for feature, allowlist in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response
