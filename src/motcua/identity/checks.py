"""Deployment checks (``motcua check --deploy``): the demo's stand-ins must not reach
production, where anyone could sign in as anyone through them."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def sign_in_adapters(app_configs, **kwargs):
    problems = []
    if settings.MOTCUA_SSO_PROVIDER != "oidc":
        problems.append(
            Error(
                "MOTCUA_SSO_PROVIDER is not 'oidc': the in-process identity provider lets "
                "anyone sign in as any citizen or organisation.",
                hint="Set MOTCUA_SSO_PROVIDER=oidc, MOTCUA_SSO_ISSUER, MOTCUA_SSO_CLIENT_ID and "
                "MOTCUA_SSO_CLIENT_SECRET.",
                id="identity.E001",
            )
        )
    elif not settings.MOTCUA_SSO_ISSUER.startswith("https://"):
        problems.append(Error("MOTCUA_SSO_ISSUER must be an https:// address.", id="identity.E002"))
    if settings.MOTCUA_SMS_BACKEND != "http":
        problems.append(
            Warning(
                "MOTCUA_SMS_BACKEND is not 'http': phone sign-in codes and notices are not sent.",
                id="identity.W001",
            )
        )
    return problems
