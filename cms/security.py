"""Security headers: Content-Security-Policy (django-csp) and Permissions-Policy.

The policies themselves are settings (`CONTENT_SECURITY_POLICY`, `PERMISSIONS_POLICY`); this
module only applies them, with one exception scoped to the Wagtail admin (see docs/security.md).
"""

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.urls import reverse

# What the Wagtail admin needs beyond the front end's policy. Its templates and scripts are
# Wagtail's own: every inline script the project could reach carries a nonce instead (see
# cms/templates/wagtailadmin/), so only styles need an exception here.
ADMIN_POLICY_UPDATE: dict[str, list[str]] = {}


def admin_prefix() -> str:
    return reverse("wagtailadmin_home")


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's exception added on the admin's URLs only."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and ADMIN_POLICY_UPDATE and request.path.startswith(admin_prefix()):
            parts.update = {**ADMIN_POLICY_UPDATE, **(parts.update or {})}
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
