"""Deployment checks (``motcua check --deploy``) of the security pieces this app provides
(TN 11: level-3 system)."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

REQUIRED_MIDDLEWARE = (
    "motcua.operations.logs.RequestIdMiddleware",
    "motcua.operations.security.ContentSecurityPolicyMiddleware",
)


@register(Tags.security, deploy=True)
def operations_security(app_configs, **kwargs):
    problems = [
        Error(f"{name} is not in MIDDLEWARE.", id="operations.E001")
        for name in REQUIRED_MIDDLEWARE
        if name not in settings.MIDDLEWARE
    ]
    if not settings.MOTCUA_CLAMAV_ADDRESS:
        problems.append(
            Warning(
                "MOTCUA_CLAMAV_ADDRESS is not set: uploaded files are not scanned for viruses.",
                hint='Run clamd and set MOTCUA_CLAMAV_ADDRESS ("unix:/run/clamav/clamd.ctl" '
                'or "host:3310").',
                id="operations.W001",
            )
        )
    return problems
