"""OpenAPI generation (drf-spectacular): the schema describes /api/v1/ only (Wagtail's public
/api/v2/ has its own documentation), and the token scheme."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

PREFIX = "/api/v1/"


def only_v1(endpoints, **kwargs):
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(PREFIX)]


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiTokenAuthentication"
    name = "jetonPersonnel"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "Jeton personnel créé depuis « Mon compte » → « Jetons d'accès à l'API »."
            ),
        }


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.PlatformSessionAuthentication"
    name = "session"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}
