"""Staff accounts of an agency, for its administrator (SPEC §3 item 17)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts import services
from motcua.accounts.models import Role, User
from motcua.catalogue.models import Agency
from motcua.dossiers.access import agency_scope

from .auth import staff_required


class StaffForm(forms.Form):
    username = forms.RegexField(
        label=gettext_lazy("Username"), regex=r"^[\w.@+-]+$", max_length=150
    )
    full_name = forms.CharField(label=gettext_lazy("Full name"), max_length=255)
    email = forms.EmailField(label=gettext_lazy("E-mail"), required=False)
    role = forms.ChoiceField(
        label=gettext_lazy("Role"), choices=[(r.value, r.label) for r in services.ASSIGNABLE_ROLES]
    )
    agency = forms.ModelChoiceField(
        label=gettext_lazy("Agency or unit"), queryset=Agency.objects.none()
    )
    password = forms.CharField(
        label=gettext_lazy("Initial password"), widget=forms.PasswordInput(render_value=False)
    )

    def __init__(self, scope, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(pk__in=scope, status="active")


@staff_required
def staff_list(request):
    if request.user.role != Role.AGENCY_ADMIN:
        raise PermissionDenied
    scope = agency_scope(request.user)
    form = StaffForm(scope, request.POST or None)
    if request.method == "POST":
        if "toggle" in request.POST:
            user = get_object_or_404(User, pk=request.POST["toggle"], agency_id__in=scope)
            services.set_active(request.user, user, not user.is_active)
            messages.success(request, _("Account updated."))
            return redirect("backoffice:staff")
        if form.is_valid():
            try:
                services.create_staff(request.user, **form.cleaned_data)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else "password", errors)
            else:
                messages.success(request, _("Account created."))
                return redirect("backoffice:staff")
    people = (
        User.objects.filter(kind=User.Kind.STAFF, agency_id__in=scope)
        .select_related("agency")
        .order_by("agency__code", "username")
    )
    return render(request, "backoffice/staff.html", {"form": form, "people": people})
