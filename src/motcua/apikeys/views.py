"""Back-office pages where the system operator issues, follows and revokes API keys
(SPEC §3 item 21; HG 11.4)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Max
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.backoffice.auth import staff_required

from . import services
from .forms import IssueForm
from .models import IntegrationKey


@staff_required
def index(request):
    services.require_operator(request.user)
    keys = IntegrationKey.objects.select_related("agency").annotate(
        call_count=Count("calls"), last_call=Max("calls__at")
    )
    return render(request, "apikeys/index.html", {"keys": keys})


@staff_required
def issue(request):
    services.require_operator(request.user)
    form = IssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            key, secret = services.issue(
                by=request.user,
                name=data["name"],
                scopes=data["scopes"],
                agency=data["agency"],
                rate_per_minute=data["rate_per_minute"],
                expires_at=form.expires_at(),
            )
        except ValidationError as error:
            fields = {"expires_at": "valid_until"}
            for field, errors in error.message_dict.items():
                form.add_error(fields.get(field, field), errors)
        else:
            response = render(request, "apikeys/issued.html", {"key": key, "secret": secret})
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "apikeys/issue.html", {"form": form})


@staff_required
def detail(request, prefix):
    services.require_operator(request.user)
    key = get_object_or_404(IntegrationKey.objects.select_related("agency"), prefix=prefix)
    return render(
        request,
        "apikeys/detail.html",
        {
            "key": key,
            "usage": services.usage(key),
            "calls": key.calls.all()[:50],
            "alerts": key.alerts.all()[:20],
        },
    )


@staff_required
@require_POST
def revoke(request, prefix):
    services.require_operator(request.user)
    key = get_object_or_404(IntegrationKey, prefix=prefix)
    services.revoke(key, by=request.user)
    messages.success(request, _("The key has been revoked."))
    return redirect("apikeys:detail", prefix=key.prefix)
