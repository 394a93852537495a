"""The API key as a security scheme of the OpenAPI document."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class KeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "motcua.apikeys.authentication.KeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Api-Key <key> — a key issued by the system operator.",
        }
